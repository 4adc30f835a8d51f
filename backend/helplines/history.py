"""A line's history a person can read, and any version of it to restore.

Audit rows keep, for each changed field, its value before and after. `diff_rows` turns that
into one row per thing that changed, old → new: the English and Spanish of a text
separately, and contacts one by one ("Contact 2 (call 988): hours"). `state_after` rebuilds
the line as it was right after an audit row, by undoing the later changes from the line as
it is now, so "restore this version" needs nothing stored beyond the audit log.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from backend.audit import AuditEntry, field_changes, plain
from backend.extensions import db
from backend.helplines.hours_text import format_hours
from backend.helplines.models import Helpline
from backend.helplines.records import snapshot

# Actions that changed the line itself (proposals and rejections did not).
APPLIED_ACTIONS = frozenset(
    {
        "helpline.create",
        "helpline.update",
        "helpline.import",
        "helpline.archive",
        "helpline.restore",
        "helpline.verify",
        "helpline.approve",
        "helpline.revert",
        "helpline.translated",
    }
)
LABELS = {
    "name": "Name",
    "description": "Description",
    "alert": "Alert",
    "country": "Country",
    "regions": "Regions",
    "topics": "Topics",
    "status": "Status",
    "free": "Free",
    "confidential": "Confidential",
    "priority": "Priority",
    "source_url": "Source",
    "source_status": "Source kind",
    "checked_on": "Source read on",
    "archived_at": "Archived",
    "verified_on": "Verified on",
    "verified_by": "Verified by",
    "changed_on": "Changed since verified, on",
    "needs_translation": "Spanish needs translation",
}
CONTACT_LABELS = {
    "kind": "how",
    "value": "number or address",
    "keyword": "keyword",
    "audience": "for",
    "note": "note",
    "languages": "languages",
    "hours": "hours",
}
LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}


class VersionNotFound(LookupError):
    """The audit entry is not a saved version of this line."""


@dataclass(frozen=True)
class DiffRow:
    """One thing that changed: what, its old value and its new one, as short text."""

    label: str
    before: str
    after: str


def shown(value) -> str:
    """A stored value as short plain text ("—" for nothing)."""
    if value is None or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(shown(item) for item in value)
    if isinstance(value, dict):
        if "always_open" in value:
            return hours_words(value)
        return "; ".join(f"{k}: {shown(v)}" for k, v in value.items())
    return str(value)


def hours_words(hours: dict | None) -> str:
    """Opening hours in a few words ("Always open", "Mon-Fri 09:00-17:00 (Europe/Dublin)")."""
    if not hours:
        return "not known"
    if hours.get("always_open"):
        return "always open"
    lines = format_hours(hours.get("periods")).replace("\n", "; ")
    return f"{lines} ({hours.get('timezone')})"


def _contact_title(index: int, contact: dict) -> str:
    return f"Contact {index + 1} ({contact.get('kind')} {contact.get('value')})"


def _contact_rows(before: list | None, after: list | None) -> list[DiffRow]:
    before, after = before or [], after or []
    rows = []
    for index in range(max(len(before), len(after))):
        old = before[index] if index < len(before) else None
        new = after[index] if index < len(after) else None
        if old is None:
            rows.append(DiffRow(f"Contact {index + 1}", "(none)", _contact_summary(new)))
        elif new is None:
            rows.append(DiffRow(f"Contact {index + 1}", _contact_summary(old), "(removed)"))
        else:
            title = _contact_title(index, new)
            for name, label in CONTACT_LABELS.items():
                if name == "note":
                    rows += _text_rows(f"{title}: {label}", old.get(name), new.get(name))
                elif plain(old.get(name)) != plain(new.get(name)):
                    show = hours_words if name == "hours" else shown
                    was, now = show(old.get(name)), show(new.get(name))
                    rows.append(DiffRow(f"{title}: {label}", was, now))
    return rows


def _contact_summary(contact: dict) -> str:
    parts = [f"{contact.get('kind')} {contact.get('value')}"]
    if contact.get("keyword"):
        parts.append(f"keyword {contact['keyword']}")
    parts.append(hours_words(contact.get("hours")))
    return ", ".join(parts)


def _text_rows(label: str, before, after) -> list[DiffRow]:
    before, after = before or {}, after or {}
    return [
        DiffRow(
            f"{label} ({LANGUAGE_NAMES.get(lang, lang)})",
            shown(before.get(lang)),
            shown(after.get(lang)),
        )
        for lang in sorted(set(before) | set(after))
        if before.get(lang) != after.get(lang)
    ]


def diff_rows(changes: dict) -> list[DiffRow]:
    """An audit row's changes ({field: {"before", "after"}}) as rows a person can read."""
    rows: list[DiffRow] = []
    for name in [*LABELS, "contacts", *sorted(set(changes) - set(LABELS) - {"contacts"})]:
        if name not in changes:
            continue
        before, after = changes[name].get("before"), changes[name].get("after")
        if name == "contacts":
            rows += _contact_rows(before, after)
        elif name in ("name", "description", "alert"):
            rows += _text_rows(LABELS[name], before, after)
        else:
            rows.append(DiffRow(LABELS.get(name, name), shown(before), shown(after)))
    return rows


def snapshot_diff(before: dict | None, after: dict) -> list[DiffRow]:
    """The rows between two snapshots (an import preview, a proposal)."""
    return diff_rows(field_changes(before, after))


def line_names(entity_ids) -> dict[str, str]:
    """{helpline id: English name} for the ids given (one query; unknown ids left out)."""
    ids = []
    for value in set(entity_ids):
        try:
            ids.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    if not ids:
        return {}
    rows = db.session.execute(select(Helpline.id, Helpline.name).where(Helpline.id.in_(ids)))
    return {str(line_id): (name or {}).get("en") or str(line_id) for line_id, name in rows}


def is_restorable(entry: AuditEntry) -> bool:
    """Whether an audit row is a saved version of a line (and so can be restored)."""
    return entry.entity_type == "helpline" and entry.action in APPLIED_ACTIONS


def state_after(line: Helpline, entry_id: int) -> tuple[AuditEntry, dict]:
    """(the audit row, the line's snapshot right after it), undoing every later change."""
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity_type == "helpline", AuditEntry.entity_id == str(line.id))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    ).all()
    state = snapshot(line)
    for entry in entries:
        if entry.id == entry_id:
            if not is_restorable(entry):
                break
            return entry, state
        if entry.action not in APPLIED_ACTIONS:
            continue
        for name, change in (entry.changes or {}).items():
            state[name] = change.get("before")
    raise VersionNotFound(entry_id)
