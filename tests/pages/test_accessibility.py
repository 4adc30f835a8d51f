"""Accessibility in a real browser: axe-core (WCAG 2.0–2.2 A/AA and best practice) finds no
violation on any public page, in English and Spanish, light and dark, at 360×740; at 320 px
nothing overflows sideways and primary actions are at least 44 px tall.

Each page is also saved as a full-page screenshot under test-artifacts/screenshots/, for a
person to look at.
"""

from __future__ import annotations

import pytest

from tests.selfcheck.selfcheck_steps import ROOT, choose, open_page, result_action, submit

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    }
}
RED_FLAG_ANSWERS = {
    "prescription": "someone_elses",
    "cravings": "often",
    "alcohol": "sometimes",
    "memory": "often",
    "self_harm": "sometimes",
}
PRIMARY_TARGETS = ".app-button, .app-quick-exit, .app-call-link, .app-radio"


def with_lang(path: str, lang: str) -> str:
    if lang == "en":
        return path
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


def show_result_on_device(page, lang: str) -> None:
    """The self-check scored with JavaScript on, one result saved (so history shows)."""
    open_page(page, with_lang("/check", lang))
    choose(page, RED_FLAG_ANSWERS)
    submit(page)
    result_action(page, "save")
    page.locator("[data-history-rows] tr").wait_for()


def show_result_from_server(page, lang: str) -> None:
    """The no-JavaScript result page: the form posted as a browser without scripts would."""
    open_page(page, with_lang("/check", lang))
    with page.expect_navigation():
        page.evaluate(
            """(answers) => {
              const form = document.querySelector("form.app-selfcheck");
              for (const [name, value] of Object.entries(answers)) {
                form.querySelector(`input[name="${name}"][value="${value}"]`).checked = true;
              }
              HTMLFormElement.prototype.submit.call(form);
            }""",
            RED_FLAG_ANSWERS,
        )
    page.locator("#change-answers").wait_for()


def visit(path: str):
    def go(page, lang: str) -> None:
        open_page(page, with_lang(path, lang))

    return go


PAGES = {
    "home": visit("/"),
    "check": visit("/check"),
    "check-result": show_result_on_device,
    "check-result-no-js": show_result_from_server,
    "help-someone": visit("/help-someone"),
    "helplines": visit("/helplines"),
    "helplines-us": visit("/helplines?country=US"),
    "privacy": visit("/privacy"),
    "overdose": visit("/overdose"),
    "offline": visit("/offline"),
    "not-found": visit("/no-such-page"),
}


@pytest.fixture
def screen(browser, live_server):
    """A phone-sized page without a service worker (nothing here needs one)."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 360, "height": 740},
        service_workers="block",
    )
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_violation(screen, name, lang, scheme):
    from axe_playwright_python.sync_playwright import Axe

    screen.emulate_media(color_scheme=scheme)
    PAGES[name](screen, lang)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    screen.evaluate("() => window.scrollTo(0, 0)")  # else the sticky header lands mid-picture
    screen.screenshot(path=SCREENSHOTS / f"{name}-{lang}-{scheme}.png", full_page=True)

    results = Axe().run(screen, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("name", list(PAGES))
def test_readable_at_320px_with_44px_primary_targets(screen, name, lang):
    screen.set_viewport_size({"width": 320, "height": 740})
    PAGES[name](screen, lang)

    assert screen.evaluate("() => document.documentElement.scrollWidth") <= 320
    too_small = screen.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
          .filter((element) => element.getClientRects().length > 0)
          .map((element) => [element.className, element.textContent.trim().slice(0, 40),
                             element.getBoundingClientRect().height])
          .filter(([, , height]) => height < 44)""",
        PRIMARY_TARGETS,
    )
    assert too_small == []


@pytest.mark.parametrize("width", [320, 360])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_focus_is_never_hidden_under_the_sticky_header(screen, lang, width):
    """WCAG 2.2 "focus not obscured": the heading that takes focus after scoring, and a
    question reached with Tab, stay below the header that sticks to the top."""
    screen.set_viewport_size({"width": width, "height": 740})
    open_page(screen, with_lang("/check", lang))
    for _ in range(12):  # down the form, so the page has to scroll to show each question
        screen.keyboard.press("Tab")
    clear_of_header = """() => document.activeElement.getBoundingClientRect().top
        >= document.querySelector(".app-header").getBoundingClientRect().bottom"""
    assert screen.evaluate("() => document.activeElement.type") == "radio"
    assert screen.evaluate("() => window.scrollY") > 0
    assert screen.evaluate(clear_of_header)

    choose(screen, RED_FLAG_ANSWERS)
    submit(screen)
    screen.locator("#crisis-heading").wait_for()
    assert screen.evaluate("() => document.activeElement.id") == "crisis-heading"
    assert screen.evaluate("() => window.scrollY") > 0
    assert screen.evaluate(clear_of_header)
