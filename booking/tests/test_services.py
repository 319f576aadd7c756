"""Every change to an appointment request, with its rules: what is stored, recorded, queued."""

import datetime
import hashlib

import pytest

from booking import services
from booking.availability import Unavailable
from booking.models import (
    REFERENCE_ALPHABET,
    AppointmentEvent,
    AppointmentRequest,
    Notification,
    NotificationKind,
    Status,
)
from booking.schedule import load_schedule
from booking.services import places
from booking.tests.factories import (
    AppointmentRequestFactory,
    BookingSettingsFactory,
    PatientDetailsFactory,
    at,
    next_monday,
    open_weekdays,
    place_at,
)
from clinic.tests.factories import ClosureFactory
from conditions.tests.factories import ConditionFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def clinic_week(db):
    """Weekdays 9:00-17:00, 30-minute slots, one patient each, 2 hours' notice, 30 days."""
    return open_weekdays(slot_minutes=30, capacity=1, min_notice_hours=2, horizon_days=30)


@pytest.fixture
def monday() -> datetime.date:
    return next_monday()


@pytest.fixture
def now(monday) -> datetime.datetime:
    """Midnight before a Monday: the whole week ahead is bookable."""
    return at(monday, "0:00")


@pytest.fixture
def wednesday_ten(monday) -> datetime.datetime:
    """A visit time more than the cancellation cut-off (24 hours) after `now`."""
    return at(monday + 2 * DAY, "10:00")


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("frontdesk", is_staff=True)


def request_visit(start, now, condition=None, **patient) -> AppointmentRequest:
    return services.appointment_request_create(
        place=place_at(start),
        condition=condition,
        patient=PatientDetailsFactory(**patient),
        consent_at=now,
        now=now,
    )


def stored_state():
    """What a refused change must leave as it was."""
    return (
        list(AppointmentRequest.objects.values_list("pk", "status", "updated_at")),
        AppointmentEvent.objects.count(),
        Notification.objects.count(),
    )


# -- a patient's request -----------------------------------------------------------------------


def test_a_request_for_a_free_time_is_stored_waiting_for_confirmation(wednesday_ten, now):
    condition = ConditionFactory(name="Sciatica")
    appointment = request_visit(
        wednesday_ten, now, condition=condition, first_name="Ana", note="I use a wheelchair."
    )
    stored = AppointmentRequest.objects.get()
    assert stored == appointment
    assert stored.status == Status.REQUESTED
    assert (stored.starts_at, stored.ends_at) == (
        wednesday_ten,
        wednesday_ten + datetime.timedelta(minutes=30),
    )
    assert (stored.condition, stored.first_name, stored.note) == (
        condition,
        "Ana",
        "I use a wheelchair.",
    )
    assert stored.consent_at == now
    assert stored.is_new_patient is True


def test_a_request_gets_a_six_letter_reference_patients_can_read_out(wednesday_ten, now):
    references = {
        request_visit(wednesday_ten + n * datetime.timedelta(minutes=30), now).reference
        for n in range(5)
    }
    assert len(references) == 5
    for reference in references:
        assert len(reference) == 6
        assert set(reference) <= set(REFERENCE_ALPHABET)


def test_a_reference_already_in_use_is_drawn_again(wednesday_ten, now, monkeypatch):
    taken = AppointmentRequestFactory(starts_at=wednesday_ten + DAY).reference
    draws = iter([taken, taken, "HKM7PX"])
    monkeypatch.setattr(places, "new_reference", lambda: next(draws))
    appointment = request_visit(wednesday_ten, now)
    assert appointment.reference == "HKM7PX"
    assert AppointmentRequest.objects.filter(reference=taken).count() == 1


