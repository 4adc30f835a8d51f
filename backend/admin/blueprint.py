"""The console's blueprint and the rules every console request passes, in order.

1. The console is English only, whatever the browser asks for.
2. A session idle for ADMIN_IDLE_MINUTES (or older than ADMIN_SESSION_MAX_HOURS) ends:
   the operator is signed out and sent to the sign-in page with a message. The session
   also needs its row on the server (accounts/sessions.py), which signing out deletes.
3. Every state-changing request carries a CSRF token (Flask-WTF), as a form field or an
   X-CSRFToken header; a missing or wrong one is a 400 page.
4. Everything except the sign-in steps needs a signed-in operator (deny by default; the
   views also say which role they need).
5. An operator whose first password someone else chose changes it before anything else
   (L7, issue 9); changing sign-in settings and making API tokens need the password and a
   code given in this session within ADMIN_CONFIRM_MINUTES (`confirmation_required`, M2).
6. No console answer is ever stored by a cache, a page not found included.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta
from functools import wraps

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from backend.accounts import sessions
from backend.accounts.auth import is_console_path
from backend.extensions import csrf, login_manager

blp = Blueprint("admin", __name__, url_prefix="/admin")

# Reachable without a signed-in operator: the sign-in steps and the session's own status.
OPEN_ENDPOINTS = frozenset(
    {
        "admin.login",
        "admin.login_code",
        "admin.login_enrol",
        "admin.session_status",
        "admin.session_keep_alive",
    }
)
JSON_ENDPOINTS = frozenset({"admin.session_status", "admin.session_keep_alive"})
# Reachable while a new password is still to be chosen (L7).
BEFORE_OWN_PASSWORD = frozenset(
    {"admin.account_password", "admin.logout", "admin.session_status", "admin.session_keep_alive"}
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Forms allowed to be larger than MAX_FORM_MEMORY_SIZE: {endpoint: bytes}.
LARGER_FORMS: dict[str, int] = {}


def clock() -> float:
    """Seconds since the epoch (one place, so the idle rules read the same time)."""
    return time.time()


def idle_seconds() -> int:
    return int(current_app.config["ADMIN_IDLE_MINUTES"]) * 60


def seconds_left(now: float | None = None) -> int:
    """How long this session has before the idle (or absolute) limit ends it."""
    now = clock() if now is None else now
    seen = session.get("seen_at")
    started = session.get("signed_in_at")
    if seen is None or started is None:
        return 0
    absolute = int(current_app.config["ADMIN_SESSION_MAX_HOURS"]) * 3600
    return max(0, int(min(seen + idle_seconds(), started + absolute) - now))


def start_session(operator) -> None:
    """A fresh session for an operator who just gave their password and code (nothing
    carried over from before; the session it replaces ends)."""
    sessions.end_session(session.get("key"))
    sessions.prune_sessions(timedelta(hours=current_app.config["ADMIN_SESSION_MAX_HOURS"]))
    session.clear()
    login_user(operator)
    session["key"] = sessions.open_session(operator)
    now = int(clock())
    session["signed_in_at"] = now
    session["seen_at"] = now


def end_session() -> None:
    """Sign out: the session's row goes (a copy of the cookie stops working), then the
    cookie's contents."""
    sessions.end_session(session.get("key"))
    logout_user()
    session.clear()


def confirmation_required(view):
    """The operator gave their password and a code in this session within
    ADMIN_CONFIRM_MINUTES; else they are asked to, and come back here (M2)."""

    @wraps(view)
    def confirmed(*args, **kwargs):
        window = timedelta(minutes=current_app.config["ADMIN_CONFIRM_MINUTES"])
        if sessions.confirmed_within(g.get("console_session"), window):
            return view(*args, **kwargs)
        back = request.full_path.rstrip("?") if request.method in SAFE_METHODS else None
        return redirect(url_for("admin.account_confirm", next=safe_next(back)), code=303)

    return confirmed


def safe_next(target: str | None) -> str | None:
    """A place inside the console to return to after signing in (never another site)."""
    if target and target.startswith("/admin") and not target.startswith("//"):
        return target
    return None


