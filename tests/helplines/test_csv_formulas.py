"""L9 (issue 9): both CSV exports write cells a spreadsheet would run as formulas as text,
and the import gives back exactly what was exported; and they are flat (issue 13): contacts
in columns of their own, never JSON in a cell."""

from __future__ import annotations

import csv
import io

from backend.csv_cells import FORMULA_STARTS, neutralise_formula, restore_formula
from backend.helplines import service
from backend.helplines.schemas import HelplineSchema
from tests.admin.console import make_operator, sign_in
from tests.helplines.helpers import EDITOR, line_data

TEXTS = [
    '=HYPERLINK("https://evil.example","Call now")',
    "+1 555 0100",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "'=already quoted",
    "''+twice quoted",
    "'plain quote",
    "O'Neil's line",
    "A normal line",
    "",
]
RISKY = {  # what a spreadsheet would run, as a line's words
    "name": {"en": '=HYPERLINK("https://evil.example","Call now")', "es": "+34 600 000 000"},
    "description": {"en": "-2+3 ways to reach us", "es": "@SUM(1,1)"},
    "alert": {"en": "'=already quoted", "es": "''@twice quoted"},
    "contacts": [
        {
            "kind": "call",
            "value": "+1 800 662 4357",
            "note": {"en": "=1+1 before you call", "es": "-menos de 5 minutos"},
            "hours": {"always_open": True},
        },
        {"kind": "chat", "value": "https://example.org/@chat", "note": {"en": "@once"}},
    ],
}


def test_l9_every_text_survives_a_round_trip_through_a_real_csv_file():
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerow([neutralise_formula(text) for text in TEXTS])
    (cells,) = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    assert [restore_formula(cell) for cell in cells] == TEXTS
    for cell in cells:
        assert not cell.startswith(FORMULA_STARTS), cell


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def test_l9_both_csv_exports_write_formula_cells_as_text_and_import_back_unchanged(app):
    with app.app_context():
        line = service.create_helpline(HelplineSchema().load(line_data(**RISKY)), EDITOR)
        line_id = str(line.id)
    editor = make_operator(app)
    console = app.test_client()
    assert sign_in(console, editor).status_code == 303
    public = app.test_client().get("/api/v1/helplines/export?format=csv")
    private = console.get("/admin/export.csv")
    for response in (public, private):
        assert response.status_code == 200
        cells = _cells(response.text)
        assert '\'=HYPERLINK("https://evil.example","Call now")' in cells
        assert "''=already quoted" in cells and "'''@twice quoted" in cells
        assert "'+18006624357" in cells and "'=1+1 before you call" in cells
        for cell in cells:
            assert not cell.startswith(FORMULA_STARTS), cell
            assert not cell.startswith(("[", "{")), cell  # never JSON in a cell
        header = next(csv.reader(io.StringIO(response.text)))
        assert {"contact1_kind", "contact1_value", "contact2_note_en"} <= set(header)
    assert private.headers["Content-Type"] == "text/csv; charset=utf-8"  # one charset

    with app.app_context():
        preview = service.preview_import(private.get_data(), "csv")
        assert preview.ok, preview.rows
        service.apply_import(private.get_data(), "csv", EDITOR)
        back = next(item for item in service.export_json() if item["id"] == line_id)
    for field in ("name", "description", "alert"):
        assert back[field] == RISKY[field]
    assert [c["note"] for c in back["contacts"]] == [c["note"] for c in RISKY["contacts"]]
    assert back["contacts"][0]["value"] == "+18006624357"
