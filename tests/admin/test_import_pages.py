"""Import in the console: a dry run listing every row's problems by line and field, then
all or nothing; export as CSV and JSON."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json

from backend import audit
from backend.helplines import service
from tests.admin.console import csrf_token, form_fields
from tests.helplines.helpers import seed_count
from tests.pagecheck import check_page


def exported_rows(client) -> list[dict]:
    response = client.get("/admin/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="steady-helplines.csv"'
    return list(csv.DictReader(io.StringIO(response.text)))


def as_csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def upload(client, raw: bytes, name: str = "lines.csv"):
    token = csrf_token(client, "/admin/import")
    return client.post(
        "/admin/import",
        data={"csrf_token": token, "format": "", "file": (io.BytesIO(raw), name)},
        content_type="multipart/form-data",
    )


def helpline_state(app):
    with app.app_context():
        return sorted((str(line["id"]), line["version"]) for line in service.export_json())


def test_a_file_with_one_bad_row_is_listed_by_line_and_field_and_cannot_be_applied(
    seeded, editor_client
):
    rows = exported_rows(editor_client)
    bad = next(i for i, row in enumerate(rows) if row["contact1_kind"] == "call")
    rows[bad]["contact1_value"] = "not a number"
    rows[bad]["name_en"] = "Changed name"
    response = upload(editor_client, as_csv(rows))
    assert response.status_code == 422
    html = response.text
    check_page(html, "/admin/import")
    assert "Problems in lines.csv" in html
    assert f"Line {bad + 2}, contact1_value:" in html  # the header is line 1
    assert "The file was not imported: nothing changed." in html
    assert 'action="/admin/import/apply"' not in html  # no way to apply a bad file


def test_a_good_file_is_previewed_then_applied_with_one_audit_row_per_changed_line(
    seeded, editor_client
):
    rows = exported_rows(editor_client)
    rows[0]["name_en"] = "Renamed by import"
    new = dict(rows[1], id="", name_en="A new line from a file", priority="0")
    rows.append(new)
    raw = as_csv(rows)
    preview = upload(editor_client, raw)
    assert preview.status_code == 200
    assert f"Import these {len(rows)} helplines" in preview.text
    check_page(preview.text, "/admin/import")
    fields = form_fields(preview.text, "/admin/import/apply")
    assert base64.b64decode(fields["file"]) == raw
    _e, before = _audit_total(seeded)
    applied = editor_client.post("/admin/import/apply", data=fields)
    assert applied.status_code == 303 and applied.location == "/admin/helplines"
    assert "Imported 1 new and 1 changed helplines." in editor_client.get("/admin/helplines").text
    entries, after = _audit_total(seeded)
    assert after == before + 2
    assert {e.action for e in entries[:2]} == {"helpline.import"}
    assert entries[0].actor_label == "Eddie (editor)"


def _audit_total(app):
    with app.app_context():
        return audit.list_entries(entity_type="helpline")


def test_applying_a_bad_file_changes_nothing_at_all(seeded, editor_client):
    rows = exported_rows(editor_client)
    rows[0]["name_en"] = "Would be renamed"
    rows[-1]["topics"] = "crisis;not_a_topic"
    raw = as_csv(rows)
    before = helpline_state(seeded)
    response = editor_client.post(
        "/admin/import/apply",
        data={
            "csrf_token": csrf_token(editor_client, "/admin/import"),
            "file": base64.b64encode(raw).decode(),
            "digest": hashlib.sha256(raw).hexdigest(),
            "format": "csv",
            "filename": "lines.csv",
        },
    )
    assert response.status_code == 422
    assert f"Line {len(rows) + 1}, topics:" in response.text
    assert helpline_state(seeded) == before


def test_a_tampered_file_is_not_applied(seeded, editor_client):
    raw = as_csv(exported_rows(editor_client))
    response = editor_client.post(
        "/admin/import/apply",
        data={
            "csrf_token": csrf_token(editor_client, "/admin/import"),
            "file": base64.b64encode(raw + b"\n").decode(),
            "digest": hashlib.sha256(raw).hexdigest(),
            "format": "csv",
        },
    )
    assert response.status_code == 422 and "lost on the way" in response.text


def test_broken_files_are_explained(seeded, editor_client):
    missing = editor_client.post(
        "/admin/import", data={"csrf_token": csrf_token(editor_client, "/admin/import")}
    )
    assert missing.status_code == 422 and "Choose a CSV, JSON or HSDS file" in missing.text
    unknown = upload(editor_client, b"hello", name="lines.txt")
    assert unknown.status_code == 422 and "Choose the file&#39;s format" in unknown.text
    latin1 = upload(editor_client, "id,country\n,ES,Teléfono".encode("latin-1"))
    assert latin1.status_code == 422 and "not UTF-8" in latin1.text
    broken_json = upload(editor_client, b"[{", name="lines.json")
    assert broken_json.status_code == 422
    check_page(broken_json.text, "/admin/import")


def test_the_json_export_is_the_import_shape(seeded, editor_client):
    response = editor_client.get("/admin/export.json")
    assert response.mimetype == "application/json"
    lines = json.loads(response.text)
    assert len(lines) == seed_count() and {"id", "name", "contacts", "version"} <= set(lines[0])
    again = upload(editor_client, response.data, name="lines.json")
    assert again.status_code == 200 and f"Import these {seed_count()} helplines" in again.text
