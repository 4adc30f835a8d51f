"""My account: API tokens (shown once, expiring), two-step sign-in, my password, and
signing out everywhere.

Making a token and moving two-step sign-in to a new app need the password and a code
given in this session within a few minutes (`confirmation_required`, M2 of issue 9).
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from backend.accounts import passwords, service, sessions
from backend.admin.blueprint import blp, confirmation_required, end_session, start_session
from backend.admin.forms import PasswordChangeForm, TokenForm
from backend.admin.views_auth import enrolment


def _me():
    return current_user._get_current_object()


def _account_page(token_form=None, new_token=None, status=200):
    me = _me()
    page = render_template(
        "admin/account.html",
        title="My account",
        me=me,
        tokens=service.list_api_tokens(me),
        token_form=token_form or TokenForm(),
        new_token=new_token,
        token_days=current_app.config["API_TOKEN_DAYS"],
    )
    return page, status


@blp.get("/account")
@login_required
def account():
    """My details, my API tokens and my sign-in settings."""
    return _account_page()


@blp.post("/account/tokens")
@login_required
@confirmation_required
def account_token_create():
    """Make an API token; the page shows it once and it is never shown again."""
    form = TokenForm()
    if not form.validate_on_submit():
        return _account_page(token_form=form, status=422)
    token, plaintext = service.issue_api_token(_me(), form.label.data)
    return _account_page(token_form=TokenForm(formdata=None), new_token=(token, plaintext))


@blp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def account_token_revoke(token_id: int):
    """Revoke one of my tokens (admins may revoke anyone's from the operators page)."""
    token = service.get_api_token(token_id)
    if token is None:
        abort(404)
    if token.operator_id != current_user.id and current_user.role != "admin":
        abort(403)
    service.revoke_api_token(token_id, service.actor_for(_me()))
    flash(f"Revoked the token {token.prefix}… ({token.label}). Scripts using it stop working now.")
    return redirect(url_for("admin.account"), code=303)


@blp.route("/account/two-step", methods=["GET", "POST"])
@login_required
@confirmation_required
def account_two_step():
    """Move two-step sign-in to a new authenticator app (a new phone); the old one stops
    working once the new one shows the right code."""

    def finish(operator):
        start_session(operator)
        flash("Two-step sign-in now uses your new app. The old one no longer works.")
        return redirect(url_for("admin.account"), code=303)

    return enrolment(_me(), endpoint="admin.account_two_step", finish=finish, signing_in=False)


@blp.post("/account/sessions/end")
@login_required
def account_sessions_end():
    """Sign out everywhere: every session of mine ends, this one too."""
    sessions.end_all_sessions(_me())
    end_session()
    flash("You are signed out everywhere. Sign in again to go on.")
    return redirect(url_for("admin.login"), code=303)


@blp.route("/account/password", methods=["GET", "POST"])
@login_required
def account_password():
    """Change my password; my other sessions end."""
    me = _me()
    required = me.password_change_required
    form = PasswordChangeForm()
    wrong_current = None
    if form.validate_on_submit():
        if not passwords.verify_password(me.password_hash, form.current_password.data):
            wrong_current = "Your current password is not right."
        else:
            try:
                service.change_password(me, form.password.data, service.actor_for(me))
            except passwords.WeakPassword as error:
                form.password.errors = [str(error)]
            else:
                start_session(me)
                flash("Your password is changed. Other sessions of yours have ended.")
                return redirect(url_for("admin.dashboard" if required else "admin.account"), 303)
    status = 422 if form.errors or wrong_current else 200
    page = render_template(
        "admin/password.html",
        title="Choose your own password" if required else "Change my password",
        form=form,
        wrong_current=wrong_current,
        required=required,
    )
    return page, status
