"""Operator accounts as plain functions: create, change, deactivate; API tokens.

Each public function is one unit of work: it commits once, and every change writes its
audit row (backend/audit.py `record`) in that same commit. Secrets never reach the audit
log: a password change is recorded as "changed", a TOTP secret as enrolled or not.
Every change to an operator ends their console sessions in the same commit (sessions.py);
deactivation also revokes their API tokens, for good (L2). A first password is chosen by
someone else, so the operator must replace it at their first sign-in (L7).
Signing in lives in login.py; API tokens in tokens.py (re-exported here).
"""

from __future__ import annotations

from sqlalchemy import func, select

from backend.accounts import passwords
from backend.accounts.models import ROLES, Operator
from backend.accounts.sessions import forget_sessions
from backend.accounts.tokens import (  # noqa: F401 - part of this module's interface
    authenticate_api_token,
    get_api_token,
    issue_api_token,
    list_api_tokens,
    revoke_all_api_tokens,
    revoke_api_token,
)
from backend.audit import Actor, record
from backend.email_addresses import is_plain_email
from backend.extensions import db

SYSTEM = Actor(id=None, label="system")


class OperatorError(ValueError):
    """A change that cannot be made; `field` names the input at fault (or None)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def normalise_email(email: str) -> str:
    """E-mail addresses compare without case or surrounding spaces."""
    return (email or "").strip().lower()


def actor_for(operator: Operator) -> Actor:
    """The audit actor for an operator: "Alice (editor)"."""
    return Actor(id=operator.id, label=f"{operator.display_name} ({operator.role})")


def _snapshot(operator: Operator) -> dict:
    """What the audit log shows of an operator (never a hash or a secret)."""
    return {
        "email": operator.email,
        "display_name": operator.display_name,
        "role": operator.role,
        "active": operator.active,
        "totp_enrolled": operator.totp_enrolled,
    }


def get_operator(operator_id: int) -> Operator | None:
    """The operator with this id, or None."""
    return db.session.get(Operator, operator_id)


def find_operator(email: str) -> Operator | None:
    """The operator with this e-mail address (any case), or None."""
    return db.session.scalar(select(Operator).where(Operator.email == normalise_email(email)))


def list_operators() -> list[Operator]:
    """Every operator, active ones first, then by name."""
    query = select(Operator).order_by(Operator.active.desc(), func.lower(Operator.display_name))
    return list(db.session.scalars(query))


def create_operator(
    email: str, display_name: str, role: str, password: str, actor: Actor | None = None
) -> Operator:
    """Add an operator with a first argon2id password, which they must change when they
    first sign in; raises OperatorError or WeakPassword."""
    email = normalise_email(email)
    display_name = " ".join((display_name or "").split())
    if not is_plain_email(email):
        raise OperatorError("Enter an e-mail address like name@example.org.", "email")
    if not display_name or len(display_name) > 80:
        raise OperatorError("Enter a name of 1 to 80 characters.", "display_name")
    if role not in ROLES:
        raise OperatorError("Choose editor or admin.", "role")
    if find_operator(email):
        raise OperatorError("An operator with this e-mail address already exists.", "email")
    passwords.check_strength(password, email)
    operator = Operator(
        email=email,
        display_name=display_name,
        role=role,
        password_hash=passwords.hash_password(password),
        active=True,
        failed_logins=0,
        session_version=1,
        password_change_required=True,
    )
    db.session.add(operator)
    db.session.flush()
    record(
        actor or SYSTEM, "operator.create", "operator", str(operator.id), None, _snapshot(operator)
    )
    db.session.commit()
    return operator


def _other_active_admins(operator: Operator) -> int:
    query = select(func.count(Operator.id)).where(
        Operator.role == "admin", Operator.active.is_(True), Operator.id != operator.id
    )
    return db.session.scalar(query) or 0


def _update(operator: Operator, actor: Actor, change) -> Operator:
    """Apply `change(operator)`, end the operator's sessions, audit, commit once."""
    before = _snapshot(operator)
    change(operator)
    operator.session_version = (operator.session_version or 0) + 1
    forget_sessions(operator.id)
    after = _snapshot(operator)
    changed = [k for k in after if before[k] != after[k]] or ["sessions"]
    record(
        actor,
        "operator.update",
        "operator",
        str(operator.id),
        {k: before.get(k) for k in changed},
        {k: after.get(k, "ended") for k in changed},
    )
    db.session.commit()
    return operator


def change_role(operator: Operator, role: str, actor: Actor) -> Operator:
    """Make an operator an editor or an admin (the last active admin stays an admin)."""
    if role not in ROLES:
        raise OperatorError("Choose editor or admin.", "role")
    if operator.role == role:
        return operator
    if operator.role == "admin" and operator.active and not _other_active_admins(operator):
        raise OperatorError("The last active admin cannot stop being an admin.", "role")

    def change(op: Operator) -> None:
        op.role = role

    return _update(operator, actor, change)


def set_active(operator: Operator, active: bool, actor: Actor) -> Operator:
    """Deactivate (sessions and tokens stop working at once) or reactivate an operator."""
    if operator.active == active:
        return operator
    if not active and operator.is_admin and not _other_active_admins(operator):
        raise OperatorError("The last active admin cannot be deactivated.", "active")

    def change(op: Operator) -> None:
        op.active = active
        op.failed_logins = 0
        op.locked_until = None
        if not active:  # for good: reactivating does not bring them back
            revoke_all_api_tokens(op)

    return _update(operator, actor, change)


def reset_totp(operator: Operator, actor: Actor) -> Operator:
    """Forget an operator's TOTP secret; they enrol again (admins must) at their next login."""

    def change(op: Operator) -> None:
        op.totp_secret = None
        op.totp_last_step = None

    return _update(operator, actor, change)


def change_password(operator: Operator, new_password: str, actor: Actor) -> Operator:
    """Set a new password (checked for strength); every session of theirs ends (the caller
    opens a new one for the person changing it)."""
    passwords.check_strength(new_password, operator.email)
    before = {"password": "unchanged"}
    operator.password_hash = passwords.hash_password(new_password)
    operator.session_version = (operator.session_version or 0) + 1
    operator.failed_logins = 0
    operator.locked_until = None
    operator.password_change_required = False
    forget_sessions(operator.id)
    record(actor, "operator.update", "operator", str(operator.id), before, {"password": "changed"})
    db.session.commit()
    return operator


def operator_for_session(session_id: str) -> Operator | None:
    """The active operator a console session names ("<id>.<version>"), or None."""
    operator_id, _, version = (session_id or "").partition(".")
    if not (operator_id.isdigit() and version.isdigit()):
        return None
    operator = get_operator(int(operator_id))
    if operator is None or not operator.active or operator.session_version != int(version):
        return None
    return operator
