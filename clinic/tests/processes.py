"""Run the project's Python in a fresh process, with a clean environment of our choosing:
for tests of what the settings do with the environment they start from."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
# The test run's own configuration must not leak into the process under test.
NOT_INHERITED = ("DJANGO_", "DATABASE_URL", "REDIS_URL", "CACHE_KEY_PREFIX")


def run_python(*args: str, **env: str) -> subprocess.CompletedProcess:
    """`python *args` in the project folder, with `env` on top of a cleaned environment."""
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(NOT_INHERITED)
    }
    environment.update(env)
    return subprocess.run(  # noqa: S603 - our own interpreter and project
        [sys.executable, *args],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
