"""Shown once, for bench/hostile.py: every copy the push services got (duplicates included)
handed to Steady's real service worker in Chromium through DevTools, 40 occurrences at a time
(each one's copies in the order they arrived), dismissing what is on screen between rounds;
the service worker's showNotification() calls are counted per occurrence."""

from __future__ import annotations

import json
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from backend import create_app
from testkit.chromium import CHROMIUM, CHROMIUM_ARGS, COUNT_SHOWN

DISMISS = """async () => {
  for (const n of await (await navigator.serviceWorker.ready).getNotifications()) n.close();
}"""


def _registration_id(cdp, origin: str) -> str:
    found: list[str] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: found.extend(
            r["registrationId"] for r in event["registrations"] if r["scopeURL"] == f"{origin}/"
        ),
    )
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while not found and time.monotonic() < deadline:
        cdp.send("Runtime.evaluate", {"expression": "1"})
        time.sleep(0.05)
    return found[-1]


def shown_twice(copies: dict[str, list]) -> tuple[int, int]:
    """(occurrences shown more than once, never shown); `copies`: id → received messages."""
    folder = Path(tempfile.mkdtemp(prefix="steady-shown-"))
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/s.db"})
    with app.app_context():
        upgrade(revision="heads")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_port}"
    twice = never = 0
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(service_workers="allow")
            context.grant_permissions(["notifications"], origin=origin)
            page = context.new_page()
            page.goto(origin + "/check-in")
            page.evaluate("async () => { await navigator.serviceWorker.ready; }")
            page.wait_for_function("() => navigator.serviceWorker.controller !== null")
            cdp = context.new_cdp_session(page)
            registration = _registration_id(cdp, origin)

            def deliver(text: str) -> None:
                cdp.send(
                    "ServiceWorker.deliverPushMessage",
                    {"origin": origin, "registrationId": registration, "data": text},
                )

            worker = context.service_workers[0]
            worker.evaluate(COUNT_SHOWN)
            ids = list(copies)
            for start in range(0, len(ids), 40):
                for occurrence in ids[start : start + 40]:
                    for copy in copies[occurrence]:
                        deliver(copy.text)
                sentinel = f"sentinel-{start}"
                deliver(json.dumps({"o": sentinel, "m": "checkin", "l": "en"}))
                deadline = time.monotonic() + 60
                while f"steady-reminder-{sentinel}" not in worker.evaluate("() => self.__shown"):
                    if time.monotonic() > deadline:
                        raise TimeoutError("the service worker stopped showing")
                    time.sleep(0.05)
                time.sleep(0.3)
                page.evaluate(DISMISS)
            shown = Counter(worker.evaluate("() => self.__shown"))
            twice = sum(1 for o in ids if shown[f"steady-reminder-{o}"] > 1)
            never = sum(1 for o in ids if shown[f"steady-reminder-{o}"] == 0)
            browser.close()
    finally:
        server.shutdown()
    return twice, never
