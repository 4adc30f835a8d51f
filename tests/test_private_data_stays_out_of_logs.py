"""No secret or private answer ever reaches a log.

Drives a whole self-check (no-JavaScript POST), a reminder subscription (create, read,
change, a real push through the worker to the test receiver, delete), an operator's
sign-in with password and TOTP, and a write through the API with an operator token; then
searches everything logged, at every level, for each secret.
"""

from __future__ import annotations

import logging

import pytest

from backend.accounts import service as accounts
from backend.accounts.models import Operator
from backend.extensions import db
from testkit.push_receiver import PushReceiver
from tests.admin.console import make_operator, sign_in
from tests.conftest import make_app
from tests.reminders.support import QUICK, bearer, make_due, new_reminder


@pytest.fixture
def app(database_url):
    return make_app(database_url, **QUICK)


def test_secrets_and_answers_never_reach_the_logs(app, caplog):
    caplog.set_level(logging.DEBUG)
    client = app.test_client()
    secrets: list[str] = []

    answers = {"self_harm": "often", "opioids": "sometimes", "prescription": "someone_elses"}
    assert client.post("/check", data=answers).status_code == 200
    secrets += ["self_harm", "someone_elses", "opioids"]

    with PushReceiver() as receiver:
        subscriber = receiver.make_subscriber()
        reminder = new_reminder(client, subscriber)
        token = reminder["token"]
        assert (
            client.get(f"/api/v1/reminders/{reminder['id']}", headers=bearer(token)).status_code
            == 200
        )
        changed = client.patch(
            f"/api/v1/reminders/{reminder['id']}", json={"message": "hello"}, headers=bearer(token)
        )
        assert changed.status_code == 200
        make_due(app, reminder["id"])
        result = app.test_cli_runner().invoke(args=["reminders", "send-due"])
        assert result.exit_code == 0, result.output
        assert receiver.wait_for(1, subscriber=subscriber, timeout=10)
        assert (
            client.delete(f"/api/v1/reminders/{reminder['id']}", headers=bearer(token)).status_code
            == 204
        )
        secrets += [
            token,
            subscriber.endpoint,
            subscriber.endpoint.rsplit("/", 1)[-1],
            subscriber.p256dh,
            subscriber.auth,
        ]

    person = make_operator(app, "ada@steady.test", "Ada", "admin")
    console = app.test_client()
    assert sign_in(console, person).status_code == 303
    assert sign_in(app.test_client(), person, password="a-wrong-password-123").status_code != 303
    secrets += [person.password, "a-wrong-password-123", person.secret]

    with app.app_context():
        operator = db.session.get(Operator, person.id)
        _, api_token = accounts.issue_api_token(operator, "logging test")
    refused = client.post("/api/v1/helplines", json={"country": "US"}, headers=bearer(api_token))
    assert refused.status_code == 422
    client.post("/api/v1/helplines", json={}, headers=bearer("stdy_not-a-real-token-000"))
    secrets += [api_token, "stdy_not-a-real-token-000"]

    logged = caplog.text + "\n".join(
        f"{record.getMessage()} {record.args!r} {getattr(record, '__dict__', {})!r}"
        for record in caplog.records
    )
    assert caplog.records, "nothing was logged at all: the test would prove nothing"
    for secret in secrets:
        assert secret not in logged, f"a secret reached the log: {secret[:12]}…"
