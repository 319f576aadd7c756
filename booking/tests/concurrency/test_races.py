"""Patients and staff racing for the same place: real threads, each with its own database
connection, started together. The same tests run on SQLite (a file) and, with DATABASE_URL,
on PostgreSQL."""

import datetime
from collections import Counter

import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from booking import emails, services
from booking.availability import Unavailable
from booking.forms import FORM_STARTED_SALT
from booking.models import AppointmentRequest, Notification, NotificationStatus, Status
from booking.tests.concurrency.racing import THREADS, kinds, race
from booking.tests.factories import (
    AppointmentRequestFactory,
    BookingSettingsFactory,
    NotificationFactory,
    PatientDetailsFactory,
    at,
    next_monday,
    one_room_clinic,
    open_weekdays,
    place_at,
)
from clinic.models import OpeningHours
from clinic.tests.factories import ClinicProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def clinic(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ClinicProfileFactory()
    open_weekdays()


@pytest.fixture
def now() -> datetime.datetime:
    return at(next_monday(), "0:00")


@pytest.fixture
def slot() -> datetime.datetime:
    return at(next_monday() + datetime.timedelta(days=2), "10:00")


def request_slot(slot, now):
    def work(i: int):
        return services.appointment_request_create(
            place=place_at(slot),
            condition=None,
            patient=PatientDetailsFactory(email=f"racer{i}@example.com"),
            consent_at=now,
            now=now,
        )

    return work


@pytest.mark.parametrize("capacity", [1, 3])
def test_patients_racing_for_a_time_never_overbook_it(capacity, slot, now):
    BookingSettingsFactory(capacity=capacity)
    results, errors = race(request_slot(slot, now))
    assert kinds(errors) == {"SlotUnavailable": THREADS - capacity}
    assert {error.reason for error in errors if error} == {Unavailable.TAKEN}
    stored = AppointmentRequest.objects.filter(starts_at=slot)
    assert stored.count() == capacity
    assert sorted(a.pk for a in results if a) == sorted(stored.values_list("pk", flat=True))
    assert Notification.objects.count() == 2 * capacity


def test_staff_confirming_at_once_never_confirm_more_than_capacity(slot, now, django_user_model):
    BookingSettingsFactory(capacity=THREADS)
    waiting = [
        AppointmentRequestFactory(starts_at=slot, email=f"p{i}@example.com") for i in range(THREADS)
    ]
    BookingSettingsFactory(capacity=1)  # then the second room closed
    staff = django_user_model.objects.create_user("frontdesk", is_staff=True)

    def confirm(i: int):
        return services.appointment_confirm(appointment=waiting[i], by=staff, now=now)

    _, errors = race(confirm)
    assert kinds(errors) == {"TransitionNotAllowed": THREADS - 1}
    assert AppointmentRequest.objects.filter(status=Status.CONFIRMED).count() == 1
    assert AppointmentRequest.objects.filter(status=Status.REQUESTED).count() == THREADS - 1


def test_two_workers_sending_the_same_email_send_it_once(slot):
    notification = NotificationFactory(appointment__starts_at=slot)
    mail.outbox = []
    moment = timezone.now()
    results, errors = race(lambda i: emails.send_email(notification.pk, now=moment), threads=8)
    assert kinds(errors) == {}
    assert Counter(results) == {NotificationStatus.SENT: 1, None: 7}
    assert len(mail.outbox) == 1


def test_patients_racing_through_the_booking_form_never_overbook(settings):
    """The whole request flow, one browser-like client per thread (each its own address)."""
    settings.BOOKING_MIN_FILL_SECONDS = 0
    OpeningHours.objects.bulk_create(  # open at weekends too: any day three days ahead works
        OpeningHours(weekday=day, opens=datetime.time(9), closes=datetime.time(17))
        for day in (5, 6)
    )
    one_room_clinic()  # the practitioner works the clinic's new hours
    day = timezone.localdate() + datetime.timedelta(days=3)
    started = signing.dumps(timezone.now().timestamp() - 60, salt=FORM_STARTED_SALT)

    def submit(i: int):
        client = Client(REMOTE_ADDR=f"10.0.0.{i + 1}")
        response = client.post(
            "/book/",
            {
                "action": "request",
                "reason": "other",
                "date": day.isoformat(),
                "time": "10:00",
                "first_name": "Racer",
                "last_name": "Runner",
                "email": f"racer{i}@example.com",
                "phone": f"(202) 555-{i:04d}",
                "patient_type": "new",
                "consent": "on",
                "website": "",
                "started": started,
            },
        )
        return response.status_code, response.content.decode()

    results, errors = race(submit)
    assert kinds(errors) == {}
    assert Counter(status for status, _ in results) == {302: 1, 409: THREADS - 1}
    refused_pages = [page for status, page in results if status == 409]
    assert all("that time has just been taken" in page for page in refused_pages)
    assert AppointmentRequest.objects.count() == 1
