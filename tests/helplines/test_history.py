"""History a person can read, and restoring a version (issue 13, items 3 and 4)."""

from __future__ import annotations

import csv
import io

from backend import audit
from backend.extensions import db
from backend.helplines import history, review, service
from backend.helplines.models import HelplineProposal
from backend.helplines.records import contact_dict
from backend.helplines.schemas import HelplineSchema
from tests.admin.console import form_fields, make_operator, post, sign_in
from tests.helplines.helpers import EDITOR, SEEDED, line_data


def add(**changes):
    actor = SEEDED if changes.get("priority") else EDITOR  # a priority line from the seed
    return service.create_helpline(HelplineSchema().load(line_data(**changes)), actor)


def contacts(value: str) -> list[dict]:
    return HelplineSchema().load(line_data(contacts=[{"kind": "call", "value": value}]))["contacts"]


def entries_of(line) -> list:
    return audit.list_entries(entity_type="helpline", entity_id=str(line.id))[0]


def test_a_one_digit_change_reads_as_old_and_new_number_of_that_contact(app):
    with app.app_context():
        line = add()
        service.update_helpline(
            line.id,
            {
                "contacts": contacts("1-800-662-4358"),
                "name": {"en": "New", "es": "Línea de prueba"},
            },
            1,
            EDITOR,
        )
        rows = history.diff_rows(entries_of(line)[0].changes)
    assert history.DiffRow("Name (English)", "Test Line", "New") in rows
    assert (
        history.DiffRow(
            "Contact 1 (call +18006624358): number or address", "+18006624357", "+18006624358"
        )
        in rows
    )
    assert (
        history.DiffRow("Contact 1 (call +18006624358): hours", "always open", "not known") in rows
    )
    assert all("{" not in row.before and "{" not in row.after for row in rows)  # no JSON


def test_any_saved_version_is_restored_as_a_new_version(app):
    with app.app_context():
        line = add()
        service.update_helpline(line.id, {"name": {"en": "Second"}}, 1, EDITOR)
        service.update_helpline(line.id, {"name": {"en": "Third"}, "free": False}, 2, EDITOR)
        created = entries_of(line)[-1]
        restored = service.restore_version(line.id, created.id, 3, EDITOR)
        assert restored.version == 4
        assert (restored.name, restored.free) == (
            {"en": "Test Line", "es": "Línea de prueba"},
            True,
        )
        newest = entries_of(line)[0]
        assert newest.action == "helpline.revert" and f"audit entry {created.id}" in newest.note


def test_restoring_a_priority_lines_contacts_waits_for_a_second_operator(app):
    with app.app_context():
        line = add(priority=1)
        first = entries_of(line)[0]
        service.update_helpline(line.id, {"priority": 2}, 1, EDITOR)  # priority only: direct
        line = service.get_helpline(line.id)
        proposal = service.update_helpline(line.id, {"contacts": contacts("988")}, 2, EDITOR)
        assert isinstance(proposal, HelplineProposal)
        review.approve(proposal.id, service.Actor(9, "zoe (admin)"), checked_source=True)
        result = service.restore_version(line.id, first.id, 3, EDITOR)
        assert isinstance(result, HelplineProposal) and result.via == "restore"
        assert service.get_helpline(line.id).contacts[0].value == "988"


def test_the_console_names_the_line_and_offers_restore(app):
    with app.app_context():
        line = add(name={"en": "Named Line"})
        service.update_helpline(line.id, {"name": {"en": "Renamed Line"}}, 1, EDITOR)
        line_id, first = str(line.id), entries_of(line)[-1].id
    client = app.test_client()
    assert sign_in(client, make_operator(app)).status_code == 303
    log = client.get("/admin/audit").text
    assert f'<a href="/admin/helplines/{line_id}/edit">Renamed Line</a>' in log
    assert "<dt>Name (English)</dt>" in log and ">Named Line</span> → <span" in log
    page = client.get(f"/admin/helplines/{line_id}/history").text
    action = f"/admin/helplines/{line_id}/versions/{first}/restore"
    assert action in page
    done = client.post(action, data=form_fields(page, action))
    assert done.status_code == 303
    with app.app_context():
        assert service.get_helpline(line_id).name["en"] == "Named Line"


def test_the_import_preview_lists_what_changes_and_problems_only_when_there_are_some(app):
    with app.app_context():
        add(name={"en": "Kept"})
        changed = str(add(name={"en": "To rename"}).id)
    client = app.test_client()
    assert sign_in(client, make_operator(app)).status_code == 303
    rows = list(csv.DictReader(io.StringIO(client.get("/admin/export.csv").text)))
    for row in rows:
        if row["id"] == changed:
            row["name_en"] = "Renamed by file"
            row["contact1_value"] = "+18002221222"
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    token_page = "/admin/import"
    response = post(
        client,
        "/admin/import",
        {"format": "csv", "file": (io.BytesIO(buffer.getvalue().encode()), "lines.csv")},
        token_from=token_page,
        content_type="multipart/form-data",
    )
    html = response.text
    assert response.status_code == 200
    assert "1 to update, 1 unchanged" in html and "No change" in html
    assert "<dt>Name (English)</dt>" in html and ">To rename</span> → <span" in html
    assert "Contact 1 (call +18002221222): number or address" in html
    assert "Problems" not in html and "None" not in html


def test_a_version_todays_rules_refuse_is_not_restored_and_the_console_says_why(app):
    with app.app_context():
        line = add(country="IE", contacts=[{"kind": "call", "value": "1800 459 459"}])
        first = entries_of(line)[0].id
        # As if the line had been saved with the number cut short before numbers were
        # checked for real, and corrected afterwards.
        good = [contact_dict(c) for c in line.contacts]
        bad = [dict(good[0], value="+353180045945")]
        audit.record(
            EDITOR, "helpline.update", "helpline", line.id, {"contacts": bad}, {"contacts": good}
        )
        db.session.commit()
        line_id = str(line.id)
    client = app.test_client()
    assert sign_in(client, make_operator(app)).status_code == 303
    page = client.get(f"/admin/helplines/{line_id}/history").text
    action = f"/admin/helplines/{line_id}/versions/{first}/restore"
    assert client.post(action, data=form_fields(page, action)).status_code == 303
    shown = client.get(f"/admin/helplines/{line_id}/edit").text
    assert "That version cannot be saved again as it was:" in shown
    assert "looks like a freephone number cut short" in shown
    with app.app_context():
        assert service.get_helpline(line_id).contacts[0].value == "+3531800459459"
