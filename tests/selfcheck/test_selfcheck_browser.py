"""The self-check in a real browser: by keyboard alone, crisis help first, answers that never
leave the phone, the no-JavaScript path, results kept (and deleted) on the device only, and
answers in progress that survive a reload but not a Quick exit."""

from __future__ import annotations

import pytest

from backend.selfcheck import content
from tests.selfcheck.selfcheck_steps import (
    EXIT_URL,
    STEADY_KEYS,
    checked_answers,
    choose,
    history_rows,
    open_page,
    result_action,
    submit,
    wait_for_scripts,
    wait_until_controlled,
    words,
)

pytestmark = pytest.mark.browser

RULES = content.rules()
QUESTIONS = [question for section in RULES["sections"] for question in section["questions"]]
OPTIONS = {q["id"]: [option["id"] for option in q["options"]] for q in RULES["questions"]}

FOCUSED = """() => {
  const element = document.activeElement;
  return { id: element.id || null, name: element.name || null, value: element.value || null,
           checked: element.checked === true };
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def pick(page, question: str, option: str) -> None:
    """Choose `option` in the radio group that has focus (nothing chosen in it yet)."""
    steps = OPTIONS[question].index(option)
    if steps == 0:
        page.keyboard.press("Space")
    for _ in range(steps):
        page.keyboard.press("ArrowDown")  # moves to the next radio and chooses it
    assert focused(page) == {"id": None, "name": question, "value": option, "checked": True}


def tab_to(page, question: str, key: str = "Tab") -> None:
    page.keyboard.press(key)
    assert focused(page)["name"] == question, f"{key} did not reach {question}: {focused(page)}"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_self_check_can_be_done_with_the_keyboard_alone(page, lang):
    open_page(page, f"/check?lang={lang}")
    first = QUESTIONS[0]
    for _ in range(20):  # skip link, header, emergency strip, then the first question
        page.keyboard.press("Tab")
        if focused(page)["name"] == first:
            break
    else:
        pytest.fail("Tab never reached the first question")

    pick(page, "prescription", "prescribed")
    tab_to(page, "more_than_prescribed")
    pick(page, "more_than_prescribed", "often")
    tab_to(page, "prescription", key="Shift+Tab")  # back to change an answer
    page.keyboard.press("ArrowDown")
    assert focused(page)["value"] == "no_prescription"
    tab_to(page, "more_than_prescribed")
    tab_to(page, "early_refills")
    pick(page, "early_refills", "sometimes")
    for question in QUESTIONS[3:]:
        tab_to(page, question)
        if question != "memory":  # one question skipped: Tab goes straight past it
            pick(page, question, "never")
    page.keyboard.press("Enter")

    page.locator("#result-heading").wait_for()
    assert focused(page)["id"] == "result-heading"
    assert page.url.endswith(f"/check?lang={lang}")  # scored on the device: no page was sent
    texts = words(lang)
    assert (
        page.locator("[data-band]:visible").inner_text().startswith(texts["bands"]["some"]["title"])
    )
    assert page.locator("[data-crisis]").is_hidden()
    assert page.locator("form.app-selfcheck").is_hidden()
    signs = page.locator("[data-sign]:visible")
    assert [signs.nth(i).get_attribute("data-sign") for i in range(signs.count())] == [
        "prescription",
        "more_than_prescribed",
        "early_refills",
    ]
    assert page.get_by_text(texts["result"]["do_not_stop_title"]).is_visible()


@pytest.fixture(params=["javascript", "no-javascript"])
def any_page(request, browser, live_server):
    """A page with JavaScript on (scored on the device) or off (scored by the server)."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 360, "height": 740},
        java_script_enabled=request.param == "javascript",
    )
    yield context.new_page(), request.param == "javascript"
    context.close()


def test_red_flag_answer_puts_crisis_help_first(any_page):
    page, javascript = any_page
    page.goto("/check")
    if javascript:
        wait_for_scripts(page)
    choose(page, {"self_harm": "sometimes", "memory": "sometimes"})
    submit(page)

    crisis = page.locator("[data-crisis]")
    crisis.wait_for()
    band = page.locator("[data-band]:visible")
    assert band.is_visible()
    assert page.locator('[data-crisis] [data-flag="self_harm"]').is_visible()
    assert page.evaluate(
        """() => {
          const crisis = document.querySelector("[data-crisis]");
          const later = [document.querySelector("[data-band]:not([hidden])"),
                         document.getElementById("result-heading")];
          return later.every((el) => crisis.compareDocumentPosition(el)
                                     & Node.DOCUMENT_POSITION_FOLLOWING);
        }"""
    )
    crisis_box, band_box = crisis.bounding_box(), band.bounding_box()
    assert crisis_box["y"] + crisis_box["height"] <= band_box["y"]

    call = crisis.locator("a[data-emergency-call]")
    number = page.locator(".app-emergency a[data-emergency-call]").get_attribute("href")
    assert call.is_visible()
    assert call.get_attribute("href") == number  # the person's own emergency number
    assert number.startswith("tel:") and number[4:].isdigit()
    if javascript:  # scored on the device: focus moves to the crisis help
        assert focused(page)["id"] == "crisis-heading"


