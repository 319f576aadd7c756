"""No manage-link token, query string or form data in any log: Django's loggers and
runserver's access lines under debug, gunicorn's error and access logs and the app's under
production settings, and the error e-mails to the admins."""

import logging
import secrets
import socket

import pytest
import requests
from django.test import Client

from booking import services
from booking.models import Status
from clinic.tests.public_pages import PATIENT, appointment_in
from clinic.tests.servers import PRODUCTION, free_port, serve

TOKEN = secrets.token_hex(32)  # shaped like a real manage-link token
QUERY_PRIVATE = "maria%40example.com"


def test_redaction_hides_manage_paths_tokens_and_query_strings():
    from clinic.logs import redact

    line = f'"GET /appointments/{TOKEN}/calendar.ics?email={QUERY_PRIVATE} HTTP/1.1" 404'
    assert redact(line) == '"GET /appointments/…/calendar.ics HTTP/1.1" 404'
    assert redact("Not Found: /appointments/abc/cancel/") == "Not Found: /appointments/…/cancel/"
    assert redact(f"hash {TOKEN.upper()} seen") == "hash … seen"
    assert redact("GET /book/?reason=arthritis&date=2026-12-01") == "GET /book/"
    assert redact("Is this a question? Yes.") == "Is this a question? Yes."


def test_a_log_call_with_arguments_that_do_not_fit_is_still_redacted_not_raised():
    from clinic.logs import RedactingFilter

    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, f"Gone: /appointments/{TOKEN}/ %s %s",
        ("one",), None,
    )  # fmt: skip
    assert RedactingFilter().filter(record)
    assert record.getMessage() == "Gone: /appointments/…/ %s %s"


def ask_the_manage_urls_what_fails(base: str) -> None:
    """A 404, 405 and 403 on manage URLs, each with a query string."""
    manage = f"{base}/appointments/{TOKEN}"
    browser = requests.Session()
    answers = [
        browser.get(f"{manage}/calendar.ics?email={QUERY_PRIVATE}", timeout=10),
        browser.get(f"{manage}/?email={QUERY_PRIVATE}", timeout=10),
        browser.options(f"{manage}/?email={QUERY_PRIVATE}", timeout=10),
        # No CSRF cookie: refused.
        browser.post(f"{manage}/cancel/?email={QUERY_PRIVATE}", {"note": "Lopez"}, timeout=10),
    ]
    assert [answer.status_code for answer in answers] == [404, 404, 405, 403]


def assert_private(logged: str) -> None:
    for private in (TOKEN, QUERY_PRIVATE, "email=", "Lopez"):
        assert private not in logged, f"{private!r} in the log:\n{logged}"


@pytest.mark.django_db  # the server answers from the test database
def test_under_debug_runserver_logs_no_token_and_no_query_string():
    port = free_port()
    command = ["manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    with serve(command, port, DJANGO_DEBUG="1") as server:
        ask_the_manage_urls_what_fails(server.url)
    logged = server.output
    assert_private(logged)
    # What Django's loggers and runserver said, with the token hidden:
    assert "Not Found: /appointments/…/calendar.ics" in logged
    assert "Method Not Allowed (OPTIONS): /appointments/…/" in logged
    assert "Forbidden (CSRF cookie not set.): /appointments/…/cancel/" in logged
    assert '"GET /appointments/…/calendar.ics HTTP/1.1" 404' in logged


def send_a_malformed_request_line(port: int) -> None:
    """A request line gunicorn refuses (no HTTP version): its error log quotes it."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        raw.sendall(f"GET /appointments/{TOKEN}/?email={QUERY_PRIVATE}\r\n\r\n".encode())
        assert raw.recv(1024).startswith(b"HTTP/1.1 400")


@pytest.mark.django_db
def test_under_gunicorn_with_production_settings_no_log_has_a_token():
    port = free_port()
    command = ["-m", "gunicorn", "clinic.wsgi", "--bind", f"127.0.0.1:{port}"]
    env = {**PRODUCTION, "GUNICORN_WORKERS": "1", "GUNICORN_ACCESS_LOG": "1"}
    with serve(command, port, **env) as server:
        ask_the_manage_urls_what_fails(server.url)
        send_a_malformed_request_line(port)
    logged = server.output
    assert_private(logged)
    assert "Invalid request from ip=127.0.0.1" in logged  # gunicorn's error log
    assert '"OPTIONS /appointments/…/ HTTP/1.1" 405' in logged  # gunicorn's access log
    assert "Method Not Allowed (OPTIONS): /appointments/…/" in logged  # Django's
    assert "GET /appointments/…/calendar.ics 404" in logged  # the app's own line


@pytest.mark.django_db
def test_an_error_report_e_mail_has_no_token_query_string_or_form_data(
    settings, mailoutbox, monkeypatch, open_every_day
):
    settings.ADMINS = [("", "on-call@balancedhealth.example")]
    appointment = appointment_in(Status.REQUESTED, "10:00")
    token = appointment.manage_token

    def cancel_fails(appointment, **kwargs):
        raise RuntimeError(f"could not cancel with {token}")

    monkeypatch.setattr(services, "appointment_cancel", cancel_fails)
    client = Client(raise_request_exception=False)
    url = f"{appointment.get_manage_url()}cancel/?email={QUERY_PRIVATE}"
    response = client.post(url, {"note": PATIENT["last_name"]})

    assert response.status_code == 500
    [report] = mailoutbox
    assert report.to == ["on-call@balancedhealth.example"]
    assert "Internal Server Error: /appointments/…/cancel/" in report.subject
    assert "RuntimeError\ncould not cancel with …" in report.body
    assert not getattr(report, "alternatives", None)  # no HTML copy of the request
    for private in (
        token, appointment.manage_token_hash, QUERY_PRIVATE, "email=",
        PATIENT["first_name"], PATIENT["last_name"], PATIENT["email"],
    ):  # fmt: skip
        assert private not in report.subject + report.body, private
