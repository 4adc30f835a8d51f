"""The public pages as a phone opens them, for the small-screen and axe tests: each entry
opens one page (or one state of it: a result, a journal with history, filters open) in a
language, and waits until its scripts have started."""

from __future__ import annotations

from tests.pages.conftest import RED_FLAGS, score_on_device, started
from tests.selfcheck.selfcheck_steps import result_action

LOCALES = {"en": "en-US", "es": "es-US"}


def go(path: str):
    def visit(page, lang: str) -> None:
        page.goto(f"{path}{'&' if '?' in path else '?'}lang={lang}")
        started(page)

    return visit


def red_flag_result(page, lang: str) -> None:
    """Scored on the device and saved, so the history of results shows under it."""
    go("/check")(page, lang)
    score_on_device(page, RED_FLAGS)
    result_action(page, "save")
    page.locator("[data-history-rows] tr").wait_for()


def empty_result_without_javascript(page, lang: str) -> None:
    go("/check")(page, lang)
    with page.expect_navigation():
        page.evaluate("() => HTMLFormElement.prototype.submit.call(document.forms[1])")


def result_without_javascript(page, lang: str) -> None:
    go("/check")(page, lang)
    with page.expect_navigation():
        page.evaluate(
            """(answers) => {
              const form = document.querySelector("form.app-selfcheck");
              for (const [name, value] of Object.entries(answers)) {
                form.querySelector(`input[name="${name}"][value="${value}"]`).checked = true;
              }
              HTMLFormElement.prototype.submit.call(form);
            }""",
            RED_FLAGS,
        )


def check_in_with_history(page, lang: str) -> None:
    go("/check-in")(page, lang)
    started(page, "app-check-in")
    for value in ("2", "4"):
        for question in ("feeling", "sleep", "anxiety", "cravings"):
            page.check(f"input[name={question}][value='{value}']")
        page.check("input[name=withdrawal][value=strong]")
        page.click("#check-in-form button[type=submit]")
        page.wait_for_selector("#check-in-result:not([hidden])")
        if value == "2":
            page.click("[data-action=again]")


def directory_with_filters_open(page, lang: str) -> None:
    go("/helplines?country=US&topic=crisis")(page, lang)
    page.locator(".app-directory__filter-summary").click()


PAGES = {
    "home": go("/"),
    "check": go("/check"),
    "result-red-flag": red_flag_result,
    "result-no-js": result_without_javascript,
    "result-empty-no-js": empty_result_without_javascript,
    "family": go("/help-someone"),
    "family-no-lines": go("/help-someone?country=FR"),
    "directory": go("/helplines"),
    "directory-filtered": directory_with_filters_open,
    "directory-us": go("/helplines?country=US"),
    "directory-spain": go("/helplines?country=ES"),
    "privacy": go("/privacy"),
    "overdose": go("/overdose"),
    "overdose-australia": go("/overdose?country=AU"),
    "offline": go("/offline"),
    "check-in": check_in_with_history,
    "reminders": go("/reminders"),
    "delete-everything": go("/delete-everything"),
    "not-found": go("/no-such-page"),
}
