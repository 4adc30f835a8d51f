"""The body deadlines of backend/slow_clients.py: one watcher thread cuts a socket whose body
did not arrive in time, and leaves alone one whose body did (issue 15 replaced a thread per
request by it)."""

from __future__ import annotations

import socket
import time

from backend.slow_clients import Deadlines


def test_a_missed_deadline_cuts_the_socket_and_a_met_one_does_not():
    deadlines = Deadlines()
    late, late_peer = socket.socketpair()
    met, met_peer = socket.socketpair()
    with late, late_peer, met, met_peer:
        deadlines.done(deadlines.add(0.1, met))
        started = time.monotonic()
        deadlines.add(0.2, late)
        late.settimeout(5)
        assert late.recv(10) == b""  # read side shut down: a blocked read returns at once
        assert 0.2 <= time.monotonic() - started < 0.2 + Deadlines.SLACK + 1
        met_peer.sendall(b"still open")
        met.settimeout(1)
        assert met.recv(10) == b"still open"


def test_a_sooner_deadline_is_not_kept_waiting_behind_a_later_one():
    deadlines = Deadlines()
    patient, patient_peer = socket.socketpair()
    hasty, hasty_peer = socket.socketpair()
    with patient, patient_peer, hasty, hasty_peer:
        deadlines.add(30, patient)
        started = time.monotonic()
        deadlines.add(0.1, hasty)
        hasty.settimeout(5)
        assert hasty.recv(10) == b""
        assert time.monotonic() - started < 0.1 + Deadlines.SLACK + 1
