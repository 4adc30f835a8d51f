"""Creating and editing helplines in the console: the schema's errors on the fields,
the version check, and one audit row per change."""

from __future__ import annotations

from backend import audit
from backend.helplines import service
from tests.admin.console import form_fields, make_operator, sign_in
from tests.helplines.helpers import seed_count
from tests.pagecheck import check_page


def edit_form(client, line_id):
    path = f"/admin/helplines/{line_id}/edit"
    page = client.get(path)
    assert page.status_code == 200
    return path, form_fields(page.text, path)


def audit_rows(app, line_id):
    with app.app_context():
        return audit.list_entries(entity_type="helpline", entity_id=line_id)


def test_saving_the_form_unchanged_changes_nothing(seeded, editor_client, line_id):
    path, fields = edit_form(editor_client, line_id)
    _entries, before = audit_rows(seeded, line_id)
    response = editor_client.post(path, data=fields)
    assert response.status_code == 303, response.text
    with seeded.app_context():
        assert service.get_helpline(line_id).version == 1
    assert audit_rows(seeded, line_id)[1] == before


def test_an_edit_is_saved_with_one_audit_row_naming_the_operator(
    seeded, editor_client, plain_line_id
):
    line_id = plain_line_id
    path, fields = edit_form(editor_client, line_id)
    fields["name_en"] = "988 Lifeline (edited)"
    fields["contacts-0-hours_mode"] = "weekly"
    fields["contacts-0-timezone"] = "America/New_York"
    fields["contacts-0-hours"] = "Mon-Fri 09:00-17:00\nSat 22:00-02:00"
    response = editor_client.post(path, data=fields)
    assert response.status_code == 303, response.text
    with seeded.app_context():
        line = service.get_helpline(line_id)
        assert line.name["en"] == "988 Lifeline (edited)" and line.version == 2
        assert line.contacts[0].hours["timezone"] == "America/New_York"
        assert {"day": 5, "opens": "22:00", "closes": "02:00"} in line.contacts[0].hours["periods"]
        assert len(line.contacts) == 1
    entries, _ = audit_rows(seeded, line_id)
    assert entries[0].action == "helpline.update" and entries[0].actor_label == "Eddie (editor)"
    assert entries[0].changes["name"]["after"]["en"] == "988 Lifeline (edited)"
    page = editor_client.get(path)
    assert "Saved 988 Lifeline (edited) (version 2)." in page.text
    assert "Mon-Fri 09:00-17:00" in page.text


def test_bad_input_is_shown_on_each_field_with_a_summary_and_kept(seeded, editor_client, line_id):
    path, fields = edit_form(editor_client, line_id)
    fields["name_en"] = ""
    fields["regions"] = "CA-ON"
    fields["contacts-0-value"] = "12"
    fields["contacts-1-kind"] = "chat"
    fields["contacts-1-value"] = "http://insecure.example/chat"
    fields["contacts-2-hours_mode"] = "weekly"
    fields["contacts-2-timezone"] = "Mars/Olympus"
    fields["contacts-2-hours"] = "Mon 09:00-17:00\nTue nine to five\nMon 10:00-11:00"
    fields["contacts-4-value"] = "+18005551234"  # a value without a kind
    response = editor_client.post(path, data=fields)
    assert response.status_code == 422
    html = response.text
    check_page(html, path)
    summary = html.split('id="error-summary-title"')[1].split("</div>")[0]
    for target in (
        "#name_en",
        "#regions",
        "#contacts-0-value",
        "#contacts-1-value",
        "#contacts-2-timezone",
        "#contacts-2-hours",
        "#contacts-4-kind",
    ):
        assert f'href="{target}"' in summary, target
    assert 'id="contacts-2-hours-error"' in html and "Line 2:" in html
    assert "Mars/Olympus" in html and "is not an IANA time zone" in html
    assert 'aria-invalid="true"' in html
    assert 'value="http://insecure.example/chat"' in html  # the person's input is kept
    with seeded.app_context():
        assert service.get_helpline(line_id).version == 1


def test_overlapping_periods_name_the_line_they_were_typed_on(seeded, editor_client, line_id):
    path, fields = edit_form(editor_client, line_id)
    fields["contacts-0-hours_mode"] = "weekly"
    fields["contacts-0-timezone"] = "Europe/London"
    fields["contacts-0-hours"] = "Mon 09:00-17:00\n\nMon 16:00-18:00"
    response = editor_client.post(path, data=fields)
    assert response.status_code == 422
    assert "Line 3: Overlaps period 1" in response.text


def test_a_stale_version_shows_both_versions_and_overwrites_nothing(seeded, line_id, editor):
    first, second = seeded.test_client(), seeded.test_client()
    other = make_operator(seeded, "olly@steady.test", "Olly", "editor")
    sign_in(first, editor)
    sign_in(second, other)
    path, mine = edit_form(first, line_id)
    _path, theirs = edit_form(second, line_id)
    theirs["name_en"] = "Saved first by Olly"
    assert second.post(path, data=theirs).status_code == 303

    mine["name_en"] = "Typed by Eddie"
    mine["description_en"] = "Eddie's description"
    conflict = first.post(path, data=mine)
    assert conflict.status_code == 409
    html = conflict.text
    check_page(html, path)
    assert "Someone else changed this line while you were editing" in html
    assert "Olly (editor) saved it" in html
    assert "Saved first by Olly" in html and "Typed by Eddie" in html
    assert 'value="Typed by Eddie"' in html  # input preserved in the form
    with seeded.app_context():
        line = service.get_helpline(line_id)
        assert line.name["en"] == "Saved first by Olly" and line.version == 2
    # Saving again after seeing the other version is a deliberate choice, and works.
    again = form_fields(html, path)
    assert again["version"] == "2"
    assert first.post(path, data=again).status_code == 303
    with seeded.app_context():
        assert service.get_helpline(line_id).name["en"] == "Typed by Eddie"