def test_only_the_hash_of_the_manage_token_is_stored(wednesday_ten, now):
    appointment = request_visit(wednesday_ten, now)
    token = appointment.manage_token
    row = AppointmentRequest.objects.filter(pk=appointment.pk).values().get()
    assert row["manage_token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert not [name for name, value in row.items() if token in str(value)]
    for related in (AppointmentEvent, Notification):
        assert token not in str(list(related.objects.values()))
    assert AppointmentRequest.objects.get(pk=appointment.pk).manage_token == token
    assert AppointmentRequest.objects.for_manage_token(token).get() == appointment


def test_a_request_records_who_did_what_and_queues_two_emails(wednesday_ten, now):
    appointment = request_visit(wednesday_ten, now)
    event = appointment.events.get()
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        "requested",
        "",
        Status.REQUESTED,
        None,
    )
    assert event.actor_name == "Patient"
    assert sorted(appointment.notifications.values_list("kind", "status")) == [
        (NotificationKind.REQUEST_RECEIVED, "pending"),
        (NotificationKind.STAFF_NEW_REQUEST, "pending"),
    ]


# Each case: (days after Monday, time, `now` on Monday, reason).
REFUSED_TIMES = {
    "past": (0, "9:00", "9:30", Unavailable.PAST),
    "too soon": (0, "10:00", "8:30", Unavailable.TOO_SOON),
    "too far": (31, "10:00", "0:00", Unavailable.TOO_FAR),
    "closed weekday": (5, "10:00", "0:00", Unavailable.CLOSED),
    "closure": (1, "10:00", "0:00", Unavailable.CLOSED),
    "off the grid": (2, "10:10", "0:00", Unavailable.OFF_GRID),
    "after closing": (2, "17:00", "0:00", Unavailable.OFF_GRID),
    "taken": (2, "11:00", "0:00", Unavailable.TAKEN),
}


@pytest.mark.parametrize("case", REFUSED_TIMES.values(), ids=list(REFUSED_TIMES))
def test_a_request_for_a_time_that_cannot_be_booked_stores_nothing(case, monday):
    days, time, now_time, reason = case
    ClosureFactory(start_date=monday + DAY, end_date=monday + DAY, reason="Staff training")
    AppointmentRequestFactory(starts_at=at(monday + 2 * DAY, "11:00"))
    before = stored_state()
    with pytest.raises(services.SlotUnavailable) as refused:
        request_visit(at(monday + days * DAY, time), at(monday, now_time))
    assert refused.value.reason is reason
    assert str(refused.value) == reason.message(load_schedule())
    assert stored_state() == before


def test_capacity_three_takes_three_requests_for_a_time_then_refuses(wednesday_ten, now):
    BookingSettingsFactory(capacity=3)
    for n in range(3):
        request_visit(wednesday_ten, now, email=f"p{n}@example.com")
    with pytest.raises(services.SlotUnavailable) as refused:
        request_visit(wednesday_ten, now)
    assert refused.value.reason is Unavailable.TAKEN
    assert AppointmentRequest.objects.filter(starts_at=wednesday_ten).count() == 3


@pytest.mark.parametrize(
    "status", [Status.DECLINED, Status.CANCELLED, Status.COMPLETED, Status.NO_SHOW]
)
def test_an_inactive_request_leaves_its_time_free(status, wednesday_ten, now):
    AppointmentRequestFactory(starts_at=wednesday_ten, status=status)
    assert request_visit(wednesday_ten, now).status == Status.REQUESTED


def test_a_request_of_an_older_slot_length_takes_the_times_it_overlaps(wednesday_ten, now):
    AppointmentRequestFactory(
        starts_at=wednesday_ten, ends_at=wednesday_ten + datetime.timedelta(minutes=45)
    )
    with pytest.raises(services.SlotUnavailable):
        request_visit(wednesday_ten + datetime.timedelta(minutes=30), now)
    assert request_visit(wednesday_ten + datetime.timedelta(minutes=60), now)


# -- staff confirm -----------------------------------------------------------------------------


