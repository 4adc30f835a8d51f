"""Response headers, in one place, for every response the app sends.

The content security policy allows our own origin only, with no inline script or style,
so a page can never pull anything from another host. Public pages send no referrer;
the operators' console uses `same-origin` because Flask-WTF's CSRF check over HTTPS
needs the Referer header (flask-wtf/csrf.py, "The referrer header is missing").

HTML gets its `Cache-Control` here too, unless the view chose one (the console: `no-store`):
a page answering a POST (the no-JavaScript self-check result) holds what a person sent and is
never stored (`no-store`); every other page may be kept but is checked again before each use
(`no-cache`), so a deploy or a change to the directory shows at once.
"""

from __future__ import annotations

from flask import Flask, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ]
)

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "browsing-topics",
    )
)

HSTS = "max-age=31536000; includeSubDomains"


def referrer_policy(path: str) -> str:
    """`no-referrer` for the public; `same-origin` for the console's CSRF check."""
    return "same-origin" if path.startswith("/admin") else "no-referrer"


def html_cache_control(method: str) -> str:
    """`no-store` for a page that answers a POST (it holds what was sent), else `no-cache`."""
    return "no-store" if method == "POST" else "no-cache"


def init_app(app: Flask) -> None:
    """Add the security headers to every response, errors and static files included."""

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        headers["Referrer-Policy"] = referrer_policy(request.path)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Permissions-Policy"] = PERMISSIONS_POLICY
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Cross-Origin-Resource-Policy"] = "same-origin"
        if request.is_secure or app.config.get("PREFER_HTTPS"):
            headers["Strict-Transport-Security"] = HSTS
        if response.mimetype == "text/html" and "Cache-Control" not in headers:
            headers["Cache-Control"] = html_cache_control(request.method)
        return response
