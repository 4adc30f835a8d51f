"""A reminder end to end in a real browser: set up on /reminders, sent by the worker to a
real Web Push receiver, decrypted there, handed to the service worker through DevTools,
shown with the discreet text; "Stop these reminders" deletes the subscription."""

from __future__ import annotations

import json
import time

import pytest

from tests.reminders.reminder_steps import (
    api_status,
    change_push_subscription,
    fake_push_service,
    make_due,
    notifications,
    open_page,
    registration_id,
    send_due,
    server_key,
    stored_reminder,
    tap_notification_action,
    wait_for_worker,
)

pytestmark = pytest.mark.browser


def set_up_reminder(page, message: str = "checkin") -> dict:
    page.check(f'input[name="message"][value="{message}"]')
    page.click("[data-reminder-form] [data-submit]")
    page.wait_for_selector("[data-current]", state="visible")
    return stored_reminder(page)["local"]


def test_reminder_travels_from_the_worker_to_the_notification_with_the_discreet_text(
    device, phone, live_server, receiver
):
    app = live_server.app
    subscriber = receiver.make_subscriber(server_key=server_key(app))
    fake_push_service(phone, subscriber)
    open_page(phone, "/reminders", "app-reminders")
    wait_for_worker(phone)

    reminder = set_up_reminder(phone, message="moment")
    assert phone.evaluate("window.__push.serverKey") == server_key(app)
    assert api_status(app, reminder) == 200

    make_due(app, reminder["id"])
    assert "sent 1" in send_due(app)
    [message] = receiver.wait_for(1, subscriber=subscriber)
    assert set(message.payload) == {"o", "m", "l"}
    assert message.payload["m"] == "moment" and message.payload["l"] == "en"

    cdp = device.new_cdp_session(phone)
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server.url,
            "registrationId": registration_id(cdp, live_server.url),
            "data": message.text,
        },
    )
    [shown] = notifications(phone)
    assert shown["title"] == "Steady"
    assert shown["body"] == "A moment for you"
    assert shown["tag"] == f"steady-reminder-{message.payload['o']}"
    assert shown["icon"].endswith("/static/icons/icon-192.png")
    assert shown["actions"] == [{"action": "stop", "title": "Stop these reminders"}]


def deliver(device, page, origin: str, payload: str) -> None:
    cdp = device.new_cdp_session(page)
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": origin, "registrationId": registration_id(cdp, origin), "data": payload},
    )


def test_stop_these_reminders_on_the_notification_deletes_the_subscription_everywhere(
    device, phone, live_server, receiver
):
    app = live_server.app
    subscriber = receiver.make_subscriber(server_key=server_key(app))
    fake_push_service(phone, subscriber)
    open_page(phone, "/reminders?lang=es", "app-reminders")
    wait_for_worker(phone)
    reminder = set_up_reminder(phone)
    assert stored_reminder(phone)["shared"]["token"] == reminder["token"]  # for the worker

    make_due(app, reminder["id"])
    send_due(app)
    [message] = receiver.wait_for(1, subscriber=subscriber)
    assert message.payload["l"] == "es"
    deliver(device, phone, live_server.url, message.text)
    [shown] = notifications(phone)
    assert shown["body"] == "Es hora de revisar cómo estás"
    assert shown["actions"] == [{"action": "stop", "title": "Detener estos recordatorios"}]

    tap_notification_action(device, shown["tag"], "stop")

    assert api_status(app, reminder) == 404
    assert stored_reminder(phone)["shared"] is None
    [stopped] = notifications(phone)
    assert stopped["tag"] == "steady-reminders-stopped"
    assert stopped["body"].startswith("Los recordatorios están desactivados")
    # Back on the page, the device learns they are gone and offers to set them up again.
    open_page(phone, "/reminders?lang=es", "app-reminders")
    phone.wait_for_selector("[data-reminder-form]", state="visible")
    assert phone.locator("[data-current]").is_hidden()
    assert "ya estaban borrados" in phone.locator("[data-status]").inner_text()
    assert stored_reminder(phone) == {"local": None, "shared": None}


def test_a_push_in_an_unknown_shape_still_shows_the_default_discreet_text(
    device, phone, live_server
):
    open_page(phone, "/check-in", "app-check-in")
    wait_for_worker(phone)
    deliver(device, phone, live_server.url, '{"o": "7", "m": "<b>take your pills</b>", "l": "fr"}')
    [shown] = notifications(phone)
    assert shown["body"] == "Time for your check-in"
    assert shown["tag"] == "steady-reminder-7"


