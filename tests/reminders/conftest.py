"""Reminder fixtures: a real push receiver, one browser's subscription on it, an app tuned
for quick retries (helpers: support.py), and for the browser tests a device (a browser
context with a time zone, notifications allowed for our origin; steps: reminder_steps.py)."""

from __future__ import annotations

import pytest

from backend.extensions import db, limiter
from testkit.push_receiver import PushReceiver
from tests.conftest import make_app
from tests.reminders.support import QUICK

TIME_ZONE = "Europe/Madrid"


@pytest.fixture
def receiver():
    """The push service the test plays: a real HTTP server on 127.0.0.1."""
    with PushReceiver() as push_service:
        yield push_service


@pytest.fixture
def subscriber(receiver):
    """One browser's subscription on the test receiver."""
    return receiver.make_subscriber()


@pytest.fixture
def push_app(database_url):
    """An app with quick retry settings, on SQLite and again on PostgreSQL."""
    app = make_app(database_url, **QUICK)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


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
