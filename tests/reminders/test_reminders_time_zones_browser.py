"""The time zone box on /reminders is filled when the person comes to it, not while the page
loads (issue 15): asking the browser for its zone starts its time-zone data, a long task on a
slow phone that cost /reminders its Lighthouse performance score."""

from __future__ import annotations

import pytest

from tests.reminders.conftest import TIME_ZONE
from tests.reminders.reminder_steps import open_page

pytestmark = pytest.mark.browser


def test_time_zone_is_filled_when_the_box_comes_near_and_the_list_when_it_is_used(phone):
    open_page(phone, "/reminders", "app-reminders")
    box = phone.locator("#timezone")
    assert box.input_value() == ""  # nothing asked of the browser's zone data while loading
    assert phone.locator("#timezone-list option").count() == 0

    phone.evaluate("document.getElementById('timezone').scrollIntoView()")  # no focus
    phone.wait_for_function(f"() => document.getElementById('timezone').value === {TIME_ZONE!r}")
    assert phone.evaluate("document.activeElement.id") != "timezone"

    box.click()
    zones = phone.locator("#timezone-list option")
    assert zones.count() > 300
    assert TIME_ZONE in zones.evaluate_all("options => options.map((o) => o.value)")


def test_a_person_who_clears_the_box_is_not_given_the_device_zone_again(phone):
    open_page(phone, "/reminders", "app-reminders")
    phone.click("#timezone")
    assert phone.locator("#timezone").input_value() == TIME_ZONE
    phone.keyboard.press("Control+A")
    phone.keyboard.press("Backspace")
    phone.keyboard.press("Tab")
    phone.evaluate("window.scrollTo(0, 0)")
    phone.evaluate("document.getElementById('timezone').scrollIntoView()")
    phone.wait_for_timeout(300)  # the observer has had its chance
    assert phone.locator("#timezone").input_value() == ""
