"""Taking a place in the diary: requests with a practitioner or the first available, the front
desk's bookings and deliberate overbookings, staff moves and the patient's own change."""

import datetime

import pytest
from icalendar import Calendar

from booking import services
from booking.availability import Unavailable
from booking.models import (
    AppointmentRequest,
    BookingSettings,
    EventAction,
    NotificationKind,
    PractitionerDiary,
    Source,
    Status,
    WorkingHours,
)
from booking.services import Place
from booking.tests.factories import (
    PatientDetailsFactory,
    PractitionerDiaryFactory,
    TreatmentTypeFactory,
    at,
    next_monday,
    open_weekdays,
)
from clinic.models import OpeningHours

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def monday() -> datetime.date:
    return next_monday()


@pytest.fixture
def now(monday) -> datetime.datetime:
    return at(monday, "0:00")


@pytest.fixture
def follow_up(db):
    return TreatmentTypeFactory(name="Follow-up treatment", minutes=45, buffer_minutes=15)


def diary_for(name, follow_up, position=0, at_once=1):
    """A practitioner working the clinic's weekdays 9:00-17:00, offering the follow-up."""
    diary = PractitionerDiaryFactory(
        practitioner__name=name, position=position, patients_at_once=at_once
    )
    diary.treatment_types.set([follow_up])
    WorkingHours.objects.bulk_create(
        WorkingHours(diary=diary, weekday=day, starts=datetime.time(9), ends=datetime.time(17))
        for day in range(5)
    )
    return diary.practitioner


@pytest.fixture
def two_practitioners(db, follow_up):
    open_weekdays(min_notice_hours=2, horizon_days=30)
    BookingSettings.objects.update(grid_minutes=15)
    PractitionerDiary.objects.update(takes_bookings=False)  # the one-room clinic's, put aside
    return diary_for("Ana Ruiz", follow_up, position=0), diary_for("Ben Okafor", follow_up, 1)


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("frontdesk", is_staff=True)


def request_visit(place, now, **patient):
    return services.appointment_request_create(
        place=place, condition=None, patient=PatientDetailsFactory(**patient), consent_at=now,
        now=now,
    )  # fmt: skip


def booked_by_staff(place, staff, now, **kwargs):
    return services.appointment_book_by_staff(
        place=place, patient=PatientDetailsFactory(), by=staff, now=now, **kwargs
    )


# -- requests ----------------------------------------------------------------------------------


def test_a_request_takes_the_treatments_length_and_blocks_its_buffer(
    two_practitioners, follow_up, monday, now
):
    ana, _ = two_practitioners
    visit = request_visit(Place.of(at(monday, "10:00"), follow_up, ana), now)

    assert (visit.practitioner, visit.treatment_type) == (ana, follow_up)
    assert visit.ends_at == at(monday, "10:45")
    assert visit.blocks_until == at(monday, "11:00")
    assert visit.source == Source.ONLINE


def test_the_buffer_keeps_the_practitioner_free_until_it_ends(
    two_practitioners, follow_up, monday, now
):
    ana, _ = two_practitioners
    request_visit(Place.of(at(monday, "10:00"), follow_up, ana), now)

    with pytest.raises(services.SlotUnavailable) as refused:
        request_visit(Place.of(at(monday, "10:45"), follow_up, ana), now)
    assert refused.value.reason is Unavailable.TAKEN
    assert request_visit(Place.of(at(monday, "11:00"), follow_up, ana), now).practitioner == ana


def test_first_available_goes_to_the_practitioner_with_fewer_bookings_that_day(
    two_practitioners, follow_up, monday, now
):
    ana, ben = two_practitioners
    request_visit(Place.of(at(monday, "9:00"), follow_up, ana), now)

    first_available = request_visit(Place.of(at(monday, "14:00"), follow_up), now)

    assert first_available.practitioner == ben


def test_first_available_ties_go_to_the_practitioner_staff_put_first(
    two_practitioners, follow_up, monday, now
):
    ana, _ = two_practitioners
    assert request_visit(Place.of(at(monday, "14:00"), follow_up), now).practitioner == ana


