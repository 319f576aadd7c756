"""A newcomer's first run: `make run` names the address it serves, and what the commands
print is what the README says."""

import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from clinic.tests.processes import PROJECT, clean_environment, run_python

README = (PROJECT / "README.md").read_text()


def make_run_commands(*args: str, **env: str) -> str:
    """What `make run` would do, without doing it (`make -n`)."""
    result = subprocess.run(  # noqa: S603 - make, in our own project
        ["make", "-n", "-B", "run", *args],  # noqa: S607
        cwd=PROJECT,
        env=clean_environment(**env),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def served_commands(output: str) -> list[str]:
    return [line for line in output.splitlines() if " manage.py " in line]


def test_make_run_on_another_port_names_that_address_in_links():
    commands = served_commands(make_run_commands("HOST_PORT=127.0.0.1:8101"))
    assert commands and all("DJANGO_SITE_URL=http://127.0.0.1:8101 " in c for c in commands)
    assert commands[-1].endswith("runserver 127.0.0.1:8101")


def test_an_explicit_site_url_wins():
    output = make_run_commands(DJANGO_SITE_URL="https://clinic.test")
    assert all("DJANGO_SITE_URL=https://clinic.test " in c for c in served_commands(output))


def test_the_site_url_make_run_sets_is_the_one_links_use():
    script = "from django.conf import settings; print(settings.SITE_URL)"
    result = run_python(
        "manage.py",
        "shell",
        "-c",
        script,
        DJANGO_DEBUG="1",
        DJANGO_SITE_URL="http://127.0.0.1:8101",
    )
    assert result.stdout.strip().splitlines()[-1] == "http://127.0.0.1:8101", result.stderr


@pytest.mark.django_db
def test_the_second_run_reminds_of_the_password_command_the_readme_gives(django_user_model, capsys):
    django_user_model.objects.create_superuser("admin", "", "a-long-password-for-tests")
    call_command("ensure_staff_login")
    printed = capsys.readouterr().out
    command = re.search(r"Forgotten the password\? (.+)$", printed.strip()).group(1)
    assert command == ".venv/bin/python manage.py changepassword admin"
    assert f"`{command}`" in README
    assert Path(PROJECT / command.split()[0]).name == "python"
