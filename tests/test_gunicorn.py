"""The production web process, run for real: gunicorn with backend/gunicorn_conf.py under
production settings. Slow clients cannot stall it (M5), it listens on 127.0.0.1 (L1) and
names no server software (issue 9, "Also")."""

from __future__ import annotations

import base64
import http.client
import os
import runpy
import socket
import subprocess
import sys
import time
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from backend.config import TESTING_TOTP_KEY, _throwaway_vapid_key
from tests.conftest import missing

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
SLOW_CLIENTS = 10


def _free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_uri(request) -> str:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        missing(request.config, "--require-postgres", "Redis does not answer on 127.0.0.1:6379")
    return "redis://127.0.0.1:6379/0"


@contextmanager
def production_web(tmp_path: Path, redis_uri: str, **settings: str):
    """`gunicorn --config backend/gunicorn_conf.py "backend:create_app()"` with production
    settings, as the Procfile runs it; yields its port once /healthz answers."""
    port = _free_port()
    env = {
        **os.environ,
        "STEADY_ENV": "production",
        "SECRET_KEY": base64.urlsafe_b64encode(os.urandom(36)).decode(),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'web.sqlite3'}",
        "TOTP_ENCRYPTION_KEY": TESTING_TOTP_KEY,
        "VAPID_PRIVATE_KEY": _throwaway_vapid_key(),
        "RATELIMIT_STORAGE_URI": redis_uri,
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        **settings,
    }
    log = (tmp_path / "gunicorn.log").open("wb")
    process = subprocess.Popen(
        [str(GUNICORN), "--config", "backend/gunicorn_conf.py", "backend:create_app()"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if get(port, "/healthz", timeout=1).status == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def get(port: int, path: str, timeout: float) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response
    finally:
        connection.close()


def slow_client(port: int) -> socket.socket:
    """A client that sends its headers and the first byte of a 1,000-byte body, then waits."""
    client = socket.create_connection(("127.0.0.1", port), timeout=10)
    client.sendall(
        b"POST /check HTTP/1.1\r\nHost: steady.test\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\na"
    )
    return client


def test_m5_ten_slow_clients_cannot_stall_the_web_process(tmp_path, redis_uri):
    with production_web(tmp_path, redis_uri, REQUEST_BODY_SECONDS="3") as port:
        slow = [slow_client(port) for _ in range(SLOW_CLIENTS)]
        try:
            time.sleep(0.3)  # every slow body is being waited for by now
            for _ in range(3):
                started = time.monotonic()
                response = get(port, "/healthz", timeout=1)
                assert response.status == 200
                assert time.monotonic() - started < 1
                assert response.getheader("Server") is None  # "Also": no software banner
            # The deadline then frees their threads: each slow client gets a 408.
            for client in slow:
                assert client.recv(200).startswith(b"HTTP/1.1 408 ")
        finally:
            for client in slow:
                client.close()


def test_l1_the_web_process_listens_on_127_0_0_1_unless_told_otherwise(monkeypatch):
    monkeypatch.delenv("WEB_BIND", raising=False)
    monkeypatch.setenv("PORT", "8123")
    assert runpy.run_path(str(ROOT / "backend" / "gunicorn_conf.py"))["bind"] == "127.0.0.1:8123"
