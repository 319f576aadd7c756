"""The task worker (`manage.py db_worker`) as a real process on the test database, as
production runs it beside the web server: for tests of what leaves the request."""

import subprocess
from contextlib import contextmanager
from pathlib import Path

from clinic.tests.processes import clean_environment, database_url, python_process
from clinic.tests.servers import PRODUCTION


class Worker:
    """A running worker: its process, and what it has printed so far."""

    def __init__(self, process: subprocess.Popen, log: Path) -> None:
        self.process = process
        self.log = log

    @property
    def output(self) -> str:
        return self.log.read_text(errors="replace")


@contextmanager
def task_worker(**env: str):
    """Runs the worker with a clean environment plus `env` until the block ends, then stops it
    the way systemd does (SIGTERM: it finishes the task in hand). Yields a `Worker`."""
    environment = clean_environment(
        DATABASE_URL=database_url(), PYTHONUNBUFFERED="1", **{**PRODUCTION, **env}
    )
    command = ["manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay", "--no-reload"]
    with python_process(command, environment, stop_within=60) as (process, output):
        yield Worker(process, output)
