"""Import and export: a dry run names every problem by line and field; applying is all or
nothing; what we export imports back unchanged."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import func, select

from backend.audit import Actor, AuditEntry
from backend.extensions import db
from backend.helplines import service
from backend.helplines.imports import MAX_IMPORT_BYTES
from backend.helplines.models import Helpline
from tests.helplines.helpers import (
    new_id,
    seed_bytes,
    seed_count,
    seed_records,
    seed_verified_count,
)

IMPORTER = Actor(3, "carol (editor)")
HEADER = "id,country,name_en,name_es,topics,contact1_kind,contact1_value,contact1_hours\n"
SEEDED = seed_count()


def counts() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count(Helpline.id))),
        db.session.scalar(select(func.count(AuditEntry.id))),
    )


def csv_row(*, line_id=None, country="US", name="A line", topics="crisis", value="988") -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(
        [line_id or new_id(), country, name, "", topics, "call", value, "24/7"]
    )
    return buffer.getvalue()


def test_one_bad_row_rejects_the_whole_csv_file_and_changes_nothing(db_app):
    raw = HEADER + csv_row() + csv_row(value="12345") + csv_row()
    preview = service.preview_import(raw.encode(), "csv")
    assert not preview.ok
    assert [(row.line, row.errors) for row in preview.rows] == [
        (2, {}),
        (3, {"contact1_value": ["12345 is not a known short number in US."]}),
        (4, {}),
    ]
    with pytest.raises(service.ImportRejected) as rejected:
        service.apply_import(raw.encode(), "csv", IMPORTER)
    assert rejected.value.preview.rows[1].errors
    assert counts() == (0, 0)


def test_one_bad_row_rejects_a_json_file_naming_the_line_it_starts_on(db_app):
    def break_one(records):
        records[3]["topics"] = ["crisis", "gambling"]
        records[5]["contacts"][0]["hours"] = {
            "always_open": False,
            "timezone": "Nowhere/Land",
            "periods": [{"day": 0, "opens": "09:00", "closes": "17:00"}],
        }

    raw = seed_bytes(break_one)
    preview = service.preview_import(raw, "json")
    bad = [row for row in preview.rows if row.errors]
    text = raw.decode()
    starts = [n + 1 for n, line in enumerate(text.splitlines()) if line == "  {"]
    assert [(row.line, row.errors) for row in bad] == [
        (
            starts[3],
            {
                "topics.1": [
                    "Unknown topic. Use one of: crisis, substance_use, prescription_medicines, "
                    "mental_health, family_support, poison_overdose, find_treatment"
                ]
            },
        ),
        (starts[5], {"contacts.0.hours.timezone": ['"Nowhere/Land" is not an IANA time zone.']}),
    ]
    with pytest.raises(service.ImportRejected):
        service.apply_import(raw, "json", IMPORTER)
    assert counts() == (0, 0)


def test_an_applied_import_writes_one_audit_row_per_created_or_changed_line(db_app):
    # Loaded as the command line would (an operator's new priority lines would each wait
    # for a second operator: test_four_eyes), then changed by an operator.
    result = service.apply_import(seed_bytes(), "json", Actor(None, "import (seed.json)"))
    assert (result.created, result.updated, counts()) == (SEEDED, 0, (SEEDED, SEEDED))
    plain = [i for i, r in enumerate(seed_records()) if r["priority"] == 0]

    def rename_two(records):
        records[plain[0]]["name"]["en"] += " (renamed)"
        records[plain[1]]["free"] = not records[plain[1]]["free"]

    preview = service.preview_import(seed_bytes(rename_two), "json")
    assert sorted({row.action for row in preview.rows}) == ["unchanged", "update"]
    result = service.apply_import(seed_bytes(rename_two), "json", IMPORTER)
    assert (result.created, result.updated, result.unchanged) == (0, 2, SEEDED - 2)
    assert counts() == (SEEDED, SEEDED + 2)
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.actor_label) == ("helpline.import", "carol (editor)")


def test_what_we_export_imports_back_unchanged(db_app):
    service.load_seed_if_empty()
    before = counts()
    csv_text = service.export_csv()
    json_text = json.dumps(service.export_json())
    hsds_text = json.dumps(service.export_hsds())
    for raw, fmt in (
        (csv_text.encode(), "csv"),
        (json_text.encode(), "json"),
        (hsds_text.encode(), "hsds"),
    ):
        result = service.apply_import(raw, fmt, IMPORTER)
        assert (result.created, result.updated, result.unchanged) == (0, 0, SEEDED), fmt
    assert counts() == before


@pytest.mark.parametrize(
    ("raw", "fmt", "message"),
    [
        ("name,country\nx,US\n", "csv", "Missing columns: name_en, contact1_kind, contact1_value."),
        (
            "id,country,name_en,contacts\n",
            "csv",
            "The contacts column (JSON in one cell) is no longer",
        ),
        (HEADER.replace("topics", "subjects"), "csv", "Unknown columns: subjects."),
        ("", "csv", "The file has no helplines in it."),
        (HEADER, "csv", "The file has no helplines in it."),
        ("{not json", "json", "Not valid JSON at line 1, column 2"),
        ('{"helplines": []}', "json", "The JSON file must be a list of helplines"),
        ("[]", "json", "The file has no helplines in it."),
        ("[]", "xlsx", 'The format must be "csv", "json" or "hsds".'),
        ('{"contents": {}}', "hsds", "An HSDS file is a page"),
    ],
)
def test_broken_files_get_a_clear_file_level_error(db_app, raw, fmt, message):
    preview = service.preview_import(raw.encode(), fmt)
    assert not preview.ok and preview.rows == []
    assert any(message in problem for problem in preview.file_errors), preview.file_errors


def test_a_file_that_is_not_utf8_is_refused_with_a_hint(db_app):
    raw = (HEADER + csv_row(name="Teléfono")).encode("latin-1")
    preview = service.preview_import(raw, "csv")
    assert preview.file_errors[0].startswith("The file is not UTF-8 text")
    assert "CSV UTF-8" in preview.file_errors[0]


def test_a_utf8_byte_order_mark_is_fine(db_app):
    raw = ("\ufeff" + HEADER + csv_row(name="Teléfono")).encode("utf-8")
    assert service.preview_import(raw, "csv").ok


def test_duplicate_ids_are_a_file_level_error_naming_the_lines(db_app):
    line_id = new_id()
    raw = HEADER + csv_row(line_id=line_id) + csv_row() + csv_row(line_id=line_id)
    preview = service.preview_import(raw.encode(), "csv")
    assert preview.file_errors == [f"The id {line_id} appears more than once (lines 2, 4)."]
    with pytest.raises(service.ImportRejected):
        service.apply_import(raw.encode(), "csv", IMPORTER)
    assert counts() == (0, 0)


def test_an_oversized_file_is_refused_before_it_is_read(db_app):
    preview = service.preview_import(b" " * (MAX_IMPORT_BYTES + 1), "json")
    assert preview.file_errors == ["The file is larger than 2,000 kB."]


def test_row_problems_in_csv_name_the_column(db_app):
    row = csv_row(name="x" * 201, topics="crisis;nope")
    extra = csv_row().rstrip("\r\n") + ",surplus\n"
    bad_hours = csv_row().replace(",24/7", ",Mon-Fri 9 to 5")
    preview = service.preview_import((HEADER + row + extra + bad_hours).encode(), "csv")
    errors = [r.errors for r in preview.rows]
    assert set(errors[0]) == {"name_en", "topics"}
    assert errors[1] == {"_row": ["This row has more cells than the header has columns."]}
    assert set(errors[2]) == {"contact1_hours", "contact1_timezone"}  # each on its own cell
    assert errors[2]["contact1_hours"][0].startswith("Line 1: ")


def test_csv_lines_are_counted_across_cells_that_span_lines(db_app):
    multi = csv_row(name="Two\nlines")
    raw = HEADER + multi + csv_row(value="1")
    preview = service.preview_import(raw.encode(), "csv")
    assert [(r.line, bool(r.errors)) for r in preview.rows] == [(2, False), (4, True)]


def test_the_cli_dry_run_lists_problems_and_imports_nothing(db_app, tmp_path):
    path = tmp_path / "lines.csv"
    path.write_text(HEADER + csv_row() + csv_row(country="GB", value="12345"))
    runner = db_app.test_cli_runner()
    result = runner.invoke(args=["helplines", "import", str(path), "--dry-run"])
    assert result.exit_code == 1
    assert "line 3, contact1_value: 12345 is not a known short number in GB." in result.output
    assert counts() == (0, 0)
    result = runner.invoke(args=["helplines", "import", str(path)])
    assert result.exit_code == 1 and "Nothing was imported." in result.output
    assert counts() == (0, 0)


def test_the_cli_imports_the_seed_and_exports_it(db_app):
    from backend.helplines.imports import SEED

    runner = db_app.test_cli_runner()
    result = runner.invoke(args=["helplines", "import", str(SEED)])
    assert result.exit_code == 0, result.output
    assert f"Imported: {SEEDED} created, 0 updated, 0 unchanged." in result.output
    assert (
        db.session.scalar(select(func.count(Helpline.id)).where(Helpline.verified_on.is_not(None)))
        == seed_verified_count()
    )
    exported = runner.invoke(args=["helplines", "export", "--format", "hsds"])
    assert json.loads(exported.output)["total_items"] == SEEDED


def test_steady_prepare_loads_the_seed_into_an_empty_database(db_app):
    result = db_app.test_cli_runner().invoke(args=["steady", "prepare"])
    assert result.exit_code == 0, result.output
    assert f"helplines: loaded {SEEDED} helplines from the seed." in result.output
