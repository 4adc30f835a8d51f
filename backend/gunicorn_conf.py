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
# One JSON-ish line per request without the query string (it may carry a language only,
# but nothing else should ever be logged from a URL).
accesslog = "-"
access_log_format = '{"method":"%(m)s","path":"%(U)s","status":%(s)s,"duration_us":%(D)s}'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
