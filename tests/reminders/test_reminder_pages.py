"""The reminders and check-in pages as the server renders them: what is kept comes first,
only discreet notification texts, no form that could send check-in answers, Spanish too,
and the service worker's copy of the texts kept equal to the pages' translations."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from backend.reminders.views import MESSAGE_KEYS, notification_texts
from tests.pagecheck import check_page

SERVICE_WORKER = Path(__file__).resolve().parents[2] / "frontend" / "static" / "sw.js"
SERVICE_WORKER_PUSH = SERVICE_WORKER.with_name("sw-push.js")  # its push half
# Words a lock screen must never show.
GIVEAWAYS = re.compile(r"medic|pill|dose|clonazepam|klonopin|benzo|medicament|dosis|pastilla", re.I)


def main_of(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/reminders", "Check-in reminders"),
        ("/reminders?lang=es", "Recordatorios para revisar cómo está"),
        ("/check-in", "Your 30-second check-in"),
        ("/check-in?lang=es", "Revise cómo está en 30 segundos"),
    ],
)
def test_both_pages_render_in_english_and_spanish_and_pass_the_page_checker(client, path, heading):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert "Set-Cookie" not in response.headers
    facts = check_page(response.get_data(as_text=True), path)
    assert facts.h1 == [heading]
    assert facts.lang == ("es" if "lang=es" in path else "en")


def test_reminders_page_says_what_the_server_keeps_before_it_offers_anything(client):
    main = main_of(client.get("/reminders").get_data(as_text=True))
    kept = main.index("What our server keeps, and how to delete it")
    assert kept < main.index("data-reminder-form") < main.index("Turn on reminders")
    assert "the push address your browser gives us" in main
    assert "the days, times and time zone you choose" in main
    assert "No name, no phone number, no email address, and none of your check-ins." in main
    assert "Delete my reminders" in main[kept:]


def test_reminders_page_without_javascript_explains_and_asks_for_nothing(client):
    main = main_of(client.get("/reminders").get_data(as_text=True))
    needs_js = re.search(r"<div[^>]*data-needs-js[^>]*>", main).group(0)
    assert "hidden" not in needs_js
    assert "Reminders need JavaScript." in main
    # The form, the schedule and the "why not here" notes wait for the script.
    assert re.search(r"<form[^>]*data-reminder-form[^>]*\shidden", main)
    assert re.search(r"<section[^>]*data-current[^>]*\shidden", main)
    for problem in ("ios", "unsupported", "denied"):
        assert re.search(rf'data-problem="{problem}"[^>]*\shidden', main), problem


def test_reminders_page_tells_iphone_users_to_add_steady_to_the_home_screen(client):
    main = main_of(client.get("/reminders").get_data(as_text=True))
    assert "add Steady to your Home Screen first" in main
    assert "16.4 or later" in main
    for step in ("Tap the Share button", "Add to Home Screen", "Open Steady from the new icon"):
        assert step in main
    assert "private or incognito window, reminders cannot work" in main


@pytest.mark.parametrize("lang", ["en", "es"])
def test_notification_texts_are_a_fixed_discreet_choice_never_free_text(client, lang):
    main = main_of(client.get(f"/reminders?lang={lang}").get_data(as_text=True))
    form = main[main.index("data-reminder-form") :]
    values = re.findall(r'name="message" value="(\w+)"', form)
    assert tuple(values) == MESSAGE_KEYS
    assert re.search(r'name="message" value="checkin" checked', form)  # the default
    assert 'type="text" id="timezone"' in form  # the only text box is the time zone
    assert form.count('type="text"') == 1
    assert "<textarea" not in form
    with client.application.test_request_context(f"/?lang={lang}"):
        client.application.preprocess_request()
        for text in notification_texts().values():
            assert not GIVEAWAYS.search(text), text
            assert f"“{text}”" in form


def test_check_in_page_has_no_form_that_could_send_answers_without_javascript(client):
    main = main_of(client.get("/check-in").get_data(as_text=True))
    assert "The check-in needs JavaScript." in main
    assert "we never do that" in main
    assert re.search(r"<form[^>]*data-check-in-form[^>]*\shidden", main)
    assert 'method="post"' not in main


def test_check_in_asks_the_thirty_second_questions_and_the_safety_question(client):
    main = main_of(client.get("/check-in").get_data(as_text=True))
    for name, count in (("feeling", 5), ("sleep", 5), ("anxiety", 5), ("cravings", 5)):
        assert main.count(f'name="{name}"') == count
    assert re.findall(r'name="as_prescribed" value="(\w+)"', main) == [
        "yes",
        "no",
        "not_prescribed",
    ]
    assert re.findall(r'name="withdrawal" value="(\w+)"', main) == ["none", "mild", "strong"]
    assert re.findall(r'name="reducing" value="(\w+)"', main) == ["yes", "no"]
    assert 'name="self_harm"' in main
    assert "I have had thoughts of harming myself" in main


def test_check_in_renders_crisis_help_hidden_ahead_of_the_rest_of_the_result(client):
    main = main_of(
        client.get("/check-in", headers={"Accept-Language": "en-US"}).get_data(as_text=True)
    )
    crisis = main.index('id="crisis-heading"')
    assert re.search(r"<section[^>]*data-crisis[^>]*\shidden", main)
    assert crisis < main.index("Saved on this phone") < main.index("Tell your prescriber")
    assert 'href="tel:911"' in main[crisis : main.index("Saved on this phone")]
    # Never a dose: the advice points to the prescriber.
    result = main[main.index('id="check-in-result"') : main.index("data-check-in-form")]
    assert not re.search(r"\d+\s*mg|milligram|half|cut (it|your dose) by", result, re.I)
    assert "Do not change your dose on your own" in result


def service_worker_texts() -> dict[str, dict[str, str]]:
    source = SERVICE_WORKER_PUSH.read_text(encoding="utf-8")
    block = source[source.index("const NOTIFICATION_TEXTS") :]
    found = {}
    for lang in ("en", "es"):
        part = block[block.index(f"  {lang}: {{") :]
        messages = part[part.index("messages: {") : part.index("},")]
        found[lang] = dict(re.findall(r'(\w+): "([^"]+)"', messages))
    return found


@pytest.mark.parametrize("lang", ["en", "es"])
def test_service_worker_shows_the_same_texts_the_page_offers(app, lang):
    with app.test_request_context(f"/?lang={lang}"):
        app.preprocess_request()
        assert service_worker_texts()[lang] == notification_texts()


def test_service_worker_precaches_both_pages_in_both_languages():
    source = SERVICE_WORKER.read_text(encoding="utf-8")
    pages = source[
        source.index("const PAGES = [") : source.index("];", source.index("const PAGES"))
    ]
    assert '"/reminders"' in pages and '"/check-in"' in pages
    assert "PAGES.map((path) => `${path}?lang=es`)" in source
