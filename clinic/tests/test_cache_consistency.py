"""A save and the cached pages agree: a page rendered while a save is being committed is
never kept as the fresh page, and every process of the machine sees the new version."""

import subprocess
import sys
import threading

import pytest
import requests
from django.db import connection, transaction
from django.test import Client

from clinic.cache import content_version, public_pages_changed
from clinic.models import ClinicProfile
from clinic.tests.processes import PROJECT, clean_environment, database_url, run_python
from clinic.tests.servers import PRODUCTION, free_port, serve

pytestmark = pytest.mark.django_db(transaction=True)

NEW_EMAIL = "front-desk@balancedhealth.example"


def render_in_another_thread(path: str) -> str:
    """A patient's request served meanwhile, on its own database connection."""
    pages: list[str] = []

    def render() -> None:
        try:
            pages.append(Client().get(path).content.decode())
        finally:
            connection.close()

    thread = threading.Thread(target=render)
    thread.start()
    thread.join(timeout=30)
    return pages[0]


@pytest.mark.parametrize("path", ["/", "/conditions/arthritis/", "/about/"])
def test_a_page_rendered_while_a_save_commits_is_never_served_as_fresh(starting_content, path):
    patient = Client()
    assert NEW_EMAIL not in patient.get(path).content.decode()
    with transaction.atomic():  # as the admin saves: the row, then the invalidation
        profile = ClinicProfile.objects.get()
        profile.email = NEW_EMAIL
        profile.save()
        public_pages_changed()
        during = render_in_another_thread(path)  # still sees the committed, old row
    assert NEW_EMAIL not in during
    assert NEW_EMAIL in patient.get(path).content.decode()


def test_many_saves_racing_many_renders_leave_every_page_fresh(starting_content):
    stop = threading.Event()
    errors: list[BaseException] = []

    def keep_rendering() -> None:
        client = Client()
        try:
            while not stop.is_set():
                for path in ("/", "/about/"):
                    assert client.get(path).status_code == 200
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    readers = [threading.Thread(target=keep_rendering) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        for number in range(8):
            with transaction.atomic():
                ClinicProfile.objects.update(email=f"desk-{number}@balancedhealth.example")
                public_pages_changed()
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=30)
    assert not errors
    for path in ("/", "/about/"):
        assert "desk-7@balancedhealth.example" in Client().get(path).content.decode()


def test_nothing_moves_if_the_save_is_rolled_back(starting_content):
    before = content_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        public_pages_changed()
        raise RuntimeError("the save failed")
    assert content_version() == before


def print_version(**env: str):
    script = (
        "import django; django.setup(); from clinic.cache import content_version; "
        "print(content_version())"
    )
    return run_python("-c", script, **env)


def test_every_process_on_the_machine_shares_the_content_version(tmp_path):
    """Without Redis (the embedded default), gunicorn's workers are separate processes: a save
    in one of them must reach the others."""
    env = {
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_CACHE_DIR": str(tmp_path / "cache"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    first, second = print_version(**env), print_version(**env)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    refreshed = run_python("manage.py", "refresh_cached_pages", **env)
    assert refreshed.returncode == 0, refreshed.stderr
    assert print_version(**env).stdout not in ("", first.stdout)


@pytest.fixture
def gunicorn_without_redis(tmp_path):
    """gunicorn with two workers on the test database and the embedded default cache (no
    REDIS_URL), as a one-machine clinic runs it; and the environment its processes share."""
    port = free_port()
    # Workers trust no copy of the version: here, a save must reach them through the cache
    # folder at once (the bound a copy adds is tested in scaleout/test_version_bound.py).
    env = {
        **PRODUCTION,
        "DJANGO_CACHE_DIR": str(tmp_path / "cache"),
        "CLINIC_CONTENT_VERSION_TRUST_SECONDS": "0",
    }
    command = ["-m", "gunicorn", "clinic.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    with serve(command, port, **env) as server:
        yield server.url, clean_environment(DATABASE_URL=database_url(), **env)


SAVE_THE_CLINIC_EMAIL = """
import django; django.setup()
from django.db import transaction
from clinic.cache import public_pages_changed
from clinic.models import ClinicProfile
with transaction.atomic():
    ClinicProfile.objects.update(email={email!r})
    public_pages_changed()
"""


def test_a_save_reaches_every_gunicorn_worker_without_redis(
    starting_content, gunicorn_without_redis
):
    url, env = gunicorn_without_redis
    for _ in range(12):  # both workers keep the home page in their own memory
        assert requests.get(f"{url}/", timeout=10).status_code == 200
    for number in range(3):
        email = f"desk-{number}@balancedhealth.example"
        saved = subprocess.run(  # noqa: S603 - a process of the project, as a command is
            [sys.executable, "-c", SAVE_THE_CLINIC_EMAIL.format(email=email)],
            cwd=PROJECT,
            env={**env, "DJANGO_SETTINGS_MODULE": "clinic.settings"},
            capture_output=True,
            text=True,
            check=False,
        )
        assert saved.returncode == 0, saved.stderr
        homes = [requests.get(f"{url}/", timeout=10).text for _ in range(12)]
        assert all(email in home for home in homes), f"stale after save {number + 1}"
