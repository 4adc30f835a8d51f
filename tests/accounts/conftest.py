"""Accounts fixtures: an app context around each service test."""

from __future__ import annotations

import pytest


@pytest.fixture
def ctx(app):
    """Run a test inside the app (service functions use the app's database session)."""
    with app.app_context():
        yield app
