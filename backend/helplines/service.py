"""The helpline directory's logic: plain functions, each one unit of work that commits once.

Every change writes exactly one audit row in the same transaction as the change (no row
when nothing changed). Writers say which version they read; a different current version
raises StaleVersion, and SQLAlchemy's version counter also catches a writer that slipped
in between the check and the commit. A change to a priority line's contacts is kept as a
proposal for a second operator instead (review.py). Searching, importing, exporting and
reading history live in search.py, imports.py, exports.py and history.py and are
re-exported here.
"""

from __future__ import annotations

import uuid

from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from backend import audit
from backend.audit import Actor
from backend.database import utcnow
from backend.extensions import db
from backend.helplines import history, review
from backend.helplines.exports import export_csv, export_hsds, export_json
from backend.helplines.imports import (
    ImportPreview,
    ImportRejected,
    ImportResult,
    RowReport,
    apply_import,
    load_seed_if_empty,
    preview_import,
)
from backend.helplines.models import Helpline, HelplineProposal
from backend.helplines.records import (
    EDITABLE_FIELDS,
    READ_ONLY_FIELDS,
    apply_data,
    new_line,
    snapshot,
    stamp_verified,
    would_be,
)
from backend.helplines.schemas import HelplineSchema, PublicHelplineSchema
from backend.helplines.search import (
    HelplinePage,
    list_fingerprint,
    search_helplines,
    stale_queue,
)

__all__ = [
    "HelplineExists",
    "HelplineNotFound",
    "HelplinePage",
    "ImportPreview",
    "ImportRejected",
    "ImportResult",
    "RowReport",
    "StaleVersion",
    "apply_import",
    "archive_helpline",
    "create_helpline",
    "export_csv",
    "export_hsds",
    "export_json",
    "get_helpline",
    "list_fingerprint",
    "load_seed_if_empty",
    "mark_translated",
    "mark_verified",
    "patch_helpline",
    "preview_import",
    "restore_helpline",
    "restore_version",
    "search_helplines",
    "stale_queue",
    "update_helpline",
]

ENTITY = "helpline"
SOURCE_FIELDS = ("source_url", "source_status", "checked_on")


class HelplineNotFound(LookupError):
    """No helpline has that id."""


class HelplineExists(ValueError):
    """A helpline with that id already exists."""


class StaleVersion(Exception):
    """Someone changed the line since the caller read it."""

    def __init__(self, current_version: int) -> None:
        super().__init__(f"the helpline is now at version {current_version}")
        self.current_version = current_version


def _as_uuid(helpline_id) -> uuid.UUID:
    if isinstance(helpline_id, uuid.UUID):
        return helpline_id
    try:
        return uuid.UUID(str(helpline_id))
    except ValueError:
        raise HelplineNotFound(helpline_id) from None


def get_helpline(helpline_id) -> Helpline:
    """The helpline with this id, archived or not (raises HelplineNotFound)."""
    line = db.session.get(Helpline, _as_uuid(helpline_id))
    if line is None:
        raise HelplineNotFound(helpline_id)
    return line


def _current_version(helpline_id: uuid.UUID) -> int:
    return db.session.scalar(select(Helpline.version).where(Helpline.id == helpline_id)) or 0


def _commit_change(line: Helpline) -> None:
    """Commit; a writer that changed the row since we read it becomes StaleVersion."""
    line_id = line.id
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise StaleVersion(_current_version(line_id)) from None
    except Exception:
        db.session.rollback()
        raise


def _locked(helpline_id, expected_version: int) -> Helpline:
    line = get_helpline(helpline_id)
    if line.version != expected_version:
        raise StaleVersion(line.version)
    return line


def create_helpline(
    data: dict, actor: Actor, *, via: str = "console"
) -> Helpline | HelplineProposal:
    """Add a helpline from data loaded by HelplineSchema; raises HelplineExists when the
    data names an id that is taken.

    A new line an operator marks as a priority line is added as an ordinary line, with a
    proposal to make it a priority line that another operator must approve (four eyes:
    otherwise one person could put an unchecked number first in crisis help); the proposal
    is returned instead of the line.
    """
    if data.get("id") and db.session.get(Helpline, data["id"]) is not None:
        raise HelplineExists(str(data["id"]))
    held = review.held_priority(data, actor)
    line = new_line({**data, "priority": 0} if held else data)
    db.session.add(line)
    audit.record(actor, "helpline.create", ENTITY, line.id, None, snapshot(line))
    proposal = None
    if held:
        db.session.flush()  # the line's version, which the proposal is based on
        proposal = review.propose(line, {"priority": held}, actor, via)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise HelplineExists(str(data.get("id"))) from None
    except Exception:
        db.session.rollback()
        raise
    return proposal or line