def test_first_available_takes_whoever_is_still_free(two_practitioners, follow_up, monday, now):
    ana, ben = two_practitioners
    request_visit(Place.of(at(monday, "10:00"), follow_up, ana), now)
    assert request_visit(Place.of(at(monday, "10:00"), follow_up), now).practitioner == ben
    with pytest.raises(services.SlotUnavailable):
        request_visit(Place.of(at(monday, "10:00"), follow_up), now)
    assert AppointmentRequest.objects.count() == 2


def test_a_practitioner_seeing_two_at_once_takes_two_requests_for_one_time(
    db, follow_up, monday, now
):
    open_weekdays()
    PractitionerDiary.objects.update(takes_bookings=False)
    ana = diary_for("Ana Ruiz", follow_up, at_once=2)
    for _ in range(2):
        request_visit(Place.of(at(monday, "10:00"), follow_up, ana), now)
    with pytest.raises(services.SlotUnavailable):
        request_visit(Place.of(at(monday, "10:00"), follow_up, ana), now)


# -- the front desk's bookings -----------------------------------------------------------------


def test_a_staff_booking_is_confirmed_at_once_and_emails_the_patient(
    two_practitioners, follow_up, monday, now, staff, django_capture_on_commit_callbacks,
    mailoutbox,
):  # fmt: skip
    ana, _ = two_practitioners
    with django_capture_on_commit_callbacks(execute=True):
        visit = booked_by_staff(Place.of(at(monday, "10:00"), follow_up, ana), staff, now)

    assert (visit.status, visit.source, visit.is_overbooked) == (
        Status.CONFIRMED,
        Source.FRONT_DESK,
        False,
    )
    event = visit.events.get()
    assert (event.action, event.actor, event.to_status) == (
        EventAction.BOOKED,
        staff,
        Status.CONFIRMED,
    )
    (message,) = mailoutbox
    assert "Ana Ruiz" in message.body and "45 minutes" in message.body
    assert message.attachments


def test_a_staff_booking_without_an_address_sends_nothing(
    two_practitioners, follow_up, monday, now, staff
):
    ana, _ = two_practitioners
    visit = services.appointment_book_by_staff(
        place=Place.of(at(monday, "10:00"), follow_up, ana),
        patient=PatientDetailsFactory(email=""),
        by=staff,
        now=now,
    )
    assert not visit.notifications.exists()


def test_staff_may_book_sooner_than_patients_may_request(
    two_practitioners, follow_up, monday, staff
):
    ana, _ = two_practitioners
    in_an_hour = at(monday, "9:00")
    visit = booked_by_staff(Place.of(in_an_hour, follow_up, ana), staff, at(monday, "8:00"))
    assert visit.starts_at == in_an_hour


def test_a_taken_time_needs_a_reason_to_be_overbooked(
    two_practitioners, follow_up, monday, now, staff
):
    ana, _ = two_practitioners
    place = Place.of(at(monday, "10:00"), follow_up, ana)
    booked_by_staff(place, staff, now)

    with pytest.raises(services.SlotUnavailable):
        booked_by_staff(place, staff, now, overbook_reason="   ")
    squeezed = booked_by_staff(place, staff, now, overbook_reason="Acute pain, seen between")

    assert (squeezed.is_overbooked, squeezed.overbooking_reason) == (
        True,
        "Acute pain, seen between",
    )
    overbooking = squeezed.events.get(action=EventAction.OVERBOOKED)
    assert (overbooking.actor, overbooking.message) == (staff, "Acute pain, seen between")


def test_a_free_time_is_not_marked_overbooked_even_with_a_reason(
    two_practitioners, follow_up, monday, now, staff
):
    ana, _ = two_practitioners
    place = Place.of(at(monday, "10:00"), follow_up, ana)
    visit = booked_by_staff(place, staff, now, overbook_reason="Just in case")
    assert not visit.is_overbooked
    assert not visit.events.filter(action=EventAction.OVERBOOKED).exists()


# -- moves -------------------------------------------------------------------------------------


def calendar_event(message):
    (ics,) = [content for name, content, _ in message.attachments if name.endswith(".ics")]
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    return event