def test_confirm_a_waiting_request(wednesday_ten, now, staff):
    appointment = request_visit(wednesday_ten, now)
    services.appointment_confirm(appointment=appointment, by=staff, now=now)
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED
    event = appointment.events.last()
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        "confirmed",
        Status.REQUESTED,
        Status.CONFIRMED,
        staff,
    )
    assert appointment.notifications.filter(kind=NotificationKind.CONFIRMED).exists()


@pytest.mark.parametrize("minutes_after_start", [0, 1, 60 * 24])
def test_confirm_refuses_a_request_whose_time_has_passed(
    minutes_after_start, wednesday_ten, now, staff
):
    appointment = request_visit(wednesday_ten, now)
    before = stored_state()
    later = wednesday_ten + datetime.timedelta(minutes=minutes_after_start)
    with pytest.raises(services.TransitionNotAllowed, match="the visit time has passed"):
        services.appointment_confirm(appointment=appointment, by=staff, now=later)
    assert stored_state() == before


def test_confirm_refuses_when_confirmed_visits_already_fill_the_time(wednesday_ten, now, staff):
    BookingSettingsFactory(capacity=2)
    first = request_visit(wednesday_ten, now)
    second = request_visit(wednesday_ten, now)
    BookingSettingsFactory(capacity=1)  # one practitioner fell ill
    services.appointment_confirm(appointment=first, by=staff, now=now)
    before = stored_state()
    with pytest.raises(services.TransitionNotAllowed, match="already full"):
        services.appointment_confirm(appointment=second, by=staff, now=now)
    assert stored_state() == before
    second.refresh_from_db()
    assert second.status == Status.REQUESTED


def test_confirm_counts_only_confirmed_visits_against_capacity(wednesday_ten, now, staff):
    BookingSettingsFactory(capacity=2)
    first, second = request_visit(wednesday_ten, now), request_visit(wednesday_ten, now)
    services.appointment_confirm(appointment=first, by=staff, now=now)
    services.appointment_confirm(appointment=second, by=staff, now=now)
    assert AppointmentRequest.objects.filter(status=Status.CONFIRMED).count() == 2


# -- staff decline -----------------------------------------------------------------------------


def test_decline_a_waiting_request_with_a_message(wednesday_ten, staff):
    appointment = AppointmentRequestFactory(starts_at=wednesday_ten, status=Status.REQUESTED)
    services.appointment_decline(
        appointment=appointment, by=staff, message="  The practitioner is away that day.\n"
    )
    appointment.refresh_from_db()
    assert appointment.status == Status.DECLINED
    event = appointment.events.get()
    assert (event.action, event.from_status, event.actor, event.message) == (
        "declined",
        Status.REQUESTED,
        staff,
        "The practitioner is away that day.",
    )
    notification = appointment.notifications.get()
    assert (notification.kind, notification.message) == (
        NotificationKind.DECLINED,
        "The practitioner is away that day.",
    )


# -- the clinic cancels a confirmed visit ------------------------------------------------------


def test_the_clinic_cancels_a_confirmed_visit_with_its_own_email(wednesday_ten, staff):
    appointment = AppointmentRequestFactory(starts_at=wednesday_ten, status=Status.CONFIRMED)
    services.appointment_cancel_by_clinic(
        appointment=appointment, by=staff, message="The clinic is closed after a flood.",
        now=wednesday_ten - DAY,
    )  # fmt: skip
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED_BY_CLINIC
    assert not appointment.is_active  # the place is free again
    event = appointment.events.get()
    assert (event.action, event.from_status, event.actor) == (
        "cancelled by the clinic",
        Status.CONFIRMED,
        staff,
    )
    notification = appointment.notifications.get()
    assert (notification.kind, notification.message) == (
        NotificationKind.CANCELLED_BY_CLINIC,
        "The clinic is closed after a flood.",
    )


def test_a_visit_that_has_begun_cannot_be_cancelled_by_the_clinic(wednesday_ten, staff):
    appointment = AppointmentRequestFactory(starts_at=wednesday_ten, status=Status.CONFIRMED)
    before = stored_state()
    with pytest.raises(services.TransitionNotAllowed, match="mark it completed or no-show"):
        services.appointment_cancel_by_clinic(appointment=appointment, by=staff, now=wednesday_ten)
    assert stored_state() == before