@blp.before_request
def _console_rules():
    g.lang = "en"
    if session.get("_user_id") and seconds_left() <= 0:
        end_session()
        if request.endpoint not in JSON_ENDPOINTS:
            minutes = current_app.config["ADMIN_IDLE_MINUTES"]
            flash(f"You were signed out after {minutes} minutes without activity. Sign in again.")
            back = request.full_path.rstrip("?") if request.method in SAFE_METHODS else None
            return redirect(url_for("admin.login", next=safe_next(back)), code=303)
    if request.endpoint in LARGER_FORMS:  # set before anything reads the form
        request.max_content_length = request.max_form_memory_size = LARGER_FORMS[request.endpoint]
    if request.method not in SAFE_METHODS:
        csrf.protect()
    if request.endpoint not in OPEN_ENDPOINTS and not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.is_authenticated and request.endpoint != "admin.session_status":
        session["seen_at"] = int(clock())
        sessions.mark_seen(g.console_session)
    if (
        current_user.is_authenticated
        and current_user.password_change_required
        and request.endpoint not in BEFORE_OWN_PASSWORD
    ):
        flash(
            "Choose your own password before you go on: the one you were given was chosen "
            "by someone else."
        )
        return redirect(url_for("admin.account_password"), code=303)
    return None


# (endpoint, label, prefix of the endpoints that count as "this section", admins only)
MENU = (
    ("admin.dashboard", "Start", "admin.dashboard", False),
    ("admin.helplines", "Helplines", "admin.helpline", False),
    ("admin.stale_queue", "Stale queue", "admin.stale", False),
    ("admin.proposals", "Approvals", "admin.proposal", False),
    ("admin.imports", "Import and export", "admin.import", False),
    ("admin.audit_log", "Audit log", "admin.audit", False),
    ("admin.operators", "Operators", "admin.operator", True),
    ("admin.account", "My account", "admin.account", False),
)


def console_menu() -> list[tuple[str, str, str]]:
    """The menu for the signed-in operator's role."""
    is_admin = current_user.is_authenticated and current_user.role == "admin"
    return [
        (endpoint, label, prefix)
        for endpoint, label, prefix, admins_only in MENU
        if endpoint in current_app.view_functions and (is_admin or not admins_only)
    ]


@blp.context_processor
def _console_context() -> dict:
    return {
        "console_menu": console_menu,
        "hide_emergency_strip": True,
        "hide_quick_exit": True,
        "hide_language_switch": True,
        "idle_seconds": idle_seconds(),
        "idle_warning_seconds": current_app.config["ADMIN_IDLE_WARNING_SECONDS"],
    }


def _error_page(error: HTTPException, title: str, text: str):
    body = render_template("admin/error.html", title=title, text=text, code=error.code)
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    return body, error.code, headers


@blp.errorhandler(CSRFError)
def _csrf_error(error: CSRFError):
    return _error_page(
        error,
        "This form has expired",
        "The page was open too long or was sent from somewhere else. Go back, reload the "
        "page and try again.",
    )


@blp.errorhandler(403)
def _forbidden(error: HTTPException):
    return _error_page(
        error, "You cannot open this page", "Your role does not allow this. Ask an admin."
    )


@blp.errorhandler(404)
def _not_found(error: HTTPException):
    return _error_page(error, "Page not found", "It may have been archived or never existed.")


@blp.errorhandler(RateLimitExceeded)
def _too_many(error: RateLimitExceeded):
    return _error_page(error, "Too many tries for now", "Please wait a minute, then try again.")


def json_signed_out():
    """The answer the session endpoints give once the session is gone."""
    return jsonify(signed_in=False, remaining=0), 401


@blp.after_app_request
def _never_store(response):
    # Console pages hold names, e-mail addresses and one-time secrets: no cache keeps them,
    # and an address under /admin that matches no page is no different ("Also", issue 9).
    if not is_console_path(request.path):
        return response
    response.headers["Cache-Control"] = "no-store"
    # The console never sets a remember-me cookie, so Flask-Login has none to clear (its
    # "strong" session protection would otherwise send a needless deletion cookie).
    if session.get("_remember") == "clear":
        session.pop("_remember")
    return response


@blp.app_template_filter("console_value")
def console_value(value) -> str:
    """A value from the audit log as short plain text."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
