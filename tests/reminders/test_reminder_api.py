"""The reminders API: the push key, subscribing, the manage token, no oracle for ids, the
creation rate limit, and no secret in the database or the logs (validation: its own file)."""

from __future__ import annotations

import base64
import logging
import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from backend.extensions import db
from backend.reminders.models import ReminderSubscription
from backend.reminders.service import sha256_hex
from testkit.push_receiver import PushReceiver
from tests.conftest import make_app
from tests.reminders.support import EVERY_DAY, bearer, body_for, new_reminder

# --- the key ---------------------------------------------------------------------------------


def test_push_key_is_the_uncompressed_p256_application_server_key(client):
    response = client.get("/api/v1/push/key")
    assert response.status_code == 200
    raw = base64.urlsafe_b64decode(response.get_json()["public_key"] + "==")
    assert len(raw) == 65 and raw[0] == 4
    ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    assert client.get("/api/v1/push/key").get_json() == response.get_json()  # loaded once


def test_push_key_answers_503_in_json_when_no_key_is_configured(database_url, tmp_path):
    app = make_app(
        database_url,
        VAPID_PRIVATE_KEY=None,
        VAPID_PRIVATE_KEY_FILE=str(tmp_path / "missing.pem"),
    )
    response = app.test_client().get("/api/v1/push/key")
    assert response.status_code == 503
    assert response.get_json()["message"] == "Reminders are not set up on this server."
    with app.app_context():
        db.engine.dispose()


# --- subscribing and managing -----------------------------------------------------------------


def test_subscribing_returns_an_id_a_token_and_the_next_due_time(client, subscriber):
    response = client.post("/api/v1/reminders", json=body_for(subscriber))
    assert response.status_code == 201
    data = response.get_json()
    assert set(data) == {
        "id", "token", "schedule", "message", "lang", "next_due_at", "created_at", "last_sent_at",
    }  # fmt: skip
    assert data["schedule"] == {
        "days": [0, 2, 4],
        "times": ["08:00", "20:30"],
        "timezone": "Europe/Madrid",
        "paused_until": None,
    }
    assert data["message"] == "moment" and data["lang"] == "es"
    assert data["next_due_at"].endswith("+00:00")
    assert "endpoint" not in response.get_data(as_text=True)


def test_subscribing_is_one_statement_whether_the_endpoint_is_new_or_known(app, client, subscriber):
    """Issue 15: a sign-up is one INSERT … ON CONFLICT … RETURNING (no read before it to find
    the endpoint, none after it to answer), and the answer is what a later read finds."""
    from sqlalchemy import event

    statements: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        statements.append(statement.split()[0].upper())

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        first = client.post("/api/v1/reminders", json=body_for(subscriber))
        again = client.post("/api/v1/reminders", json=body_for(subscriber, message="hello"))
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert (first.status_code, again.status_code) == (201, 200)
    assert statements == ["INSERT", "INSERT"]
    created, renewed = first.get_json(), again.get_json()
    assert renewed["id"] == created["id"] and renewed["created_at"] == created["created_at"]
    assert renewed["token"] != created["token"] and renewed["message"] == "hello"
    stored = client.get(f"/api/v1/reminders/{created['id']}", headers=bearer(renewed["token"]))
    assert {**stored.get_json(), "token": renewed["token"]} == renewed


def test_the_token_is_stored_only_as_its_hash(app, client, subscriber):
    data = client.post("/api/v1/reminders", json=body_for(subscriber)).get_json()
    with app.app_context():
        row = db.session.get(ReminderSubscription, uuid.UUID(data["id"]))
        assert row.token_hash == sha256_hex(data["token"])
        assert row.endpoint_hash == sha256_hex(subscriber.endpoint)
        with db.engine.connect() as connection:  # every row of every table, on any engine
            dump = "\n".join(
                repr(row)
                for table in db.metadata.sorted_tables
                for row in connection.execute(table.select())
            )
    assert data["token"] not in dump