# -- the patient cancels -----------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.REQUESTED, Status.CONFIRMED])
def test_cancel_before_the_cut_off(status, wednesday_ten):
    appointment = AppointmentRequestFactory(starts_at=wednesday_ten, status=status)
    exactly_24_hours_before = wednesday_ten - datetime.timedelta(hours=24)
    services.appointment_cancel(appointment=appointment, now=exactly_24_hours_before)
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED
    event = appointment.events.get()
    assert (event.action, event.from_status, event.actor, event.actor_name) == (
        "cancelled",
        status,
        None,
        "Patient",
    )
    assert appointment.notifications.get().kind == NotificationKind.CANCELLED


@pytest.mark.parametrize("status", [Status.REQUESTED, Status.CONFIRMED])
def test_cancel_is_refused_after_the_cut_off(status, wednesday_ten):
    appointment = AppointmentRequestFactory(starts_at=wednesday_ten, status=status)
    before = stored_state()
    just_inside_24_hours = (
        wednesday_ten - datetime.timedelta(hours=24) + datetime.timedelta(seconds=1)
    )
    with pytest.raises(services.TransitionNotAllowed, match="Please call us"):
        services.appointment_cancel(appointment=appointment, now=just_inside_24_hours)
    assert stored_state() == before


def test_cancel_follows_the_cut_off_staff_set(wednesday_ten):
    BookingSettingsFactory(cancellation_cutoff_hours=2)
    appointment = AppointmentRequestFactory(starts_at=wednesday_ten)
    services.appointment_cancel(
        appointment=appointment, now=wednesday_ten - datetime.timedelta(hours=3)
    )
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED


# -- after the visit ---------------------------------------------------------------------------

AFTER_THE_VISIT = {
    "complete": (services.appointment_complete, Status.COMPLETED, "marked completed"),
    "no-show": (services.appointment_mark_no_show, Status.NO_SHOW, "marked no-show"),
}


@pytest.mark.parametrize("case", AFTER_THE_VISIT.values(), ids=list(AFTER_THE_VISIT))
def test_a_confirmed_visit_is_marked_once_it_has_started(case, wednesday_ten, staff):
    mark, status, action = case
    appointment = AppointmentRequestFactory(starts_at=wednesday_ten, status=Status.CONFIRMED)
    mark(appointment=appointment, by=staff, now=wednesday_ten)
    appointment.refresh_from_db()
    assert appointment.status == status
    event = appointment.events.get()
    assert (event.action, event.from_status, event.actor) == (action, Status.CONFIRMED, staff)
    assert not appointment.notifications.exists()


@pytest.mark.parametrize("case", AFTER_THE_VISIT.values(), ids=list(AFTER_THE_VISIT))
def test_a_confirmed_visit_cannot_be_marked_before_it_starts(case, wednesday_ten, staff):
    mark, _, _ = case
    appointment = AppointmentRequestFactory(starts_at=wednesday_ten, status=Status.CONFIRMED)
    before = stored_state()
    with pytest.raises(services.TransitionNotAllowed, match="has not started yet"):
        mark(appointment=appointment, by=staff, now=wednesday_ten - datetime.timedelta(seconds=1))
    assert stored_state() == before


# -- every status against every change ---------------------------------------------------------

