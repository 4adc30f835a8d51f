"""Accounts on PostgreSQL 15: the migration, lockout counting, code reuse and tokens."""

from __future__ import annotations

from datetime import UTC, datetime

import pyotp
import pytest

from backend.accounts import login, service
from backend.extensions import db
from tests.conftest import make_app

pytestmark = pytest.mark.postgres
GOOD = "correct horse battery staple"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_accounts_work_the_same_on_postgresql(postgres_url):
    app = make_app(postgres_url)
    try:
        with app.app_context():
            operator = service.create_operator("ada@steady.test", "Ada", "admin", GOOD)
            secret = pyotp.random_base32()
            operator.totp_secret = secret
            db.session.commit()
            for _ in range(5):
                login.check_code(operator, "000000", now=NOW)
            assert login.is_locked(operator, NOW)
            assert operator.locked_until.tzinfo is not None

            code = pyotp.TOTP(secret).at(NOW)
            operator.locked_until = None
            db.session.commit()
            assert login.check_code(operator, code, now=NOW)
            assert not login.check_code(operator, code, now=NOW)

            token, plaintext = service.issue_api_token(operator, "sync")
            assert service.authenticate_api_token(plaintext).id == operator.id
            assert token.last_used_at is not None
            with pytest.raises(service.OperatorError):
                service.create_operator("ADA@steady.test", "Ada", "admin", GOOD)
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
