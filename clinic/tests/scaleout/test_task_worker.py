"""The task worker beside two app servers: a booking on either is e-mailed by the one worker,
once, and neither server waits on the mail server."""

import re
import time

import pytest
import requests

from booking.models import Notification, NotificationStatus
from clinic.tests.servers import past_the_safety_check

pytestmark = [pytest.mark.scaleout, pytest.mark.django_db(transaction=True)]


def hidden_inputs(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def statuses(email: str) -> list[str]:
    return list(
        Notification.objects.filter(appointment__email=email).values_list("status", flat=True)
    )


def test_a_booking_on_server_a_is_emailed_by_the_worker(
    app_servers, task_worker, open_every_day, request_data
):
    server_a, _ = app_servers
    patient = {**request_data, "email": "worker-test@example.com", "phone": "(202) 555-0199"}
    browser = requests.Session()
    browser.headers["X-Forwarded-For"] = "203.0.113.200"
    past_the_safety_check(browser, server_a)
    page = browser.get(f"{server_a}/book/?date={patient['date']}", timeout=10)
    form = {**patient, **hidden_inputs(page.text)}

    response = browser.post(f"{server_a}/book/", data=form, allow_redirects=False, timeout=10)

    assert response.status_code == 302
    deadline = time.monotonic() + 60
    while statuses(patient["email"]) != [NotificationStatus.SENT] * 2:
        assert time.monotonic() < deadline, statuses(patient["email"])
        time.sleep(0.1)
    assert task_worker.recipients().count(patient["email"]) == 1
