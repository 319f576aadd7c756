"""Production hardening, checked with the test client under production settings."""

import logging
import secrets

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from clinic.tests.processes import run_python

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/conditions/", "/conditions/arthritis/", "/about/", "/privacy/", "/book/"]
PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture
def production(settings):
    """The security settings as they are when DJANGO_DEBUG is off and nothing overrides them."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    return settings


def https_get(client, url: str):
    return client.get(url, secure=True)


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
        for part in (p.strip() for p in policy.split(";"))
        if part
    }


def test_http_is_redirected_to_https(client, production, starting_content):
    response = client.get("/conditions/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/conditions/"


def test_a_tls_proxy_header_is_trusted_only_when_configured(client, production, starting_content):
    production.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get("/", HTTP_X_FORWARDED_PROTO="https").status_code == 200


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_security_headers_on_every_public_page(client, production, starting_content, url):
    response = https_get(client, url)
    assert response.status_code == 200
    hsts = response["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("url", [*PUBLIC_PAGES, "/admin/login/"])
def test_a_strict_content_security_policy_on_every_page(client, production, starting_content, url):
    policy = directives(https_get(client, url))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["form-action"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in str(policy) and "unsafe-eval" not in str(policy)


def test_cookies_are_secure_http_only_and_same_site(client, production, starting_content):
    response = https_get(client, "/book/")
    cookie = response.cookies["csrftoken"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
    get_user_model().objects.create_superuser("staff", "", PASSWORD)
    response = client.post(
        "/admin/login/", {"username": "staff", "password": PASSWORD}, secure=True
    )
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert not session["max-age"]  # ends with the browser; the server side ends after 8 hours
    assert client.session.get_expiry_age() <= 8 * 60 * 60


def log_in(client, password: str):
    return client.post("/admin/login/?next=/admin/", {"username": "staff", "password": password})


def test_repeated_failed_logins_lock_the_account_from_that_address(client, settings):
    get_user_model().objects.create_superuser("staff", "", PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "wrong").status_code == 200
    locked = log_in(client, "wrong")
    assert locked.status_code == 429
    assert "Login paused after too many failed attempts" in locked.content.decode()
    assert "30 minutes" in locked.content.decode()
    assert log_in(client, PASSWORD).status_code == 429  # even the right password waits
    assert log_in(Client(REMOTE_ADDR="198.51.100.7"), PASSWORD).status_code == 302


def test_a_superuser_can_lift_the_lockout(client, settings):
    get_user_model().objects.create_superuser("staff", "", PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "wrong")
    assert AccessAttempt.objects.filter(username="staff").exists()
    admin = get_user_model().objects.create_superuser("boss", "", PASSWORD)
    boss = Client()
    boss.force_login(admin)
    assert boss.get("/admin/axes/accessattempt/").status_code == 200
    call_command("axes_reset_username", "staff", verbosity=0)
    assert log_in(client, PASSWORD).status_code == 302


def run_manage(*args: str, **env: str):
    return run_python("manage.py", *args, **env)


def test_deploy_check_is_clean_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="www.balancedhealth.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_admin_path_comes_from_the_environment():
    script = "from django.urls import reverse; print(reverse('admin:index'))"
    result = run_manage(
        "shell", "-c", script, DJANGO_SECRET_KEY="x" * 50, DJANGO_ADMIN_PATH="staff-desk"
    )
    assert result.stdout.strip().endswith("/staff-desk/"), result.stderr


def test_requests_are_logged_without_query_strings_tokens_or_patient_data(
    client, caplog, capsys, open_every_day, request_data
):
    caplog.set_level(logging.DEBUG)
    client.get("/book/?reason=arthritis&date=2026-12-01")
    client.post("/book/", request_data)
    client.post("/book/", {**request_data, "phone": "bad"})
    from booking.models import AppointmentRequest

    appointment = AppointmentRequest.objects.get()
    client.get(appointment.get_manage_url())
    client.get("/appointments/not-a-token/")
    logged = caplog.text + capsys.readouterr().err
    assert "GET /book/ 200" in logged
    assert "POST /book/ 302" in logged
    assert "GET /appointments/…/ 200" in logged
    for private in (
        "Maria", "Lopez", "maria@example.com", "555-0143", "+12025550143", "wheelchair",
        "arthritis", "reason=", appointment.manage_token, "not-a-token",
    ):  # fmt: skip
        assert private not in logged, private