def update_helpline(
    helpline_id,
    data: dict,
    expected_version: int,
    actor: Actor,
    *,
    via: str = "console",
    action: str = "helpline.update",
    note: str | None = None,
) -> Helpline | HelplineProposal:
    """Change the fields present in ``data`` (a partial update), if the caller read
    ``expected_version``; bumps the version and writes one audit row with each changed
    field's before and after. Nothing changes (no version, no row) when nothing differs.

    A change a second operator must see (review.needs_approval) is not applied: it is kept
    as a pending proposal, which is returned instead of the line.
    """
    line = _locked(helpline_id, expected_version)
    before = snapshot(line)
    if would_be(before, data) == before:
        return line
    if review.needs_approval(line, data):
        # Nothing of the line is written, so its version counter cannot catch a writer
        # who slipped in since it was read: ask the database.
        current = _current_version(line.id)
        if current != expected_version:
            raise StaleVersion(current)
        proposal = review.propose(line, data, actor, via)
        _commit_change(line)
        return proposal
    if not apply_data(line, data):
        return line
    audit.record(actor, action, ENTITY, line.id, before, snapshot(line), note=note)
    _commit_change(line)
    return line


def restore_version(
    helpline_id, entry_id: int, expected_version: int, actor: Actor
) -> Helpline | HelplineProposal:
    """Write the line back as it was right after audit entry ``entry_id``, as a new version
    through the same rules as any change (verification, translations, four eyes)."""
    line = _locked(helpline_id, expected_version)
    entry, state = history.state_after(line, entry_id)
    data = {name: state.get(name) for name in EDITABLE_FIELDS}
    data["contacts"] = state.get("contacts") or []
    data = HelplineSchema().load({**data, "id": str(line.id)})
    data.pop("id", None)
    when = entry.at.strftime("%Y-%m-%d %H:%M UTC")
    return update_helpline(
        line.id,
        data,
        expected_version,
        actor,
        via="restore",
        action="helpline.revert",
        note=f"Restored the version saved at {when} (audit entry {entry.id}).",
    )


def mark_translated(helpline_id, expected_version: int, actor: Actor) -> Helpline:
    """Record that the Spanish texts waiting for translation still say what the English
    says (nothing else changes)."""
    line = _locked(helpline_id, expected_version)
    if not line.needs_translation:
        return line
    before = snapshot(line)
    line.needs_translation = []
    line.modified_at = utcnow()
    audit.record(actor, "helpline.translated", ENTITY, line.id, before, snapshot(line))
    _commit_change(line)
    return line


def patch_helpline(
    helpline_id, body: dict, expected_version: int, actor: Actor
) -> Helpline | HelplineProposal:
    """Change the fields a PATCH body names, if the caller read ``expected_version``.

    ``body`` is in the API's shape and holds only the fields to change; ``contacts``, when
    sent, replaces the list, and ``source`` its three fields. The whole line is validated as it
    would be after the change (ValidationError, per field); then as update_helpline.
    """
    line = get_helpline(helpline_id)
    if "id" in body and str(body["id"]) != str(line.id):
        raise ValidationError({"id": ["The id cannot change."]})
    current = {
        name: value
        for name, value in PublicHelplineSchema().dump(line).items()
        if name not in ("id", *READ_ONLY_FIELDS)
    }
    sent = set(body)
    if "source" in body:  # the API's `source` object stands for three fields
        sent |= set(SOURCE_FIELDS)
        for name in SOURCE_FIELDS:
            current.pop(name, None)
    data = HelplineSchema().load({**current, **{k: v for k, v in body.items() if k != "id"}})
    changes = {name: value for name, value in data.items() if name in sent}
    return update_helpline(line.id, changes, expected_version, actor, via="api")


def _set_archived(helpline_id, expected_version: int, actor: Actor, archived: bool) -> Helpline:
    line = _locked(helpline_id, expected_version)
    if line.is_archived == archived:
        return line
    before = snapshot(line)
    line.archived_at = utcnow() if archived else None
    line.modified_at = utcnow()
    action = "helpline.archive" if archived else "helpline.restore"
    audit.record(actor, action, ENTITY, line.id, before, snapshot(line))
    _commit_change(line)
    return line


def archive_helpline(helpline_id, expected_version: int, actor: Actor) -> Helpline:
    """Take a line off the public list, keeping it (and its history) for the operators."""
    return _set_archived(helpline_id, expected_version, actor, archived=True)


def restore_helpline(helpline_id, expected_version: int, actor: Actor) -> Helpline:
    """Put an archived line back on the public list."""
    return _set_archived(helpline_id, expected_version, actor, archived=False)


def mark_verified(helpline_id, expected_version: int, actor: Actor) -> Helpline:
    """Record that ``actor`` confirmed the line's details today (verified_on, verified_by).

    Always writes its audit row: confirming a line is worth recording even on the same day.
    """
    line = _locked(helpline_id, expected_version)
    before = snapshot(line)
    stamp_verified(line, utcnow().date(), actor.label)
    audit.record(actor, "helpline.verify", ENTITY, line.id, before, snapshot(line))
    _commit_change(line)
    return line
