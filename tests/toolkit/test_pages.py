"""The toolkit's pages render for everyone, in each language, and pass the page checker."""

from __future__ import annotations

import pytest

from tests.pagecheck import check_page

TOOLKIT_PAGES = ["/plan", "/taper"]


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("path", TOOLKIT_PAGES)
def test_toolkit_page_passes_the_page_checker_in_each_language(client, path, lang):
    response = client.get(f"{path}?lang={lang}")
    assert response.status_code == 200
    facts = check_page(response.get_data(as_text=True), path)
    assert facts.lang == lang
    assert "Set-Cookie" not in response.headers


def test_plan_shows_the_countrys_crisis_lines_tap_to_call(app, client):
    from backend.helplines.service import load_seed_if_empty

    with app.app_context():
        load_seed_if_empty()
    html = client.get("/plan?country=US").get_data(as_text=True)
    start, end = html.index('id="plan-professionals"'), html.index('id="plan-safer_home"')
    professionals = html[start:end]
    assert 'href="tel:911"' in professionals
    assert 'href="tel:988"' in professionals
    assert 'data-country-lines="US"' in professionals  # swapped by country.js if it differs


def test_plan_never_suggests_stopping_and_its_form_is_never_sent(client):
    html = client.get("/plan").get_data(as_text=True)
    assert 'method="post"' not in html.lower()
    assert "flush" not in html.lower()
    assert "Do not stop it or change your dose on your own" in html
    assert "someone I trust keeps my medicine" in html
    assert "lockbox" in html and "naloxone" in html


def test_home_and_the_crisis_box_lead_to_the_plan(client):
    assert 'href="/plan"' in client.get("/").get_data(as_text=True)
    for path in ("/check", "/check-in"):  # the crisis box of red-flag results and check-ins
        html = client.get(path).get_data(as_text=True)
        crisis = html[html.index("data-crisis") :]
        assert 'class="app-crisis__plan" href="/plan"' in crisis[: crisis.index("</section>")]


@pytest.mark.parametrize(("lang", "names"), [
    ("en", ["Get help now", "My plan", "Check in"]),
    ("es", ["Pida ayuda ahora", "Mi plan", "Registro diario"]),
])  # fmt: skip
def test_manifest_offers_three_discreet_shortcuts(client, lang, names):
    manifest = client.get(f"/manifest.webmanifest?lang={lang}").get_json()
    assert [shortcut["name"] for shortcut in manifest["shortcuts"]] == names
    assert [shortcut["url"] for shortcut in manifest["shortcuts"]] == [
        "/helplines",
        "/plan",
        "/check-in",
    ]


def test_no_script_ever_sets_an_app_badge():
    from pathlib import Path

    static = Path(__file__).resolve().parents[2] / "frontend" / "static"
    for script in static.rglob("*.js"):
        assert "setAppBadge" not in script.read_text(encoding="utf-8"), script


def test_toolkit_pages_are_in_the_offline_set():
    from pathlib import Path

    sw = (Path(__file__).resolve().parents[2] / "frontend" / "static" / "sw.js").read_text()
    pages = sw[sw.index("const PAGES = [") : sw.index("];", sw.index("const PAGES = ["))]
    assert '"/plan"' in pages and '"/taper"' in pages


@pytest.mark.parametrize("lang", ["en", "es"])
def test_taper_diary_never_gives_a_dose_or_a_pace(client, lang):
    import re

    html = client.get(f"/taper?lang={lang}").get_data(as_text=True)
    text = re.sub(r"<[^>]+>", " ", html.split('id="main-content"')[1].split("</main>")[0])
    assert not re.search(r"\d+\s*(%|mg\b|per ?cent|por ciento)", text, re.I)
    assert not re.search(r"every \d+ (days|weeks)|cada \d+ (días|semanas)", text, re.I)
    assert 'method="post"' not in html.lower()
    never = {"en": "Steady never suggests a dose or a pace.", "es": "Steady nunca sugiere"}
    assert never[lang] in text
    stop = {"en": "do not stop suddenly", "es": "no lo deje de golpe"}
    assert stop[lang] in text
