"""`flask operators …`: create, list, deactivate operators, reset their TOTP, and rotate
the key their TOTP seeds are encrypted with.

There is no default password anywhere: `create` asks for one twice, hidden, and refuses
a weak or common one; the operator replaces it with their own at their first sign-in.
Changes made here are audited as the actor "system".
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from backend.accounts import service, totp_seal
from backend.accounts.models import ROLES
from backend.accounts.passwords import WeakPassword, check_strength


@click.group()
def operators() -> None:
    """Manage the people who can sign in to the operators' console."""


def _ask_password(email: str) -> str:
    while True:
        password = click.prompt(
            "Password (12 characters or more)", hide_input=True, confirmation_prompt=True
        )
        try:
            check_strength(password, email)
        except WeakPassword as error:
            click.echo(f"That password is too weak: {error}", err=True)
            continue
        return password


def _operator_or_fail(email: str):
    operator = service.find_operator(email)
    if operator is None:
        raise click.ClickException(f"No operator has the e-mail address {email}.")
    return operator


@operators.command("create")
@click.option("--email", required=True, help="Their e-mail address, used to sign in.")
@click.option("--name", "display_name", required=True, help="The name shown in the audit log.")
@click.option("--role", type=click.Choice(ROLES), required=True, help="editor or admin.")
@with_appcontext
def create(email: str, display_name: str, role: str) -> None:
    """Add an operator; asks for their password twice (hidden)."""
    if service.find_operator(email):
        raise click.ClickException("An operator with this e-mail address already exists.")
    password = _ask_password(email)
    try:
        operator = service.create_operator(email, display_name, role, password)
    except (service.OperatorError, WeakPassword) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {operator.role} {operator.display_name} <{operator.email}>.")
    click.echo(
        "At their first sign-in they set up an authenticator app and choose their own password."
    )


@operators.command("list")
@with_appcontext
def list_operators() -> None:
    """Show every operator: e-mail, name, role, state and second factor."""
    rows = service.list_operators()
    if not rows:
        click.echo("No operators yet. Add one with `flask operators create`.")
        return
    for operator in rows:
        state = "active" if operator.active else "deactivated"
        factor = "TOTP" if operator.totp_enrolled else "no TOTP"
        last = (
            operator.last_login_at.strftime("%Y-%m-%d %H:%M UTC")
            if operator.last_login_at
            else "never"
        )
        click.echo(
            f"{operator.email}\t{operator.display_name}\t{operator.role}\t{state}\t{factor}\t"
            f"last sign-in {last}"
        )


@operators.command("deactivate")
@click.argument("email")
@with_appcontext
def deactivate(email: str) -> None:
    """Stop an operator signing in or using their API tokens, at once."""
    operator = _operator_or_fail(email)
    try:
        service.set_active(operator, False, service.SYSTEM)
    except service.OperatorError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Deactivated {operator.email}.")


@operators.command("reset-totp")
@click.argument("email")
@with_appcontext
def reset_totp(email: str) -> None:
    """Forget an operator's authenticator app; they set it up again at their next sign-in."""
    operator = _operator_or_fail(email)
    service.reset_totp(operator, service.SYSTEM)
    click.echo(f"Reset the authenticator app of {operator.email}.")


@operators.command("rotate-totp-key")
@with_appcontext
def rotate_totp_key() -> None:
    """Encrypt every TOTP seed with the first key of TOTP_ENCRYPTION_KEY (after putting a new
    key first; also encrypts seeds stored before encryption). See docs/deploy.md."""
    resealed, unreadable = totp_seal.reseal_all()
    click.echo(f"Encrypted {resealed} TOTP seed{'s' * (resealed != 1)} with the first key.")
    if unreadable:
        raise click.ClickException(
            f"{unreadable} seed{'s' * (unreadable != 1)} could not be read with any key of "
            "TOTP_ENCRYPTION_KEY: add the key they were encrypted with and run this again."
        )
