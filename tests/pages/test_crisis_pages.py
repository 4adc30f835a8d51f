"""The crisis path as the server renders it (no browser): Quick exit per country and language,
the language link keeping every query parameter, the country control without JavaScript,
confirmed lines only in the crisis box, the family page's lines, and the first-aid content
with its sources in both languages."""

from __future__ import annotations

import re

import pytest

from backend.helplines import service
from backend.helplines.schemas import HelplineSchema
from backend.pages.first_aid import first_aid_page
from backend.sources import sources
from tests.conftest import make_app
from tests.helplines.helpers import EDITOR, line_data
from tests.pagecheck import check_page


@pytest.fixture
def exits(database_url):
    """An app with no QUICK_EXIT_URL configured: the destinations come from the data file."""
    app = make_app(database_url, QUICK_EXIT_URL=None)
    return app.test_client()


def quick_exit(html: str) -> str:
    return re.search(r'<a class="app-quick-exit" href="([^"]+)"', html).group(1)


@pytest.mark.parametrize(
    ("query", "language", "expected"),
    [
        ("?country=US", "en-US", "https://www.weather.gov/"),
        ("?country=US&lang=es", "es-US", "https://www.weather.gov/"),
        ("?country=GB", "en-GB", "https://www.bbc.co.uk/weather"),
        ("?country=ES&lang=es", "es-ES", "https://www.aemet.es/"),
        ("?country=NZ", "en-NZ", "https://www.metservice.com/"),
        ("?lang=es", "es", "https://www.aemet.es/"),  # no country: the language's own site
        ("?country=CA", "en-CA", "https://www.bbc.co.uk/weather"),  # CA's not confirmed yet
    ],
)
def test_quick_exit_goes_to_a_neutral_site_for_the_country_and_language(
    exits, query, language, expected
):
    html = exits.get(f"/{query}", headers={"Accept-Language": language}).text
    assert quick_exit(html) == expected


def test_quick_exit_url_in_the_config_sends_everyone_to_one_site(database_url):
    # QUICK_EXIT_URL (as tests/conftest.py sets for the live server) wins over the data file
    # for every country and language.
    other = make_app(database_url, QUICK_EXIT_URL="https://exit.example/").test_client()
    for query in ("?country=US", "?country=ES&lang=es"):
        assert quick_exit(other.get(f"/{query}").text) == "https://exit.example/"


def test_the_country_control_carries_each_countrys_number_and_exit_for_the_device(exits):
    html = exits.get("/?lang=es&country=US").text
    assert '<option value="ES" data-number="112" data-exit="https://www.aemet.es/"' not in html
    assert (
        '<option value="US" data-number="911" data-exit="https://www.weather.gov/" selected>'
        in (html)
    )
    assert '<option value="AU" data-number="000" data-tty="106">Australia</option>' in html
    assert '<option value="ES" data-number="112">España</option>' in html  # es: aemet already


def test_the_language_link_keeps_every_query_parameter(client):
    html = client.get("/helplines?country=ES&topic=crisis&open_now=1").text
    link = re.search(r'<a class="app-header__lang" href="([^"]+)"', html).group(1)
    assert link == "/helplines?country=ES&amp;topic=crisis&amp;open_now=1&amp;lang=es"
    html = client.get("/check?lang=es&country=MX").text
    link = re.search(r'<a class="app-header__lang" href="([^"]+)"', html).group(1)
    assert link == "/check?country=MX&amp;lang=en"


def test_without_javascript_the_country_control_is_a_get_form_that_keeps_the_page(client):
    html = client.get("/helplines?lang=es&topic=crisis", headers={"Accept-Language": "es"}).text
    control = html[html.index('<details class="app-country">') : html.index("</details>")]
    assert '<form class="app-country__form" method="get" action="/helplines">' in control
    assert '<input type="hidden" name="lang" value="es">' in control
    assert '<input type="hidden" name="topic" value="crisis">' in control
    assert '<select class="app-country__select" id="country-choice" name="country"' in control
    assert "Elija su país" in control  # no country known yet
    chosen = client.get("/helplines?lang=es&topic=crisis&country=ES").text
    assert "Su país: España" in chosen
    assert 'href="/check?lang=es&amp;country=ES"' in chosen  # every link carries the choice
    assert "Set-Cookie" not in client.get("/?country=ES").headers


