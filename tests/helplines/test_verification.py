"""Verification that means something (issue 13, item 1): a change to what was checked clears
it, by the service, the API, an import and the console alike, and the public card says so."""

from __future__ import annotations

import csv
import io

import pytest

from backend.accounts import service as accounts
from backend.database import utcnow
from backend.helplines import service
from backend.helplines.schemas import HelplineSchema
from tests.admin.console import form_fields, make_operator, sign_in
from tests.helplines.helpers import EDITOR, line_data

OTHER = service.Actor(8, "bob (editor)")
WEEKDAYS = {
    "always_open": False,
    "timezone": "America/New_York",
    "periods": [{"day": d, "opens": "09:00", "closes": "17:00"} for d in range(5)],
}


def verified_line(**changes):
    """A line (not a priority line) our team has verified."""
    line = service.create_helpline(HelplineSchema().load(line_data(**changes)), EDITOR)
    return service.mark_verified(line.id, line.version, OTHER)


def contacts_with(**fields) -> list[dict]:
    contact = {"kind": "call", "value": "1-800-662-4357", "languages": ["en"]}
    contact.update(fields)
    return HelplineSchema().load(line_data(contacts=[contact]))["contacts"]


@pytest.mark.parametrize(
    "change",
    [
        {"contacts": contacts_with(value="1-800-222-1222", hours={"always_open": True})},
        {"contacts": contacts_with(hours=WEEKDAYS)},
        {"contacts": contacts_with(kind="text", value="741741", hours={"always_open": True})},
        {"status": "temporarily_closed"},
    ],
    ids=["number", "hours", "kind", "status"],
)
def test_a_change_to_what_was_checked_clears_the_verification(app, change):
    with app.app_context():
        line = verified_line()
        assert line.verified_on is not None
        line = service.update_helpline(line.id, change, line.version, EDITOR)
        assert (line.verified_on, line.verified_by) == (None, None)
        assert line.changed_on == utcnow().date()
        assert service.stale_queue()[0].id == line.id  # the top of the stale queue


def test_other_changes_keep_it(app):
    with app.app_context():
        line = verified_line()
        reordered = dict(WEEKDAYS, periods=list(reversed(WEEKDAYS["periods"])))
        line = service.update_helpline(
            line.id,
            {"description": {"en": "Reworded."}, "contacts": contacts_with(hours=WEEKDAYS)},
            line.version,
            EDITOR,
        )  # hours changed: cleared …
        line = service.mark_verified(line.id, line.version, OTHER)  # … and checked again
        line = service.update_helpline(
            line.id,
            {
                "free": False,
                "contacts": contacts_with(hours=reordered, note={"en": "Ask for Ana."}),
            },
            line.version,
            EDITOR,
        )
        assert line.verified_on == utcnow().date() and line.verified_by == "bob (editor)"
        assert line.changed_on is None


def test_re_verifying_records_who_and_when(app):
    with app.app_context():
        line = verified_line()
        line = service.update_helpline(line.id, {"status": "inactive"}, line.version, EDITOR)
        line = service.mark_verified(line.id, line.version, EDITOR)
        assert (line.verified_on, line.verified_by, line.changed_on) == (
            utcnow().date(),
            "alice (editor)",
            None,
        )


def test_through_the_api(app):
    with app.app_context():
        line = verified_line()
        operator = accounts.create_operator("ed@example.org", "Ed", "editor", "a long passphrase")
        _token, plaintext = accounts.issue_api_token(operator, "script")
        line_id, version = str(line.id), line.version
    response = app.test_client().patch(
        f"/api/v1/helplines/{line_id}",
        json={"contacts": [{"kind": "call", "value": "1-800-222-1222"}]},
        headers={"Authorization": f"Bearer {plaintext}", "If-Match": f'"{version}"'},
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["verified_on"] is None and body["changed_on"] == utcnow().date().isoformat()


def test_through_an_import(app):
    with app.app_context():
        line = verified_line()
        exported = service.export_csv()
        rows = list(csv.DictReader(io.StringIO(exported)))
        rows[0]["contact1_value"] = "+18002221222"
        buffer = io.StringIO(newline="")
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        result = service.apply_import(buffer.getvalue().encode(), "csv", EDITOR)
        assert result.updated == 1
        line = service.get_helpline(line.id)
        assert line.verified_on is None and line.changed_on == utcnow().date()


def test_through_the_console_and_on_the_public_card(app):
    with app.app_context():
        line = verified_line(name={"en": "Checked Line", "es": "Línea comprobada"})
        line_id = str(line.id)
    client = app.test_client()
    assert sign_in(client, make_operator(app)).status_code == 303
    public = app.test_client().get("/helplines?country=US&lang=en").text
    assert f"Checked on {utcnow():%B} {utcnow().day}, {utcnow().year}." in public
    path = f"/admin/helplines/{line_id}/edit"
    fields = form_fields(client.get(path).text, path)
    fields["contacts-0-value"] = "1-800-222-1222"
    assert client.post(path, data=fields).status_code == 303
    assert "not re-checked since" in client.get(path).text
    today = utcnow()
    public = app.test_client().get("/helplines?country=US&lang=en").text
    assert f"Changed on {today:%B} {today.day}, {today.year} — not yet re-checked by our team." in (
        public
    )
    spanish = app.test_client().get("/helplines?country=US&lang=es").text
    assert "nuestro equipo aún no lo ha vuelto a comprobar" in spanish
