"""Faults: the database goes away and comes back.

A real PostgreSQL behind a TCP proxy in the test process: cutting the proxy kills every
connection. Pages then answer a calm 503 page, /readyz says 503, and service resumes by
itself when the database returns (a disconnect recycles the pool; a connection idle for a
moment is checked before use: backend/database.py).
"""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from backend.extensions import db
from tests.conftest import make_app
from tests.tcpproxy import TcpProxy


@pytest.fixture
def app_behind_proxy(postgres_url):
    url = make_url(postgres_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    proxied = url.set(host="127.0.0.1", port=proxy.port, query={"connect_timeout": "2"})
    app = make_app(proxied.render_as_string(hide_password=False))
    yield app, proxy
    proxy.restore()
    with app.app_context():
        db.engine.dispose()
    proxy.close()


def test_database_outage_gives_calm_503s_and_service_resumes_by_itself(app_behind_proxy):
    app, proxy = app_behind_proxy
    client = app.test_client()
    assert client.get("/readyz").status_code == 200
    assert client.get("/helplines?country=US").status_code == 200

    proxy.cut()
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.get_json()["database"] == "unreachable"
    page = client.get("/helplines?country=US")
    assert page.status_code in (200, 503)  # the directory may fall back, never a 500
    assert client.get("/check").status_code == 200  # the self-check never needs the database
    assert client.get("/").status_code == 200  # nor does the emergency strip

    proxy.restore()
    assert client.get("/readyz").status_code == 200
    assert client.get("/helplines?country=US").status_code == 200
