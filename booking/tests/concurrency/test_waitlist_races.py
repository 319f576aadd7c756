"""Racing for a waiting-list place: real threads, each on its own connection, released
together. The same tests run on SQLite (a file) and, with DATABASE_URL, on PostgreSQL."""

import datetime

import pytest
from django.utils import timezone

from booking import services
from booking.models import AppointmentEvent, AppointmentRequest, EventAction, Status
from booking.services import waitlist
from booking.tests.concurrency.racing import THREADS, kinds, overbooked, race
from booking.tests.factories import PatientDetailsFactory, at, next_monday, place_at
from booking.tests.waitlist_helpers import full_day, held, waiting, weekday_clinic
from booking.waitlist import WaitlistStatus
from clinic.tests.factories import ClinicProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def treatment(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ClinicProfileFactory()
    return weekday_clinic()


@pytest.fixture
def monday():
    return next_monday()


def freed_place(monday) -> tuple[datetime.datetime, int]:
    full_day(monday)
    start = at(monday, "10:00")
    AppointmentRequest.objects.filter(starts_at=start).update(status=Status.CANCELLED)
    return start, AppointmentRequest.objects.values_list("practitioner", flat=True)[0]


def test_of_20_clicks_on_one_offer_at_once_exactly_one_takes_it(treatment, monday):
    start, practitioner_id = freed_place(monday)
    entry = waiting(treatment)
    offer = waitlist.offer_freed_place(start=start, practitioner_id=practitioner_id)

    results, errors = race(lambda i: waitlist.waitlist_claim(appointment=offer))

    assert sum(result is not None for result in results) == 1
    assert kinds(errors) == {"TransitionNotAllowed": THREADS - 1}
    offer.refresh_from_db(), entry.refresh_from_db()
    assert offer.status == Status.CONFIRMED and entry.status == WaitlistStatus.BOOKED
    assert AppointmentEvent.objects.filter(action=EventAction.CLAIMED).count() == 1
    assert overbooked() == []


def test_claims_racing_the_hold_running_out_either_book_or_lapse_never_both(treatment, monday):
    start, practitioner_id = freed_place(monday)
    waiting(treatment, name="Ana"), waiting(treatment, name="Ben")
    offer = waitlist.offer_freed_place(start=start, practitioner_id=practitioner_id)
    at_the_end = offer.held_until - datetime.timedelta(microseconds=1)

    def work(i: int):
        if i % 2:
            return waitlist.waitlist_claim(appointment=offer, now=at_the_end)
        return waitlist.lapse_expired_holds(now=offer.held_until)

    race(work)

    offer.refresh_from_db()
    if offer.status == Status.CONFIRMED:
        assert held() == []  # taken: nobody else is offered it
    else:
        assert offer.status == Status.OFFER_NOT_TAKEN
        assert [o.waitlist_entry.first_name for o in held()] == ["Ben"]
    assert overbooked() == []


def test_two_offers_of_one_freed_place_at_once_make_one_offer(treatment, monday):
    start, practitioner_id = freed_place(monday)
    for i in range(3):
        waiting(treatment, name=f"Patient{i}")

    results, errors = race(
        lambda i: waitlist.offer_freed_place(start=start, practitioner_id=practitioner_id),
        threads=THREADS,
    )

    assert kinds(errors) == {}
    assert sum(result is not None for result in results) == 1
    assert len(held()) == 1
    assert overbooked() == []


def test_a_patient_request_racing_the_offer_never_double_books(treatment, monday):
    start, practitioner_id = freed_place(monday)
    waiting(treatment)

    def work(i: int):
        if i == 0:
            return waitlist.offer_freed_place(start=start, practitioner_id=practitioner_id)
        return services.appointment_request_create(
            place=place_at(start),
            condition=None,
            patient=PatientDetailsFactory(email=f"racer{i}@example.com", phone=f"+1202555{i:04d}"),
            consent_at=timezone.now(),
        )

    _results, errors = race(work)

    assert AppointmentRequest.objects.active().filter(starts_at=start).count() == 1
    assert set(kinds(errors)) <= {"SlotUnavailable"}
    assert overbooked() == []
