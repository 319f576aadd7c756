"""The site served by a real server process (runserver or gunicorn) on the test database,
with everything it prints kept: for tests of what a real server writes to its logs."""

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import requests
from django.conf import settings

from clinic.tests.processes import NOT_INHERITED, PROJECT

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_SECURE_COOKIES": "0",
    "DJANGO_HSTS_SECONDS": "0",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url_for_servers() -> str:
    """The test database (set up by pytest-django) as a DATABASE_URL."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


class Served:
    """A running server: its address, and what it has printed so far (all of it, once
    stopped)."""

    def __init__(self, url: str, log: Path) -> None:
        self.url = url
        self.log = log
        self.kept = ""

    @property
    def output(self) -> str:
        return self.kept or self.log.read_text(errors="replace")


@contextmanager
def serve(command: list[str], port: int, **env: str):
    """Runs `python *command` in the project folder with a clean environment plus `env`,
    waits until /healthz answers, yields a `Served`, and stops it (its output is complete
    after the block)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(NOT_INHERITED)}
    environment.update(DATABASE_URL=database_url_for_servers(), PYTHONUNBUFFERED="1", **env)
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "output.log"
        with output.open("w") as sink:
            process = subprocess.Popen(  # noqa: S603 - our own interpreter and project
                [sys.executable, *command],
                cwd=PROJECT,
                env=environment,
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
            served = Served(f"http://127.0.0.1:{port}", output)
            try:
                _wait_until_healthy(served, process)
                yield served
            finally:
                process.terminate()
                process.wait(timeout=30)
                served.kept = served.output


def _wait_until_healthy(served: Served, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{served.output}")
        try:
            if requests.get(f"{served.url}/healthz", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{served.url} did not become healthy in 30 s:\n{served.output}")
