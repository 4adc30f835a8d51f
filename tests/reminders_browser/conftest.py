"""Fixtures for the reminders and check-in browser tests: a device (a browser context with
a time zone, notifications allowed for our origin), a real Web Push receiver, and the DevTools
session that hands a received push to the page's service worker."""

from __future__ import annotations

import pytest

from backend.extensions import limiter
from tests.reminders.receiver import PushReceiver

TIME_ZONE = "Europe/Madrid"


@pytest.fixture
def receiver():
    """The push service the test plays: a real HTTP server on 127.0.0.1."""
    with PushReceiver() as push_service:
        yield push_service


@pytest.fixture
def device(browser, live_server):
    """A fresh phone: its own profile, 360×740, in Madrid, notifications allowed."""
    with live_server.app.app_context():
        limiter.reset()  # one live server for the whole run: each test starts unthrottled
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 360, "height": 740},
        service_workers="allow",
        timezone_id=TIME_ZONE,
        locale="en-GB",
    )
    context.grant_permissions(["notifications"], origin=live_server.url)
    context.route(
        "https://exit.steady.test/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<h1>Weather</h1>"),
    )
    yield context
    context.close()


@pytest.fixture
def phone(device):
    """A tab on that phone."""
    page = device.new_page()
    yield page
    page.close()
