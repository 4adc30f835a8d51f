"""Migrations: an empty database upgrades to head, the models match, and it downgrades.

Runs on SQLite and on PostgreSQL (a fresh database per test).
"""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from backend import create_app
from backend.database import migration_heads
from backend.extensions import db


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    return request.getfixturevalue("postgres_url")


def test_empty_database_upgrades_to_head_with_no_difference_from_the_models(empty_database_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision="heads")
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            assert set(context.get_current_heads()) == migration_heads()
            assert compare_metadata(context, db.metadata) == []
        db.engine.dispose()


def test_migrations_downgrade_to_an_empty_database_and_up_again(empty_database_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision="heads")
        downgrade(revision="base")
        tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade(revision="heads")
        assert client_ready(app)
        db.engine.dispose()


def client_ready(app) -> bool:
    return app.test_client().get("/readyz").status_code == 200
