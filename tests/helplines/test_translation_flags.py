"""Translations kept honest (issue 13, item 6): an English text changed without its Spanish
flags the Spanish; until it is updated the Spanish page shows the English, marked lang="en"."""

from __future__ import annotations

import json

import pytest

from backend.accounts import service as accounts
from backend.helplines import service
from backend.helplines.schemas import HelplineSchema
from tests.admin.console import form_fields, make_operator, sign_in
from tests.helplines.helpers import EDITOR, line_data
from tests.pagecheck import check_page

NOTE = {"en": "Press 2 for Spanish.", "es": "Marque 2 para español."}


def add():
    contact = {"kind": "call", "value": "988", "note": NOTE, "hours": {"always_open": True}}
    data = line_data(
        name={"en": "Night Line", "es": "Línea de noche"},
        description={"en": "Open at night.", "es": "Abierta de noche."},
        contacts=[contact],
    )
    return service.create_helpline(HelplineSchema().load(data), EDITOR)


def test_an_english_change_flags_its_spanish_twin_until_it_is_updated(app):
    with app.app_context():
        line = add()
        line = service.update_helpline(
            line.id,
            {"description": {"en": "Open at night and weekends.", "es": "Abierta de noche."}},
            1,
            EDITOR,
        )
        assert line.needs_translation == ["description"]
        assert line.words("description", "es") == "Open at night and weekends."
        assert line.words("name", "es") == "Línea de noche"
        assert service.stale_queue()[0].id == line.id  # waits in the stale queue
        line = service.update_helpline(
            line.id,
            {
                "description": {
                    "en": "Open at night and weekends.",
                    "es": "Abierta de noche y fines de semana.",
                }
            },
            2,
            EDITOR,
        )
        assert line.needs_translation == []


def test_a_contact_note_is_flagged_and_the_spanish_page_marks_the_english(app):
    with app.app_context():
        line = add()
        contact = {"kind": "call", "value": "988", "hours": {"always_open": True}}
        contact["note"] = {"en": "Press 3 for Spanish.", "es": NOTE["es"]}
        contacts = HelplineSchema().load(line_data(contacts=[contact]))["contacts"]
        line = service.update_helpline(line.id, {"contacts": contacts}, 1, EDITOR)
        assert line.needs_translation == ["contacts.0.note"]
    spanish = app.test_client().get("/helplines?country=US&lang=es").text
    assert '<span lang="en">Press 3 for Spanish.</span>' in spanish  # in the contact component
    assert NOTE["es"] not in spanish
    assert "Parte de este texto está en inglés" in spanish
    english = app.test_client().get("/helplines?country=US&lang=en").text
    assert 'lang="en">Press 3' not in english  # the page is English already


def test_the_console_flags_it_and_an_operator_can_say_the_spanish_still_fits(app):
    with app.app_context():
        line_id = str(add().id)
    client = app.test_client()
    assert sign_in(client, make_operator(app)).status_code == 303
    path = f"/admin/helplines/{line_id}/edit"
    fields = form_fields(client.get(path).text, path)
    fields["name_en"] = "Night and Day Line"
    assert client.post(path, data=fields).status_code == 303
    page = client.get(path).text
    check_page(page, path)
    assert "Name (Spanish)</li>" in page and "Spanish needs translation" in page
    assert "Spanish needs translation" in client.get("/admin/helplines/stale").text
    spanish = app.test_client().get("/helplines?country=US&lang=es").text
    assert '<h3 class="app-helpline__name" id="line-' in spanish
    assert 'lang="en">Night and Day Line</h3>' in spanish
    action = f"/admin/helplines/{line_id}/translated"
    assert client.post(action, data=form_fields(page, action)).status_code == 303
    with app.app_context():
        assert service.get_helpline(line_id).needs_translation == []
    assert ">Línea de noche</h3>" in app.test_client().get("/helplines?country=US&lang=es").text


@pytest.mark.parametrize("way", ["api", "import"])
def test_through_the_api_and_an_import_alike(app, way):
    with app.app_context():
        line = add()
        line_id = str(line.id)
        operator = accounts.create_operator("ed@example.org", "Ed", "editor", "a long passphrase")
        _token, plaintext = accounts.issue_api_token(operator, "script")
        items = service.export_json()
    if way == "api":
        response = app.test_client().patch(
            f"/api/v1/helplines/{line_id}",
            json={"name": {"en": "Renamed", "es": "Línea de noche"}},
            headers={"Authorization": f"Bearer {plaintext}", "If-Match": '"1"'},
        )
        assert response.get_json()["needs_translation"] == ["name"]
    else:
        items[0]["name"]["en"] = "Renamed"
        with app.app_context():
            service.apply_import(json.dumps(items).encode(), "json", EDITOR)
    with app.app_context():
        assert service.get_helpline(line_id).needs_translation == ["name"]
