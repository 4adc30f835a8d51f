"""The audit log, read-only: filter by who, what, which record and when; page through."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask import render_template, request

from backend import audit
from backend.accounts import service as accounts
from backend.accounts.auth import editor_required
from backend.admin.blueprint import blp
from backend.admin.forms import AuditFilterForm
from backend.helplines.history import line_names

PER_PAGE = 50
ACTIONS = (
    "helpline.create",
    "helpline.update",
    "helpline.archive",
    "helpline.restore",
    "helpline.verify",
    "helpline.import",
    "helpline.propose",
    "helpline.approve",
    "helpline.reject",
    "helpline.revert",
    "helpline.translated",
    "operator.create",
    "operator.update",
    "token.issue",
    "token.revoke",
)
ENTITY_TYPES = (("helpline", "Helpline"), ("operator", "Operator"), ("api_token", "API token"))


def page_number() -> int:
    """The ?page= of a list, 1 when missing or nonsense."""
    value = request.args.get("page", "1")
    return max(1, min(int(value), 100_000)) if value.isdigit() else 1


def _start_of(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


@blp.get("/audit")
@editor_required
def audit_log():
    """Every change, newest first."""
    form = AuditFilterForm(request.args)
    form.actor.choices = {"": "Anyone"} | {
        str(o.id): f"{o.display_name} ({o.email})" for o in accounts.list_operators()
    }
    form.action.choices = {"": "Any action"} | {a: a for a in ACTIONS}
    form.entity_type.choices = {"": "Any kind"} | dict(ENTITY_TYPES)
    form.validate()
    data = {name: f.data for name, f in form._fields.items() if not f.errors}
    actor = data.get("actor") or ""
    since, until = data.get("since"), data.get("until")
    page = page_number()
    entries, total = audit.list_entries(
        actor_id=int(actor) if actor.isdigit() else None,
        action=data.get("action") or None,
        entity_type=data.get("entity_type") or None,
        entity_id=(data.get("entity_id") or "").strip() or None,
        since=_start_of(since) if since else None,
        until=_start_of(until) + timedelta(days=1) if until else None,
        page=page,
        per_page=PER_PAGE,
    )
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "admin/audit.html",
        title="Audit log",
        form=form,
        entries=entries,
        names=line_names(e.entity_id for e in entries if e.entity_type == "helpline"),
        total=total,
        page=page,
        per_page=PER_PAGE,
        args=args,
    )
