"""Database plumbing shared by every area: the one UTC datetime column type, the one
`utcnow`, SQLite pragmas and readiness.

SQLite gets WAL mode (readers never wait for the writer), foreign keys and a busy
timeout on every connection; PostgreSQL needs nothing extra.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from sqlalchemy import DateTime, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.types import TypeDecorator

from backend.extensions import db


def utcnow() -> datetime:
    """The current instant, timezone-aware UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """An instant: stored as UTC (`timestamptz` on PostgreSQL, text on SQLite) and always
    read back timezone-aware in UTC, so comparisons behave the same on both databases."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


IDLE_SINCE = "steady.idle_since"


def ping_after_idle(engine: Engine, idle_seconds: float) -> None:
    """Check a pooled connection before use only when it has sat unused for `idle_seconds`.

    A dead one (the server restarted, a proxy dropped it) is then replaced before a request
    sees it, as SQLAlchemy's pool_pre_ping does, but without a round trip to the database
    before every request: a connection a request gave back a moment ago is alive, and under
    load that ping was one of the two round trips of a reminder sign-up (issue 15). Should one
    die within that moment, the request that meets it fails and SQLAlchemy recycles every
    connection of the pool, so the next request reconnects.
    """
    dialect = engine.dialect

    def mark_idle(_dbapi_connection, record, *_args) -> None:
        record.info[IDLE_SINCE] = time.monotonic()

    def check(dbapi_connection, record, _proxy) -> None:
        if time.monotonic() - record.info.get(IDLE_SINCE, 0.0) < idle_seconds:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                raise DisconnectionError("the pooled connection is gone") from error
            raise

    event.listen(engine, "connect", mark_idle)
    event.listen(engine, "checkin", mark_idle)
    event.listen(engine, "checkout", check)


def init_app(app: Flask) -> None:
    """Install the per-connection SQLite pragmas and the idle check once the engine exists."""
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        ping_after_idle(engine, app.config["DATABASE_PING_AFTER_IDLE_SECONDS"])


def migration_heads() -> set[str]:
    """The revision ids at the head of the migration scripts."""
    migrate_ext = current_app.extensions["migrate"]
    script = ScriptDirectory(migrate_ext.directory)
    return set(script.get_heads())


def readiness() -> tuple[bool, dict]:
    """Is the database reachable, and is its schema at the migrations' head?"""
    try:
        with db.engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except Exception as error:  # any driver error means "not ready"; the type is logged
        return False, {"database": "unreachable", "reason": type(error).__name__}
    heads = migration_heads()
    if current != heads:
        return False, {"database": "reachable", "migrations": "behind"}
    return True, {"database": "reachable", "migrations": "current"}
