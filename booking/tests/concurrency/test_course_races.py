"""Courses racing for their places, with real threads (each its own connection): on SQLite
(a file) and, with DATABASE_URL, on PostgreSQL. Exactly one wins each place; a course that
loses one of its places stores nothing, and its patient gets the dates as they are now."""

import datetime
from collections import Counter

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from booking import services
from booking.course_forms import starts_text
from booking.course_plan import propose_in
from booking.forms import FORM_STARTED_SALT
from booking.models import AppointmentRequest, Course, Notification
from booking.schedule import BookingWindow
from booking.tests.concurrency.racing import kinds, overbooked, race
from booking.tests.course_helpers import asked, course_clinic
from booking.tests.factories import PatientDetailsFactory, at, next_monday, place_at
from clinic.tests.factories import ClinicProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)
WEEK = datetime.timedelta(days=7)
THREADS = 8


@pytest.fixture(autouse=True)
def clinic(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ClinicProfileFactory()
    course_clinic()


@pytest.fixture
def now() -> datetime.datetime:
    return at(next_monday() - datetime.timedelta(days=2), "12:00")


def test_a_course_and_single_requests_racing_for_its_fifth_place(now):
    course_asked = asked(count=6)
    window = BookingWindow.load(now)
    starts = [visit.start for visit in propose_in(window, course_asked).visits]
    fifth = starts[4]

    def work(i: int):
        patient = PatientDetailsFactory(email=f"racer{i}@example.com", phone=f"+1202555{i:04d}")
        if i == 0:
            return services.course_request_create(
                asked=course_asked, starts=starts, condition=None, patient=patient,
                consent_at=now, schedule=window.schedule,
                treatment_type_id=course_asked.treatment.id, now=now,
            )  # fmt: skip
        return services.appointment_request_create(
            place=place_at(fifth), condition=None, patient=patient, consent_at=now, now=now
        )

    results, errors = race(work, threads=THREADS)

    assert AppointmentRequest.objects.filter(starts_at=fifth).count() == 1
    assert not overbooked()
    if isinstance(results[0], Course):  # the course won: every single request lost
        assert kinds(errors) == {"SlotUnavailable": THREADS - 1}
        assert AppointmentRequest.objects.count() == 6
    else:  # a single request won the fifth place: the course stored nothing at all
        assert kinds(errors) == {"CourseVisitUnavailable": 1, "SlotUnavailable": THREADS - 2}
        assert errors[0].position == 5
        assert not Course.objects.exists()
        assert AppointmentRequest.objects.count() == 1
        assert Notification.objects.count() == 2


def test_courses_racing_through_the_booking_form(settings, now):
    """The same course asked for by several patients at once: one course is stored whole, each
    other patient gets the updated dates (409) and nothing of theirs is stored."""
    settings.BOOKING_MIN_FILL_SECONDS = 0
    window = BookingWindow.load()
    day = next_monday() + WEEK
    course_asked = asked(at(day, "10:00"), count=6)
    starts = starts_text([visit.start for visit in propose_in(window, course_asked).visits])
    started = signing.dumps(timezone.now().timestamp() - 60, salt=FORM_STARTED_SALT)

    def submit(i: int):
        client = Client(REMOTE_ADDR=f"10.0.1.{i + 1}")
        response = client.post(
            "/book/",
            {
                "action": "request", "reason": "other", "date": day.isoformat(),
                "time": "10:00", "first_name": "Racer", "last_name": "Runner",
                "email": f"racer{i}@example.com", "phone": f"(202) 555-{i:04d}",
                "patient_type": "returning", "consent": "on", "website": "",
                "started": started, "course": "on", "course_visits": "6",
                "course_frequency": "weekly", "course_weekday": "", "course_time": "",
                "course_starts": starts, "course_first": at(day, "10:00").isoformat(),
            },
        )  # fmt: skip
        return response.status_code, response.content.decode()

    results, errors = race(submit, threads=THREADS)

    assert kinds(errors) == {}
    assert Counter(status for status, _ in results) == {302: 1, 409: THREADS - 1}
    assert Course.objects.count() == 1
    assert AppointmentRequest.objects.count() == 6
    assert not overbooked()
    for status, page in results:
        if status == 409:
            assert "so we have not stored" in page and "course-proposal__visit--other" in page
