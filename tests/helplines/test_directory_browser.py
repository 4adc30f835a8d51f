"""The public helpline directory in a real browser: by keyboard only, axe-clean, and with
each line's hours moved into the device's own time zone."""

from __future__ import annotations

import re

import pytest

from tests.axe import no_axe_violations

pytestmark = pytest.mark.browser

EVENING_CHAT = {
    "name": {"en": "Evening chat (test)"},
    "country": "CY",  # a country the seed has no line for
    "source_status": "unconfirmed",
    "contacts": [
        {
            "kind": "web",
            "value": "https://example.org/chat",
            "hours": {
                "always_open": False,
                "timezone": "Europe/Madrid",
                "periods": [{"day": 0, "opens": "18:00", "closes": "24:00"}],
            },
        }
    ],
}


@pytest.fixture(scope="module")
def directory(live_server):
    """The seed list, and one line with weekly hours, in the live server's database."""
    from backend.audit import Actor
    from backend.helplines import service
    from backend.helplines.schemas import HelplineSchema

    with live_server.app.app_context():
        service.load_seed_if_empty()
        if not service.search_helplines(country="CY").total:
            service.create_helpline(HelplineSchema().load(EVENING_CHAT), Actor(None, "test"))
    return live_server


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until `selector` has the focus (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def assert_no_violations(page, where: str, *, colours_only: bool = False) -> None:
    no_axe_violations(page, where, colours_only=colours_only)


def test_filtering_by_country_and_open_now_by_keyboard_alone(browser, directory):
    context = browser.new_context(
        base_url=directory.url, locale="en-US", viewport={"width": 360, "height": 740}
    )
    try:
        page = context.new_page()
        page.goto("/helplines")
        assert page.locator("#filter-country").input_value() == "US"  # from the browser's language
        tab_to(page, ".app-directory__filter-summary")  # the lines come first; filters fold away
        page.keyboard.press("Enter")
        tab_to(page, "#filter-country")
        page.keyboard.type("Ireland")
        tab_to(page, "#filter-open-now")
        page.keyboard.press("Space")
        tab_to(page, ".app-directory__filters button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert re.search(r"country=IE.*open_now=1", page.url)
        names = page.locator(".app-helpline__name").all_inner_texts()
        assert "Samaritans" in names  # open all day
        assert "HSE Drugs and Alcohol Helpline" not in names  # hours not known: not "open now"
        assert page.locator("#filter-open-now").is_checked()
        tab_to(page, 'a[href="tel:116123"]')  # the call link is reachable and focusable
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            where = f"/helplines?country=IE&open_now=1 ({scheme})"
            assert_no_violations(page, where, colours_only=scheme == "dark")
    finally:
        context.close()


def test_weekly_hours_are_rewritten_into_the_devices_time_zone(browser, directory):
    context = browser.new_context(
        base_url=directory.url,
        locale="en-US",
        timezone_id="Asia/Kolkata",
        viewport={"width": 360, "height": 740},
    )
    try:
        page = context.new_page()
        page.goto("/helplines?country=CY")
        page.wait_for_selector("[data-module=app-helplines][data-module-started]")
        hours = page.locator("[data-hours]")
        # 18:00–24:00 in Madrid on a Monday is 22:30–04:30 in Kolkata (winter) or 21:30–03:30.
        assert re.fullmatch(r"Monday: (22:30–04:30|21:30–03:30)", hours.locator("li").inner_text())
        assert hours.locator("[data-hours-zone]").inner_text() == (
            "Times shown in your time zone (India Standard Time)."
        )
        assert re.fullmatch(
            r"(Open now, until|Closed now, opens) (today|\w+day) at \d\d:\d\d",
            hours.locator("[data-hours-state]").inner_text(),
        )
        assert_no_violations(page, "/helplines?country=CY with device hours")
    finally:
        context.close()


def test_without_javascript_the_hours_stay_in_the_lines_own_zone(browser, directory):
    context = browser.new_context(
        base_url=directory.url,
        locale="en-US",
        timezone_id="Asia/Kolkata",
        java_script_enabled=False,
    )
    try:
        page = context.new_page()
        page.goto("/helplines?country=CY")
        hours = page.locator("[data-hours]")
        assert hours.locator("li").inner_text() == "Monday: 18:00–24:00"
        assert (
            hours.locator("[data-hours-zone]").inner_text() == "Times shown in Spain (Madrid) Time."
        )
    finally:
        context.close()