def test_the_same_endpoint_again_updates_it_and_only_the_new_token_works(app, client, subscriber):
    first = client.post("/api/v1/reminders", json=body_for(subscriber)).get_json()
    again = client.post(
        "/api/v1/reminders",
        json=body_for(subscriber, message="hello", schedule={
            "days": [6], "times": ["09:15"], "timezone": "Asia/Kathmandu",
        }),
    )  # fmt: skip
    assert again.status_code == 200
    second = again.get_json()
    assert second["id"] == first["id"] and second["token"] != first["token"]
    assert second["message"] == "hello" and second["schedule"]["days"] == [6]
    url = f"/api/v1/reminders/{first['id']}"
    assert client.get(url, headers=bearer(first["token"])).status_code == 404
    assert client.get(url, headers=bearer(second["token"])).status_code == 200
    with app.app_context():
        assert db.session.query(ReminderSubscription).count() == 1


def test_read_change_pause_and_delete_with_the_token(app, client, subscriber):
    data = new_reminder(client, subscriber)
    url, headers = f"/api/v1/reminders/{data['id']}", bearer(data["token"])
    assert client.get(url, headers=headers).get_json()["schedule"]["times"] == ["08:00"]

    changed = client.patch(url, headers=headers, json={"schedule": {"times": ["21:00", "07:30"]}})
    assert changed.status_code == 200
    assert changed.get_json()["schedule"]["times"] == ["07:30", "21:00"]
    assert changed.get_json()["schedule"]["days"] == EVERY_DAY  # untouched fields stay

    paused = client.patch(url, headers=headers, json={"schedule": {"paused_until": "2099-01-01"}})
    assert paused.status_code == 422  # more than a year away
    from datetime import UTC, datetime, timedelta

    resume = (datetime.now(UTC) + timedelta(days=10)).date()
    paused = client.patch(
        url, headers=headers, json={"schedule": {"paused_until": resume.isoformat()}}
    ).get_json()
    assert paused["schedule"]["paused_until"] == resume.isoformat()
    assert paused["next_due_at"][:10] >= (resume - timedelta(days=1)).isoformat()

    resumed = client.patch(url, headers=headers, json={"schedule": {"paused_until": None}})
    assert resumed.get_json()["schedule"]["paused_until"] is None
    assert client.patch(url, headers=headers, json={"lang": "es"}).get_json()["lang"] == "es"
    same = client.patch(url, headers=headers, json={})  # nothing to change: a no-op
    assert same.status_code == 200 and same.get_json()["lang"] == "es"

    assert client.delete(url, headers=headers).status_code == 204
    assert client.get(url, headers=headers).status_code == 404
    with app.app_context():
        assert db.session.query(ReminderSubscription).count() == 0


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_an_unknown_id_and_a_wrong_token_get_the_same_404(client, subscriber, method):
    data = new_reminder(client, subscriber)
    body = {"json": {"lang": "es"}} if method == "patch" else {}
    attempts = [
        (f"/api/v1/reminders/{data['id']}", bearer("not-the-token")),
        (f"/api/v1/reminders/{uuid.uuid4()}", bearer(data["token"])),
        (f"/api/v1/reminders/{uuid.uuid4()}", bearer("not-the-token")),
        ("/api/v1/reminders/not-a-uuid", bearer(data["token"])),
    ]
    answers = set()
    for url, headers in attempts:
        response = getattr(client, method)(url, headers=headers, **body)
        answers.add((response.status_code, response.get_data(as_text=True)))
    assert answers == {
        (
            404,
            '{"code":404,"errors":{},"message":"No reminder with that id and token.",'
            '"status":"Not Found"}\n',
        )
    }
    url = f"/api/v1/reminders/{data['id']}"
    assert client.get(url, headers=bearer(data["token"])).status_code == 200


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_no_bearer_token_at_all_is_a_401_whatever_the_id(client, subscriber, method):
    data = new_reminder(client, subscriber)
    answers = set()
    for reminder_id in (data["id"], uuid.uuid4(), "not-a-uuid"):
        for headers in ({}, {"Authorization": data["token"]}, {"Authorization": "Bearer "}):
            response = getattr(client, method)(
                f"/api/v1/reminders/{reminder_id}", headers=headers, json={"lang": "xx"}
            )
            answers.add((response.status_code, response.headers.get("WWW-Authenticate")))
    assert answers == {(401, "Bearer")}


