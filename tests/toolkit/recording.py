"""A live server that records everything each request brings (method, path, query, headers,
body), for tests that prove what never reaches the server."""

from __future__ import annotations

import io

from tests.conftest import LiveServer, make_app


class Recorder:
    """WSGI middleware keeping one line per request: method, path, query, headers, body."""

    def __init__(self, app) -> None:
        self.app = app
        self.seen: list[str] = []

    def __call__(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        headers = [f"{k}={v}" for k, v in environ.items() if k.startswith("HTTP_")]
        method, path, query = (
            environ.get(k, "") for k in ("REQUEST_METHOD", "PATH_INFO", "QUERY_STRING")
        )
        self.seen.append(" ".join([method, path, query, *headers, body.decode("latin-1")]))
        return self.app(environ, start_response)


def recorded_server(path):
    """A LiveServer on a new SQLite file at `path`, with `.recorder` on its requests."""
    app = make_app(f"sqlite:///{path}")
    app.wsgi_app = Recorder(app.wsgi_app)
    server = LiveServer(app)
    server.recorder = app.wsgi_app
    return server


def new_phone(browser, server, **options):
    """A fresh profile (360×740 unless `viewport` says) that can reach only `server`."""
    context = browser.new_context(
        base_url=server.url,
        viewport=options.pop("viewport", {"width": 360, "height": 740}),
        service_workers=options.pop("service_workers", "allow"),
        **options,
    )
    context.route(lambda url: not url.startswith(server.url), lambda route: route.abort())
    return context
