"""The public `/helplines` page and the crisis lines other pages show, through check_page."""

from __future__ import annotations

import html as html_module
import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import update

from backend import create_app
from backend.database import utcnow
from backend.extensions import db
from backend.helplines import service
from backend.helplines.models import Helpline
from backend.helplines.schemas import HelplineSchema
from tests.helplines.helpers import EDITOR, line_data, seed_count, seed_records
from tests.pagecheck import check_page

SAMHSA = uuid.UUID("05870cd5-72d4-4547-845f-b510fbaddbd7")


@pytest.fixture
def seeded(app):
    with app.app_context():
        service.load_seed_if_empty()
    return app


def page(client, path: str, status: int = 200, **kwargs) -> str:
    response = client.get(path, **kwargs)
    assert response.status_code == status
    html = response.get_data(as_text=True)
    check_page(html, path)
    return html[html.index("<main") : html.index("</main>")]


def card(main: str, name: str) -> str:
    start = main.index(f">{name}<")
    end = main.find("</article>", start)
    return main[start:end]


def test_without_a_country_the_page_asks_for_one(client, seeded):
    main = page(client, "/helplines")
    assert "Choose your country to see its helplines." in main
    assert '<p class="app-status" data-offline-date="List as of {date}" hidden></p>' in main


def test_the_country_comes_from_the_browsers_language_and_can_be_changed(client, seeded):
    main = page(client, "/helplines", headers={"Accept-Language": "en-GB"})
    assert '<option value="GB" selected>United Kingdom</option>' in main
    assert "Samaritans" in main
    assert "Samaritans" not in page(
        client, "/helplines?country=MX", headers={"Accept-Language": "en-GB"}
    )


def test_cards_have_tap_to_call_and_text_links_from_the_data_only(client, seeded):
    main = page(client, "/helplines?country=US")
    assert 'href="tel:+18006624357">Call (800) 662-4357</a>' in main
    assert 'href="tel:988"' in main
    assert 'href="sms:988?body=AYUDA">Text AYUDA to 988</a>' in main
    assert 'href="sms:741741">Text 741741</a>' in main
    assert (
        'href="https://988lifeline.org/chat" rel="noreferrer">Chat online at 988lifeline.org</a>'
        in main
    )
    assert 'href="sms:435748">Text your ZIP code to 435748</a>' in main  # nothing prefilled
    assert 'href="tel:+18004874889">Textphone (TTY): (800) 487-4889</a>' in main
    numbers = set(re.findall(r'href="(?:tel|sms):([^"?]+)', main))
    assert numbers == {
        "+18006624357",
        "+18004874889",
        "435748",
        "988",
        "+18002221222",
        "741741",
        "+18553784373",
    }


def test_cards_show_languages_freeness_hours_and_when_they_were_checked(client, seeded):
    main = page(client, "/helplines?country=US")
    samhsa = card(main, "SAMHSA National Helpline")
    assert "In English and Spanish." in samhsa
    assert "Free." in samhsa and "Confidential." in samhsa
    assert "Checked on November 25, 2026." in samhsa
    assert "Open 24 hours, every day." in samhsa
    assert "Opening hours not confirmed." in card(
        main, "Partnership to End Addiction — family helpline"
    )


def test_lines_not_yet_confirmed_say_so(client, seeded):
    main = page(client, "/helplines?country=GB")
    frank = card(main, "FRANK")
    assert "Not yet confirmed by our team: check before you rely on it." in frank
    assert "Details not confirmed. Check talktofrank.com before you use this service." in frank
    assert 'href="tel:' not in frank  # the data has no number for FRANK


def test_a_line_checked_more_than_a_year_ago_may_be_out_of_date(client, seeded):
    with seeded.app_context():
        old = utcnow().date() - timedelta(days=400)
        db.session.execute(update(Helpline).where(Helpline.id == SAMHSA).values(verified_on=old))
        db.session.commit()
    samhsa = card(page(client, "/helplines?country=US"), "SAMHSA National Helpline")
    assert "may be out of date" in samhsa


def test_weekly_hours_are_shown_in_the_lines_zone_with_open_or_closed_now(client, app):
    hours = {
        "always_open": False,
        "timezone": "Europe/Madrid",
        "periods": [{"day": d, "opens": "18:00", "closes": "24:00"} for d in range(5)],
    }
    with app.app_context():
        data = line_data(
            name={"en": "Chat de la Esperanza"},
            country="ES",
            contacts=[{"kind": "chat", "value": "https://example.org/chat", "hours": hours}],
        )
        service.create_helpline(HelplineSchema().load(data), EDITOR)
    main = page(client, "/helplines?country=ES")
    chat = card(main, "Chat de la Esperanza")
    assert "Monday: 18:00–24:00" in chat and "Friday: 18:00–24:00" in chat
    assert "Times shown in Spain (Madrid) Time." in chat
    assert re.search(r"(Open now, until|Closed now, opens) \w+ at \d\d:\d\d", chat)
    assert "data-hours='{" in chat  # for js/helplines.js to move into the device's zone


