"""Steps the reminders browser tests share: a stand-in for the browser's push service in the
page, the worker's one pass, the DevTools hand-over of a push to the service worker, and
what the notification tray and the device's storage hold."""

from __future__ import annotations

import json
import time
import uuid
from datetime import timedelta

# Headless Chromium cannot reach a real push service, so `subscribe()` returns a
# subscription pointing at the test's receiver, with keys the test generated (as a browser
# would). The key the page asked for is kept, to check it is the server's VAPID key.
FAKE_PUSH_SERVICE = """(subscriber) => {
  const bytes = (text) => {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const raw = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
    return Uint8Array.from(raw, (c) => c.charCodeAt(0)).buffer;
  };
  const base64url = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer)))
    .replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
  let current = null;
  window.__push = { subscribed: 0, unsubscribed: 0, serverKey: null };
  PushManager.prototype.subscribe = async function (options) {
    window.__push.subscribed += 1;
    window.__push.serverKey = base64url(options.applicationServerKey);
    current = {
      endpoint: subscriber.endpoint,
      expirationTime: null,
      options: { userVisibleOnly: true, applicationServerKey: options.applicationServerKey },
      getKey: (name) => bytes(subscriber.keys[name]),
      toJSON: () => ({ endpoint: subscriber.endpoint, expirationTime: null,
                       keys: { ...subscriber.keys } }),
      unsubscribe: async () => { current = null; window.__push.unsubscribed += 1; return true; },
    };
    return current;
  };
  PushManager.prototype.getSubscription = async function () { return current; };
}"""

NOTIFICATIONS = """async () => {
  const registration = await navigator.serviceWorker.ready;
  return (await registration.getNotifications()).map((n) => ({
    title: n.title, body: n.body, tag: n.tag, lang: n.lang, icon: n.icon, data: n.data,
    actions: n.actions.map((a) => ({ action: a.action, title: a.title })),
  }));
}"""

# A tap on a notification's action, as the notification centre delivers it. DevTools cannot
# click a notification headless, so the worker gets a NotificationEvent dispatched in its own
# scope; `waitUntil` is captured so the test waits for the listener's work to finish.
TAP_ACTION = """async ({ tag, action }) => {
  const [notification] = await self.registration.getNotifications({ tag });
  if (!notification) throw new Error(`no notification tagged ${tag}`);
  const event = new NotificationEvent("notificationclick", { notification, action });
  let work = Promise.resolve();
  event.waitUntil = (promise) => { work = promise; };
  self.dispatchEvent(event);
  await work;
}"""

STORED_REMINDER = """async () => {
  const local = JSON.parse(localStorage.getItem("steady.reminder") || "null");
  const shared = await new Promise((resolve) => {
    const request = indexedDB.open("steady");
    request.onsuccess = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains("reminder")) { db.close(); return resolve(null); }
      const get = db.transaction("reminder").objectStore("reminder").get("current");
      get.onsuccess = () => { db.close(); resolve(get.result ?? null); };
    };
    request.onerror = () => resolve(null);
  });
  return { local, shared };
}"""


def fake_push_service(page, subscriber) -> None:
    """Make `pushManager.subscribe()` in this page return `subscriber`'s subscription."""
    data = {
        "endpoint": subscriber.endpoint,
        "keys": {"p256dh": subscriber.p256dh, "auth": subscriber.auth},
    }
    page.add_init_script(script=f"({FAKE_PUSH_SERVICE})({json.dumps(data)})")


def server_key(app) -> str:
    """The live server's VAPID application server key."""
    return app.test_client().get("/api/v1/push/key").get_json()["public_key"]


def open_page(page, path: str, module: str) -> None:
    """Go to `path` and wait until its component has started (app.js marks it)."""
    page.goto(path)
    page.wait_for_selector(f"[data-module={module}][data-module-started]", state="attached")


def wait_for_worker(page) -> None:
    """Wait until the service worker is active and controls the page."""
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def stored_reminder(page) -> dict:
    """What the device keeps: {local: localStorage copy, shared: IndexedDB copy}."""
    return page.evaluate(STORED_REMINDER)


def make_due(app, reminder_id: str, ago: timedelta = timedelta(minutes=1)) -> None:
    """Move the subscription's next reminder into the recent past, as time passing would."""
    from backend.database import utcnow
    from backend.extensions import db
    from backend.reminders.models import ReminderSubscription

    with app.app_context():
        subscription = db.session.get(ReminderSubscription, uuid.UUID(reminder_id))
        subscription.next_due_at = utcnow() - ago
        db.session.commit()


