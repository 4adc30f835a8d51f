"""The security headers, on every kind of response: page, API, static file, error."""

from __future__ import annotations

import pytest

KINDS = {
    "page": ("GET", "/"),
    "api": ("GET", "/api/v1/checklist?lang=en"),
    "openapi": ("GET", "/api/openapi.json"),
    "static": ("GET", "/static/css/app.css"),
    "service worker": ("GET", "/sw.js"),
    "html error": ("GET", "/no-such-page"),
    "api error": ("GET", "/api/v1/checklist?lang=zz"),
    "method not allowed": ("DELETE", "/check"),
    "no-JS result": ("POST", "/check"),
}


@pytest.mark.parametrize("kind", KINDS)
def test_every_response_carries_the_security_headers(client, kind):
    method, path = KINDS[kind]
    with client.open(path, method=method) as response:
        headers = response.headers
        csp = headers["Content-Security-Policy"]
        for directive in (
            "default-src 'none'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "script-src 'self'",
            "style-src 'self'",
        ):
            assert directive in csp
        assert "unsafe-inline" not in csp and "http" not in csp
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert "camera=()" in headers["Permissions-Policy"]
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in headers  # plain HTTP in tests
        assert "Set-Cookie" not in headers


def test_hsts_is_sent_over_https(client):
    response = client.get("/", base_url="https://steady.example")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_console_uses_same_origin_referrer_for_its_csrf_check(client):
    response = client.get("/admin/does-not-exist")
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_console_pages_carry_the_headers_and_a_locked_down_session_cookie(client):
    response = client.get("/admin/login")
    assert response.status_code == 200
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    cookies = response.headers.getlist("Set-Cookie")
    for cookie in cookies:
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/admin" in cookie


def test_over_https_the_console_cookie_is_host_prefixed_and_secure(tmp_path):
    from tests.conftest import make_app

    app = make_app(f"sqlite:///{tmp_path / 'https.sqlite3'}", PREFER_HTTPS=True)
    client = app.test_client()
    response = client.get("/admin/login", base_url="https://steady.example")
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies, "the sign-in form needs a session for its CSRF token"
    for cookie in cookies:
        assert cookie.startswith("__Host-") and "Secure" in cookie and "Path=/;" in cookie + ";"
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


HTML_CACHE = {
    "page": ("GET", "/", "no-cache"),
    "page from memory": ("GET", "/", "no-cache"),  # asked twice: the second is a repeat
    "directory": ("GET", "/helplines?country=US", "no-cache"),
    "api docs": ("GET", "/api/docs", "no-cache"),
    "html error": ("GET", "/no-such-page", "no-cache"),
    "no-JS result": ("POST", "/check", "no-store"),
    "console": ("GET", "/admin/login", "no-store"),
}


@pytest.mark.parametrize("kind", HTML_CACHE)
def test_every_html_answer_gets_its_cache_control_from_one_place(client, kind):
    method, path, expected = HTML_CACHE[kind]
    for _ in range(2):
        with client.open(path, method=method) as response:
            assert response.mimetype == "text/html"
            assert response.headers.getlist("Cache-Control") == [expected]
