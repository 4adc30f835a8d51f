"""Who is asking: console sessions (Flask-Login), roles, and API bearer tokens.

Sessions exist only under /admin. The cookie is HttpOnly and SameSite=Lax; over HTTPS it
is Secure and named `__Host-steady_admin`. The `__Host-` prefix obliges Path=/ (RFC 6265bis
§4.1.3.2: Secure, no Domain, Path "/"), so over HTTPS the browser also sends the cookie to
public pages; the session interface below ignores it there and never writes a session
outside /admin, so public pages still set no cookie and read nothing of an operator.

A signed cookie alone is not enough: it names a session row on the server (sessions.py),
which signing out deletes (M1, issue 9). "Strong" session protection binds the session to
the client's address as the app sees it (after the trusted-proxy rule) and its browser,
never to a raw X-Forwarded-For header that anyone can send (L3).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from flask import Flask, abort, current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user, login_required
from flask_smorest import abort as api_abort

from backend.accounts import service, sessions
from backend.accounts.models import Operator
from backend.extensions import csrf, login_manager

CONSOLE_PREFIX = "/admin"


def is_console_path(path: str) -> bool:
    """Is this a path of the operators' console?"""
    return path == CONSOLE_PREFIX or path.startswith(CONSOLE_PREFIX + "/")


class ConsoleSessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions for the console only; everywhere else a null session.

    Flask never saves a null session, so no response outside /admin sets a cookie, and a
    public view that tried to write one would fail loudly in tests.
    """

    def open_session(self, app, request):
        if not is_console_path(request.path):
            return self.make_null_session(app)
        return super().open_session(app, request)


def role_required(*roles: str) -> Callable:
    """Allow a signed-in operator whose role is one of `roles`; others get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


admin_required = role_required("admin")
editor_required = role_required("editor", "admin")


def operator_from_bearer(authorization_header: str | None) -> Operator | None:
    """The operator an `Authorization: Bearer <token>` header names, or None."""
    scheme, _, credentials = (authorization_header or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return service.authenticate_api_token(credentials.strip())


def token_required(*roles: str) -> Callable:
    """Let an API request through only with a valid token of an active operator whose role is
    one of `roles`, as `g.actor`: 401 with a Bearer challenge without one, 403 for another
    role. (The console's pages use `role_required`, on the session.)"""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            operator = operator_from_bearer(request.headers.get("Authorization"))
            if operator is None:
                api_abort(
                    401,
                    message="Send a valid operator API token: Authorization: Bearer <token>.",
                    headers={"WWW-Authenticate": 'Bearer realm="steady"'},
                )
            if not operator.active or operator.role not in roles:
                api_abort(403, message="Your operator role may not do this.")
            g.actor = service.actor_for(operator)
            return view(*args, **kwargs)

        return wrapped

    return decorator


@login_manager.user_loader
def _load_operator(session_id: str) -> Operator | None:
    """The operator of this console session, when its row on the server is still live."""
    operator = service.operator_for_session(session_id)
    if operator is None:
        return None
    config = current_app.config
    row = sessions.find_session(
        session.get("key"),
        operator.id,
        idle=timedelta(minutes=config["ADMIN_IDLE_MINUTES"]),
        longest=timedelta(hours=config["ADMIN_SESSION_MAX_HOURS"]),
    )
    if row is None:
        return None
    g.console_session = row
    return operator


def session_identifier() -> str:
    """What "strong" session protection compares: the client address as the app sees it
    (request.remote_addr, after TrustedProxies) and the User-Agent (L3)."""
    base = f"{request.remote_addr}|{request.headers.get('User-Agent', '')}"
    return hashlib.sha512(base.encode("utf-8", "replace")).hexdigest()


def init_app(app: Flask) -> None:
    """Bind Flask-Login and Flask-WTF, and keep the session cookie to the console."""
    if app.config.get("PREFER_HTTPS"):
        app.config.update(
            SESSION_COOKIE_NAME="__Host-steady_admin",
            SESSION_COOKIE_PATH="/",
            SESSION_COOKIE_SECURE=True,
            SESSION_COOKIE_DOMAIN=None,
        )
    app.session_interface = ConsoleSessionInterface()
    login_manager.init_app(app)
    login_manager.login_view = "admin.login"
    login_manager.login_message = "Please sign in to open that page."
    login_manager.login_message_category = "info"
    # "strong": a session moved to another browser or address is dropped at once.
    login_manager.session_protection = "strong"
    login_manager._session_identifier_generator = session_identifier
    csrf.init_app(app)