def test_a_new_helpline_is_created_with_one_audit_row(seeded, editor_client):
    page = editor_client.get("/admin/helplines/new")
    fields = form_fields(page.text, "/admin/helplines/new")
    values = {
        "name_en": "Test Line",
        "country": "GB",
        "source_url": "https://example.org/",
        "contacts-0-kind": "call",
        "contacts-0-value": "0800 123 4567",
        "contacts-0-languages": "en, cy",
        "contacts-0-hours_mode": "always",
    }
    for name, value in values.items():
        fields[name] = value
    fields.setlist("topics", ["crisis", "mental_health"])
    response = editor_client.post("/admin/helplines/new", data=fields)
    assert response.status_code == 303, response.text
    new_id = response.location.split("/")[-2]
    with seeded.app_context():
        line = service.get_helpline(new_id)
        assert line.topics == ["crisis", "mental_health"] and line.country == "GB"
        assert line.contacts[0].value.startswith("+44") and line.contacts[0].languages == [
            "en",
            "cy",
        ]
        assert line.verified_on is None
    entries, total = audit_rows(seeded, new_id)
    assert total == 1 and entries[0].action == "helpline.create"


def test_an_empty_new_form_says_what_is_missing(seeded, editor_client):
    page = editor_client.get("/admin/helplines/new")
    response = editor_client.post(
        "/admin/helplines/new", data=form_fields(page.text, "/admin/helplines/new")
    )
    assert response.status_code == 422
    assert "The English text is required." in response.text
    assert 'href="#country"' in response.text and 'href="#contacts-0-kind"' in response.text


def test_archive_restore_and_verify_each_write_one_audit_row(seeded, editor_client, line_id):
    from tests.admin.console import csrf_token

    token = csrf_token(editor_client, "/admin/")
    for action, version in (("archive", 1), ("restore", 2), ("verify", 3)):
        response = editor_client.post(
            f"/admin/helplines/{line_id}/{action}", data={"csrf_token": token, "version": version}
        )
        assert response.status_code == 303
    entries, total = audit_rows(seeded, line_id)
    assert [e.action for e in entries[:3]] == [
        "helpline.verify",
        "helpline.restore",
        "helpline.archive",
    ]
    with seeded.app_context():
        line = service.get_helpline(line_id)
        assert line.verified_by == "Eddie (editor)" and not line.is_archived
    # An old version: refused, nothing written, and the person is told.
    stale = editor_client.post(
        f"/admin/helplines/{line_id}/archive", data={"csrf_token": token, "version": 1}
    )
    assert stale.status_code == 303 and stale.location.endswith("/edit")
    assert "was changed by someone else" in editor_client.get(stale.location).text
    assert audit_rows(seeded, line_id)[1] == total


def test_the_stale_queue_lists_unverified_lines_and_verifying_removes_one(seeded, editor_client):
    page = editor_client.get("/admin/helplines/stale")
    before = page.text.count("Mark verified<")
    assert before > 0
    action = page.text.split('action="')[1].split('"')[0]
    while "/verify" not in action:
        action = page.text.split(action)[1].split('action="')[1].split('"')[0]
    fields = form_fields(page.text, action)
    done = editor_client.post(action, data=fields)
    assert done.status_code == 303 and done.location == "/admin/helplines/stale"
    assert editor_client.get("/admin/helplines/stale").text.count("Mark verified<") == before - 1


def test_the_list_filters_and_pages(seeded, editor_client):
    listed = editor_client.get("/admin/helplines?country=US")
    assert "988 Suicide &amp; Crisis Lifeline" in listed.text and ">GB<" not in listed.text
    found = editor_client.get("/admin/helplines?q=poison")
    assert "Poison" in found.text and "988 Suicide" not in found.text
    stale = editor_client.get("/admin/helplines?stale=1")
    with seeded.app_context():
        waiting = len(service.stale_queue())  # the stale queue's own query
    assert f'<p role="status">{waiting} helpline' in stale.text and waiting > 0
    assert "Never verified" in stale.text or "Stale" in stale.text
    assert (
        '<p role="status">0 helplines.'
        in editor_client.get("/admin/helplines?status=archived").text
    )
    assert f"{seed_count()} helplines." in editor_client.get("/admin/helplines").text
    assert editor_client.get("/admin/helplines?page=abc").status_code == 200
    assert editor_client.get("/admin/helplines/not-a-uuid/edit").status_code == 404


def test_a_contact_can_be_marked_for_deaf_people_and_it_is_kept(
    seeded, editor_client, plain_line_id
):
    line_id = plain_line_id
    path, fields = edit_form(editor_client, line_id)
    assert fields["contacts-0-audience"] == ""
    fields["contacts-0-audience"] = "deaf"
    response = editor_client.post(path, data=fields)
    assert response.status_code == 303, response.text
    with seeded.app_context():
        line = service.get_helpline(line_id)
        assert [c.audience for c in line.contacts] == ["deaf"]
    assert edit_form(editor_client, line_id)[1]["contacts-0-audience"] == "deaf"
