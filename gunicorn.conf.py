"""gunicorn settings: `gunicorn clinic.wsgi` reads this file from the working directory."""

import multiprocessing
import os
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: simple and predictable; two per core plus one is gunicorn's advice.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Workers are not recycled by count unless GUNICORN_MAX_REQUESTS says so: their memory stays
# flat (make bench: about 75 MB, also on 50,000 requests), and recycling every 2,000 requests
# (jitter 200) restarted all five workers within 2 s every ~11 s at 900 req/s (p99 1.8-3.3 s).
# When set, the jitter is half of it, so restarts fall far apart. A worker whose memory
# grows past GUNICORN_MAX_WORKER_MB (default 300) finishes its request and is replaced.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 0))
max_requests_jitter = max_requests // 2
max_worker_bytes = int(os.environ.get("GUNICORN_MAX_WORKER_MB", 300)) * 1024 * 1024
MEMORY_CHECK_EVERY = 1000  # requests; reading /proc/self/statm costs microseconds


def post_request(worker, req, environ, resp):
    """Replace this worker, gracefully, once its resident memory passes the limit."""
    worker.requests_since_memory_check = getattr(worker, "requests_since_memory_check", 0) + 1
    if worker.requests_since_memory_check < MEMORY_CHECK_EVERY:
        return
    worker.requests_since_memory_check = 0
    if resident_bytes() > max_worker_bytes:
        worker.log.info(
            "Worker %s uses more than %s MB: replacing it", worker.pid, max_worker_bytes >> 20
        )
        worker.alive = False


def resident_bytes() -> int:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except OSError:  # not Linux: no memory limit
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


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
