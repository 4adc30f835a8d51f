"""`flask push keys`, `flask reminders send-due` and `forget-refused`, the `flask steady
prepare` step, and the production rule that push needs a key."""

from __future__ import annotations

import stat
import uuid
from datetime import timedelta

import pytest
from pywebpush import webpush

from backend.config import TESTING_TOTP_KEY, ConfigError, settings
from backend.database import utcnow
from backend.extensions import db
from backend.reminders.cli import _prepare_push_keys
from backend.reminders.models import ReminderSubscription
from testkit.push_receiver import Reply
from tests.conftest import make_app
from tests.reminders.support import make_due, new_reminder, subscription_row, worker


def test_push_keys_writes_a_private_pem_that_pywebpush_accepts(runner, tmp_path, receiver):
    path = tmp_path / "keys" / "vapid.pem"
    result = runner.invoke(args=["push", "keys", "--out", str(path)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    public_key = result.output.split("Application server key: ")[1].strip()

    subscriber = receiver.make_subscriber(server_key=public_key)
    webpush(
        subscriber.subscription,
        data='{"o":"x"}',
        vapid_private_key=str(path),  # the file path form pywebpush takes
        vapid_claims={"sub": "mailto:operators@steady.invalid"},
        ttl=60,
        headers={"Urgency": "normal", "Topic": "cli-test"},
        timeout=5,
    )
    (message,) = receiver.wait_for(1, subscriber=subscriber)
    assert message.vapid_key == public_key and message.payload == {"o": "x"}


def test_push_keys_never_overwrites_and_if_missing_keeps_the_key(runner, tmp_path):
    path = tmp_path / "vapid.pem"
    first = runner.invoke(args=["push", "keys", "--path", str(path)])
    before = path.read_bytes()
    again = runner.invoke(args=["push", "keys", "--path", str(path)])
    assert again.exit_code != 0 and "exists" in again.output
    kept = runner.invoke(args=["push", "keys", "--path", str(path), "--if-missing"])
    assert kept.exit_code == 0 and path.read_bytes() == before
    assert first.output.splitlines()[-1] == kept.output.splitlines()[-1]  # same public key


def test_send_due_sends_and_prints_the_counts(push_app, receiver):
    reminder = new_reminder(push_app.test_client(), receiver.make_subscriber())
    make_due(push_app, reminder["id"])
    result = push_app.test_cli_runner().invoke(args=["reminders", "send-due"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("sent 1, deleted 0, rejected 0")
    assert len(receiver.wait_for(1)) == 1


def test_prepare_makes_a_development_key_once_and_only_in_development(tmp_path):
    path = tmp_path / "instance" / "vapid.pem"
    app = make_app(
        f"sqlite:///{tmp_path / 'p.sqlite3'}",
        VAPID_PRIVATE_KEY=None,
        VAPID_PRIVATE_KEY_FILE=str(path),
    )
    assert "no VAPID key" in _prepare_push_keys(app)  # testing: never written
    assert not path.exists()
    app.config["ENV_NAME"] = "development"
    assert app.extensions["steady.prepare"]["push keys"]().startswith("new development VAPID key")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _prepare_push_keys(app) == f"VAPID key in {path}"
    with app.app_context():
        db.engine.dispose()


def test_production_refuses_to_start_without_a_vapid_key(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://db.invalid/steady")
    monkeypatch.setenv("TOTP_ENCRYPTION_KEY", TESTING_TOTP_KEY)
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("VAPID_PRIVATE_KEY_FILE", str(tmp_path / "missing.pem"))
    monkeypatch.delenv("VAPID_PRIVATE_KEY", raising=False)
    with pytest.raises(ConfigError, match="VAPID_PRIVATE_KEY"):
        settings("production")
    (tmp_path / "missing.pem").write_text("a key file")
    assert settings("production")["VAPID_PRIVATE_KEY_FILE"] == str(tmp_path / "missing.pem")
    monkeypatch.setenv("VAPID_PRIVATE_KEY", "a-key")
    monkeypatch.setenv("VAPID_PRIVATE_KEY_FILE", str(tmp_path / "gone.pem"))
    assert settings("production")["VAPID_PRIVATE_KEY"] == "a-key"


def test_the_worker_refuses_clearly_without_a_vapid_key(tmp_path):
    app = make_app(
        f"sqlite:///{tmp_path / 'n.sqlite3'}",
        VAPID_PRIVATE_KEY=None,
        VAPID_PRIVATE_KEY_FILE=str(tmp_path / "missing.pem"),
    )
    result = app.test_cli_runner().invoke(args=["reminders", "send-due"])
    assert result.exit_code == 1
    assert "no VAPID key: set VAPID_PRIVATE_KEY or run `flask push keys`" in result.output
    with app.app_context():
        db.engine.dispose()


def test_forget_refused_deletes_only_long_refused_subscriptions(push_app, receiver):
    """After a VAPID key rotation: subscriptions refused 401/403 that nobody renewed."""
    client, now = push_app.test_client(), utcnow()
    ids = {
        name: new_reminder(client, receiver.make_subscriber())["id"]
        for name in ("old_401", "never_sent_403", "recent_401", "old_503", "fine")
    }
    states = {  # last answer, last delivered, made
        "old_401": (401, now - timedelta(days=40), now - timedelta(days=90)),
        "never_sent_403": (403, None, now - timedelta(days=40)),
        "recent_401": (401, now - timedelta(days=2), now - timedelta(days=90)),
        "old_503": (503, now - timedelta(days=40), now - timedelta(days=90)),
        "fine": (None, now - timedelta(days=40), now - timedelta(days=90)),
    }
    with push_app.app_context():
        for name, (code, sent, made) in states.items():
            row = db.session.get(ReminderSubscription, uuid.UUID(ids[name]))
            row.last_error_code, row.last_sent_at, row.created_at = code, sent, made
        db.session.commit()
    runner = push_app.test_cli_runner()
    dry = runner.invoke(args=["reminders", "forget-refused", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert dry.output.startswith("2 subscriptions refused by their push service (401/403)")
    assert "would be deleted" in dry.output
    assert all(subscription_row(push_app, i) is not None for i in ids.values())
    done = runner.invoke(args=["reminders", "forget-refused", "--days", "30"])
    assert done.exit_code == 0 and "2 subscriptions" in done.output and "deleted" in done.output
    kept = {name for name, i in ids.items() if subscription_row(push_app, i) is not None}
    assert kept == {"recent_401", "old_503", "fine"}
    assert runner.invoke(args=["reminders", "forget-refused", "--days", "0"]).exit_code == 2


def test_subscribing_again_or_a_delivery_clears_the_last_refusal(push_app, receiver):
    subscriber = receiver.make_subscriber()
    receiver.respond(subscriber, Reply(403), Reply(201))
    client = push_app.test_client()
    reminder = new_reminder(client, subscriber)
    make_due(push_app, reminder["id"])
    with worker(push_app) as dispatcher:
        assert dispatcher.send_due()["rejected"] == 1
    assert subscription_row(push_app, reminder["id"]).last_error_code == 403
    make_due(push_app, reminder["id"])
    with worker(push_app) as dispatcher:
        assert dispatcher.send_due()["sent"] == 1
    row = subscription_row(push_app, reminder["id"])
    assert (row.last_error_code, row.failure_count, row.sent_count) == (None, 1, 1)
    receiver.respond(subscriber, Reply(403))
    make_due(push_app, reminder["id"])
    with worker(push_app) as dispatcher:
        assert dispatcher.send_due()["rejected"] == 1
    assert new_reminder(client, subscriber)["id"] == reminder["id"]  # the same endpoint again
    assert subscription_row(push_app, reminder["id"]).last_error_code is None
