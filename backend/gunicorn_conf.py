"""gunicorn settings for the Procfile's `web` process.

- Bound to 127.0.0.1 (a proxy on the same host in front): set WEB_BIND=0.0.0.0 only on a
  platform whose router is the only way in (L1, issue 9).
- gthread workers: WEB_CONCURRENCY processes (gunicorn reads it itself) of GUNICORN_THREADS
  threads. Idle and kept-alive connections wait in each worker's event loop, not in a
  thread, and a request body must arrive whole within REQUEST_BODY_SECONDS or the client
  gets 408 (backend/slow_clients.py): slow clients cannot stall the app (M5, issue 9).
- Requests that take longer than `timeout` are killed; on SIGTERM workers get
  `graceful_timeout` to finish.
- No `Server:` header: it would only tell a scanner which software and version to try.
"""

import os

from gunicorn.http import wsgi

bind = f"{os.environ.get('WEB_BIND', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "16"))
timeout = 30
graceful_timeout = 20
keepalive = 5
# The app logs one JSON line per request itself (backend/requestlog.py), without the
# query string; gunicorn's access log would repeat it, so it stays off.
accesslog = None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
REQUEST_BODY_SECONDS = float(os.environ.get("REQUEST_BODY_SECONDS", "20"))


def post_worker_init(worker) -> None:
    """Every request body is read whole, within the deadline, before the app sees it."""
    from backend.slow_clients import BodyDeadline

    worker.wsgi = BodyDeadline(worker.wsgi, REQUEST_BODY_SECONDS)


_default_headers = wsgi.Response.default_headers


def _without_server_header(response) -> list[str]:
    return [line for line in _default_headers(response) if not line.startswith("Server:")]


wsgi.Response.default_headers = _without_server_header
