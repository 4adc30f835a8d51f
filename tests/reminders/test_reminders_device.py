"""What the device does around reminders: "Delete everything on this device" also deletes
the subscription on the server (on the check-in page and under a self-check result), the
permission is asked only on a button press, and where push cannot work the page says why
and what to do."""

from __future__ import annotations

import pytest

from tests.reminders.reminder_steps import (
    api_status,
    fake_push_service,
    open_page,
    server_key,
    stored_reminder,
    wait_for_api_status,
    wait_for_worker,
)

pytestmark = pytest.mark.browser

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
# Counts permission requests, and answers them as the test says.
PERMISSION_PROMPT = """(answer) => {
  window.__asked = 0;
  let state = "default";
  Object.defineProperty(Notification, "permission", { get: () => state });
  Notification.requestPermission = async () => {
    window.__asked += 1;
    state = answer;
    return answer;
  };
}"""


def set_up(page, app, receiver) -> dict:
    fake_push_service(page, receiver.make_subscriber(server_key=server_key(app)))
    open_page(page, "/reminders", "app-reminders")
    wait_for_worker(page)
    page.click("[data-reminder-form] [data-submit]")
    page.wait_for_selector("[data-current]", state="visible")
    return stored_reminder(page)["local"]


def test_delete_everything_on_the_check_in_page_deletes_the_server_subscription(
    phone, live_server, receiver
):
    reminder = set_up(phone, live_server.app, receiver)
    open_page(phone, "/check-in", "app-check-in")
    phone.click("[data-device] [data-action=ask-delete-everything]")  # it asks first
    phone.click("[data-device] [data-action=confirm-delete-everything]")
    phone.wait_for_selector("[data-delete-status]:has-text('Everything Steady kept')")

    assert api_status(live_server.app, reminder) == 404
    assert phone.evaluate("Object.keys(localStorage)") == []
    assert "steady" not in [db["name"] for db in phone.evaluate("indexedDB.databases()")]


def test_delete_everything_under_a_self_check_result_deletes_the_server_subscription(
    phone, live_server, receiver
):
    reminder = set_up(phone, live_server.app, receiver)
    phone.goto("/check")
    phone.wait_for_selector("[data-module=app-selfcheck][data-module-started]", state="attached")
    phone.check('input[name="prescription"][value="prescribed"]')
    phone.click("form.app-selfcheck button[type=submit]")
    phone.click('#selfcheck-result [data-action="ask-delete-everything"]')  # it asks first
    phone.click('#selfcheck-result button[data-action="confirm-delete-everything"]')
    phone.wait_for_function("() => localStorage.getItem('steady.reminder') === null")

    assert wait_for_api_status(live_server.app, reminder, 404) == 404


def test_permission_is_asked_only_when_the_button_is_pressed(device, live_server, receiver):
    page = device.new_page()
    page.add_init_script(script=f"({PERMISSION_PROMPT})('granted')")
    fake_push_service(page, receiver.make_subscriber())
    open_page(page, "/reminders", "app-reminders")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__asked") == 0
    page.click("[data-reminder-form] [data-submit]")
    page.wait_for_selector("[data-current]", state="visible")
    assert page.evaluate("window.__asked") == 1


def test_a_refused_permission_says_how_to_allow_notifications_again(device, live_server):
    page = device.new_page()
    page.add_init_script(script=f"({PERMISSION_PROMPT})('denied')")
    sent = []
    page.on("request", lambda r: sent.append(r.url) if "/api/v1/reminders" in r.url else None)
    open_page(page, "/reminders", "app-reminders")
    page.click("[data-reminder-form] [data-submit]")

    note = page.locator("[data-problem=denied]")
    note.wait_for(state="visible")
    assert page.evaluate("document.activeElement.dataset.problem") == "denied"
    assert "Notifications are blocked for Steady" in note.inner_text()
    assert "choose Allow" in note.inner_text()
    assert "private or incognito window" in note.inner_text()
    assert sent == []


def test_on_an_iphone_outside_the_home_screen_the_page_gives_the_steps(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, user_agent=IPHONE, viewport={"width": 360, "height": 740}
    )
    page = context.new_page()
    # Safari on iOS has no PushManager until Steady is opened from the Home Screen.
    page.add_init_script(script="delete window.PushManager;")
    try:
        open_page(page, "/reminders", "app-reminders")
        note = page.locator("[data-problem=ios]")
        assert note.is_visible()
        assert "Add to Home Screen" in note.inner_text()
        assert page.locator("[data-reminder-form]").is_hidden()
        assert page.locator("[data-needs-js]").is_hidden()
    finally:
        context.close()


def test_where_service_workers_cannot_run_the_page_mentions_private_windows(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.add_init_script(script="delete Navigator.prototype.serviceWorker;")
    try:
        open_page(page, "/reminders", "app-reminders")
        note = page.locator("[data-problem=unsupported]")
        assert note.is_visible()
        assert "private or incognito window" in note.inner_text()
        assert page.locator("[data-reminder-form]").is_hidden()
    finally:
        context.close()


def test_offline_the_page_shows_the_copy_kept_on_the_device(device, phone, live_server, receiver):
    set_up(phone, live_server.app, receiver)
    device.set_offline(True)
    phone.reload()
    phone.wait_for_selector("[data-offline-copy]", state="visible")
    assert phone.locator("[data-current] [data-show=timezone]").inner_text() == "Europe/Madrid"
