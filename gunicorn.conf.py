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
# Addresses whose X-Forwarded-Proto gunicorn trusts: the same proxies the app trusts for
# X-Forwarded-For (DJANGO_TRUSTED_PROXIES; a Unix socket's peer is always trusted).
forwarded_allow_ips = os.environ.get("DJANGO_TRUSTED_PROXIES", "").replace(" ", "")

# gunicorn's own logs go through the app's redaction (clinic/logs.py): its error log names
# the request line of a malformed or failed request, its access log every path and referrer.
# The access log is off unless GUNICORN_ACCESS_LOG=1: the app logs every request itself.
_redacted = {"filters": ["redact"], "formatter": "generic", "class": "logging.StreamHandler"}
_access_log = os.environ.get("GUNICORN_ACCESS_LOG", "").strip().lower() in {"1", "true", "on"}
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "clinic.logs.RedactingFilter"}},
    "formatters": {
        "generic": {"format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s"},
    },
    "handlers": {
        "error_console": {**_redacted, "stream": "ext://sys.stderr"},
        "console": {**_redacted, "stream": "ext://sys.stdout"},
    },
    "root": {"level": "INFO", "handlers": ["error_console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {
            "level": "INFO" if _access_log else "CRITICAL",
            "handlers": ["console"],
            "propagate": False,
        },
    },
}
