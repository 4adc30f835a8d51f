"""Rate limits hold across processes when they are kept in Redis.

Two separate apps (as two gunicorn processes would be) share one Redis at 127.0.0.1:6379:
together they allow exactly the limit, and the counters are found in Redis.
"""

from __future__ import annotations

import socket
import uuid

import pytest
import redis

from testkit.push_receiver import PushReceiver
from tests.conftest import make_app, missing
from tests.reminders.support import body_for

REDIS = ("127.0.0.1", 6379)


@pytest.fixture
def redis_uri(request):
    try:
        socket.create_connection(REDIS, timeout=1).close()
    except OSError:
        missing(request.config, "--require-postgres", "Redis does not answer on 127.0.0.1:6379")
    return "redis://127.0.0.1:6379/0"


def two_processes(database_url: str, storage_uri: str, prefix: str):
    settings = {
        "RATELIMIT_STORAGE_URI": storage_uri,
        "RATELIMIT_KEY_PREFIX": prefix,
        "REMINDERS_CREATE_RATE_LIMIT": "3 per minute",
    }
    return make_app(database_url, **settings), make_app(database_url, **settings)


def create_reminders(apps, receiver) -> list[int]:
    statuses = []
    for app in apps:
        client = app.test_client()
        statuses.append(
            client.post("/api/v1/reminders", json=body_for(receiver.make_subscriber())).status_code
        )
    return statuses


# One prefix for the whole test session: the extension is one object per process, and it
# keeps the first key prefix it is given (one app per process in production).
PREFIX = f"steady-test-{uuid.uuid4().hex}"


def test_reminder_creation_limit_is_shared_by_processes_through_redis(database_url, redis_uri):
    prefix = PREFIX
    store = redis.Redis.from_url(redis_uri)
    for key in store.keys(f"*{prefix}*"):  # the other database's run counted here too
        store.delete(key)
    store.close()
    first, second = two_processes(database_url, redis_uri, prefix)
    with PushReceiver() as receiver:
        statuses = create_reminders([first, second, first, second], receiver)
    assert statuses == [201, 201, 201, 429]
    # The counters really live in Redis (not in this process), under the configured prefix.
    store = redis.Redis.from_url(redis_uri)
    keys = store.keys(f"*{prefix}*")
    assert keys
    store.delete(*keys)
    store.close()
