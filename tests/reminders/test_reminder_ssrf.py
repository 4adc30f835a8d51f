"""H1 (issue 9): the reminder worker can never be pointed at this server's own network.

The API refuses any endpoint two URL parsers could read differently; the worker checks the
addresses a name resolves to when it connects, and connects to exactly the one it checked.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import uuid

import pytest
import requests

from backend.extensions import db
from backend.reminders.addresses import CheckedAddressAdapter, is_refused
from backend.reminders.models import ReminderSubscription
from tests.conftest import make_app
from tests.reminders.support import QUICK, body_for, make_due, new_reminder, worker

# Each was answered 201 before the fix: urlsplit reads the host as an allowed subdomain,
# urllib3 stops at the backslash and connects to the address in front of it.
LOOK_ALIKES = [
    "https://localhost\\.fcm.googleapis.com/fcm/send/abc",
    "https://127.0.0.1\\.fcm.googleapis.com/fcm/send/abc",
    "https://169.254.169.254\\.fcm.googleapis.com/latest/meta-data",
    "https://localhost/\\.fcm.googleapis.com/fcm/send/abc",
    "https://evil.example\\@fcm.googleapis.com/fcm/send/abc",
    "https://127.0.0.1%5c.fcm.googleapis.com/fcm/send/abc",
    "https://127.0.0.1%2efcm.googleapis.com/fcm/send/abc",
    "https://user@fcm.googleapis.com/fcm/send/abc",
    "https://fcm.googleapis.com:443/fcm/send/abc",
    "https://fcm.googleapis.com:8443/fcm/send/abc",
    "https://fcm.googleapis.com./fcm/send/abc",
    "https://FCM.googleapis.com/fcm/send/abc",
    "https://fcm.googleapis.com\t/fcm/send/abc",
    "https://fcm.googleapis.com#@127.0.0.1/x",
    "https://ｆｃｍ.googleapis.com/fcm/send/abc",  # full-width letters: IDNA maps them
    "https://fcm.googleapis.com\u3002evil.example/x",  # an ideographic full stop
    "https://-x.fcm.googleapis.com/fcm/send/abc",
    "https://x..fcm.googleapis.com/fcm/send/abc",
]


def test_h1_the_api_refuses_endpoints_that_two_parsers_read_differently(database_url, subscriber):
    app = make_app(database_url, REMINDERS_ALLOW_LOOPBACK_ENDPOINTS=False)
    client = app.test_client()
    body = body_for(subscriber)
    for endpoint in LOOK_ALIKES:
        body["subscription"]["endpoint"] = endpoint
        response = client.post("/api/v1/reminders", json=body)
        assert response.status_code == 422, (endpoint, response.get_json())
        assert "endpoint" in response.get_json()["errors"]["subscription"], endpoint
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ReminderSubscription.id))) == 0
    # The real push services' endpoints still pass.
    body["subscription"]["endpoint"] = "https://fcm.googleapis.com/fcm/send/abc:def-_"
    assert client.post("/api/v1/reminders", json=body).status_code == 201


class Listener:
    """A TCP port on 127.0.0.1 that counts the connections made to it."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.accepted = 0
        self.socket.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            self.accepted += 1
            connection.sendall(b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")
            connection.close()

    def __enter__(self) -> Listener:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.socket.close()


def test_h1_the_worker_never_connects_to_a_name_that_resolves_to_this_machine(
    database_url, receiver
):
    # A row the API would refuse today, as if stored before the fix or by a bug elsewhere.
    app = make_app(database_url, **QUICK)
    reminder = new_reminder(app.test_client(), receiver.make_subscriber())
    make_due(app, reminder["id"])
    with Listener() as listener:
        with app.app_context():
            row = db.session.get(ReminderSubscription, uuid.UUID(reminder["id"]))
            row.endpoint = f"https://localhost:{listener.port}/fcm/send/abc"
            db.session.commit()
        production_like = make_app(
            database_url,
            **QUICK,
            REMINDERS_ALLOW_LOOPBACK_ENDPOINTS=False,
            REMINDERS_PUSH_LOOPBACK_ONLY=False,  # the testing guard off: this check alone
        )
        with worker(production_like) as dispatcher:
            counts = dispatcher.send_due()
    assert listener.accepted == 0
    assert counts["sent"] == 0
    with app.app_context():
        row = db.session.get(ReminderSubscription, uuid.UUID(reminder["id"]))
        assert row.last_sent_at is None  # the caller learns nothing about the target


@pytest.mark.parametrize(
    ("address", "refused"),
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("172.16.0.1", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),
        ("100.64.0.1", True),
        ("0.0.0.0", True),
        ("224.0.0.1", True),
        ("255.255.255.255", True),
        ("240.0.0.1", True),
        ("::1", True),
        ("::", True),
        ("fe80::1", True),
        ("fc00::1", True),
        ("ff02::1", True),
        ("::ffff:127.0.0.1", True),
        ("64:ff9b::a00:1", True),  # NAT64 for 10.0.0.1
        ("2002:7f00:1::", True),  # 6to4 for 127.0.0.1
        ("8.8.8.8", False),
        ("142.250.180.10", False),
        ("2001:4860:4860::8888", False),
        ("64:ff9b::808:808", False),  # NAT64 for 8.8.8.8
    ],
)
def test_h1_only_public_unicast_addresses_may_be_connected_to(address, refused):
    assert is_refused(ipaddress.ip_address(address)) is refused


def test_h1_loopback_is_allowed_only_with_the_development_switch():
    loopback = ipaddress.ip_address("127.0.0.1")
    assert is_refused(loopback) and not is_refused(loopback, allow_loopback=True)
    assert is_refused(ipaddress.ip_address("10.0.0.1"), allow_loopback=True)


def test_h1_the_connection_goes_to_the_address_that_was_checked():
    """A name that answers one address to the check and another a moment later (DNS
    rebinding) gains nothing: the name is resolved once per connection, and the socket
    goes to the address that was checked."""
    calls = []
    answers = ["127.0.0.1", "10.0.0.1"]  # the second answer would be refused

    def resolve(host, port, *args):
        calls.append(host)
        return socket.getaddrinfo(answers[min(len(calls) - 1, 1)], port, *args)

    with Listener() as listener, requests.Session() as session:
        session.mount("http://", CheckedAddressAdapter(allow_loopback=True, resolve=resolve))
        response = session.post(f"http://rebinding.test:{listener.port}/push", timeout=2)
    assert response.status_code == 201
    assert calls == ["rebinding.test"] and listener.accepted == 1


def test_h1_a_name_with_one_private_address_among_public_ones_is_refused_whole():
    def resolve(host, port, *args):
        return socket.getaddrinfo("127.0.0.1", port, *args) + socket.getaddrinfo(
            "8.8.8.8", port, *args
        )

    with Listener() as listener, requests.Session() as session:
        session.mount("http://", CheckedAddressAdapter(resolve=resolve))
        with pytest.raises(requests.ConnectionError):
            session.post(f"http://mixed.test:{listener.port}/push", timeout=2)
    assert listener.accepted == 0
