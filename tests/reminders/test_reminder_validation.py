"""Every validation rule of the reminders API: a clear 422 naming the field, never a 500;
and the endpoint rules that keep the worker off private networks (SSRF)."""

from __future__ import annotations

import copy

import pytest

from backend.extensions import db
from backend.reminders.schemas import endpoint_problem
from testkit.push_receiver import b64url
from tests.conftest import make_app
from tests.reminders.support import body_for

POINT = b64url(b"\x04" + b"\x01" * 64)  # 65 bytes with the right prefix, but not on the curve


def schedule(**changes) -> dict:
    """A change to the body: a valid schedule with some fields replaced."""
    return {"schedule": {"days": [1], "times": ["08:00"], "timezone": "UTC", **changes}}


@pytest.mark.parametrize(
    ("change", "field_path"),
    [
        ({"subscription": {"keys": {"p256dh": "x", "auth": "x"}}}, ("subscription", "endpoint")),
        ({"endpoint": "https://push.example.com/" + "a" * 2048}, ("subscription", "endpoint")),
        ({"endpoint": "ftp://push.example.com/x"}, ("subscription", "endpoint")),
        ({"endpoint": "http://push.example.com/x"}, ("subscription", "endpoint")),
        ({"endpoint": "https://user:pw@push.example.com/x"}, ("subscription", "endpoint")),
        ({"p256dh": "not base64!"}, ("subscription", "keys", "p256dh")),
        ({"p256dh": b64url(b"\x04" + b"\x01" * 10)}, ("subscription", "keys", "p256dh")),
        ({"p256dh": b64url(b"\x02" + b"\x01" * 64)}, ("subscription", "keys", "p256dh")),
        ({"p256dh": POINT}, ("subscription", "keys", "p256dh")),
        ({"auth": b64url(b"\x01" * 15)}, ("subscription", "keys", "auth")),
        ({"auth": b64url(b"\x01" * 17)}, ("subscription", "keys", "auth")),
        (schedule(days=[]), ("schedule", "days")),
        (schedule(days=[7]), ("schedule", "days")),
        (schedule(days=[1, 1]), ("schedule", "days")),
        (schedule(days=["1"]), ("schedule", "days")),
        (schedule(times=[]), ("schedule", "times")),
        (schedule(times=["01:00", "02:00", "03:00", "04:00"]), ("schedule", "times")),
        (schedule(times=["8:00"]), ("schedule", "times")),
        (schedule(times=["24:00"]), ("schedule", "times")),
        (schedule(times=["08:00", "08:00"]), ("schedule", "times")),
        (schedule(timezone="Mars/Olympus"), ("schedule", "timezone")),
        (schedule(timezone="../../etc/passwd"), ("schedule", "timezone")),
        (schedule(paused_until="2099-01-01"), ("schedule", "paused_until")),
        (schedule(paused_until="tomorrow"), ("schedule", "paused_until")),
        ({"message": "Take your clonazepam"}, ("message",)),
        ({"lang": "fr"}, ("lang",)),
        ({"schedule": None}, ("schedule",)),
        ({"surprise": 1}, ("surprise",)),
    ],
)  # fmt: skip
def test_every_rule_refuses_bad_input_with_a_422_naming_the_field(
    client, subscriber, change, field_path
):
    change = copy.deepcopy(change)  # the parameter is shared by the SQLite and PostgreSQL runs
    body = body_for(subscriber)
    for key in ("endpoint",):
        if key in change:
            body["subscription"]["endpoint"] = change.pop(key)
    for key in ("p256dh", "auth"):
        if key in change:
            body["subscription"]["keys"][key] = change.pop(key)
    body.update(change)
    response = client.post("/api/v1/reminders", json=body)
    assert response.status_code == 422, response.get_json()
    errors = response.get_json()["errors"]
    for name in field_path:
        assert name in errors, errors
        errors = errors[name]


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://127.0.0.1/push",
        "https://10.1.2.3/push",
        "https://172.16.0.1/push",
        "https://192.168.1.1/push",
        "https://169.254.169.254/latest/meta-data",
        "https://100.64.0.1/push",
        "https://0.0.0.0/push",
        "https://[::1]/push",
        "https://[fe80::1]/push",
        "https://[fc00::1]/push",
        "https://[::ffff:10.0.0.1]/push",
        "https://224.0.0.1/push",
        "https://localhost/push",
        "https://push.localhost/push",
        "https://printer.local/push",
        "https://metadata.google.internal/push",
        "https://router.home.arpa/push",
        "https://intranet/push",
        "https://2130706433/push",
        "https://0x7f.1/push",
        "https://fcm.googleapis.com:8443/push",
        "http://127.0.0.1:8080/push",
    ],
)
def test_endpoints_on_private_or_special_hosts_are_refused_in_production(endpoint):
    assert endpoint_problem(endpoint, allow_loopback=False) is not None


