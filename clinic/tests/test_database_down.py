"""With the database down, patients get the site's own 503 page with the clinic's phone
number (cached content pages keep answering), and /healthz says which part is down. Each
case runs in a fresh process of its own, against a database it then loses."""

import json
import shutil

import pytest

from clinic import starting_content
from clinic.tests.processes import run_python

PHONE = starting_content.CLINIC["phone"]
ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "clinic.settings",
    "DJANGO_SECRET_KEY": "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "testserver",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
}

# Visits the home page while the database is up (so the site's details are cached), then
# loses the database (the folder of the SQLite file disappears) and asks every page again.
VISIT = """
import json, os, sys
import django
django.setup()
from django.db import connections
from django.test import Client
from booking.safety_check import CHECKED_COOKIE, checked_cookie_value

client = Client(raise_request_exception=False)
client.cookies[CHECKED_COOKIE] = checked_cookie_value()  # past the red-flag check
if sys.argv[1] == "warm":
    assert client.get("/").status_code == 200
    connections.close_all()
    os.rename(sys.argv[2], sys.argv[2] + "-gone")
answers = {}
for path in ("/book/", "/healthz", "/"):
    response = client.get(path)
    answers[path] = {
        "status": response.status_code,
        "text": response.content.decode(),
        "retry_after": response.get("Retry-After"),
    }
print(json.dumps(answers))
"""


def visit(mode: str, cache: str, folder: str = "", **env: str) -> dict:
    """The answers of a fresh process with a cache folder of its own (empty at first)."""
    result = run_python("-c", VISIT, mode, folder, **ENVIRONMENT, DJANGO_CACHE_DIR=cache, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def sqlite_site(tmp_path_factory):
    """A SQLite database with the starting content, in a folder of its own."""
    folder = tmp_path_factory.mktemp("site") / "data"
    folder.mkdir()
    url = f"sqlite:///{folder / 'db.sqlite3'}"
    for command in ("migrate", "load_clinic_content"):
        result = run_python(
            "manage.py", command, "--verbosity", "0", **ENVIRONMENT, DATABASE_URL=url
        )
        assert result.returncode == 0, result.stderr
    return folder, url


def test_with_the_database_lost_booking_says_call_us_and_cached_pages_still_answer(
    sqlite_site, tmp_path
):
    original, _ = sqlite_site
    folder = tmp_path / "data"
    shutil.copytree(original, folder)
    answers = visit(
        "warm",
        str(tmp_path / "cache"),
        str(folder),
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
    )

    booking = answers["/book/"]
    assert booking["status"] == 503
    assert booking["retry_after"] == "60"
    assert "This page is not available right now" in booking["text"]
    assert f'<a href="tel:+15550100">{PHONE}</a>' in booking["text"]
    assert answers["/healthz"] == {
        "status": 503, "text": "database: unavailable\ncache: ok\n", "retry_after": None
    }  # fmt: skip
    assert answers["/"]["status"] == 200  # the home page, from the page cache


def test_with_no_database_from_the_start_the_503_page_still_answers(tmp_path):
    answers = visit(
        "cold",
        str(tmp_path / "cache"),
        DATABASE_URL="postgres://clinic@127.0.0.1:1/nothing-listens",
    )
    booking = answers["/book/"]
    assert booking["status"] == 503
    assert "please call the clinic, or try again in a few minutes" in booking["text"]
    assert answers["/healthz"]["status"] == 503
    assert answers["/healthz"]["text"] == "database: unavailable\ncache: ok\n"
    assert answers["/"]["status"] == 503
