"""Every public page on a small phone, with the seed directory in place: at 320×640 nothing
overflows sideways, no text is under 14 px and primary actions are at least 44 px tall; the
dark header does not glare; the check-in table's name is never clipped; what takes focus is
never under the sticky header (WCAG 2.2 "focus not obscured"), after scoring, when tabbing
down the self-check, and on the family page's links. (axe on every page:
test_axe_on_phones_browser.py.)
"""

from __future__ import annotations

import pytest

from tests.pages.phone_pages import LOCALES, PAGES, check_in_with_history
from tests.selfcheck.selfcheck_steps import choose, open_page, submit

pytestmark = pytest.mark.browser

SMALLEST_TEXT = """() => {
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const element = node.parentElement;
    if (!node.textContent.trim() || !element || !element.getClientRects().length) continue;
    if (element.closest(".app-visually-hidden")) continue;
    const size = parseFloat(getComputedStyle(element).fontSize);
    if (size < 14) small.push([element.tagName, node.textContent.trim().slice(0, 30), size]);
  }
  return small;
}"""
OVERFLOWING = """(width) => [...document.querySelectorAll("body *")]
  .filter((element) => element.getClientRects().length
    && element.getBoundingClientRect().right > width + 0.5
    && !element.closest(".app-visually-hidden, .app-table-scroll"))
  .map((element) => `${element.tagName}.${element.className}`).slice(0, 6)"""


PRIMARY_TARGETS = ".app-button, .app-quick-exit, .app-call-link, .app-radio"
UNDER_44PX = """(selector) => [...document.querySelectorAll(selector)]
  .filter((element) => element.getClientRects().length > 0)
  .map((element) => [element.className, element.textContent.trim().slice(0, 40),
                     element.getBoundingClientRect().height])
  .filter(([, , height]) => height < 44)"""


@pytest.mark.parametrize("lang", ["en", "es"])
def test_nothing_overflows_at_320x640_no_text_is_under_14px_and_targets_are_44px(phone, lang):
    for name, visit in PAGES.items():
        with phone(320, 640, locale=LOCALES[lang]) as page:
            visit(page, lang)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 320, (name, page.evaluate(OVERFLOWING, 320))
            assert page.evaluate(SMALLEST_TEXT) == [], name
            assert page.evaluate(UNDER_44PX, PRIMARY_TARGETS) == [], name


def luminance(rgb: str) -> float:
    channels = [int(part) / 255 for part in rgb[rgb.index("(") + 1 : -1].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_the_dark_header_does_not_glare_and_keeps_its_contrast(phone):
    with phone(scheme="dark") as page:
        page.goto("/")
        colours = page.evaluate(
            """() => [getComputedStyle(document.querySelector(".app-header")).backgroundColor,
                      getComputedStyle(document.querySelector(".app-header__brand")).color,
                      getComputedStyle(document.body).backgroundColor]"""
        )
    header, text, body = (luminance(colour) for colour in colours)
    assert header < 0.05  # a deep colour at night (the light teal it replaced was 0.53)
    assert header < luminance("rgb(127, 209, 200)") / 10
    assert (max(header, text) + 0.05) / (min(header, text) + 0.05) >= 7  # AAA for its text
    assert abs(header - body) < 0.05  # no bright band above a dark page


def test_the_check_in_tables_name_is_never_clipped(phone):
    with phone(320, 640, locale="es-US") as page:
        check_in_with_history(page, "es")
        name = page.locator("#check-ins-table-caption")
        box = name.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320
        assert name.evaluate("(e) => e.scrollWidth <= e.clientWidth")
        assert page.locator("table.app-history--check-ins").get_attribute("aria-labelledby") == (
            "check-ins-table-caption"
        )


BELOW_HEADER = """(selector) => document.querySelector(selector).getBoundingClientRect().top
    >= document.querySelector(".app-header").getBoundingClientRect().bottom"""
RED_FLAG_ANSWERS = {
    "prescription": "someone_elses",
    "cravings": "often",
    "alcohol": "sometimes",
    "memory": "often",
    "self_harm": "sometimes",
}


@pytest.mark.parametrize("width", [320, 360])
def test_what_takes_focus_is_never_under_the_sticky_header(phone, width):
    with phone(width, 640, locale="es-US") as page:
        check_in_with_history(page, "es")  # strong withdrawal: the crisis box takes focus
        assert page.evaluate("() => document.activeElement.id") == "crisis-heading"
        assert page.evaluate("() => window.scrollY") > 0
        assert page.evaluate(BELOW_HEADER, "#crisis-heading")
        page.goto("/help-someone?lang=es")
        page.get_by_role("link", name="Primeros auxilios ante una convulsión").click()
        page.wait_for_url("**#seizure")
        assert page.evaluate(BELOW_HEADER, "#seizure")


@pytest.mark.parametrize("width", [320, 360])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_self_check_keeps_focus_clear_of_the_sticky_header(phone, lang, width):
    """A question reached with Tab, and the crisis heading that takes focus after scoring,
    stay below the header that sticks to the top."""
    with phone(width, 740, locale=LOCALES[lang]) as page:
        open_page(page, f"/check?lang={lang}")
        for _ in range(12):  # down the form, so the page has to scroll to show each question
            page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.type") == "radio"
        assert page.evaluate("() => window.scrollY") > 0
        assert page.evaluate(BELOW_HEADER, ":focus")

        choose(page, RED_FLAG_ANSWERS)
        submit(page)
        page.locator("#crisis-heading").wait_for()
        assert page.evaluate("() => document.activeElement.id") == "crisis-heading"
        assert page.evaluate("() => window.scrollY") > 0
        assert page.evaluate(BELOW_HEADER, "#crisis-heading")
