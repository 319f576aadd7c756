"""Run the project's Python in a fresh process, with a clean environment of our choosing:
for tests of what the settings do with the environment they start from."""

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
SESSION_CACHE_DIR = tempfile.mkdtemp(prefix="balanced-health-test-cache-")
atexit.register(shutil.rmtree, SESSION_CACHE_DIR, ignore_errors=True)
# The test run's own configuration must not leak into the process under test.
NOT_INHERITED = ("DJANGO_", "DATABASE_URL", "REDIS_URL", "CACHE_KEY_PREFIX")


def run_python(*args: str, **env: str) -> subprocess.CompletedProcess:
    """`python *args` in the project folder, with `env` on top of a cleaned environment."""
    environment = clean_environment(**env)
    return subprocess.run(  # noqa: S603 - our own interpreter and project
        [sys.executable, *args],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


@contextmanager
def python_process(
    command: list[str], environment: dict[str, str], stop_within: float = 30
) -> Iterator[tuple[subprocess.Popen, Path]]:
    """`python *command` running in the project folder until the block ends, everything it
    prints kept in a file; then stopped as systemd would (SIGTERM) and waited for."""
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
            try:
                yield process, output
            finally:
                process.terminate()
                process.wait(timeout=stop_within)


def database_url() -> str:
    """The database the tests run on, as DATABASE_URL for a process of the project."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{database['NAME']}"
    user = database.get("USER") or "postgres"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = f"{database.get('HOST') or '127.0.0.1'}:{database.get('PORT') or 5432}"
    return f"postgres://{user}{password}@{host}/{database['NAME']}"


def empty_processes_cache() -> None:
    """Empty the cache folder the processes under test share, as `cache.clear()` empties the
    test run's own: nothing one test's server kept (a content version, the reasons offered
    with their rows' ids, rate-limit counts) reaches the next test's, whose rows are new."""
    for entry in Path(SESSION_CACHE_DIR).iterdir():
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def clean_environment(**env: str) -> dict[str, str]:
    """The environment of a process under test: ours without the project's settings."""
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(NOT_INHERITED)
    }
    # Never the project's own cache folder, which `make run` serves from.
    environment["DJANGO_CACHE_DIR"] = SESSION_CACHE_DIR
    environment.update(env)
    return environment
