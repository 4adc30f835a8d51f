"""Importing helplines from CSV, JSON or HSDS: a dry-run preview, then all or nothing.

Every row goes through HelplineSchema, the same schema as the API and the console form.
The preview names every problem by line and field, and for each line it would update,
the fields that would change (old → new); file-level problems (too big, not UTF-8, wrong
columns, duplicate ids, not a list) are reported before any row. Applying re-checks the
file and writes every line, with one audit row per created or changed line, in ONE
transaction: one bad row and nothing at all changes. The same rules as every change hold
(records.apply_data), and a change to a priority line's contacts becomes a proposal for a
second operator instead (review.py). The file formats are described in import_files.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from marshmallow import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from backend import audit
from backend.audit import Actor
from backend.extensions import db
from backend.helplines import review
from backend.helplines.history import DiffRow, snapshot_diff
from backend.helplines.import_files import (
    MAX_IMPORT_ROWS,
    csv_field,
    csv_rows,
    flatten_errors,
    hsds_rows,
    json_rows,
)
from backend.helplines.models import Helpline
from backend.helplines.records import (
    READ_ONLY_FIELDS,
    apply_data,
    new_line,
    snapshot,
    stamp_verified,
    would_be,
)
from backend.helplines.schemas import HelplineSchema

# An HSDS page of the whole seed (132 lines) is about 0.8 MB; the console's apply form
# carries the file as base64 and must stay under slow_clients.MOST_BYTES (4 MiB).
MAX_IMPORT_BYTES = 2_000_000
SEED = Path(__file__).resolve().parent / "seed" / "helplines.json"
SEED_VERIFIER = "seed (official sources, read 2026-11)"
FORMATS = ("csv", "json", "hsds")
READERS = {"csv": csv_rows, "json": json_rows, "hsds": hsds_rows}


@dataclass
class RowReport:
    """What importing one row would do, and what is wrong with it."""

    line: int
    helpline_id: str | None
    action: str  # "create", "update" or "unchanged"
    errors: dict[str, list[str]] = field(default_factory=dict)
    name: str | None = None
    # For an update: each field that would change, old → new.
    changes: list[DiffRow] = field(default_factory=list)
    # A priority line's contacts: the change would wait for a second operator.
    needs_approval: bool = False


@dataclass
class ImportPreview:
    """The dry run: every row's report and any problem with the file itself."""

    rows: list[RowReport]
    ok: bool
    file_errors: list[str]

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(1 for row in self.rows if row.errors)


@dataclass(frozen=True)
class ImportResult:
    """What an applied import did."""

    created: int
    updated: int
    unchanged: int = 0
    # Changes to priority lines kept for a second operator instead of applied.
    proposed: int = 0


class ImportRejected(Exception):
    """The file has problems; nothing was changed. ``preview`` says what they are."""

    def __init__(self, preview: ImportPreview) -> None:
        super().__init__(f"import rejected: {preview.error_count} problem(s)")
        self.preview = preview


def _check(raw: bytes, fmt: str) -> tuple[ImportPreview, list[dict]]:
    """Validate a whole file; return its preview and the loaded rows."""
    file_errors: list[str] = []
    if fmt not in FORMATS:
        return ImportPreview([], False, ['The format must be "csv", "json" or "hsds".']), []
    if len(raw) > MAX_IMPORT_BYTES:
        limit = f"{MAX_IMPORT_BYTES // 1000:,} kB"
        return ImportPreview([], False, [f"The file is larger than {limit}."]), []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = (
            f"The file is not UTF-8 text (a byte that is not UTF-8 at position {error.start}). "
            "Save it as UTF-8 (in a spreadsheet: CSV UTF-8) and try again."
        )
        return ImportPreview([], False, [message]), []
    if not text.strip():
        return ImportPreview([], False, ["The file has no helplines in it."]), []
    rows = READERS[fmt](text, file_errors)
    if not rows and not file_errors:
        file_errors.append("The file has no helplines in it.")
    if len(rows) > MAX_IMPORT_ROWS:
        file_errors.append(f"The file has more than {MAX_IMPORT_ROWS:,} helplines.")
    if file_errors:
        return ImportPreview([], False, file_errors), []
    schema, reports, loaded, seen = HelplineSchema(), [], [], {}
    read_only = set(READ_ONLY_FIELDS)  # our own JSON export carries them
    for line, data, errors in rows:
        item = {k: v for k, v in data.items() if k not in read_only}
        try:
            result = schema.load(item)
        except ValidationError as error:
            result = None
            errors = {**flatten_errors(error.messages), **errors}  # reading problems win
        if fmt in ("csv", "hsds"):
            errors = {csv_field(path): messages for path, messages in errors.items()}
        name = (item.get("name") or {}).get("en") if isinstance(item.get("name"), dict) else None
        helpline_id = str(result["id"]) if result and result.get("id") else None
        if helpline_id:
            seen.setdefault(helpline_id, []).append(line)
        reports.append(RowReport(line, helpline_id, "create", errors, name))
        if result is not None and not errors:
            loaded.append(result)
    for helpline_id, lines in seen.items():
        if len(lines) > 1:
            file_errors.append(
                f"The id {helpline_id} appears more than once (lines {', '.join(map(str, lines))})."
            )
    existing = {str(line.id): line for line in _existing(loaded)}
    by_id = {str(data["id"]): data for data in loaded if data.get("id")}
    for report in reports:
        line = existing.get(report.helpline_id or "")
        if line is None:
            continue
        data = by_id[report.helpline_id]
        report.changes = snapshot_diff(snapshot(line), would_be(snapshot(line), data))
        report.action = "update" if report.changes else "unchanged"
        report.needs_approval = bool(report.changes) and review.needs_approval(line, data)
    ok = not file_errors and all(not r.errors for r in reports)
    return ImportPreview(reports, ok, file_errors), loaded


