"""Exporting helplines: our own JSON and a flat CSV (both import back unchanged), and HSDS
3.0 (hsds.py, re-exported here).

The CSV has the columns of flat.py: never JSON in a cell, and as many blocks of contact
columns as the line with the most contacts needs. A cell a spreadsheet would run as a
formula (=, +, -, @, tab, CR) is written as text (csv_cells.py); the import restores it.
"""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from backend.csv_cells import neutralise_formula
from backend.extensions import db
from backend.helplines import flat
from backend.helplines.hsds import hsds_page
from backend.helplines.models import Helpline
from backend.helplines.schemas import HelplineSchema, PublicHelplineSchema

__all__ = ["export_csv", "export_hsds", "export_json", "public_lines"]


def public_lines(public: bool) -> list[Helpline]:
    """Every line in a stable order (only those on the public list, when ``public``)."""
    query = select(Helpline).order_by(Helpline.country, Helpline.priority, Helpline.id)
    if public:
        query = query.where(Helpline.archived_at.is_(None), Helpline.status != "inactive")
    return list(db.session.scalars(query).all())


def _schema(public: bool) -> HelplineSchema:
    return PublicHelplineSchema() if public else HelplineSchema()


def export_json(*, public: bool = False) -> list[dict]:
    """Every helpline in the API's shape (archived ones too, unless ``public``)."""
    return _schema(public).dump(public_lines(public), many=True)


def csv_columns(items: list[dict], *, public: bool) -> list[str]:
    """The line columns, a block per contact (as many as the longest line has), then the
    read-only columns."""
    most = max([len(item.get("contacts") or []) for item in items] or [1])
    read_only = [c for c in flat.READ_ONLY_COLUMNS if not (public and c == "verified_by")]
    return [*flat.LINE_COLUMNS, *flat.contact_columns(max(most, 1)), *read_only]


def export_csv(*, public: bool = False) -> str:
    """Every helpline as a flat CSV with the import's columns (and the read-only ones after
    them); a cell a spreadsheet would run as a formula is written as text."""
    items = export_json(public=public)
    columns = csv_columns(items, public=public)
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for item in items:
        row = flat.row_from_item(item, columns)
        writer.writerow({column: neutralise_formula(value) for column, value in row.items()})
    return buffer.getvalue()


def export_hsds(*, public: bool = False) -> dict:
    """Every helpline as HSDS 3.0 services, in one page (see hsds.py)."""
    return hsds_page(public_lines(public))
