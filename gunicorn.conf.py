"""gunicorn settings: `gunicorn clinic.wsgi` reads this file from the working directory."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: simple and predictable; two per core plus one is gunicorn's advice.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so memory stays flat over weeks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200
# No gunicorn access log: the app logs every request itself (clinic.requests) without query
# strings and with manage-link tokens hidden, which gunicorn's own log cannot do.
accesslog = None
errorlog = "-"
# Addresses whose X-Forwarded-Proto gunicorn trusts: the same proxies the app trusts for
# X-Forwarded-For (DJANGO_TRUSTED_PROXIES; a Unix socket's peer is always trusted).
forwarded_allow_ips = os.environ.get("DJANGO_TRUSTED_PROXIES", "").replace(" ", "")