def _existing(loaded: list[dict]) -> list[Helpline]:
    ids = [data["id"] for data in loaded if data.get("id")]
    if not ids:
        return []
    return list(db.session.scalars(select(Helpline).where(Helpline.id.in_(ids))))


def preview_import(raw: bytes, fmt: str) -> ImportPreview:
    """Check a CSV, JSON or HSDS file without changing anything: every row's errors by line
    and field, whether each row would create, update (with the fields that would change) or
    leave a line unchanged, and any file-level problem."""
    return _check(raw, fmt)[0]


def apply_import(
    raw: bytes, fmt: str, actor: Actor, *, verified_by: str | None = None
) -> ImportResult:
    """Import a whole file in one transaction, or raise ImportRejected and change nothing.

    One audit row ("helpline.import") per created or changed line; a change to a priority
    line's contacts is kept as a proposal instead (one "helpline.propose" row). With
    ``verified_by``, lines whose source is "official" are stamped verified on their
    ``checked_on`` date (the seed does this; an operator's file does not).
    """
    preview, loaded = _check(raw, fmt)
    if not preview.ok:
        raise ImportRejected(preview)
    existing = {line.id: line for line in _existing(loaded)}
    created = updated = unchanged = proposed = 0
    try:
        for data in loaded:
            line = existing.get(data.get("id"))
            before = snapshot(line) if line is not None else None
            held = review.held_priority(data, actor) if line is None else 0
            if line is None:
                line = new_line({**data, "priority": 0} if held else data)
                db.session.add(line)
            elif would_be(before, data) != before and review.needs_approval(line, data):
                review.propose(line, data, actor, "import")
                proposed += 1
                continue
            else:
                apply_data(line, data)
            checked_on = data.get("checked_on")
            if (
                verified_by
                and data["source_status"] == "official"
                and checked_on
                and (line.verified_on is None or line.verified_on < checked_on)
            ):
                stamp_verified(line, checked_on, verified_by)
            after = snapshot(line)
            if before == after:
                unchanged += 1
                continue
            created, updated = (created + 1, updated) if before is None else (created, updated + 1)
            audit.record(actor, "helpline.import", "helpline", line.id, before, after)
            if held:  # a new priority line waits for a second operator, as any other would
                db.session.flush()
                review.propose(line, {"priority": held}, actor, "import")
                proposed += 1
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        preview.ok = False
        preview.file_errors.append("A line changed while the file was imported. Try again.")
        raise ImportRejected(preview) from None
    except Exception:
        db.session.rollback()
        raise
    return ImportResult(created=created, updated=updated, unchanged=unchanged, proposed=proposed)


def load_seed_if_empty() -> str:
    """Load the checked seed list when the database has no helplines (for `flask steady
    prepare`); say what happened in a few words."""
    count = db.session.scalar(select(func.count(Helpline.id))) or 0
    if count:
        return f"{count} helplines already in the database; seed not loaded."
    result = apply_import(
        SEED.read_bytes(), "json", Actor(None, "seed import"), verified_by=SEED_VERIFIER
    )
    return f"loaded {result.created} helplines from the seed."
