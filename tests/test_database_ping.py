"""A pooled connection is checked before use only after it has sat idle a while
(backend/database.py, issue 15): no round trip before every request, and a connection that
died while idle is still replaced before a request meets it."""

from __future__ import annotations

import time

from sqlalchemy.engine import make_url

from backend.extensions import db
from tests.conftest import make_app
from tests.tcpproxy import TcpProxy


def counted_pings(app) -> list:
    """Count the dialect's pings from now on."""
    pings: list = []
    with app.app_context():
        dialect = db.engine.dialect
    ping = dialect.do_ping

    def counting(dbapi_connection):
        pings.append(1)
        return ping(dbapi_connection)

    dialect.do_ping = counting
    return pings


def test_a_connection_used_a_moment_ago_is_not_pinged(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'steady.sqlite3'}")
    client = app.test_client()
    pings = counted_pings(app)
    for _ in range(5):
        assert client.get("/readyz").status_code == 200
    assert pings == []


def test_a_connection_that_died_while_idle_is_replaced_before_a_request_meets_it(postgres_url):
    url = make_url(postgres_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    proxied = url.set(host="127.0.0.1", port=proxy.port, query={"connect_timeout": "2"})
    app = make_app(
        proxied.render_as_string(hide_password=False), DATABASE_PING_AFTER_IDLE_SECONDS=0.2
    )
    try:
        client = app.test_client()
        assert client.get("/readyz").status_code == 200
        pings = counted_pings(app)
        proxy.cut()  # every open connection dies while the pool holds it
        proxy.restore()
        time.sleep(0.3)
        assert client.get("/readyz").status_code == 200  # pinged, found dead, replaced
        assert pings
    finally:
        proxy.restore()
        with app.app_context():
            db.engine.dispose()
        proxy.close()
