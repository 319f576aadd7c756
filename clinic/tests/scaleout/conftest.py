"""Two gunicorn app servers on two ports, sharing one PostgreSQL database and one Redis,
and beside them the task worker that sends their e-mails to a local mail server.

They serve the test database, so the tests create data with the ORM (committed: these
tests use the transactional database) and talk to the servers over real HTTP.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection

PROJECT = Path(__file__).resolve().parents[3]


def _requirements_missing() -> str:
    if connection.vendor != "postgresql":
        return "the scale-out tests need PostgreSQL (DATABASE_URL=postgres://…)"
    if not settings.REDIS_URL:
        return "the scale-out tests need Redis (REDIS_URL=redis://…)"
    return ""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="session")
def app_servers(django_db_setup, django_db_blocker):
    """Base URLs of two running app servers (two gunicorn instances, two workers each)."""
    missing = _requirements_missing()
    if missing:
        if os.environ.get("REQUIRE_SCALEOUT_TESTS"):
            pytest.fail(missing)
        pytest.skip(missing)
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CACHE_KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", ""),
        # The tests connect from 127.0.0.1 as our proxy would, and say who the patient is
        # in X-Forwarded-For.
        "DJANGO_TRUSTED_PROXIES": "127.0.0.1",
        "BOOKING_MIN_FILL_SECONDS": "0",
        "BOOKING_RATE_LIMIT_PER_MINUTE": "5",
        "GUNICORN_WORKERS": "2",
        # As in production: e-mails are rows for the task worker (fixture `task_worker`).
        "DJANGO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    servers = []
    for _ in range(2):
        port = _free_port()
        process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            [sys.executable, "-m", "gunicorn", "clinic.wsgi", "--bind", f"127.0.0.1:{port}"],
            cwd=PROJECT,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        servers.append((f"http://127.0.0.1:{port}", process))
    try:
        for url, process in servers:
            _wait_until_healthy(url, process)
        yield [url for url, _ in servers]
    finally:
        for _, process in servers:
            process.terminate()
            process.wait(timeout=30)


def _wait_until_healthy(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn for {url} exited with {process.returncode}")
        try:
            if requests.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass  # not listening yet, or its workers still booting
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not become healthy in 30 s")


@pytest.fixture
def task_worker(app_servers):
    """The task worker beside the app servers (`manage.py db_worker`, one process, as
    docs/deploy.md runs it), on the same database and Redis, sending to a mail server of the
    tests' own. Yields that mail server: what the worker has sent. One test's own: a worker
    left running would take the next tests' tasks."""
    from clinic.tests.mailserver import mail_server
    from clinic.tests.workers import task_worker as worker_process

    shared = {
        "REDIS_URL": settings.REDIS_URL,
        "CACHE_KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", ""),
    }
    with mail_server() as mail, worker_process(**shared, **mail.env()):
        yield mail


@pytest.fixture(autouse=True)
def servers_forget_the_last_test(app_servers):
    """The servers outlive each test, whose rows are new: move them to a fresh content
    version and wait out the time they trust their copy of it, so nothing they kept for the
    last test's rows (the reasons offered, with their ids) serves this one."""
    from django.core.cache import cache

    from clinic.cache import VERSION_KEY

    cache.set(VERSION_KEY, secrets.token_hex(16), timeout=None)
    time.sleep(settings.CLINIC_CONTENT_VERSION_TRUST_SECONDS + 0.2)