def test_a_replaced_push_subscription_is_registered_again_with_the_same_schedule(
    device, phone, live_server, receiver
):
    app = live_server.app
    old = receiver.make_subscriber(server_key=server_key(app))
    fake_push_service(phone, old)
    open_page(phone, "/reminders", "app-reminders")
    wait_for_worker(phone)
    before = set_up_reminder(phone, message="hello")

    new = receiver.make_subscriber(server_key=server_key(app))
    change_push_subscription(device, new)

    after = stored_reminder(phone)["shared"]
    assert after["id"] != before["id"]
    assert api_status(app, before) == 404  # the dead address is gone from the server
    body = (
        app.test_client()
        .get(
            f"/api/v1/reminders/{after['id']}",
            headers={"Authorization": f"Bearer {after['token']}"},
        )
        .get_json()
    )
    assert body["schedule"]["times"] == before["schedule"]["times"]
    assert body["message"] == "hello"
    # The page picks up the worker's new id and token.
    open_page(phone, "/reminders", "app-reminders")
    phone.wait_for_selector("[data-current]", state="visible")
    assert stored_reminder(phone)["local"]["id"] == after["id"]

    make_due(app, after["id"])
    send_due(app)
    assert receiver.wait_for(1, subscriber=new)[0].payload["m"] == "hello"
    assert receiver.delivered(old) == []


SHOWN_IDS = """async (ids) => new Promise((resolve, reject) => {
  const request = indexedDB.open("steady");
  request.onsuccess = () => {
    const db = request.result;
    const transaction = db.transaction("shown", "readwrite");
    const store = transaction.objectStore("shown");
    const read = ids === null ? store.get("ids") : store.put(ids, "ids");
    transaction.oncomplete = () => { db.close(); resolve(ids === null ? read.result : null); };
    transaction.onerror = () => reject(transaction.error);
  };
  request.onerror = () => reject(request.error);
})"""


def shown_tags(page) -> set[str]:
    return {n["tag"] for n in notifications(page, count=0, timeout=0)}


def deliver_and_settle(device, page, origin: str, occurrences: list[str]) -> set[str]:
    """Deliver pushes for `occurrences`, then a fresh one; once that shows, every earlier
    push has been handled (one IndexedDB transaction each, in order): the tags shown."""
    sentinel = f"sentinel-{time.monotonic_ns()}"
    for occurrence in [*occurrences, sentinel]:
        deliver(device, page, origin, json.dumps({"o": occurrence, "m": "checkin", "l": "en"}))
    deadline = time.monotonic() + 10
    while f"steady-reminder-{sentinel}" not in shown_tags(page):
        assert time.monotonic() < deadline, "the last push never showed"
        time.sleep(0.05)
    time.sleep(0.2)
    return {tag for tag in shown_tags(page) if "sentinel-" not in tag}


def dismiss(page) -> None:
    page.evaluate(
        """async () => {
          const registration = await navigator.serviceWorker.ready;
          for (const n of await registration.getNotifications()) n.close();
        }"""
    )


def test_an_occurrence_is_shown_once_even_after_it_was_dismissed(device, phone, live_server):
    open_page(phone, "/check-in", "app-check-in")
    wait_for_worker(phone)
    origin = live_server.url
    assert deliver_and_settle(device, phone, origin, ["occ-1"]) == {"steady-reminder-occ-1"}
    assert deliver_and_settle(device, phone, origin, ["occ-1"]) == {"steady-reminder-occ-1"}
    dismiss(phone)  # the person swiped it away; the push service then sends a repeat
    assert deliver_and_settle(device, phone, origin, ["occ-1", "occ-1"]) == set()
    # The device keeps the last 100 ids under one key, oldest first.
    phone.evaluate(SHOWN_IDS, [f"id-{n}" for n in range(100)])
    dismiss(phone)
    assert deliver_and_settle(device, phone, origin, ["id-99", "occ-2"]) == {
        "steady-reminder-occ-2"
    }
    ids = phone.evaluate(SHOWN_IDS, None)
    assert len(ids) == 100 and ids[0] == "id-2" and ids[-2] == "occ-2"
