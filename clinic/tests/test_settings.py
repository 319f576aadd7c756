import pytest

from clinic.tests.processes import run_python


def import_settings(**env: str):
    return run_python("-c", "import clinic.settings", **env)


def test_settings_refuse_to_start_without_a_secret_key_when_debug_is_off():
    result = import_settings()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


@pytest.mark.parametrize(
    "env", [{"DJANGO_DEBUG": "1"}, {"DJANGO_SECRET_KEY": "a-real-secret-from-the-environment"}]
)
def test_settings_start_with_a_secret_key_or_in_debug(env):
    assert import_settings(**env).returncode == 0


def test_settings_read_the_database_and_hosts_from_the_environment():
    script = (
        "import clinic.settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.ALLOWED_HOSTS, s.TIME_ZONE, s.DEBUG)"
    )
    result = run_python(
        "-c",
        script,
        DJANGO_SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://clinic@db.internal:5432/clinic",
        DJANGO_ALLOWED_HOSTS="www.example.org, example.org",
        CLINIC_TIME_ZONE="Europe/London",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == (
        "django.db.backends.postgresql ['www.example.org', 'example.org'] Europe/London False"
    )


def test_sqlite_waits_for_writers_instead_of_failing(settings):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite only")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]
