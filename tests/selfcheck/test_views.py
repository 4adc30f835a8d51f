"""The self-check page and its no-JavaScript path."""

from __future__ import annotations

import logging

from tests.pagecheck import check_page


def test_check_page_lists_every_question_as_radios_and_embeds_the_rules(client):
    response = client.get("/check")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    check_page(html, "/check")
    assert html.count('type="radio"') == 4 + 16 * 3
    assert 'id="app-selfcheck-rules"' in html
    assert 'id="selfcheck-result" aria-labelledby="result-heading" hidden' in html
    assert response.headers["Cache-Control"] == "no-cache"


def test_check_page_in_spanish(client):
    html = client.get("/check?lang=es").get_data(as_text=True)
    check_page(html, "/check?lang=es")
    assert '<html lang="es"' in html
    assert "Revise cómo está" in html
    assert "No lo deje ni lo reduzca de golpe" in html


def test_language_follows_the_browser_when_the_url_does_not_say(client):
    html = client.get("/check", headers={"Accept-Language": "es-MX,es;q=0.9"}).get_data(
        as_text=True
    )
    assert '<html lang="es"' in html
    assert 'href="tel:911"' in html  # Mexico's emergency number, from the region in the language


def test_no_javascript_post_is_scored_and_never_cached(client):
    response = client.post(
        "/check",
        data={
            "prescription": "prescribed",
            "more_than_prescribed": "often",
            "early_refills": "sometimes",
        },
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    html = response.get_data(as_text=True)
    check_page(html, "POST /check")
    assert "Your answers show some warning signs" in html
    assert "Do not stop or cut down suddenly" in html
    assert "Get help now" not in html
    # The answers come back checked so the person can change them.
    assert 'value="often" checked' in html


def test_red_flag_answer_puts_crisis_help_before_everything_else(client):
    from backend.helplines.service import load_seed_if_empty

    with client.application.app_context():
        load_seed_if_empty()  # the priority crisis line comes from the helpline directory
    html = client.post(
        "/check", data={"self_harm": "sometimes"}, headers={"Accept-Language": "en-US"}
    ).get_data(as_text=True)
    main = html[html.index("<main") :]
    crisis = main.index("Get help now")
    assert (
        crisis
        < main.index("What your answers show")
        < main.index("Do not stop or cut down suddenly")
    )
    assert 'href="tel:911"' in main[crisis : main.index("What your answers show")]
    assert (
        'href="tel:988"' in main[crisis : main.index("What your answers show")]
    )  # the priority crisis line


def test_unknown_answer_is_a_clear_400_that_keeps_the_valid_answers(client):
    response = client.post(
        "/check", data={"prescription": "prescribed", "self_harm": "perhaps", "memory": "often"}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "There is a problem" in html
    assert 'href="#q-self_harm"' in html
    assert 'name="memory" value="often" checked' in html
    assert 'name="prescription" value="prescribed" checked' in html


def test_answers_never_reach_the_logs(client, caplog):
    caplog.set_level(logging.DEBUG)
    client.post("/check", data={"self_harm": "often", "alcohol": "often"})
    client.post("/check", data={"self_harm": "bogus-answer-value"})
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "self_harm" not in logged and "bogus-answer-value" not in logged


def test_checklist_api_returns_the_definition_for_a_language(client):
    response = client.get("/api/v1/checklist?lang=es")
    assert response.status_code == 200
    body = response.get_json()
    assert body["lang"] == "es"
    assert body["rules"]["bands"][0]["id"] == "none"
    assert body["sections"][0]["id"] == "prescription"


def test_checklist_api_refuses_an_unknown_language_with_field_errors(client):
    response = client.get("/api/v1/checklist?lang=xx")
    assert response.status_code == 422
    body = response.get_json()
    assert set(body) == {"code", "status", "message", "errors"}
    assert "lang" in body["errors"]
