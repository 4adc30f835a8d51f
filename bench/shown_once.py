"""Shown once, for bench/hostile.py: every copy the push services got (duplicates included)
handed to Steady's real service worker in Chromium through DevTools, 50 occurrences at a time:
the first copies must all show; once dismissed, every copy again must show nothing."""

from __future__ import annotations

import json
import tempfile
import threading
import time
from pathlib import Path

from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from backend import create_app

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TAGS = """async () => (await (await navigator.serviceWorker.ready).getNotifications())
  .map((n) => n.tag)"""
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


def _wait_for_tags(page, wanted: set[str], timeout: float = 30) -> set[str]:
    deadline = time.monotonic() + timeout
    while not wanted <= (tags := set(page.evaluate(TAGS))):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(wanted - tags)} notifications never showed")
        time.sleep(0.05)
    return tags


def shown_twice(copies: dict[str, list]) -> int:
    """How many occurrences showed a second time (`copies`: id → received messages)."""
    folder = Path(tempfile.mkdtemp(prefix="steady-shown-"))
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/s.db"})
    with app.app_context():
        upgrade(revision="heads")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_port}"
    twice = 0
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
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

            ids = list(copies)
            for start in range(0, len(ids), 50):
                chunk = ids[start : start + 50]
                for occurrence in chunk:
                    deliver(copies[occurrence][0].text)
                _wait_for_tags(page, {f"steady-reminder-{o}" for o in chunk})
                page.evaluate(DISMISS)
                for occurrence in chunk:
                    for copy in copies[occurrence]:
                        deliver(copy.text)
                sentinel = f"steady-reminder-sentinel-{start}"
                deliver(json.dumps({"o": f"sentinel-{start}", "m": "checkin", "l": "en"}))
                _wait_for_tags(page, {sentinel})
                time.sleep(0.3)
                twice += len(set(page.evaluate(TAGS)) - {sentinel})
                page.evaluate(DISMISS)
            browser.close()
    finally:
        server.shutdown()
    return twice
