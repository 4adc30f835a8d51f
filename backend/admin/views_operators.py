"""Operators (admins only): list, add, change role, deactivate, reset TOTP, revoke tokens."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from backend.accounts import passwords, service
from backend.accounts.auth import admin_required
from backend.admin.blueprint import blp, start_session
from backend.admin.forms import OperatorForm, RoleForm


def _operator_or_404(operator_id: int):
    operator = service.get_operator(operator_id)
    if operator is None:
        abort(404)
    return operator


def _actor():
    return service.actor_for(current_user._get_current_object())


def _after_change(operator, message: str):
    # A change to oneself ends one's session (the session version moved on): renew it.
    if operator.id == current_user.id and operator.active:
        start_session(operator)
    flash(message)
    return redirect(url_for("admin.operator_detail", operator_id=operator.id), code=303)


@blp.get("/operators")
@admin_required
def operators():
    """Everyone who can sign in to the console."""
    return render_template(
        "admin/operators.html", title="Operators", operators=service.list_operators()
    )


@blp.route("/operators/new", methods=["GET", "POST"])
@admin_required
def operator_new():
    """Add an editor or an admin with a first password."""
    form = OperatorForm()
    if form.validate_on_submit():
        try:
            operator = service.create_operator(
                form.email.data,
                form.display_name.data,
                form.role.data,
                form.password.data,
                actor=_actor(),
            )
        except service.OperatorError as error:
            getattr(form, error.field or "email").errors = [str(error)]
        except passwords.WeakPassword as error:
            form.password.errors = [str(error)]
        else:
            flash(
                f"Added {operator.display_name}. Give them their password in person or by "
                "phone, never in the same message as their e-mail address."
            )
            return redirect(url_for("admin.operator_detail", operator_id=operator.id), code=303)
    status = 422 if form.errors else 200
    page = render_template("admin/operator_new.html", title="Add an operator", form=form)
    return page, status


@blp.get("/operators/<int:operator_id>")
@admin_required
def operator_detail(operator_id: int):
    """One operator: role, state, two-step sign-in and API tokens."""
    operator = _operator_or_404(operator_id)
    form = RoleForm(role=operator.role)
    return render_template(
        "admin/operator.html",
        title=operator.display_name,
        operator=operator,
        role_form=form,
        tokens=service.list_api_tokens(operator),
    )


@blp.post("/operators/<int:operator_id>/role")
@admin_required
def operator_role(operator_id: int):
    """Make an operator an editor or an admin."""
    operator = _operator_or_404(operator_id)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        service.change_role(operator, form.role.data, _actor())
    except service.OperatorError as error:
        flash(str(error), "error")
        return redirect(url_for("admin.operator_detail", operator_id=operator.id), code=303)
    return _after_change(operator, f"{operator.display_name} is now an {operator.role}.")


@blp.post("/operators/<int:operator_id>/active")
@admin_required
def operator_active(operator_id: int):
    """Deactivate an operator (their sessions and tokens stop at once) or reactivate them."""
    operator = _operator_or_404(operator_id)
    active = request.form.get("active") == "1"
    try:
        service.set_active(operator, active, _actor())
    except service.OperatorError as error:
        flash(str(error), "error")
        return redirect(url_for("admin.operator_detail", operator_id=operator.id), code=303)
    state = "active again" if active else "deactivated: they cannot sign in or use API tokens"
    return _after_change(operator, f"{operator.display_name} is {state}.")


@blp.post("/operators/<int:operator_id>/reset-totp")
@admin_required
def operator_reset_totp(operator_id: int):
    """Forget an operator's authenticator app (a lost phone); they set it up again."""
    operator = _operator_or_404(operator_id)
    service.reset_totp(operator, _actor())
    return _after_change(
        operator,
        f"Two-step sign-in of {operator.display_name} is reset. "
        + ("They set it up again at their next sign-in." if operator.totp_required else ""),
    )


@blp.post("/operators/<int:operator_id>/tokens/<int:token_id>/revoke")
@admin_required
def operator_token_revoke(operator_id: int, token_id: int):
    """Revoke another operator's API token."""
    operator = _operator_or_404(operator_id)
    token = service.get_api_token(token_id)
    if token is None or token.operator_id != operator.id:
        abort(404)
    service.revoke_api_token(token_id, _actor())
    flash(f"Revoked the token {token.prefix}… of {operator.display_name}.")
    return redirect(url_for("admin.operator_detail", operator_id=operator.id), code=303)
