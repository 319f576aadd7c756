"""The site served by a real server process (runserver or gunicorn) on the test database,
with everything it prints kept: for tests of what a real server writes to its logs."""

import re
import secrets
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import requests

from clinic.tests.processes import clean_environment, database_url, python_process

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_SECURE_COOKIES": "0",
    "DJANGO_HSTS_SECONDS": "0",
}


def past_the_safety_check(session: requests.Session, server: str) -> None:
    """Answers "no" to the red-flag check over HTTP, as a patient's browser does: the session
    then holds the "checked" cookie the booking form asks for."""
    page = session.get(f"{server}/book/check/", timeout=10)
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text)
    answers = {**dict(hidden), "emergency": "no", "today": "no"}
    answer = session.post(f"{server}/book/check/", data=answers, allow_redirects=False, timeout=10)
    assert answer.status_code == 303, answer.text


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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
    environment = clean_environment(DATABASE_URL=database_url(), PYTHONUNBUFFERED="1", **env)
    with python_process(command, environment) as (process, output):
        served = Served(f"http://127.0.0.1:{port}", output)
        try:
            _wait_until_healthy(served, process)
            yield served
        finally:
            process.terminate()
            process.wait(timeout=30)
            served.kept = served.output


def _wait_until_healthy(served: Served, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{served.output}")
        try:
            if requests.get(f"{served.url}/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or its workers still loading
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{served.url} did not become healthy in 60 s:\n{served.output}")