# --- rate limit and logs -----------------------------------------------------------------------


def test_creation_is_rate_limited_per_address_with_a_json_429_and_retry_after(app):
    client = app.test_client()
    with PushReceiver() as receiver:
        for _ in range(20):
            response = client.post(
                "/api/v1/reminders",
                json=body_for(receiver.make_subscriber()),
                environ_base={"REMOTE_ADDR": "198.51.100.7"},
            )
            assert response.status_code == 201
        refused = client.post(
            "/api/v1/reminders",
            json=body_for(receiver.make_subscriber()),
            environ_base={"REMOTE_ADDR": "198.51.100.7"},
        )
        other = client.post(
            "/api/v1/reminders",
            json=body_for(receiver.make_subscriber()),
            environ_base={"REMOTE_ADDR": "198.51.100.8"},
        )
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.get_json()["code"] == 429 and refused.get_json()["status"]
    assert other.status_code == 201
    with app.app_context():
        assert db.session.query(ReminderSubscription).count() == 21


def test_an_app_wide_limit_still_counts_sign_ups(database_url):
    """Sign-ups skip flask-limiter's own pass (they count themselves, issue 15) only while it
    has nothing to apply: an app-wide limit, once set, holds for them too."""
    from backend.extensions import limiter

    app = make_app(database_url, RATELIMIT_APPLICATION="3 per minute")
    try:
        client = app.test_client()
        with PushReceiver() as receiver:
            answers = [
                client.post("/api/v1/reminders", json=body_for(receiver.make_subscriber()))
                for _ in range(4)
            ]
    finally:
        limiter.limit_manager.set_application_limits([])  # one Limiter serves every app here
    assert [answer.status_code for answer in answers] == [201, 201, 201, 429]


def test_managing_by_id_is_rate_limited_per_address_so_tokens_cannot_be_guessed(
    app, client, subscriber
):
    app.config["REMINDERS_MANAGE_RATE_LIMIT"] = "5 per minute"
    data = new_reminder(client, subscriber)
    url, guesser = f"/api/v1/reminders/{data['id']}", {"REMOTE_ADDR": "198.51.100.7"}
    wrong = bearer("not-the-token")
    guesses = [client.get(url, headers=wrong, environ_base=guesser) for _ in range(5)]
    assert [r.status_code for r in guesses] == [404] * 5
    refused = client.get(url, headers=bearer(data["token"]), environ_base=guesser)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.get_json()["code"] == 429
    # The owner, from their own address, is not locked out by somebody else's guessing.
    owner = {"REMOTE_ADDR": "198.51.100.8"}
    assert client.get(url, headers=bearer(data["token"]), environ_base=owner).status_code == 200
    changed = client.patch(url, headers=bearer(data["token"]), json={}, environ_base=owner)
    assert changed.status_code == 200


def test_nothing_secret_is_logged_while_subscribing_and_managing(client, subscriber, caplog):
    caplog.set_level(logging.DEBUG)
    data = new_reminder(client, subscriber)
    url, headers = f"/api/v1/reminders/{data['id']}", bearer(data["token"])
    client.get(url, headers=headers)
    client.patch(url, headers=headers, json={"lang": "es"})
    client.delete(url, headers=headers)
    logged = caplog.text
    for secret in (subscriber.endpoint, subscriber.p256dh, subscriber.auth, data["token"]):
        assert secret not in logged
