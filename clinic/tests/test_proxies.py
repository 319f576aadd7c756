"""The client's address comes from X-Forwarded-For only as our own proxies wrote it: a
client that reaches gunicorn directly cannot choose its address for the rate limit or the
admin lockout."""

import ipaddress
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory

from clinic.network import client_ip
from clinic.tests.processes import PROJECT, run_python

PASSWORD = "correct-horse-battery-staple-42"
PROXY = "10.0.0.2"
CLIENT = "198.51.100.7"


@pytest.fixture
def behind_our_proxies(settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/24")]


def address_of(remote: str, forwarded: str | None = None) -> str:
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))


def test_a_client_reaching_the_app_directly_cannot_choose_its_address(behind_our_proxies):
    assert address_of("203.0.113.5", "198.51.100.1") == "203.0.113.5"


def test_behind_our_proxy_the_client_is_the_address_it_saw(behind_our_proxies):
    assert address_of(PROXY, CLIENT) == CLIENT
    assert address_of(PROXY) == PROXY


def test_what_a_client_wrote_before_our_proxy_added_its_address_is_ignored(behind_our_proxies):
    assert address_of(PROXY, f"192.0.2.66, {CLIENT}") == CLIENT


def test_a_chain_of_our_proxies_is_walked_back_to_the_client(behind_our_proxies):
    assert address_of(PROXY, f"192.0.2.66, {CLIENT}, 10.0.0.3") == CLIENT


def test_a_forwarded_entry_that_is_no_address_stops_the_walk(behind_our_proxies):
    assert address_of(PROXY, f"{CLIENT}, not-an-address") == PROXY


def test_a_proxy_on_a_unix_socket_is_trusted(settings):
    settings.TRUSTED_PROXIES = []
    assert address_of("", CLIENT) == CLIENT  # gunicorn gives a socket's peer no address


def log_in(client: Client, password: str, forwarded: str):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "staff", "password": password},
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
def test_the_lockout_counts_the_client_our_proxy_saw_not_what_it_claims(
    behind_our_proxies, settings
):
    get_user_model().objects.create_superuser("staff", "", PASSWORD)
    through_proxy = Client(REMOTE_ADDR=PROXY)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(through_proxy, "wrong", forwarded=f"192.0.2.{attempt}, {CLIENT}")
    assert log_in(through_proxy, PASSWORD, forwarded=f"192.0.2.99, {CLIENT}").status_code == 429
    # Someone else behind the same proxy is not locked out with them.
    assert log_in(Client(REMOTE_ADDR=PROXY), PASSWORD, "198.51.100.8").status_code == 302


@pytest.mark.django_db
def test_the_lockout_holds_for_a_client_forging_x_forwarded_for(behind_our_proxies, settings):
    get_user_model().objects.create_superuser("staff", "", PASSWORD)
    direct = Client(REMOTE_ADDR="203.0.113.5")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(direct, "wrong", forwarded=f"192.0.2.{attempt}")
    assert log_in(direct, PASSWORD, forwarded="192.0.2.200").status_code == 429


def example_environment(*names: str) -> dict[str, str]:
    """The named variables as .env.example sets them (the values the guide tells you)."""
    lines = Path(PROJECT, ".env.example").read_text().splitlines()
    pairs = dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))
    return {name: pairs[name] for name in names if name in pairs}


def test_the_documented_configuration_ignores_a_forged_address():
    script = (
        "import django; django.setup(); "
        "from django.test import RequestFactory; from clinic.network import client_ip; "
        "print(client_ip(RequestFactory().get("
        "'/', REMOTE_ADDR='203.0.113.5', HTTP_X_FORWARDED_FOR='198.51.100.1')))"
    )
    env = example_environment("DJANGO_TRUSTED_PROXIES", "DJANGO_TRUSTED_PROXY_COUNT")
    assert env, ".env.example says nothing about the proxies"
    result = run_python(
        "-c", script, DJANGO_SETTINGS_MODULE="clinic.settings", DJANGO_SECRET_KEY="x" * 50, **env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "203.0.113.5"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_TRUSTED_PROXY_COUNT": "1"}, "list your proxies' addresses"),
        ({"DJANGO_TRUSTED_PROXIES": "10.0.0.5/24"}, "DJANGO_TRUSTED_PROXIES"),
        ({"DJANGO_TRUSTED_PROXIES": "proxy.internal"}, "DJANGO_TRUSTED_PROXIES"),
    ],
)
def test_settings_refuse_a_proxy_setting_they_cannot_trust(env, message):
    result = run_python("-c", "import clinic.settings", DJANGO_SECRET_KEY="x" * 50, **env)
    assert result.returncode != 0
    assert message in result.stderr
