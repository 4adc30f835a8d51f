"""0006_security on a database with operators and tokens in it (SQLite and PostgreSQL):
existing tokens get an expiry, existing seeds keep working, and it downgrades."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from backend import create_app
from backend.accounts import login, service
from backend.extensions import db

MADE = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'before.sqlite3'}"
    return request.getfixturevalue("postgres_url")


def test_existing_tokens_get_an_expiry_and_existing_seeds_still_sign_in(empty_database_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    seed = pyotp.random_base32()
    with app.app_context():
        upgrade(revision="0005_contact_audience")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO operators (id, email, display_name, role, password_hash, "
                    "totp_secret, active, failed_logins, session_version, created_at) VALUES "
                    "(1, 'ada@steady.test', 'Ada', 'admin', 'x', :seed, :yes, 0, 1, :made)"
                ),
                {"seed": seed, "yes": True, "made": MADE},
            )
            connection.execute(
                text(
                    "INSERT INTO api_tokens (id, operator_id, label, token_hash, prefix, "
                    "created_at) VALUES (1, 1, 'old', :hash, 'stdy_abc', :made), "
                    "(2, 1, 'new', :hash2, 'stdy_def', :recent)"
                ),
                {
                    "hash": "a" * 64,
                    "hash2": "b" * 64,
                    "made": MADE,
                    "recent": datetime.now(UTC) - timedelta(days=1),
                },
            )
        upgrade(revision="heads")
        old, new = service.list_api_tokens()[::-1]
        assert old.expires_at - datetime.now(UTC) > timedelta(days=6)  # a week's grace
        assert new.expires_at - new.created_at == timedelta(days=90)
        operator = service.get_operator(1)
        assert operator.password_change_required is False
        assert login.check_code(operator, pyotp.TOTP(seed).now())
        assert operator.totp_secret != seed  # encrypted at that sign-in
        db.session.remove()  # no transaction may hold the tables while they change

        downgrade(revision="0005_contact_audience")
        with db.engine.connect() as connection:
            stored = connection.execute(text("SELECT totp_secret FROM operators")).scalar_one()
        assert stored is None  # an encrypted seed means nothing to the older code
        db.session.remove()
        db.engine.dispose()