def test_a_staff_move_frees_the_old_place_and_sends_the_new_calendar_file(
    two_practitioners, follow_up, monday, now, staff, django_capture_on_commit_callbacks,
    mailoutbox,
):  # fmt: skip
    ana, ben = two_practitioners
    with django_capture_on_commit_callbacks(execute=True):
        visit = booked_by_staff(Place.of(at(monday, "10:00"), follow_up, ana), staff, now)
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_move(
            appointment=visit, start=at(monday + 3 * DAY, "14:00"), practitioner=ben, by=staff,
            now=now,
        )  # fmt: skip

    visit.refresh_from_db()
    assert (visit.starts_at, visit.practitioner, visit.sequence) == (
        at(monday + 3 * DAY, "14:00"),
        ben,
        1,
    )
    confirmation, moved = mailoutbox
    before, after = calendar_event(confirmation), calendar_event(moved)
    assert str(before["uid"]) == str(after["uid"])
    assert int(after["sequence"]) > int(before["sequence"])
    assert "Ben Okafor" in moved.body
    assert request_visit(Place.of(at(monday, "10:00"), follow_up, ana), now).practitioner == ana
    assert visit.events.get(action=EventAction.MOVED).actor == staff


def test_a_move_staff_keep_quiet_about_sends_nothing(
    two_practitioners, follow_up, monday, now, staff
):
    ana, _ = two_practitioners
    visit = booked_by_staff(Place.of(at(monday, "10:00"), follow_up, ana), staff, now)
    services.appointment_move(
        appointment=visit, start=at(monday, "15:00"), practitioner=ana, by=staff,
        tell_patient=False, now=now,
    )  # fmt: skip
    assert list(visit.notifications.values_list("kind", flat=True)) == [NotificationKind.CONFIRMED]


def test_a_move_into_a_taken_place_changes_nothing(
    two_practitioners, follow_up, monday, now, staff
):
    ana, _ = two_practitioners
    booked_by_staff(Place.of(at(monday, "15:00"), follow_up, ana), staff, now)
    visit = booked_by_staff(Place.of(at(monday, "10:00"), follow_up, ana), staff, now)

    with pytest.raises(services.SlotUnavailable):
        services.appointment_move(
            appointment=visit, start=at(monday, "15:00"), practitioner=ana, by=staff, now=now
        )
    visit.refresh_from_db()
    assert (visit.starts_at, visit.sequence) == (at(monday, "10:00"), 0)


def test_a_visit_moves_into_a_time_overlapping_its_own_old_place(
    two_practitioners, follow_up, monday, now, staff
):
    ana, _ = two_practitioners
    visit = booked_by_staff(Place.of(at(monday, "10:00"), follow_up, ana), staff, now)
    services.appointment_move(
        appointment=visit, start=at(monday, "10:30"), practitioner=ana, by=staff, now=now
    )
    visit.refresh_from_db()
    assert visit.starts_at == at(monday, "10:30")


def test_a_moved_visit_is_reminded_again_for_its_new_time(
    two_practitioners, follow_up, monday, now, staff
):
    ana, _ = two_practitioners
    visit = booked_by_staff(Place.of(at(monday + DAY, "10:00"), follow_up, ana), staff, now)
    assert services.queue_visit_reminders(now=at(monday, "10:00")) == 1
    services.appointment_move(
        appointment=visit, start=at(monday + DAY, "15:00"), practitioner=ana, by=staff,
        now=at(monday, "11:00"),
    )  # fmt: skip
    assert services.queue_visit_reminders(now=at(monday, "12:00")) == 0  # 27 hours ahead
    assert services.queue_visit_reminders(now=at(monday, "15:00")) == 1
    assert services.queue_visit_reminders(now=at(monday, "16:00")) == 0


# -- the patient's own change ------------------------------------------------------------------


def test_a_confirmed_visit_the_patient_moves_waits_for_confirmation_again(
    two_practitioners, follow_up, monday, now, staff
):
    ana, _ = two_practitioners
    visit = booked_by_staff(Place.of(at(monday + 2 * DAY, "10:00"), follow_up, ana), staff, now)

    services.appointment_change_by_patient(
        appointment=visit, start=at(monday + 2 * DAY, "14:00"), now=now
    )

    visit.refresh_from_db()
    assert (visit.status, visit.starts_at, visit.sequence) == (
        Status.REQUESTED,
        at(monday + 2 * DAY, "14:00"),
        1,
    )
    change = visit.events.get(action=EventAction.CHANGED)
    assert (change.from_status, change.to_status, change.actor) == (
        Status.CONFIRMED,
        Status.REQUESTED,
        None,
    )
    kinds = set(visit.notifications.filter(visit_sequence=1).values_list("kind", flat=True))
    assert kinds == {NotificationKind.CHANGE_RECEIVED, NotificationKind.STAFF_NEW_REQUEST}


