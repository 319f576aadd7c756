"""`makemessages` collects every string people read: from the templates, the e-mails, the
models, forms, admin and services, ready for the Spanish translation."""

import os
import shutil
import subprocess
import sys

import pytest

from clinic.tests.processes import PROJECT, clean_environment

SKIPPED = (".git", ".venv", "node_modules", "staticfiles", "build", "cache", "media", "artifacts")
# One string from each kind of place the site keeps words in.
EXPECTED = [
    'msgid "Request an appointment"',  # templates
    'msgid "Please choose a time."',  # the booking form's errors
    'msgid "Waiting for confirmation"',  # a model's choices
    'msgid "send staff notices to"',  # a model field's name
    'msgid "Cancel confirmed visits"',  # the front desk's admin
    'msgid "We have had to cancel your appointment (%(reference)s)"',  # an e-mail subject
    'msgid "Kind regards,"',  # the e-mails' own text
    'msgid "Sorry, that time has just been taken. Please choose another time."',  # services
    'msgid "Please enter your real name."',  # validators
    'msgid "Call 911 or go to the emergency room now"',  # the urgent-care levels
    'msgid "Free times on %(day)s"',
    'msgid_plural "%(count)d requests confirmed. An e-mail goes to each patient."',
]


@pytest.fixture(scope="module")
def catalog(tmp_path_factory) -> str:
    if not shutil.which("xgettext"):
        message = "makemessages needs GNU gettext (apt-get install gettext)"
        if os.environ.get("REQUIRE_TRANSLATION_TOOLS"):
            pytest.fail(message)  # CI must never pass with the catalog unchecked
        pytest.skip(message)
    copy = tmp_path_factory.mktemp("project") / "project"
    shutil.copytree(PROJECT, copy, ignore=shutil.ignore_patterns(*SKIPPED, "*.sqlite3*"))
    result = subprocess.run(  # our own manage.py, in a copy of the project
        [sys.executable, "manage.py", "makemessages", "--locale", "es", "--no-obsolete"],
        cwd=copy,
        env=clean_environment(DJANGO_SECRET_KEY="x" * 50, DJANGO_CACHE_DIR=str(copy / "cache")),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return (copy / "locale" / "es" / "LC_MESSAGES" / "django.po").read_text()


@pytest.mark.parametrize("entry", EXPECTED)
def test_makemessages_collects_the_words_of_every_part_of_the_site(catalog, entry):
    assert entry in catalog


def test_the_catalog_is_well_formed(catalog, tmp_path):
    po = tmp_path / "django.po"
    po.write_text(catalog)
    checked = subprocess.run(  # noqa: S603 - GNU gettext's own checker
        ["msgfmt", "--check-format", "--output-file=/dev/null", str(po)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
