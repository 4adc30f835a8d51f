"""Every public page on a phone, with the seed directory in place: axe (WCAG 2.0–2.2 A/AA and
best practice) finds nothing at 360×740 in English and Spanish, light and dark; at 320×640
nothing overflows sideways and no text is under 14 px; the dark header does not glare; the
check-in table's name is never clipped; what takes focus is never under the sticky header.

Full-page screenshots (360×740, dark, both languages) of the red-flag result, the family
page, the overdose page and the directory go to test-artifacts/screenshots/crisis/, for a
person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pages.conftest import RED_FLAGS, score_on_device, started

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots" / "crisis"
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    }
}
LOCALES = {"en": "en-US", "es": "es-US"}
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


def go(path: str):
    def visit(page, lang: str) -> None:
        page.goto(f"{path}{'&' if '?' in path else '?'}lang={lang}")
        started(page)

    return visit


def red_flag_result(page, lang: str) -> None:
    go("/check")(page, lang)
    score_on_device(page, RED_FLAGS)


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
FOR_A_PERSON_TO_LOOK_AT = ("result-red-flag", "family", "overdose", "directory")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_axe_finds_nothing_on_any_page_at_360px(phone, lang, scheme):
    from axe_playwright_python.sync_playwright import Axe

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, visit in PAGES.items():
        with phone(360, 740, locale=LOCALES[lang], scheme=scheme) as page:
            visit(page, lang)
            results = Axe().run(page, options=AXE_OPTIONS)
            assert results.violations_count == 0, f"{name}:\n{results.generate_report()}"
            if scheme == "dark" and name in FOR_A_PERSON_TO_LOOK_AT:
                page.evaluate("() => window.scrollTo(0, 0)")
                page.screenshot(path=SCREENSHOTS / f"{name}-{lang}-dark.png", full_page=True)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_nothing_overflows_at_320x640_and_no_text_is_under_14px(phone, lang):
    for name, visit in PAGES.items():
        with phone(320, 640, locale=LOCALES[lang]) as page:
            visit(page, lang)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 320, (name, page.evaluate(OVERFLOWING, 320))
            assert page.evaluate(SMALLEST_TEXT) == [], name


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


@pytest.mark.parametrize("width", [320, 360])
def test_what_takes_focus_is_never_under_the_sticky_header(phone, width):
    below_header = """(selector) => document.querySelector(selector).getBoundingClientRect().top
        >= document.querySelector(".app-header").getBoundingClientRect().bottom"""
    with phone(width, 640, locale="es-US") as page:
        check_in_with_history(page, "es")  # strong withdrawal: the crisis box takes focus
        assert page.evaluate("() => document.activeElement.id") == "crisis-heading"
        assert page.evaluate("() => window.scrollY") > 0
        assert page.evaluate(below_header, "#crisis-heading")
        page.goto("/help-someone?lang=es")
        page.get_by_role("link", name="Primeros auxilios ante una convulsión").click()
        page.wait_for_url("**#seizure")
        assert page.evaluate(below_header, "#seizure")