def test_patients_changes_stay_confirmed_when_staff_say_so(
    two_practitioners, follow_up, monday, now, staff
):
    BookingSettings.objects.update(patient_changes_confirmed=True)
    ana, _ = two_practitioners
    visit = booked_by_staff(Place.of(at(monday + 2 * DAY, "10:00"), follow_up, ana), staff, now)

    services.appointment_change_by_patient(
        appointment=visit, start=at(monday + 2 * DAY, "14:00"), now=now
    )

    visit.refresh_from_db()
    assert visit.status == Status.CONFIRMED
    assert visit.notifications.filter(kind=NotificationKind.MOVED, visit_sequence=1).exists()


def test_a_patient_change_after_the_cut_off_is_refused(two_practitioners, follow_up, monday, staff):
    ana, _ = two_practitioners
    visit = booked_by_staff(
        Place.of(at(monday, "16:00"), follow_up, ana), staff, at(monday, "0:00")
    )
    with pytest.raises(services.TransitionNotAllowed, match="closes 24 hours before"):
        services.appointment_change_by_patient(
            appointment=visit, start=at(monday + DAY, "10:00"), now=at(monday, "8:00")
        )


def test_a_patient_change_to_a_taken_time_changes_nothing(
    two_practitioners, follow_up, monday, now, staff
):
    ana, _ = two_practitioners
    booked_by_staff(Place.of(at(monday + DAY, "10:00"), follow_up, ana), staff, now)
    visit = request_visit(Place.of(at(monday + 2 * DAY, "10:00"), follow_up, ana), now)

    with pytest.raises(services.SlotUnavailable):
        services.appointment_change_by_patient(
            appointment=visit, start=at(monday + DAY, "10:00"), practitioner=ana, now=now
        )
    visit.refresh_from_db()
    assert (visit.starts_at, visit.sequence, visit.events.count()) == (
        at(monday + 2 * DAY, "10:00"),
        0,
        1,
    )


# -- confirming re-checks the practitioner's time ----------------------------------------------


def test_confirm_refuses_when_the_practitioner_is_full_with_confirmed_visits(
    two_practitioners, follow_up, monday, now, staff
):
    ana, _ = two_practitioners
    place = Place.of(at(monday, "10:00"), follow_up, ana)
    waiting = request_visit(place, now)
    AppointmentRequest.objects.filter(pk=waiting.pk).update(status=Status.CANCELLED)
    booked_by_staff(place, staff, now)
    AppointmentRequest.objects.filter(pk=waiting.pk).update(status=Status.REQUESTED)

    with pytest.raises(services.TransitionNotAllowed, match="already fully booked"):
        services.appointment_confirm(appointment=waiting, by=staff, now=now)


def test_an_unrelated_practitioners_visit_does_not_block_a_confirmation(
    two_practitioners, follow_up, monday, now, staff
):
    ana, ben = two_practitioners
    booked_by_staff(Place.of(at(monday, "10:00"), follow_up, ben), staff, now)
    waiting = request_visit(Place.of(at(monday, "10:00"), follow_up, ana), now)
    services.appointment_confirm(appointment=waiting, by=staff, now=now)
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED


def test_the_clinics_hours_bound_every_practitioner(two_practitioners, follow_up, monday, now):
    ana, _ = two_practitioners
    OpeningHours.objects.filter(weekday=monday.weekday()).update(closes=datetime.time(12))
    with pytest.raises(services.SlotUnavailable):
        request_visit(Place.of(at(monday, "14:00"), follow_up, ana), now)


def test_a_staff_booking_keeps_the_front_desks_notes(
    two_practitioners, follow_up, monday, now, staff
):
    ana, _ = two_practitioners
    visit = booked_by_staff(
        Place.of(at(monday, "10:00"), follow_up, ana), staff, now, staff_notes="  Uses a cane. "
    )
    visit.refresh_from_db()
    assert visit.staff_notes == "Uses a cane."
