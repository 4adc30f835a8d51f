"""The one UTC datetime column type and the one `utcnow`, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import literal, select
from sqlalchemy.exc import StatementError

from backend.database import UTCDateTime, utcnow
from backend.extensions import db


def test_utcnow_is_aware_and_in_utc():
    now = utcnow()
    assert now.tzinfo is UTC
    assert abs(now - datetime.now(UTC)) < timedelta(seconds=5)


def test_an_instant_in_another_zone_comes_back_the_same_instant_in_utc(app):
    madrid_summer = timezone(timedelta(hours=2))
    instant = datetime(2026, 7, 1, 10, 30, tzinfo=madrid_summer)
    with app.app_context():
        back = db.session.scalar(select(literal(instant, UTCDateTime())))
    assert back == instant and back.utcoffset() == timedelta(0)
    assert back.hour == 8


def test_a_naive_datetime_is_refused(app):
    with app.app_context(), pytest.raises(StatementError, match="naive datetime"):
        db.session.scalar(select(literal(datetime(2026, 1, 1), UTCDateTime())))