ACTIONS = {
    "confirm": lambda a, staff, visit: services.appointment_confirm(
        appointment=a, by=staff, now=visit - 2 * DAY
    ),
    "decline": lambda a, staff, visit: services.appointment_decline(
        appointment=a, by=staff, message="Sorry"
    ),
    "cancel by clinic": lambda a, staff, visit: services.appointment_cancel_by_clinic(
        appointment=a, by=staff, message="Sorry", now=visit - 2 * DAY
    ),
    "cancel": lambda a, staff, visit: services.appointment_cancel(
        appointment=a, now=visit - 2 * DAY
    ),
    "arrive": lambda a, staff, visit: services.appointment_arrive(
        appointment=a, by=staff, now=visit - datetime.timedelta(minutes=10)
    ),
    "complete": lambda a, staff, visit: services.appointment_complete(
        appointment=a, by=staff, now=visit + datetime.timedelta(hours=1)
    ),
    "no-show": lambda a, staff, visit: services.appointment_mark_no_show(
        appointment=a, by=staff, now=visit + datetime.timedelta(hours=1)
    ),
}
ALLOWED = {
    ("confirm", Status.REQUESTED): Status.CONFIRMED,
    ("decline", Status.REQUESTED): Status.DECLINED,
    ("cancel by clinic", Status.CONFIRMED): Status.CANCELLED_BY_CLINIC,
    ("cancel", Status.REQUESTED): Status.CANCELLED,
    ("cancel", Status.CONFIRMED): Status.CANCELLED,
    ("arrive", Status.CONFIRMED): Status.ARRIVED,
    ("complete", Status.CONFIRMED): Status.COMPLETED,
    ("complete", Status.ARRIVED): Status.COMPLETED,
    ("no-show", Status.CONFIRMED): Status.NO_SHOW,
    ("no-show", Status.ARRIVED): Status.NO_SHOW,
}


@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_status_allows_only_its_own_changes(action, status, wednesday_ten, staff):
    appointment = AppointmentRequestFactory(starts_at=wednesday_ten, status=status)
    change = ACTIONS[action]
    if (action, status) in ALLOWED:
        change(appointment, staff, wednesday_ten)
        appointment.refresh_from_db()
        assert appointment.status == ALLOWED[action, status]
        assert appointment.events.get().to_status == ALLOWED[action, status]
    else:
        before = stored_state()
        with pytest.raises(services.TransitionNotAllowed, match=appointment.reference):
            change(appointment, staff, wednesday_ten)
        assert stored_state() == before


# -- reminders ---------------------------------------------------------------------------------


def test_each_confirmed_visit_in_the_next_24_hours_gets_one_reminder(monday):
    """The clinic's starting choice: one reminder, 24 hours (of real time) before."""
    tuesday, wednesday = monday + DAY, monday + 2 * DAY
    due = [
        AppointmentRequestFactory(starts_at=at(tuesday, "10:30"), status=Status.CONFIRMED),
        AppointmentRequestFactory(starts_at=at(wednesday, "9:00"), status=Status.CONFIRMED),
        AppointmentRequestFactory(starts_at=at(wednesday, "10:00"), status=Status.CONFIRMED),
    ]
    not_due = [
        AppointmentRequestFactory(starts_at=at(wednesday, "9:30"), status=Status.REQUESTED),
        AppointmentRequestFactory(starts_at=at(wednesday, "9:30"), status=Status.CANCELLED),
        AppointmentRequestFactory(starts_at=at(wednesday, "9:30"), status=Status.DECLINED),
        AppointmentRequestFactory(
            starts_at=at(wednesday, "9:30"), status=Status.CANCELLED_BY_CLINIC
        ),
        AppointmentRequestFactory(starts_at=at(tuesday, "9:00"), status=Status.COMPLETED),
        AppointmentRequestFactory(starts_at=at(tuesday, "10:00"), status=Status.CONFIRMED),
        AppointmentRequestFactory(starts_at=at(wednesday, "10:15"), status=Status.CONFIRMED),
    ]
    assert services.queue_visit_reminders(now=at(tuesday, "10:00")) == 3
    reminded = Notification.objects.filter(kind=NotificationKind.REMINDER)
    assert sorted(reminded.values_list("appointment", flat=True)) == sorted(a.pk for a in due)
    assert set(reminded.values_list("lead_hours", flat=True)) == {24}
    assert not Notification.objects.filter(appointment__in=not_due).exists()


