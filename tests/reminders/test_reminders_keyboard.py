"""The reminders page by keyboard alone: set up, change, pause, start again and delete,
each step checked against the API; and mistakes reported in an error summary that takes
focus and links to the field."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.reminders.conftest import TIME_ZONE
from tests.reminders.reminder_steps import (
    fake_push_service,
    focused,
    open_page,
    server_key,
    stored_reminder,
    tab_until,
    type_time,
    wait_for_worker,
)

pytestmark = pytest.mark.browser


def reminder_on_server(app, reminder: dict):
    response = app.test_client().get(
        f"/api/v1/reminders/{reminder['id']}",
        headers={"Authorization": f"Bearer {reminder['token']}"},
    )
    return response.status_code, response.get_json()


def shown(page, name: str) -> str:
    return page.locator(f"[data-current] [data-show={name}]").inner_text()


def test_reminders_can_be_set_up_changed_paused_and_deleted_by_keyboard_alone(
    phone, live_server, receiver
):
    app = live_server.app
    fake_push_service(phone, receiver.make_subscriber(server_key=server_key(app)))
    open_page(phone, "/reminders", "app-reminders")
    wait_for_worker(phone)
    # Nothing is asked of the browser until the button is pressed.
    assert phone.evaluate("Notification.permission") == "granted"  # granted by the test only
    assert phone.evaluate("window.__push.subscribed") == 0

    tab_until(phone, lambda f: f["name"] == "days" and f["value"] == "0")
    tab_until(phone, lambda f: f["name"] == "days" and f["value"] == "5")
    phone.keyboard.press("Space")  # no Saturday
    phone.keyboard.press("Tab")
    phone.keyboard.press("Space")  # no Sunday
    tab_until(phone, lambda f: f["id"] == "time-1")
    type_time(phone, "07:30")
    tab_until(phone, lambda f: f["id"] == "time-2")
    type_time(phone, "11:45")
    zone = tab_until(phone, lambda f: f["id"] == "timezone")
    assert zone["value"] == TIME_ZONE  # taken from the device
    phone.keyboard.press("Control+A")
    phone.keyboard.type("America/Mexico_City")
    tab_until(phone, lambda f: f["name"] == "message")
    phone.keyboard.press("ArrowDown")
    assert focused(phone)["value"] == "moment"
    tab_until(phone, lambda f: f["text"] == "Turn on reminders")
    phone.keyboard.press("Enter")

    phone.wait_for_selector("[data-current]", state="visible")
    assert focused(phone)["id"] == "current-heading"
    assert shown(phone, "days") == "Monday, Tuesday, Wednesday, Thursday, Friday"
    assert shown(phone, "times") == "07:30, 11:45"
    assert shown(phone, "timezone") == "America/Mexico_City"
    assert shown(phone, "message") == "“A moment for you”"
    assert "Reminders are on." in phone.locator("[data-status]").inner_text()
    reminder = stored_reminder(phone)["local"]
    status, body = reminder_on_server(app, reminder)
    assert status == 200
    assert body["schedule"]["days"] == [0, 1, 2, 3, 4]
    assert sorted(body["schedule"]["times"]) == ["07:30", "11:45"]
    assert body["schedule"]["timezone"] == "America/Mexico_City"
    assert body["message"] == "moment" and body["lang"] == "en"

    # Change: a third time of day.
    tab_until(phone, lambda f: f["text"] == "Change days, times or text", key="Shift+Tab")
    phone.keyboard.press("Enter")
    assert focused(phone)["id"] == "form-heading"
    assert phone.locator("#form-heading").inner_text() == "Change your reminders"
    tab_until(phone, lambda f: f["id"] == "time-3")
    type_time(phone, "06:15")
    tab_until(phone, lambda f: f["text"] == "Save changes")
    phone.keyboard.press("Enter")
    phone.wait_for_selector("[data-current]", state="visible")
    assert shown(phone, "times") == "06:15, 07:30, 11:45"
    assert sorted(reminder_on_server(app, reminder)[1]["schedule"]["times"]) == [
        "06:15",
        "07:30",
        "11:45",
    ]

    # Pause for three days: reminders start again on the fourth (the person's local date).
    tab_until(phone, lambda f: f["id"] == "pause-days")
    phone.keyboard.press("Control+A")
    phone.keyboard.type("3")
    phone.keyboard.press("Enter")
    phone.wait_for_selector("[data-paused]", state="visible")
    today = datetime.now(ZoneInfo("America/Mexico_City")).date()
    assert reminder_on_server(app, reminder)[1]["schedule"]["paused_until"] == str(
        today + timedelta(days=3)
    )
    assert "They start again on" in phone.locator("[data-paused]").inner_text()

    tab_until(phone, lambda f: f["text"] == "Start again now")
    phone.keyboard.press("Enter")
    phone.wait_for_selector("[data-paused]", state="hidden")
    assert reminder_on_server(app, reminder)[1]["schedule"]["paused_until"] is None

    tab_until(phone, lambda f: f["text"] == "Delete my reminders")
    phone.keyboard.press("Enter")
    phone.wait_for_selector("[data-reminder-form]", state="visible")
    assert reminder_on_server(app, reminder)[0] == 404
    assert stored_reminder(phone) == {"local": None, "shared": None}
    assert phone.evaluate("window.__push.unsubscribed") == 1
    assert (
        "deleted, on our server and on this device" in phone.locator("[data-status]").inner_text()
    )
    assert focused(phone)["id"] == "form-heading"


def test_mistakes_are_listed_in_a_summary_that_takes_focus_and_links_to_each_field(
    phone, live_server, receiver
):
    fake_push_service(phone, receiver.make_subscriber())
    open_page(phone, "/reminders", "app-reminders")
    for day in range(7):
        phone.uncheck(f'input[name="days"][value="{day}"]')
    phone.fill("#time-1", "")
    phone.fill("#timezone", "Mars/Olympus_Mons")
    phone.focus("[data-submit]")
    phone.keyboard.press("Enter")

    summary = phone.locator("[data-error-summary]")
    summary.wait_for(state="visible")
    assert focused(phone)["tag"] == "div" and "There is a problem" in focused(phone)["text"]
    assert summary.locator("a").all_inner_texts() == [
        "Choose at least one day.",
        "Enter at least one time, like 09:00.",
        "We do not know that time zone. Choose one from the list, like Europe/Madrid.",
    ]
    assert phone.get_attribute("#timezone", "aria-invalid") == "true"
    assert "timezone-error" in phone.get_attribute("#timezone", "aria-describedby")
    assert phone.evaluate("window.__push.subscribed") == 0  # nothing asked, nothing sent
    phone.keyboard.press("Tab")
    phone.keyboard.press("Tab")
    phone.keyboard.press("Tab")
    phone.keyboard.press("Enter")  # the third link
    assert focused(phone)["id"] == "timezone"
    assert re.search("Mars", focused(phone)["value"])
