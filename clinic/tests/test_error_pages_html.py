"""The pages the site answers when it refuses a request or loses its database are valid
HTML (the Nu Html Checker, as for every public page: see test_html_validity.py)."""

import json
import subprocess

import pytest
from django.test import Client, RequestFactory

from clinic import views
from clinic.tests.test_html_validity import java_and_checker

pytestmark = [pytest.mark.htmlcheck, pytest.mark.django_db]


def error_documents() -> dict[str, str]:
    client = Client()
    client.get("/")  # the site's details, kept for the 503 page
    latin = client.post(
        "/book/",
        b"first_name=Mar%EDa",
        content_type="application/x-www-form-urlencoded; charset=latin-1",
    )
    documents = {
        "bad-request": latin,
        "bad-host": client.get("/", HTTP_HOST="evil.example"),
        "too-large": views.too_large(RequestFactory().post("/admin/")),
        "files-not-accepted": views.files_not_accepted(RequestFactory().post("/book/")),
        "database-down": views.database_unavailable(RequestFactory().get("/book/")),
    }
    return {name: response.content.decode() for name, response in documents.items()}


def test_error_pages_are_valid_html(starting_content, tmp_path):
    command = java_and_checker()
    files = []
    for name, html in error_documents().items():
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(str(path))
    checked = subprocess.run(  # noqa: S603  (our own fixed command line)
        [*command, "--errors-only", "--format", "json", "--stdout", *files],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(checked.stdout)["messages"]
    errors = [f"{m.get('url', '?')}: {m['message']}" for m in messages if m.get("type") == "error"]
    assert not errors, "\n".join(errors)
