"""The audit log: who changed what, when, field by field, written in the caller's transaction.

`record()` adds one row to the current session and never commits: the service that makes a
change commits once, so the change and its audit row are written together or not at all
(after GOV.UK Notify). Rows are never updated or deleted: the ORM refuses it, both for
objects (`before_update`/`before_delete`) and for bulk UPDATE/DELETE statements.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from sqlalchemy import JSON, Index, Integer, String, event, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from backend.database import UTCDateTime, utcnow
from backend.extensions import db


@dataclass(frozen=True)
class Actor:
    """Who made a change: an operator ("alice (editor)"), "import" or "system"."""

    id: int | None
    label: str


class AuditRefused(RuntimeError):
    """Raised on any attempt to change or delete an audit row."""


class AuditEntry(db.Model):
    """One change: who, when, what, and each field's value before and after."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor_label: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40), index=True)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    # Context a reader needs beside the fields: whose proposal was approved, why it was
    # rejected, which version was restored.
    note: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (Index("ix_audit_entries_entity", "entity_type", "entity_id"),)

    def __repr__(self) -> str:
        return f"<AuditEntry {self.id} {self.action} {self.entity_type}:{self.entity_id}>"


@event.listens_for(AuditEntry, "before_update")
def _refuse_update(_mapper, _connection, target) -> None:
    raise AuditRefused(f"audit entries cannot be changed ({target!r})")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(_mapper, _connection, target) -> None:
    raise AuditRefused(f"audit entries cannot be deleted ({target!r})")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state) -> None:
    if (state.is_update or state.is_delete) and any(
        mapper.class_ is AuditEntry for mapper in state.all_mappers
    ):
        raise AuditRefused("audit entries cannot be changed or deleted")


def plain(value):
    """A JSON-ready copy of a value (dates as ISO text, UUIDs as text)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    return value


def field_changes(before: dict | None, after: dict | None) -> dict:
    """{field: {"before": x, "after": y}} for every field whose value differs."""
    before, after = plain(before or {}), plain(after or {})
    return {
        name: {"before": before.get(name), "after": after.get(name)}
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def record(
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id,
    before: dict | None,
    after: dict | None,
    note: str | None = None,
) -> AuditEntry:
    """Add one audit row to the current session WITHOUT committing: the caller's single
    commit writes the change and its row together."""
    entry = AuditEntry(
        note=note[:500] if note else None,
        at=utcnow(),
        actor_id=actor.id,
        actor_label=actor.label[:200],
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        changes=field_changes(before, after),
    )
    db.session.add(entry)
    return entry


def list_entries(
    *,
    actor_id: int | None = None,
    action: str | None = None,
    entity_type: str | None = None,
    entity_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    changes_only: bool = False,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[AuditEntry], int]:
    """Audit rows matching the filters, newest first, one page at a time, and the total.
    `changes_only` leaves out sign-in events (actions "sign_in…")."""
    query = select(AuditEntry)
    if changes_only:
        query = query.where(AuditEntry.action.not_like("sign\\_in%", escape="\\"))
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    if action:
        query = query.where(AuditEntry.action == action)
    if entity_type:
        query = query.where(AuditEntry.entity_type == entity_type)
    if entity_id:
        query = query.where(AuditEntry.entity_id == str(entity_id))
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if until is not None:
        query = query.where(AuditEntry.at < until)
    page, per_page = max(1, int(page)), min(max(1, int(per_page)), 500)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    entries = db.session.scalars(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return list(entries), total