@pytest.fixture
def seeded(app):
    with app.app_context():
        service.load_seed_if_empty()
    return app


def crisis_box(client, language: str) -> str:
    html = client.post("/check", data={"self_harm": "often"}, headers={"Accept-Language": language})
    text = html.text
    return text[text.index('id="crisis-heading"') : text.index('id="result-heading"')]


def test_the_crisis_box_offers_only_confirmed_lines_else_other_countries_lines(client, seeded):
    us = crisis_box(client, "en-US")
    assert "988 Suicide &amp; Crisis Lifeline" in us and "findahelpline.com" not in us
    spain = crisis_box(client, "es-ES")  # 024's source is not confirmed: not in the box
    assert "024" not in spain.replace('href="tel:112"', "")
    assert 'href="tel:112"' in spain
    assert (
        '<a class="app-crisis__elsewhere" href="https://findahelpline.com" rel="noreferrer">'
        in (spain)
    )
    canada = crisis_box(client, "en-CA")  # 9-8-8 is only "official-republished" so far
    assert 'href="tel:911"' in canada and "9-8-8" not in canada
    assert "Crisis lines in other countries:" in canada


def test_the_family_page_lists_the_countrys_crisis_family_and_treatment_lines(client, seeded):
    with seeded.app_context():
        finder = line_data(
            name={"en": "Treatment finder (test)", "es": "Buscador de tratamiento (prueba)"},
            country="US",
            topics=["find_treatment"],
            contacts=[{"kind": "web", "value": "https://finder.example.org"}],
        )
        service.create_helpline(HelplineSchema().load(finder), EDITOR)
    html = client.get("/help-someone?country=US").text
    check_page(html, "/help-someone")
    safety = html[html.index('id="safety"') : html.index('id="overdose"')]
    assert "data-emergency-call" in safety and 'href="tel:911"' in safety
    assert 'href="tel:988">Call 988</a>' in safety  # the crisis lines as call buttons
    support = html[html.index('id="support"') : html.index('id="sources-heading"')]
    assert 'href="tel:+18553784373">Call (855) 378-4373</a>' in support  # family line, a link
    assert 'href="https://finder.example.org" rel="noreferrer">Website: finder.example.org' in (
        support
    )
    assert "Not yet confirmed by our team" in support  # the test finder is not verified
    assert 'href="/overdose?country=US#seizure"' in html
    assert "Never hide, throw away or hold back their prescribed benzodiazepine." in html
    assert "naloxone" in html and "Look after yourself too." in html
    # A country without such lines: nothing is made up.
    none = client.get("/help-someone?country=CY").text  # Cyprus: no line in the seed
    assert "Lines for families" not in none and "Find treatment near them" not in none


@pytest.mark.parametrize("lang", ["en", "es"])
def test_first_aid_content_cites_known_sources_and_matches_across_languages(lang):
    page = first_aid_page(lang)
    ids = [section["id"] for section in page["sections"]]
    assert ids == ["signs", "what-to-do", "seizure", "pills", "mixing"]
    seizure = page["sections"][2]
    assert len(seizure["steps"]) == 7 and len(seizure["call_list"]) == 6
    assert all(source in sources() for section in page["sections"] for source in section["sources"])
    for source in sources().values():
        assert source["url"].startswith(("http://", "https://"))
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", source["read_on"])
    text = str(page).lower()
    assert "most common" not in text and "más común" not in text


def test_the_overdose_page_shows_seizure_first_aid_and_where_each_fact_comes_from(client):
    html = client.get("/overdose?country=US").text
    check_page(html, "/overdose")
    assert "<h1>Overdose and seizures: what to do</h1>" in html
    seizure = html[html.index('id="seizure"') : html.index('id="pills"')]
    for words in (
        "Check the time when it starts",
        "Put nothing in their mouth",
        "roll them onto their side",
        "it lasts more than 5 minutes",
        "it is their first seizure",
        "do not wake up",
    ):
        assert words in seizure
    assert seizure.count('href="tel:911" data-emergency-call') == 2
    assert "bromazolam, fentanyl or nitazenes" in html
    assert "https://www.cdc.gov/epilepsy/communications/features/firstaid.htm" in html
    assert "Read on November 26, 2026." in html  # one date: all were read that day
    spanish = client.get("/overdose?country=US&lang=es").text
    assert "Si alguien tiene una convulsión" in spanish and "Consultado el 26" in spanish
