"""Every path that takes a place in a practitioner's diary, racing the others for it: a
patient's "first available" request, a front-desk booking, a patient's own change, staff
moves between days and staff confirming. Real threads, each on its own connection, released
together; on SQLite (a file) and, with DATABASE_URL, on PostgreSQL. Whatever the order, no
practitioner ever holds more visits at once than they see, and the losers store nothing."""

import datetime
from collections import Counter

import pytest

from booking import services
from booking.availability import Unavailable
from booking.models import (
    AppointmentEvent,
    AppointmentRequest,
    EventAction,
    Notification,
    PractitionerDiary,
    Status,
    TreatmentType,
)
from booking.services import Place
from booking.tests.concurrency.racing import (
    THREADS,
    kinds,
    overbooked,
    practitioner_offering,
    race,
    reasons,
    weekday_clinic,
)
from booking.tests.factories import (
    AppointmentRequestFactory,
    PatientDetailsFactory,
    TreatmentTypeFactory,
    at,
    next_monday,
)
from clinic.models import Practitioner
from clinic.tests.factories import ClinicProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def clinic(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ClinicProfileFactory()
    weekday_clinic()


@pytest.fixture
def now() -> datetime.datetime:
    return at(next_monday(), "0:00")


@pytest.fixture
def week() -> datetime.date:
    """The Monday of the week the patients race for: a week after `now`, within the notice,
    the horizon and the cancellation cut-off."""
    return next_monday() + datetime.timedelta(days=7)


@pytest.fixture
def treatment() -> TreatmentType:
    """45 minutes and 15 after: each visit blocks its practitioner for an hour."""
    return TreatmentTypeFactory(minutes=45, buffer_minutes=15)


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("frontdesk", is_staff=True)


def visit(practitioner: Practitioner, treatment: TreatmentType, start, **fields):
    return AppointmentRequestFactory(
        practitioner=practitioner,
        treatment_type=treatment,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=treatment.minutes),
        blocks_until=start + treatment.as_treatment().blocked,
        **fields,
    )


@pytest.mark.parametrize("at_once", [(1, 1), (2, 1)])
def test_first_available_gives_each_free_practitioner_as_many_as_they_see(
    at_once, treatment, week, now
):
    first = practitioner_offering(treatment, patients_at_once=at_once[0], position=0)
    second = practitioner_offering(treatment, patients_at_once=at_once[1], position=1)
    start = at(week + datetime.timedelta(days=2), "10:00")
    patients = [PatientDetailsFactory() for _ in range(THREADS)]
    places = sum(at_once)

    def request(i: int):
        return services.appointment_request_create(
            place=Place.of(start, treatment),  # the first available practitioner
            condition=None,
            patient=patients[i],
            consent_at=now,
            now=now,
        )

    results, errors = race(request)

    assert kinds(errors) == {"SlotUnavailable": THREADS - places}
    assert reasons(errors) == {Unavailable.TAKEN: THREADS - places}
    stored = AppointmentRequest.objects.all()
    assert Counter(stored.values_list("practitioner", flat=True)) == {
        first.pk: at_once[0],
        second.pk: at_once[1],
    }
    assert {a.pk for a in results if a} == set(stored.values_list("pk", flat=True))
    assert set(stored.values_list("starts_at", flat=True)) == {start}
    assert AppointmentEvent.objects.count() == places  # nothing stored for the refused
    assert Notification.objects.count() == 2 * places
    assert overbooked() == []


def test_a_patients_changes_racing_staff_bookings_leave_one_holder_of_the_time(
    treatment, week, now, staff
):
    practitioner = practitioner_offering(treatment)
    tuesday, target = (
        week + datetime.timedelta(days=1),
        at(week + datetime.timedelta(days=3), "10:00"),
    )
    changing = [
        visit(practitioner, treatment, at(tuesday, f"{hour}:00"), status=Status.CONFIRMED)
        for hour in (9, 11, 13, 15)
    ]
    phoning = [PatientDetailsFactory() for _ in range(THREADS)]

    def change_or_book(i: int):
        if i < len(changing):
            return services.appointment_change_by_patient(
                appointment=changing[i], start=target, practitioner=practitioner, now=now
            )
        return services.appointment_book_by_staff(
            place=Place.of(target, treatment, practitioner), patient=phoning[i], by=staff, now=now
        )

    results, errors = race(change_or_book)

    assert kinds(errors) == {"SlotUnavailable": THREADS - 1}
    assert reasons(errors) == {Unavailable.TAKEN: THREADS - 1}
    (winner,) = [result for result in results if result]
    holders = AppointmentRequest.objects.active().filter(starts_at=target)
    assert list(holders.values_list("pk", flat=True)) == [winner.pk]
    staff_won = winner.pk not in {v.pk for v in changing}
    assert AppointmentRequest.objects.count() == len(changing) + staff_won
    for before in changing:
        if before.pk == winner.pk:
            continue
        after = AppointmentRequest.objects.get(pk=before.pk)  # the losers' visits unchanged
        assert (after.starts_at, after.status, after.sequence) == (
            before.starts_at,
            Status.CONFIRMED,
            0,
        )
    assert overbooked() == []


