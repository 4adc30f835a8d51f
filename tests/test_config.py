"""Configuration: production refuses unsafe settings; every variable is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from backend import create_app
from backend.config import TESTING_TOTP_KEY, ConfigError, settings

ROOT = Path(__file__).resolve().parent.parent


def test_production_refuses_to_start_without_its_secrets(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(ConfigError) as refused:
        settings("production")
    assert "SECRET_KEY" in str(refused.value) and "DATABASE_URL" in str(refused.value)


def test_production_prefers_https_and_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite3'}")
    monkeypatch.setenv("VAPID_PRIVATE_KEY_FILE", str(tmp_path / "missing.pem"))
    try:
        values = settings("production")
    except ConfigError as error:  # a later check (e.g. the VAPID key) may refuse too
        assert "VAPID" in str(error)
        return
    assert values["PREFER_HTTPS"] is True and values["SESSION_COOKIE_SECURE"] is True


def test_production_refuses_push_endpoints_on_this_machine(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite3'}")
    monkeypatch.setenv("TOTP_ENCRYPTION_KEY", TESTING_TOTP_KEY)
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("VAPID_PRIVATE_KEY", "-")  # present; the loopback check comes first
    monkeypatch.setenv("REMINDERS_ALLOW_LOOPBACK_ENDPOINTS", "1")
    with pytest.raises(ConfigError) as refused:
        settings("production")
    assert "REMINDERS_ALLOW_LOOPBACK_ENDPOINTS" in str(refused.value)
    monkeypatch.setenv("REMINDERS_ALLOW_LOOPBACK_ENDPOINTS", "0")
    assert settings("production")["REMINDERS_ALLOW_LOOPBACK_ENDPOINTS"] is False


def test_memory_settings_are_read_and_bad_ones_refused_clearly(monkeypatch):
    monkeypatch.setenv("PAGE_CACHE_SIZE", "0")
    monkeypatch.setenv("HELPLINES_FINGERPRINT_SECONDS", "2.5")
    values = settings("development")
    assert (values["PAGE_CACHE_SIZE"], values["HELPLINES_FINGERPRINT_SECONDS"]) == (0, 2.5)
    for bad in ("lots", "-1"):
        monkeypatch.setenv("HELPLINES_LIST_CACHE_SIZE", bad)
        with pytest.raises(ConfigError, match="HELPLINES_LIST_CACHE_SIZE must be a number"):
            settings("development")


def test_push_hosts_are_read_as_a_list_of_lower_case_names(monkeypatch):
    monkeypatch.setenv("REMINDERS_PUSH_HOSTS", " FCM.googleapis.com , push.apple.com., ")
    assert settings("development")["REMINDERS_PUSH_HOSTS"] == (
        "fcm.googleapis.com",
        "push.apple.com",
    )


def test_an_unknown_environment_name_is_refused():
    with pytest.raises(ConfigError):
        settings("staging-ish")


def test_every_environment_variable_is_in_env_example_and_readme():
    source = (ROOT / "backend" / "config.py").read_text()
    names = set(re.findall(r'_(?:env|flag|number)\("([A-Z0-9_]+)"', source))
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    assert names, "config.py reads no variables?"
    for name in sorted(names):
        assert re.search(rf"^#?\s*{name}=", example, re.M), f"{name} missing from .env.example"
        assert name in readme, f"{name} missing from README.md"


def test_trusted_proxy_hops_make_the_client_address_and_scheme_right(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "TRUSTED_PROXY_HOPS": 1,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}",
        }
    )

    @app.get("/who")
    def who():
        from flask import request

        return {"addr": request.remote_addr, "scheme": request.scheme}

    seen = (
        app.test_client()
        .get("/who", headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"})
        .get_json()
    )
    assert seen == {"addr": "203.0.113.9", "scheme": "https"}