def test_reminders_are_queued_once_however_often_the_job_runs(monday):
    AppointmentRequestFactory(starts_at=at(monday + 2 * DAY, "9:00"), status=Status.CONFIRMED)
    assert services.queue_visit_reminders(now=at(monday + DAY, "10:00")) == 1
    assert services.queue_visit_reminders(now=at(monday + DAY, "10:00")) == 0
    assert services.queue_visit_reminders(now=at(monday + DAY, "18:00")) == 0
    assert Notification.objects.filter(kind=NotificationKind.REMINDER).count() == 1


# -- erasing old requests ----------------------------------------------------------------------


@pytest.fixture
def old_and_recent(wednesday_ten, now, staff):
    """A declined request (with staff's message) and, 100 days later, a newer one."""
    old = request_visit(wednesday_ten, now, note="Ground floor, please.")
    services.appointment_decline(appointment=old, by=staff, message="Dr Lee is away, Maria.")
    AppointmentRequest.objects.filter(pk=old.pk).update(staff_notes="Called back.")
    recent = AppointmentRequestFactory(
        starts_at=wednesday_ten + 100 * DAY, note="Evening if possible."
    )
    services.appointment_decline(appointment=recent, by=staff, message="Dr Lee is away then too.")
    return old, recent


def test_erase_removes_personal_details_after_the_retention_period(old_and_recent, wednesday_ten):
    old, recent = old_and_recent
    later = wednesday_ten + 366 * DAY
    assert services.erase_old_requests(now=later) == 1
    old.refresh_from_db()
    erased = (old.first_name, old.last_name, old.email, old.phone, old.note, old.staff_notes)
    assert erased == ("", "", "", "", "", "")
    assert old.patient_name == "(erased)"
    assert old.anonymised_at == later
    assert (old.status, old.starts_at) == (Status.DECLINED, wednesday_ten)
    assert list(old.events.values_list("message", flat=True)) == ["", ""]
    recent.refresh_from_db()
    assert (recent.first_name, recent.note, recent.anonymised_at) == (
        "Maria",
        "Evening if possible.",
        None,
    )
    assert recent.events.get().message == "Dr Lee is away then too."


def test_erase_keeps_requests_within_the_retention_period(old_and_recent, wednesday_ten):
    assert services.erase_old_requests(now=wednesday_ten + 300 * DAY) == 0
    assert not AppointmentRequest.objects.filter(anonymised_at__isnull=False).exists()
    assert AppointmentRequest.objects.filter(first_name="Maria").count() == 2


def test_erase_follows_the_retention_period_staff_set(old_and_recent, wednesday_ten):
    BookingSettingsFactory(retention_days=30)
    assert services.erase_old_requests(now=wednesday_ten + 31 * DAY) == 1


def test_erase_is_idempotent(old_and_recent, wednesday_ten):
    first_run = wednesday_ten + 366 * DAY
    services.erase_old_requests(now=first_run)
    assert services.erase_old_requests(now=first_run + DAY) == 0
    assert AppointmentRequest.objects.get(pk=old_and_recent[0].pk).anonymised_at == first_run


def test_erase_also_removes_staffs_message_kept_for_the_email(old_and_recent, wednesday_ten):
    """The decline message is stored twice: in the event and in the e-mail's outbox row."""
    old, _ = old_and_recent
    services.erase_old_requests(now=wednesday_ten + 366 * DAY)
    declined = old.notifications.get(kind=NotificationKind.DECLINED)
    assert declined.message == ""


def test_erase_also_removes_the_reason_for_an_overbooking(wednesday_ten):
    squeezed = AppointmentRequestFactory(
        starts_at=wednesday_ten, is_overbooked=True, overbooking_reason="Acute sciatica"
    )
    assert services.erase_old_requests(now=wednesday_ten + 366 * DAY) == 1
    squeezed.refresh_from_db()
    assert (squeezed.is_overbooked, squeezed.overbooking_reason) == (True, "")
