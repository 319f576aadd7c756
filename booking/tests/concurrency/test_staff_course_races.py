"""A course the front desk books, racing patients' requests for one of its places, with real
threads (each its own connection): exactly one wins the place; when the course loses it,
nothing of the course is stored."""

import datetime

import pytest

from booking import services
from booking.course_plan import propose_in
from booking.models import AppointmentRequest, Course, Status
from booking.schedule import BookingWindow
from booking.tests.concurrency.racing import kinds, overbooked, race
from booking.tests.course_helpers import asked, course_clinic
from booking.tests.factories import PatientDetailsFactory, at, next_monday, place_at
from clinic.tests.factories import ClinicProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 8


def test_a_front_desk_course_and_patients_racing_for_its_third_place(settings, django_user_model):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ClinicProfileFactory()
    course_clinic()
    desk = django_user_model.objects.create_user("desk", is_staff=True)
    now = at(next_monday() - datetime.timedelta(days=2), "12:00")
    course_asked = asked(count=4)
    starts = [v.start for v in propose_in(BookingWindow.load_for_staff(now), course_asked).visits]
    third = starts[2]

    def work(i: int):
        patient = PatientDetailsFactory(email=f"racer{i}@example.com", phone=f"+1202555{i:04d}")
        if i == 0:
            return services.course_book_by_staff(
                asked=course_asked, starts=starts, patient=patient, by=desk, now=now
            )
        return services.appointment_request_create(
            place=place_at(third), condition=None, patient=patient, consent_at=now, now=now
        )

    results, errors = race(work, threads=THREADS)

    assert AppointmentRequest.objects.filter(starts_at=third).count() == 1
    assert not overbooked()
    if isinstance(results[0], Course):
        assert kinds(errors) == {"SlotUnavailable": THREADS - 1}
        assert set(AppointmentRequest.objects.values_list("status", flat=True)) == {
            Status.CONFIRMED
        }
        assert AppointmentRequest.objects.count() == 4
    else:
        assert kinds(errors) == {"CourseVisitUnavailable": 1, "SlotUnavailable": THREADS - 2}
        assert errors[0].position == 3
        assert not Course.objects.exists()
        assert AppointmentRequest.objects.count() == 1
