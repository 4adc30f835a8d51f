"""Signing in and out of the console: password, then TOTP (or enrolling it), confirming
it is still you (password and code, M2), and the session's status for the idle warning.

POST /admin/login is rate-limited per address, and wrong passwords per account from one
address (Flask-Limiter; shared across processes through Redis in production): someone who
only knows an operator's e-mail address slows down only themselves (L6, issue 9). The
lockout after repeated wrong codes is kept on the operator row, so it holds across
processes. The seed of an enrolment in progress is kept in the session cookie encrypted
(L4).
"""

from __future__ import annotations

from flask import (
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
from flask_login import current_user

from backend.accounts import login as login_service
from backend.accounts import service, sessions, totp, totp_seal
from backend.admin.blueprint import (
    blp,
    clock,
    end_session,
    json_signed_out,
    safe_next,
    seconds_left,
    start_session,
)
from backend.admin.forms import CodeForm, ConfirmIdentityForm, LoginForm
from backend.extensions import limiter

PENDING_SECONDS = 300
REFUSED = (
    "The e-mail address or password is not right. After 5 wrong tries from here, wait 15 "
    "minutes before trying again."
)


def _per_address() -> str:
    return current_app.config["ADMIN_LOGIN_LIMIT_PER_ADDRESS"]


def _failures_per_account() -> str:
    return current_app.config["ADMIN_LOGIN_FAILURES_PER_ACCOUNT"]


def _submitted_account_here() -> str:
    """The account typed in, from this address: wrong passwords count against this pair."""
    email = service.normalise_email(request.form.get("email", ""))
    return f"login-account:{request.remote_addr}:{email}"


def _refused(_response) -> bool:
    return bool(g.get("sign_in_refused"))


def _pending_account() -> str:
    return f"login-pending:{(session.get('pending') or {}).get('id')}"


def _begin_pending(operator, next_url: str | None) -> None:
    session.clear()
    session["pending"] = {
        "id": operator.id,
        "v": operator.session_version,
        "at": int(clock()),
        "next": next_url,
    }


def pending_operator():
    """The operator between the password and the code (for 5 minutes at most), or None."""
    pending = session.get("pending") or {}
    if not pending or clock() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    operator = service.get_operator(pending.get("id", 0))
    if operator is None or not operator.active or operator.session_version != pending.get("v"):
        return None
    return operator


def _finish(operator, message: str | None = None):
    next_url = (session.get("pending") or {}).get("next")
    start_session(operator)
    if message:
        flash(message)
    return redirect(safe_next(next_url) or url_for("admin.dashboard"), code=303)


@blp.route("/login", methods=["GET", "POST"])
@limiter.limit(_per_address, methods=["POST"])
@limiter.limit(
    _failures_per_account, key_func=_submitted_account_here, methods=["POST"], deduct_when=_refused
)
def login():
    """Step one: e-mail address and password."""
    if current_user.is_authenticated:
        return redirect(url_for("admin.dashboard"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next"))
    refused = False
    if form.validate_on_submit():
        check = login_service.check_password(
            form.email.data, form.password.data, request.remote_addr
        )
        next_url = safe_next(form.next.data)
        if check.outcome == login_service.NEEDS_CODE:
            _begin_pending(check.operator, next_url)
            return redirect(url_for("admin.login_code"), code=303)
        if check.outcome == login_service.NEEDS_ENROLMENT:
            _begin_pending(check.operator, next_url)
            return redirect(url_for("admin.login_enrol"), code=303)
        refused = g.sign_in_refused = True
    form.password.data = ""
    return render_template(
        "admin/login.html", title="Sign in to the console", form=form, refused=refused
    )


@blp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(_per_address, methods=["POST"])
@limiter.limit(_per_address, key_func=_pending_account, methods=["POST"])
def login_code():
    """Step two: the code from the operator's authenticator app."""
    operator = pending_operator()
    if operator is None or not operator.totp_enrolled:
        session.pop("pending", None)
        flash("Please sign in again.")
        return redirect(url_for("admin.login"), code=303)
    form = CodeForm()
    wrong = False
    if form.validate_on_submit():
        if login_service.check_code(operator, form.code.data, request.remote_addr):
            return _finish(operator)
        if login_service.is_locked(operator):
            session.pop("pending", None)
            flash("Too many wrong tries: this account is locked for 15 minutes.", "error")
            return redirect(url_for("admin.login"), code=303)
        wrong = True
    form.code.data = ""
    return render_template("admin/login_code.html", title="Enter your code", form=form, wrong=wrong)


def _enrolment_seed(operator) -> str:
    """The seed being set up: kept in the cookie until confirmed, encrypted (L4), so that
    reloading the page does not change the key being typed in."""
    owner = totp_seal.for_enrolment(operator.id)
    sealed = session.get("enrol_secret")
    if sealed:
        try:
            return totp_seal.unseal(sealed, owner)
        except totp_seal.SeedUnreadable:
            pass  # another operator's, or sealed with a key since removed: a new one
    seed = totp.new_secret()
    session["enrol_secret"] = totp_seal.seal(seed, owner)
    return seed


def enrolment(operator, *, endpoint: str, finish, signing_in: bool = True):
    """The enrolment page: a new secret (kept in the session until confirmed) and a code."""
    secret = _enrolment_seed(operator)
    form = CodeForm()
    wrong = False
    if form.validate_on_submit():
        if login_service.enrol_totp(
            operator, secret, form.code.data, request.remote_addr, signing_in=signing_in
        ):
            session.pop("enrol_secret", None)
            return finish(operator)
        wrong = True
    form.code.data = ""
    return render_template(
        "admin/enrol.html",
        title="Set up two-step sign-in",
        form=form,
        wrong=wrong,
        secret=totp.grouped(secret),
        uri=totp.provisioning_uri(secret, operator.email),
        action=url_for(endpoint),
        required=operator.totp_required,
        moving=operator.totp_enrolled,
    )


@blp.route("/login/enrol", methods=["GET", "POST"])
@limiter.limit(_per_address, methods=["POST"])
def login_enrol():
    """Admins without an authenticator app set one up before anything else."""
    operator = pending_operator()
    if operator is None or operator.totp_enrolled:
        session.pop("pending", None)
        flash("Please sign in again.")
        return redirect(url_for("admin.login"), code=303)
    return enrolment(
        operator,
        endpoint="admin.login_enrol",
        finish=lambda op: _finish(op, "Two-step sign-in is on. Keep your app safe."),
    )


@blp.post("/logout")
def logout():
    """Sign out: this session ends on the server too, so no copy of its cookie works."""
    end_session()
    flash("You are signed out.")
    return redirect(url_for("admin.login"), code=303)


@blp.route("/account/confirm", methods=["GET", "POST"])
@limiter.limit(_per_address, methods=["POST"])
def account_confirm():
    """Confirm it is you (password and a code) before a change to how you sign in (M2)."""
    form = ConfirmIdentityForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next"))
    wrong = False
    if form.validate_on_submit():
        me = current_user._get_current_object()
        if login_service.confirm_identity(
            me, form.password.data, form.code.data, request.remote_addr
        ):
            sessions.mark_confirmed(g.console_session)
            return redirect(safe_next(form.next.data) or url_for("admin.account"), code=303)
        if login_service.is_locked(me):
            end_session()
            flash("Too many wrong tries: this account is locked for 15 minutes.", "error")
            return redirect(url_for("admin.login"), code=303)
        wrong = True
    form.password.data = form.code.data = ""
    status = 422 if wrong or form.errors else 200
    page = render_template("admin/confirm.html", title="Confirm it is you", form=form, wrong=wrong)
    return page, status


@blp.get("/session")
def session_status():
    """How long this session has left (does not extend it)."""
    if not current_user.is_authenticated:
        return json_signed_out()
    return jsonify(signed_in=True, remaining=seconds_left())


@blp.post("/session")
def session_keep_alive():
    """Stay signed in: the request itself counts as activity."""
    if not current_user.is_authenticated:
        return json_signed_out()
    return jsonify(signed_in=True, remaining=seconds_left())