def test_public_push_services_are_accepted_and_loopback_only_when_allowed():
    for endpoint in (
        "https://fcm.googleapis.com/fcm/send/abc:def",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
        "https://web.push.apple.com/QGx",
        "https://wns2-by3p.notify.windows.com/w/?token=BQYAAA",
        "https://8.8.8.8/push",
    ):
        assert endpoint_problem(endpoint) is None, endpoint
    assert endpoint_problem("http://127.0.0.1:8080/push", allow_loopback=True) is None
    assert endpoint_problem("http://10.0.0.1:8080/push", allow_loopback=True) is not None


def test_only_the_browsers_push_services_are_accepted_by_default():
    from backend.config import PUSH_SERVICES

    services = tuple(PUSH_SERVICES.split(","))
    for endpoint in (
        "https://fcm.googleapis.com/fcm/send/abc:def",
        "https://android.googleapis.com/gcm/send/abc",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
        "https://web.push.apple.com/QGx",
        "https://wns2-by3p.notify.windows.com/w/?token=BQYAAA",
    ):
        assert endpoint_problem(endpoint, push_hosts=services) is None, endpoint
    for endpoint in (
        "https://8.8.8.8/push",
        "https://push.example.com/x",
        "https://evilpush.apple.com/x",  # not a subdomain of push.apple.com
        "https://push.apple.com.example.net/x",
        "https://fcm.googleapis.com.evil.example/x",
    ):
        assert endpoint_problem(endpoint, push_hosts=services) == (
            "Must be a browser's push service."
        ), endpoint
    # Still no http, other ports or private hosts, whatever the list says.
    assert endpoint_problem("http://fcm.googleapis.com/x", push_hosts=services) == "Must be https."
    assert endpoint_problem("https://8.8.8.8:8443/x", push_hosts=("*",)) == (
        "Must use the standard https port."
    )


def test_the_api_refuses_a_host_that_is_not_a_push_service(database_url, subscriber):
    app = make_app(database_url, REMINDERS_ALLOW_LOOPBACK_ENDPOINTS=False)
    assert "fcm.googleapis.com" in app.config["REMINDERS_PUSH_HOSTS"]  # the default list
    body = body_for(subscriber)
    body["subscription"]["endpoint"] = "https://push.example.com/abc"
    refused = app.test_client().post("/api/v1/reminders", json=body)
    assert refused.status_code == 422
    assert refused.get_json()["errors"]["subscription"]["endpoint"] == [
        "Must be a browser's push service."
    ]
    body["subscription"]["endpoint"] = "https://fcm.googleapis.com/fcm/send/abc"
    assert app.test_client().post("/api/v1/reminders", json=body).status_code == 201
    app.config["REMINDERS_PUSH_HOSTS"] = ("*",)
    body["subscription"]["endpoint"] = "https://push.example.com/abc"
    assert app.test_client().post("/api/v1/reminders", json=body).status_code == 201


def test_loopback_endpoints_are_refused_by_the_api_unless_configured(database_url, subscriber):
    app = make_app(database_url, REMINDERS_ALLOW_LOOPBACK_ENDPOINTS=False)
    response = app.test_client().post("/api/v1/reminders", json=body_for(subscriber))
    assert response.status_code == 422
    assert response.get_json()["errors"]["subscription"]["endpoint"] == [
        "Must be on a public host."
    ]
    with app.app_context():
        db.engine.dispose()


def test_padded_keys_and_the_browsers_expiration_time_are_accepted(client, subscriber):
    body = body_for(subscriber)
    body["subscription"]["keys"]["p256dh"] += "="
    body["subscription"]["keys"]["auth"] += "=="
    body["subscription"]["expirationTime"] = None
    assert client.post("/api/v1/reminders", json=body).status_code == 201


def test_a_body_that_is_not_json_is_a_clear_error_not_a_500(client):
    response = client.post(
        "/api/v1/reminders", data="{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code in (400, 422)
    assert response.get_json()["code"] == response.status_code
