"""axe (WCAG 2.0–2.2 A/AA and best practice) finds nothing on any public page on a phone, at
360×740, in English and Spanish, light and dark, with the seed directory in place.

Full-page screenshots (360×740) of every page, in English light and Spanish dark, and of the
red-flag result, the family page, the overdose page and the directory in dark in both
languages, go to test-artifacts/screenshots/, for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.axe import no_axe_violations
from tests.pages.phone_pages import LOCALES, PAGES

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
FOR_A_PERSON_TO_LOOK_AT = ("result-red-flag", "family", "overdose", "directory")
SCREENSHOTS_OF_EVERY_PAGE = {("en", "light"), ("es", "dark")}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_axe_finds_nothing_on_any_page_at_360px(phone, lang, scheme):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, visit in PAGES.items():
        with phone(360, 740, locale=LOCALES[lang], scheme=scheme) as page:
            visit(page, lang)
            no_axe_violations(page, name, colours_only=scheme == "dark")
            crisis = scheme == "dark" and name in FOR_A_PERSON_TO_LOOK_AT
            if crisis or (lang, scheme) in SCREENSHOTS_OF_EVERY_PAGE:
                page.evaluate("() => window.scrollTo(0, 0)")  # else the header lands mid-way
                page.screenshot(path=SCREENSHOTS / f"{name}-{lang}-{scheme}.png", full_page=True)
