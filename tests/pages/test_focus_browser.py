"""Focus in a real browser, at 360×740 and 320 px, in English and Spanish: WCAG 2.2 "focus not
obscured" on the self-check. (axe on every public page, overflow, text size and target size at
320 px: test_small_screens_browser.py, with the seed directory in place.)
"""

from __future__ import annotations

import pytest

from tests.selfcheck.selfcheck_steps import choose, open_page, submit

pytestmark = pytest.mark.browser

RED_FLAG_ANSWERS = {
    "prescription": "someone_elses",
    "cravings": "often",
    "alcohol": "sometimes",
    "memory": "often",
    "self_harm": "sometimes",
}


def with_lang(path: str, lang: str) -> str:
    if lang == "en":
        return path
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


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
