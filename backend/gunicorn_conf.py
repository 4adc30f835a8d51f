"""gunicorn settings for the Procfile's `web` process.

Workers come from WEB_CONCURRENCY (gunicorn reads it itself); requests that take longer
than `timeout` are killed; on SIGTERM workers get `graceful_timeout` to finish.
"""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = 30
graceful_timeout = 20
keepalive = 5
# The app logs one JSON line per request itself (backend/requestlog.py), without the
# query string; gunicorn's access log would repeat it, so it stays off.
accesslog = None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
