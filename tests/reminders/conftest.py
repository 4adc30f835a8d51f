"""Reminder fixtures: a real push receiver, one browser's subscription on it, and an app
tuned for quick retries (helpers: support.py)."""

from __future__ import annotations

import pytest

from backend.extensions import db
from tests.conftest import make_app
from tests.reminders.receiver import PushReceiver
from tests.reminders.support import QUICK


@pytest.fixture
def receiver():
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
