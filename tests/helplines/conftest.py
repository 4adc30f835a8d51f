"""Fixtures for the helpline directory: an app on SQLite AND on PostgreSQL, and lines."""

from __future__ import annotations

import pytest

from backend import create_app
from backend.extensions import db
from tests.conftest import empty_every_table, make_app
from tests.helplines.helpers import EDITOR, SEEDED, line_data


@pytest.fixture(params=["sqlite", "postgresql"])
def db_app(request, tmp_path):
    """A migrated app with an app context, once on a SQLite file and once on PostgreSQL (the
    session's database, migrated once and emptied after each test, as `app` does)."""
    if request.param == "sqlite":
        app = make_app(f"sqlite:///{tmp_path / 'helplines.sqlite3'}")
    else:
        url = request.getfixturevalue("shared_postgres_url")
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    if request.param == "postgresql":
        empty_every_table(app)


@pytest.fixture
def db_client(db_app):
    return db_app.test_client()


@pytest.fixture
def add_line():
    """Create a line through the schema and the service; returns the Helpline. A priority
    line is there from the start, as the seed would load it (an operator's new priority line
    waits for a second operator: test_four_eyes)."""
    from backend.helplines import service
    from backend.helplines.schemas import HelplineSchema

    def add(**changes):
        actor = SEEDED if changes.get("priority") else EDITOR
        return service.create_helpline(HelplineSchema().load(line_data(**changes)), actor)

    return add
