"""Two app servers behind any load balancer stay correct: no overbooking, whoever books (the
patients on either server, the front desk beside them), and one shared rate limit (a save on
one shows on the other within the bound: test_version_bound.py)."""

import datetime
import re
import threading
from collections import Counter

import pytest
import requests
from django.db import connection

from booking import services
from booking.models import AppointmentRequest, PractitionerDiary, TreatmentType, WorkingHours
from booking.tests.concurrency.racing import overbooked
from booking.tests.factories import (
    PatientDetailsFactory,
    PractitionerDiaryFactory,
    at,
    the_practitioner,
)
from clinic.tests.servers import past_the_safety_check

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
    past_the_safety_check(session, server)
    page = session.get(f"{server}/book/?date={data['date']}", timeout=10)
    assert page.status_code == 200
    return {**data, **hidden_inputs(page.text)}


def test_forty_patients_racing_for_two_places_across_both_servers(
    app_servers, open_every_day, request_data
):
    PractitionerDiary.objects.update(patients_at_once=2)  # the one practitioner: two rooms
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


def second_practitioner_offering(treatment: TreatmentType) -> None:
    """Another practitioner for the same treatment, working 9:00 to 17:00 every day."""
    diary = PractitionerDiaryFactory(position=1)
    diary.treatment_types.add(treatment)
    WorkingHours.objects.bulk_create(
        WorkingHours(diary=diary, weekday=day, starts=datetime.time(9), ends=datetime.time(17))
        for day in range(7)
    )


def test_first_available_on_both_servers_and_the_front_desk_fill_each_diary_once(
    app_servers, open_every_day, request_data, django_user_model
):
    first = the_practitioner()
    second_practitioner_offering(TreatmentType.objects.get(is_active=True))
    staff = django_user_model.objects.create_user("frontdesk", is_staff=True)
    start = at(datetime.date.fromisoformat(request_data["date"]), request_data["time"])
    patients = []
    for number in range(16):  # "first available": the form's default
        server = app_servers[number % 2]
        session = visitor(f"203.0.113.{number + 1}")
        patient = {"email": f"p{number}@example.com", "phone": f"(202) 555-{number:04d}"}
        patients.append((session, server, ready_form(session, server, {**request_data, **patient})))
    phoned = [PatientDetailsFactory() for _ in range(4)]
    place = services.Place.of(start, TreatmentType.objects.get(is_active=True), first)
    start_together = threading.Barrier(len(patients) + len(phoned))
    answers: list[tuple[int, str]] = []
    desk: list[object] = []

    def book_online(session, server, form) -> None:
        start_together.wait()
        response = session.post(f"{server}/book/", data=form, allow_redirects=False, timeout=60)
        answers.append((response.status_code, response.text))

    def book_at_the_desk(patient) -> None:
        start_together.wait()
        try:
            desk.append(services.appointment_book_by_staff(place=place, patient=patient, by=staff))
        except services.SlotUnavailable as refused:
            desk.append(refused)
        finally:
            connection.close()

    threads = [threading.Thread(target=book_online, args=patient) for patient in patients]
    threads += [threading.Thread(target=book_at_the_desk, args=(p,)) for p in phoned]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = Counter(status for status, _ in answers)
    assert set(statuses) <= {302, 409}, statuses
    desk_booked = sum(isinstance(result, AppointmentRequest) for result in desk)
    assert statuses[302] + desk_booked == 2
    assert all("that time has just been taken" in text for status, text in answers if status == 409)
    stored = AppointmentRequest.objects.all()
    assert sorted(stored.values_list("practitioner", flat=True)) == sorted(
        [first.pk, PractitionerDiary.objects.get(position=1).pk]
    )
    assert set(stored.values_list("starts_at", flat=True)) == {start}
    assert overbooked() == []


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
