"""Two app servers behind any load balancer stay correct: no overbooking and one shared rate
limit (a save on one shows on the other within the bound: test_version_bound.py)."""

import re
import threading
from collections import Counter

import pytest
import requests

from booking.models import AppointmentRequest, BookingSettings

pytestmark = [pytest.mark.scaleout, pytest.mark.django_db(transaction=True)]


def hidden_inputs(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def visitor(address: str) -> requests.Session:
    """A browser of its own, coming from `address` (our proxy says so in X-Forwarded-For)."""
    session = requests.Session()
    session.headers["X-Forwarded-For"] = address
    return session


def ready_form(session: requests.Session, server: str, data: dict) -> dict:
    """What the browser will send: the typed data plus the form's own hidden fields."""
    page = session.get(f"{server}/book/?date={data['date']}", timeout=10)
    assert page.status_code == 200
    return {**data, **hidden_inputs(page.text)}


def test_forty_patients_racing_for_two_places_across_both_servers(
    app_servers, open_every_day, request_data
):
    BookingSettings.objects.update(capacity=2)
    patients = []
    for number in range(40):
        server = app_servers[number % 2]
        session = visitor(f"203.0.113.{number + 1}")
        patient = {"email": f"p{number}@example.com", "phone": f"(202) 555-{number:04d}"}
        form = ready_form(session, server, {**request_data, **patient})
        patients.append((session, server, form))
    start = threading.Barrier(len(patients))
    answers: list[tuple[int, str]] = []

    def book(session, server, form) -> None:
        start.wait()
        response = session.post(f"{server}/book/", data=form, allow_redirects=False, timeout=60)
        answers.append((response.status_code, response.text))

    threads = [threading.Thread(target=book, args=patient) for patient in patients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = Counter(status for status, _ in answers)
    assert statuses == {302: 2, 409: 38}, statuses
    assert all("that time has just been taken" in text for status, text in answers if status == 409)
    assert AppointmentRequest.objects.count() == 2


def test_one_client_hits_the_rate_limit_at_the_shared_count(
    app_servers, open_every_day, request_data
):
    session = visitor("198.51.100.23")
    statuses = []
    for number, hour in enumerate(range(9, 15)):
        server = app_servers[number % 2]
        patient = {"email": f"p{hour}@example.com", "phone": f"(202) 555-{hour:04d}"}
        form = ready_form(session, server, {**request_data, "time": f"{hour:02d}:00", **patient})
        response = session.post(f"{server}/book/", data=form, allow_redirects=False, timeout=10)
        statuses.append(response.status_code)
    assert statuses == [302, 302, 302, 302, 302, 429]  # 5 a minute here, counted in Redis
    assert AppointmentRequest.objects.count() == 5