def test_filters_narrow_the_list(client, seeded):
    def shown(query):
        found = re.findall(
            r'class="app-helpline__name"[^>]*>([^<]+)<', page(client, f"/helplines?{query}")
        )
        return [html_module.unescape(name) for name in found]

    assert shown("country=US&topic=poison_overdose") == ["Poison Help"]
    assert shown("country=US&contact=chat") == ["988 Suicide & Crisis Lifeline"]
    assert "Crisis Text Line" not in shown("country=US&contact=call")
    assert shown("country=MX&language=en") == []
    assert shown("country=GB&language=es") == [
        "Samaritans",
        "FRANK",
        "NHS 111",
    ]  # unknown languages
    assert len(shown("country=US&open_now=1")) == 4  # all but the line with unknown hours


def test_filters_are_kept_in_the_form(client, seeded):
    main = page(client, "/helplines?country=US&topic=crisis&contact=text&language=es&open_now=1")
    for expected in (
        '<option value="crisis" selected>',
        '<option value="text" selected>',
        '<option value="es" selected>',
        'value="1" checked',
    ):
        assert expected in main
    assert "Clear the filters" in main


def test_values_the_form_never_offers_are_ignored(client, seeded):
    main = page(client, "/helplines?country=US&topic=<script>&contact=fax&language=%%%")
    assert f"Helplines in United States: {seed_count('US')}" in main


def test_the_page_in_spanish(client, seeded):
    main = page(client, "/helplines?country=ES&lang=es")
    assert f"Líneas de ayuda en España: {seed_count('ES')}" in main
    assert "Abierto las 24 horas, todos los días." in main
    assert 'name="lang" value="es"' in main


def test_a_country_without_lines_says_so_and_points_to_emergency_help(client, seeded):
    assert seed_count("CY") == 0  # Cyprus: no crisis line an official source confirmed
    main = page(client, "/helplines?country=CY")
    assert "We have no checked helplines for this country yet." in main
    assert '<a href="https://findahelpline.com" rel="noreferrer">Find A Helpline</a>' in main
    assert 'href="https://www.befrienders.org"' in main


def test_crisis_help_takes_its_priority_lines_from_the_directory(client, seeded):
    html = client.post(
        "/check", data={"self_harm": "often"}, headers={"Accept-Language": "en-AU"}
    ).text
    crisis = html[html.index("Get help now") : html.index("What your answers show")]
    assert 'href="tel:000"' in crisis and 'href="tel:131114"' in crisis  # Lifeline, priority 1
    # Priority 2, but not confirmed by an official source: never in the crisis box.
    for unconfirmed in (
        r["name"]["en"]
        for r in seed_records()
        if r["country"] == "AU" and r["priority"] > 1 and r["source"]["status"] != "official"
    ):
        assert html_module.escape(unconfirmed) not in crisis
    assert "National Alcohol and Other Drug Hotline" not in crisis


def test_archived_lines_leave_the_page(client, seeded):
    with seeded.app_context():
        service.archive_helpline(SAMHSA, 1, EDITOR)
    assert "SAMHSA" not in page(client, "/helplines?country=US")


@pytest.fixture
def broken_app(tmp_path):
    """An app whose database cannot be opened."""
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/x.sqlite3"}
    )
    yield app
    with app.app_context():
        db.engine.dispose()


def test_pages_still_render_when_the_database_is_unreachable(broken_app, caplog):
    client = broken_app.test_client()
    response = client.get("/helplines?country=US")
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    check_page(response.text, "/helplines")
    strip = response.text[response.text.index('class="app-emergency"') :]
    assert 'href="tel:911" data-emergency-call' in strip  # the strip stays
    assert "The list cannot be loaded right now." in response.text
    html = client.post("/check", data={"self_harm": "often"}, headers={"Accept-Language": "en-US"})
    assert html.status_code == 200
    assert 'href="tel:911"' in html.text and "Get help now" in html.text
    warnings = [r for r in caplog.records if "helpline directory unavailable" in r.getMessage()]
    assert warnings and all("sqlite" not in r.getMessage().lower() for r in warnings)


def test_the_self_check_result_says_where_to_find_treatment_in_the_country(client, seeded):
    html = client.post(
        "/check", data={"self_harm": "never"}, headers={"Accept-Language": "en-US"}
    ).text
    finders = html[html.index("Find treatment near you") :]
    finders = finders[: finders.index("</div>\n  <p")]
    assert 'href="https://findtreatment.gov" rel="noreferrer">Website: findtreatment.gov' in finders
    assert "SAMHSA National Helpline" in finders
    spanish = client.post(
        "/check?lang=es", data={"self_harm": "never"}, headers={"Accept-Language": "es-US"}
    ).text
    assert "Dónde encontrar tratamiento cerca" in spanish
    cyprus = client.post("/check", data={}, headers={"Accept-Language": "el-CY"}).text
    assert "Find treatment near you" not in cyprus  # none known there: nothing made up