def moves_across_the_week(visits: dict, week: datetime.date) -> list:
    """Each visit into the place another holds on the other day (or on its own), or into a
    free one on either day: every move needs a place another move frees or takes."""
    monday, thursday = week, week + datetime.timedelta(days=3)
    return [
        (visits["A"], at(thursday, "10:00")),  # B's
        (visits["A"], at(thursday, "12:00")),
        (visits["A"], at(monday, "12:00")),
        (visits["B"], at(monday, "10:00")),  # A's
        (visits["B"], at(monday, "12:00")),
        (visits["B"], at(thursday, "12:00")),
        (visits["C"], at(thursday, "14:00")),  # D's
        (visits["C"], at(thursday, "12:30")),
        (visits["C"], at(monday, "10:00")),  # A's
        (visits["D"], at(monday, "14:00")),  # C's
        (visits["D"], at(monday, "11:30")),
        (visits["D"], at(thursday, "10:00")),  # B's
    ]


def test_moves_between_monday_and_thursday_never_deadlock_or_overbook(treatment, week, now, staff):
    practitioner = practitioner_offering(treatment)
    monday, thursday = week, week + datetime.timedelta(days=3)
    visits = {
        name: visit(practitioner, treatment, at(day, hour), status=Status.CONFIRMED)
        for name, day, hour in [
            ("A", monday, "10:00"),
            ("B", thursday, "10:00"),
            ("C", monday, "14:00"),
            ("D", thursday, "14:00"),
        ]
    }
    moves = moves_across_the_week(visits, week)

    def move(i: int):
        appointment, start = moves[i % len(moves)]
        return services.appointment_move(
            appointment=appointment, start=start, practitioner=practitioner, by=staff, now=now
        )

    results, errors = race(move)

    assert set(kinds(errors)) <= {"SlotUnavailable", "TransitionNotAllowed"}, errors
    assert set(reasons(errors)) <= {Unavailable.TAKEN}
    moved = [result for result in results if result]
    assert moved  # the free places were free for the first of them
    stored = AppointmentRequest.objects.all()
    assert stored.count() == len(visits)
    assert sum(stored.values_list("sequence", flat=True)) == len(moved)
    assert AppointmentEvent.objects.filter(action=EventAction.MOVED).count() == len(moved)
    assert overbooked() == []


def test_staff_confirming_racing_a_move_into_the_same_place_confirm_one(
    treatment, week, now, staff
):
    """Two requests came in while the practitioner saw two at once; now they see one."""
    practitioner = practitioner_offering(treatment, patients_at_once=2)
    target = at(week + datetime.timedelta(days=3), "10:00")
    waiting = [visit(practitioner, treatment, target) for _ in range(2)]
    elsewhere = visit(practitioner, treatment, at(week, "10:00"), status=Status.CONFIRMED)
    PractitionerDiary.objects.filter(pk=practitioner.pk).update(patients_at_once=1)

    def confirm_or_move(i: int):
        if i % 3 == 2:
            return services.appointment_move(
                appointment=elsewhere, start=target, practitioner=practitioner, by=staff, now=now
            )
        return services.appointment_confirm(appointment=waiting[i % 3], by=staff, now=now)

    _, errors = race(confirm_or_move)

    moves = THREADS // 3
    assert kinds(errors) == {"TransitionNotAllowed": THREADS - moves - 1, "SlotUnavailable": moves}
    confirmed = AppointmentRequest.objects.filter(starts_at=target, status=Status.CONFIRMED)
    assert confirmed.count() == 1
    elsewhere.refresh_from_db()
    assert (elsewhere.starts_at, elsewhere.sequence) == (at(week, "10:00"), 0)


def test_staff_confirming_a_visit_the_patient_moved_meanwhile_never_overbook(
    treatment, week, now, staff
):
    """The front desk's page still shows the second request on Monday; the patient has
    moved it to Thursday beside the first, while the practitioner saw two at once."""
    practitioner = practitioner_offering(treatment, patients_at_once=2)
    target = at(week + datetime.timedelta(days=3), "10:00")
    first = visit(practitioner, treatment, target)
    shown = visit(practitioner, treatment, at(week + datetime.timedelta(days=1), "10:00"))
    services.appointment_change_by_patient(appointment=shown, start=target, now=now)
    PractitionerDiary.objects.filter(pk=practitioner.pk).update(patients_at_once=1)

    def confirm(i: int):
        return services.appointment_confirm(appointment=(first, shown)[i % 2], by=staff, now=now)

    _, errors = race(confirm)

    assert kinds(errors) == {"TransitionNotAllowed": THREADS - 1}
    confirmed = AppointmentRequest.objects.filter(status=Status.CONFIRMED)
    assert confirmed.count() == 1
