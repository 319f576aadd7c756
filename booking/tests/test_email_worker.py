"""No request waits on the mail server: the real task worker (`manage.py db_worker`) sends
the e-mails, from the database backend's queue, to a real mail server on a local port.

The site runs in gunicorn, as in production; the tests time only what the issue asks for
(a request under 1 s while the mail server takes 10 s to answer, a generous bound).
"""

import re
import time

import pytest
import requests
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from booking import emails
from booking.models import (
    AppointmentRequest,
    Notification,
    NotificationKind,
    NotificationStatus,
    Status,
)
from booking.tests.factories import (
    AppointmentRequestFactory,
    NotificationFactory,
    at,
    next_monday,
)
from clinic.tests.mailserver import mail_server
from clinic.tests.servers import PRODUCTION, free_port, past_the_safety_check, serve
from clinic.tests.workers import task_worker

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PASSWORD = "worker-test-password-1"


@pytest.fixture
def site(mail):
    """gunicorn on the test database, its mail settings pointing at `mail` (as production's
    point at the real mail server: if the request touched it, it would wait too)."""
    port = free_port()
    command = ["-m", "gunicorn", "clinic.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    with serve(command, port, **PRODUCTION, BOOKING_MIN_FILL_SECONDS="0", **mail.env()) as server:
        yield server.url


@pytest.fixture
def mail():
    with mail_server() as server:
        yield server


@pytest.fixture
def database_queue(settings):
    """This process queues tasks as production does: rows for the worker."""
    settings.TASKS = DATABASE_QUEUE


def hidden_inputs(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def book(site: str, request_data: dict) -> tuple[requests.Response, float]:
    """A patient's booking POST, and how long it took to answer."""
    browser = requests.Session()
    past_the_safety_check(browser, site)
    page = browser.get(f"{site}/book/?date={request_data['date']}", timeout=10)
    form = {**request_data, **hidden_inputs(page.text)}
    started = time.monotonic()
    response = browser.post(f"{site}/book/", data=form, allow_redirects=False, timeout=60)
    return response, time.monotonic() - started


def queue_is_empty() -> bool:
    return not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists()


def wait_until(condition, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)
    return condition()


def test_a_booking_answers_at_once_while_the_mail_server_takes_10_s(open_every_day, request_data):
    with mail_server(greeting_delay=10) as slow_mail:
        port = free_port()
        command = ["-m", "gunicorn", "clinic.wsgi", "--bind", f"127.0.0.1:{port}"]
        env = {**PRODUCTION, "BOOKING_MIN_FILL_SECONDS": "0", **slow_mail.env()}
        with serve(command, port, **env) as server, task_worker(**slow_mail.env()) as worker:
            response, seconds = book(server.url, request_data)

            assert response.status_code == 302
            assert seconds < 1, f"the booking POST took {seconds:.1f} s"
            assert AppointmentRequest.objects.get().status == Status.REQUESTED
            assert slow_mail.recipients() == []  # not yet: the mail server is still thinking
            arrived = slow_mail.wait_for(2, timeout=60)
            assert request_data["email"] in arrived, worker.output
            assert len(arrived) == 2
    assert set(Notification.objects.values_list("status", flat=True)) == {NotificationStatus.SENT}


def test_with_the_worker_stopped_requests_are_kept_and_emails_go_out_when_it_starts(
    site, mail, open_every_day, request_data
):
    response, _ = book(site, request_data)

    assert response.status_code == 302
    assert AppointmentRequest.objects.count() == 1
    waiting = Notification.objects.all()
    assert {n.status for n in waiting} == {NotificationStatus.PENDING}
    assert {emails.progress(n) for n in waiting} == {"Waiting for the worker."}
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # one task for both
    assert mail.recipients() == []

    with task_worker(**mail.env()) as worker:
        arrived = mail.wait_for(2)
        assert wait_until(queue_is_empty), worker.output
    assert request_data["email"] in arrived
    assert len(arrived) == 2
    assert set(Notification.objects.values_list("status", flat=True)) == {NotificationStatus.SENT}


def test_retry_now_pressed_while_an_email_is_being_sent_sends_it_once(
    admin_client, mail, database_queue
):
    appointments = [AppointmentRequestFactory(email=f"p{n}@example.com") for n in range(2)]
    with transaction.atomic():
        owed = [
            NotificationFactory(appointment=a, kind=NotificationKind.REQUEST_RECEIVED)
            for a in appointments
        ]
        for notification in owed:  # one task each: the worker takes one, then the other
            emails.enqueue_delivery([notification.pk])
    mail.freeze()  # the mail server accepts the connection, then says nothing

    with task_worker(**mail.env()) as worker:
        assert mail.connected.wait(timeout=30), worker.output
        in_flight = Notification.objects.get(status=NotificationStatus.SENDING)
        response = admin_client.post(
            reverse("admin:booking_notification_changelist"),
            {"action": "retry_now", ACTION_CHECKBOX_NAME: [n.pk for n in owed], "index": 0},
            follow=True,
        )
        in_flight.refresh_from_db()
        assert in_flight.status == NotificationStatus.SENDING  # its lease untouched
        mail.thawed.set()
        mail.wait_for(2)
        assert wait_until(queue_is_empty), worker.output

    assert mail.recipients() == ["p0@example.com", "p1@example.com"]  # each once
    assert [str(m) for m in response.context["messages"]] == [
        "1 e-mail handed to the worker: it goes out in a moment.",
        "1 e-mail is being sent right now: it was left alone.",
    ]
    assert set(Notification.objects.values_list("status", flat=True)) == {NotificationStatus.SENT}


def test_confirming_three_requests_answers_at_once_with_the_mail_server_frozen(
    site, mail, open_every_day
):
    get_user_model().objects.create_superuser("desk", "", PASSWORD)
    requested = [
        AppointmentRequestFactory(email=f"p{n}@example.com", starts_at=at(next_monday(), hour))
        for n, hour in enumerate(["10:00", "11:00", "12:00"])
    ]
    mail.freeze()
    staff = requests.Session()
    login = staff.get(f"{site}/admin/login/", timeout=10)
    staff.post(
        f"{site}/admin/login/?next=/admin/",
        data={**hidden_inputs(login.text), "username": "desk", "password": PASSWORD},
        timeout=10,
    )
    changelist = f"{site}{reverse('admin:booking_appointmentrequest_changelist')}"
    form = hidden_inputs(staff.get(changelist, timeout=10).text)
    started = time.monotonic()
    response = staff.post(
        changelist,
        data={
            "csrfmiddlewaretoken": form["csrfmiddlewaretoken"],
            "action": "confirm",
            ACTION_CHECKBOX_NAME: [a.pk for a in requested],
            "index": 0,
        },
        allow_redirects=False,
        timeout=60,
    )
    seconds = time.monotonic() - started

    assert response.status_code == 302
    assert seconds < 1, f"confirming took {seconds:.1f} s"
    assert set(AppointmentRequest.objects.values_list("status", flat=True)) == {Status.CONFIRMED}
    assert Notification.objects.filter(status=NotificationStatus.PENDING).count() == 3

    mail.thawed.set()
    with task_worker(**mail.env()) as worker:
        arrived = mail.wait_for(3)
        assert wait_until(queue_is_empty), worker.output
    assert arrived == ["p0@example.com", "p1@example.com", "p2@example.com"]