def send_due(app) -> str:
    """One pass of the worker (`flask reminders send-due`) against the live server's app."""
    result = app.test_cli_runner().invoke(args=["reminders", "send-due"])
    assert result.exit_code == 0, result.output
    return result.output


def api_status(app, reminder: dict) -> int:
    """The API's answer to GET /api/v1/reminders/<id> with the device's token."""
    response = app.test_client().get(
        f"/api/v1/reminders/{reminder['id']}",
        headers={"Authorization": f"Bearer {reminder['token']}"},
    )
    return response.status_code


def wait_for_api_status(app, reminder: dict, status: int, timeout: float = 5.0) -> int:
    """Poll the API until it answers `status` for the reminder (work the page does after a
    click may finish a moment later); return the last status seen."""
    deadline = time.monotonic() + timeout
    while (seen := api_status(app, reminder)) != status and time.monotonic() < deadline:
        time.sleep(0.05)
    return seen


def registration_id(cdp, origin: str, timeout: float = 10.0) -> str:
    """The service worker registration's id, from DevTools' ServiceWorker domain."""
    found: list[str] = []

    def seen(event) -> None:
        for registration in event["registrations"]:
            if registration["scopeURL"] == f"{origin}/" and not registration["isDeleted"]:
                found.append(registration["registrationId"])

    cdp.on("ServiceWorker.workerRegistrationUpdated", seen)
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + timeout
    while not found and time.monotonic() < deadline:
        cdp.send("Runtime.evaluate", {"expression": "1"})  # lets pending events arrive
        time.sleep(0.05)
    assert found, "the service worker registration never showed up in DevTools"
    return found[-1]


def notifications(page, count: int = 1, timeout: float = 10.0) -> list[dict]:
    """The notifications shown by our service worker, once at least `count` are there."""
    deadline = time.monotonic() + timeout
    while True:
        shown = page.evaluate(NOTIFICATIONS)
        if len(shown) >= count or time.monotonic() > deadline:
            return shown
        time.sleep(0.05)


def service_worker(context):
    """Playwright's handle on the context's service worker (waits for it if needed)."""
    return (
        context.service_workers[0]
        if context.service_workers
        else context.wait_for_event("serviceworker")
    )


def tap_notification_action(context, tag: str, action: str) -> None:
    """Deliver a tap on `action` of the notification tagged `tag` to the service worker."""
    service_worker(context).evaluate(TAP_ACTION, {"tag": tag, "action": action})


FOCUSED = """() => {
  const element = document.activeElement;
  return { tag: element.tagName.toLowerCase(), id: element.id || null,
           name: element.getAttribute("name"), value: element.value ?? null,
           checked: element.checked === true, text: element.textContent.trim().slice(0, 80) };
}"""


def focused(page) -> dict:
    """What has the keyboard focus."""
    return page.evaluate(FOCUSED)


def tab_until(page, matches, limit: int = 60, key: str = "Tab") -> dict:
    """Press Tab until `matches(focused)` holds; fail after `limit` presses."""
    for _ in range(limit):
        page.keyboard.press(key)
        now = focused(page)
        if matches(now):
            return now
    raise AssertionError(f"{key} never reached the element; last focus: {focused(page)}")


def type_time(page, hh_mm: str) -> None:
    """Type a morning time into the focused time input, one key at a time (each field of
    the input moves on by itself). "HHMM" then "A" reads the same on a 24-hour clock (the
    A is ignored) and on a 12-hour one, whichever the browser's own language shows."""
    assert hh_mm < "12:00", "only morning times type the same on both clocks"
    for key in hh_mm.replace(":", "") + "A":
        page.keyboard.press(key)


# The browser replaced its push subscription. Chromium never fires this event itself, so
# the worker gets one dispatched in its scope, carrying the new subscription as Firefox does.
SUBSCRIPTION_CHANGED = """async (subscription) => {
  const event = new ExtendableEvent("pushsubscriptionchange");
  Object.defineProperty(event, "newSubscription", {
    value: { endpoint: subscription.endpoint, toJSON: () => subscription },
  });
  Object.defineProperty(event, "oldSubscription", { value: null });
  let work = Promise.resolve();
  event.waitUntil = (promise) => { work = promise; };
  self.dispatchEvent(event);
  await work;
}"""


def change_push_subscription(context, subscriber) -> None:
    """Tell the service worker the browser now pushes to `subscriber` instead."""
    service_worker(context).evaluate(SUBSCRIPTION_CHANGED, subscriber.subscription)
