"""Importing helplines from CSV or JSON: a dry-run preview, then all or nothing.

Every row goes through HelplineSchema, the same schema as the API and the console form.
The preview names every problem by line and field; file-level problems (too big, not
UTF-8, wrong columns, duplicate ids, not a list) are reported before any row. Applying
re-checks the file and writes every line, with one audit row per created or changed line,
in ONE transaction: one bad row and nothing at all changes. The file formats are
described in import_files.py.
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
from backend.helplines.import_files import (
    MAX_IMPORT_ROWS,
    csv_field,
    csv_rows,
    flatten_errors,
    json_rows,
)
from backend.helplines.models import Helpline
from backend.helplines.records import (
    READ_ONLY_FIELDS,
    apply_data,
    new_line,
    snapshot,
    stamp_verified,
)
from backend.helplines.schemas import HelplineSchema

MAX_IMPORT_BYTES = 1_000_000
SEED = Path(__file__).resolve().parent / "seed" / "helplines.json"
SEED_VERIFIER = "seed (shared/helplines.md)"


@dataclass
class RowReport:
    """What importing one row would do, and what is wrong with it."""

    line: int
    helpline_id: str | None
    action: str  # "create" or "update"
    errors: dict[str, list[str]] = field(default_factory=dict)
    name: str | None = None


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


class ImportRejected(Exception):
    """The file has problems; nothing was changed. ``preview`` says what they are."""

    def __init__(self, preview: ImportPreview) -> None:
        super().__init__(f"import rejected: {preview.error_count} problem(s)")
        self.preview = preview


def _check(raw: bytes, fmt: str) -> tuple[ImportPreview, list[dict]]:
    """Validate a whole file; return its preview and the loaded rows."""
    file_errors: list[str] = []
    if fmt not in ("csv", "json"):
        return ImportPreview([], False, ['The format must be "csv" or "json".']), []
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
    rows = (csv_rows if fmt == "csv" else json_rows)(text, file_errors)
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
        if fmt == "csv":
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
    ids = [r["id"] for r in loaded if r.get("id")]
    existing = (
        set(db.session.scalars(select(Helpline.id).where(Helpline.id.in_(ids)))) if ids else set()
    )
    for report in reports:
        if report.helpline_id and any(str(i) == report.helpline_id for i in existing):
            report.action = "update"
    ok = not file_errors and all(not r.errors for r in reports)
    return ImportPreview(reports, ok, file_errors), loaded


def preview_import(raw: bytes, fmt: str) -> ImportPreview:
    """Check a CSV or JSON file without changing anything: every row's errors by line and
    field, whether each row would create or update a line, and any file-level problem."""
    return _check(raw, fmt)[0]


def apply_import(
    raw: bytes, fmt: str, actor: Actor, *, verified_by: str | None = None
) -> ImportResult:
    """Import a whole file in one transaction, or raise ImportRejected and change nothing.

    One audit row ("helpline.import") per created or changed line. With ``verified_by``,
    lines whose source is "official" are stamped verified on their ``checked_on`` date
    (the seed does this; an operator's file does not).
    """
    preview, loaded = _check(raw, fmt)
    if not preview.ok:
        raise ImportRejected(preview)
    ids = [data["id"] for data in loaded if data.get("id")]
    existing = (
        {line.id: line for line in db.session.scalars(select(Helpline).where(Helpline.id.in_(ids)))}
        if ids
        else {}
    )
    created = updated = unchanged = 0
    try:
        for data in loaded:
            line = existing.get(data.get("id"))
            before = snapshot(line) if line is not None else None
            if line is None:
                line = new_line(data)
                db.session.add(line)
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
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        preview.ok = False
        preview.file_errors.append("A line changed while the file was imported. Try again.")
        raise ImportRejected(preview) from None
    except Exception:
        db.session.rollback()
        raise
    return ImportResult(created=created, updated=updated, unchanged=unchanged)


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
