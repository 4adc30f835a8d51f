"""Production refuses settings that would quietly weaken it (L1, L8, TOTP key; issue 9), and
proxy headers are believed only from the proxy (L1)."""

from __future__ import annotations

import pytest

from backend.config import TESTING_TOTP_KEY, ConfigError, settings
from tests.admin.console import csrf_token
from tests.conftest import make_app

SAFE = {
    "SECRET_KEY": "k" * 43,
    "TOTP_ENCRYPTION_KEY": TESTING_TOTP_KEY,
    "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
    "WEB_CONCURRENCY": "2",
    "VAPID_PRIVATE_KEY": "-",  # present (read only when a push is made)
}


@pytest.fixture
def production_env(monkeypatch, tmp_path):
    """A production environment that starts; each test makes one thing unsafe."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite3'}")
    for name, value in SAFE.items():
        monkeypatch.setenv(name, value)
    assert settings("production")["SECRET_KEY"] == SAFE["SECRET_KEY"]
    return monkeypatch


@pytest.mark.parametrize("secret", ["x", "correct horse battery", "é" * 15])
def test_l8_production_refuses_a_secret_key_under_32_bytes(production_env, secret):
    production_env.setenv("SECRET_KEY", secret)
    with pytest.raises(ConfigError, match="SECRET_KEY must be at least 32 bytes"):
        settings("production")


def test_l1_production_refuses_in_memory_rate_limits_with_several_processes(production_env):
    production_env.setenv("RATELIMIT_STORAGE_URI", "memory://")
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URI is memory://"):
        settings("production")
    production_env.delenv("WEB_CONCURRENCY")  # gunicorn's default is 2 as well
    with pytest.raises(ConfigError, match="WEB_CONCURRENCY > 1"):
        settings("production")
    production_env.setenv("WEB_CONCURRENCY", "1")
    assert settings("production")["RATELIMIT_STORAGE_URI"] == "memory://"


@pytest.mark.parametrize("key", [None, "", "not-a-key", TESTING_TOTP_KEY + ",short"])
def test_also_production_refuses_to_start_without_a_usable_totp_key(production_env, key):
    if key is None:
        production_env.delenv("TOTP_ENCRYPTION_KEY")
    else:
        production_env.setenv("TOTP_ENCRYPTION_KEY", key)
    with pytest.raises(ConfigError, match="TOTP_ENCRYPTION_KEY"):
        settings("production")


def _sign_in_attempt(client, number: int, address: str, forwarded_for: str):
    environ = {"REMOTE_ADDR": address}
    token = csrf_token(client)
    return client.post(
        "/admin/login",
        data={"csrf_token": token, "email": f"nobody{number}@steady.test", "password": "x" * 12},
        headers={"X-Forwarded-For": forwarded_for},
        environ_base=environ,
    )


def test_l1_a_client_reaching_the_app_directly_cannot_pick_its_address(database_url):
    # Behind one proxy (on 127.0.0.1); the same app also reachable from 203.0.113.7.
    app = make_app(database_url, TRUSTED_PROXY_HOPS=1, ADMIN_LOGIN_LIMIT_PER_ADDRESS="5 per minute")
    client = app.test_client()
    statuses = [
        _sign_in_attempt(client, n, "203.0.113.7", f"198.51.100.{n}").status_code for n in range(6)
    ]
    assert statuses == [200] * 5 + [429]  # one address, whatever the header says


def test_l1_the_proxy_still_gives_each_client_its_own_address(database_url):
    app = make_app(database_url, TRUSTED_PROXY_HOPS=1, ADMIN_LOGIN_LIMIT_PER_ADDRESS="5 per minute")
    client = app.test_client()
    statuses = [
        _sign_in_attempt(client, n, "127.0.0.1", f"198.51.100.{n}").status_code for n in range(6)
    ]
    assert statuses == [200] * 6  # six clients behind the proxy, one try each