def test_no_request_carries_any_answer_when_the_check_is_done_on_the_device(
    context, page, live_server
):
    requests = []
    context.on("request", lambda request: requests.append(request))  # pages and worker
    page_requests = []
    page.on("request", lambda request: page_requests.append(request))
    page.add_init_script("window.print = () => { window.printed = (window.printed || 0) + 1; };")

    wait_until_controlled(page, "/")
    open_page(page, "/check")
    answers = {
        "prescription": "someone_elses",
        "cravings": "often",
        "alcohol": "often",
        "memory": "sometimes",
        "self_harm": "sometimes",
    }
    choose(page, answers)
    submit(page)
    page.locator("#crisis-heading").wait_for()
    result_action(page, "save")
    page.locator("[data-history-rows] tr").wait_for()
    result_action(page, "print")
    assert page.evaluate("() => window.printed") == 1
    result_action(page, "delete-all")
    page.wait_for_function(
        """() => {
          const status = document.querySelector("#selfcheck-result [data-delete-status]");
          return status.textContent === status.dataset.done;
        }"""
    )
    page.goto("/")  # anything sent on leaving the page (a beacon) would show up here
    page.wait_for_load_state("networkidle")

    assert page_requests, "the page's own requests were not recorded"
    assert {id(r) for r in page_requests} <= {id(r) for r in requests}
    assert any(r.service_worker for r in requests), "service worker requests were not recorded"
    answered = set(answers) | set(answers.values())
    for request in requests:
        where = f"{request.method} {request.url}"
        assert request.method == "GET", where
        assert request.post_data_buffer is None, where
        assert request.url.startswith(live_server.url + "/"), where
        headers = request.all_headers()  # as sent, not only the provisional ones
        sent = request.url + " " + " ".join(f"{k}: {v}" for k, v in headers.items())
        assert not {word for word in answered if word in sent.lower()}, where


def test_no_javascript_path_scores_on_the_server_without_keeping_anything(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/check")
        choose(page, {"prescription": "prescribed", "more_than_prescribed": "often"})
        choose(page, {"early_refills": "sometimes"})
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            submit(page)
        response = posted.value
        page.wait_for_load_state()

        assert response.status == 200
        assert response.headers["cache-control"] == "no-store"
        assert "set-cookie" not in response.headers
        texts = words("en")
        assert page.get_by_text(texts["bands"]["some"]["title"]).is_visible()
        assert page.get_by_text(texts["result"]["do_not_stop_title"]).is_visible()
        assert page.locator("[data-crisis]").count() == 0
        assert checked_answers(page) == {
            "prescription": "prescribed",
            "more_than_prescribed": "often",
            "early_refills": "sometimes",
        }
    finally:
        context.close()


def test_saved_results_build_a_history_on_the_device_and_delete_everything_empties_it(page):
    open_page(page, "/check")
    choose(page, {"prescription": "prescribed", "cravings": "sometimes"})
    submit(page)
    assert history_rows(page) == 0
    result_action(page, "save")
    page.locator("[data-history-rows] tr").wait_for()
    assert history_rows(page) == 1

    page.reload()
    wait_for_scripts(page)
    assert checked_answers(page) == {"prescription": "prescribed", "cravings": "sometimes"}
    choose(page, {"cravings": "often"})
    submit(page)
    assert history_rows(page) == 1  # the earlier result, shown for comparison
    result_action(page, "save")
    page.locator("[data-history-rows] tr").nth(1).wait_for()
    assert history_rows(page) == 2
    assert page.evaluate(STEADY_KEYS) == {
        "local": ["steady.selfcheck.results"],
        "session": ["steady.selfcheck.in-progress"],
    }

    result_action(page, "delete-all")
    page.locator("[data-history]").wait_for(state="hidden")
    assert history_rows(page) == 0
    assert page.evaluate(STEADY_KEYS) == {"local": [], "session": []}
    page.reload()
    wait_for_scripts(page)
    assert checked_answers(page) == {}
    submit(page)
    assert history_rows(page) == 0


def test_answers_in_progress_survive_a_reload_and_quick_exit_clears_them(page, live_server):
    page.goto("/")
    open_page(page, "/check")
    choose(page, {"prescription": "not_sure", "low_mood": "often"})
    page.reload()
    wait_for_scripts(page)
    assert checked_answers(page) == {"prescription": "not_sure", "low_mood": "often"}
    assert page.evaluate(STEADY_KEYS)["session"] == ["steady.selfcheck.in-progress"]

    page.click(".app-quick-exit")
    page.wait_for_url(EXIT_URL)
    open_page(page, f"{live_server.url}/check")
    assert page.evaluate(STEADY_KEYS) == {"local": [], "session": []}
    assert checked_answers(page) == {}
