"""The waiting list's rules: who is offered a freed place, the hold, taking it, letting it
go, its end, and the purge."""

import datetime

import pytest
from django.utils import timezone

from booking import services
from booking.models import (
    AppointmentRequest,
    EventAction,
    Notification,
    NotificationKind,
    NotificationStatus,
    Status,
    TreatmentType,
)
from booking.services import waitlist
from booking.tests.factories import at, next_monday, the_practitioner
from booking.tests.waitlist_helpers import (
    free_starts,
    full_day,
    held,
    waiting,
    weekday_clinic,
)
from booking.waitlist import PartOfDay, WaitlistStatus
from clinic.tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def treatment():
    return weekday_clinic()


@pytest.fixture
def monday():
    return next_monday()


def at_time(day, hh_mm) -> AppointmentRequest:
    return AppointmentRequest.objects.get(starts_at=at(day, hh_mm))


def cancel(visit, capture):
    with capture(execute=True):
        services.appointment_cancel(appointment=visit)


def test_a_cancelled_place_is_held_for_the_first_matching_patient_and_emailed(
    treatment, monday, mailoutbox, django_capture_on_commit_callbacks
):
    full_day(monday)
    first, second = waiting(treatment, name="Ana"), waiting(treatment, name="Ben")
    visit = at_time(monday, "10:00")

    cancel(visit, django_capture_on_commit_callbacks)

    (offer,) = held()
    assert offer.waitlist_entry == first and offer.email == "ana@example.com"
    assert offer.starts_at == at(monday, "10:00") and offer.practitioner == visit.practitioner
    assert offer.held_until == pytest.approx(
        timezone.now() + datetime.timedelta(hours=2), abs=datetime.timedelta(seconds=30)
    )
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status) == (WaitlistStatus.OFFERED, WaitlistStatus.WAITING)
    assert offer.events.get().action == EventAction.OFFERED
    (email,) = [m for m in mailoutbox if m.to == ["ana@example.com"]]
    assert "A place has come free for you" in email.subject
    assert f"/appointments/{offer.manage_token}/offer/" in email.body
    # Held: the form offers the day nothing, as before the cancellation.
    assert free_starts(monday, treatment) == []


@pytest.mark.parametrize(
    "wishes",
    [
        {"weekdays": [1, 2]},  # Tuesday and Wednesday only: the place is a Monday's
        {"parts": [PartOfDay.AFTERNOON, PartOfDay.EVENING]},  # 10:00 is the morning
        {"until": "yesterday of the place"},
    ],
)
def test_a_place_that_does_not_suit_is_not_offered(
    treatment, monday, wishes, django_capture_on_commit_callbacks
):
    full_day(monday)
    if wishes.get("until"):
        wishes = {"until": monday - datetime.timedelta(days=1)}
    entry = waiting(treatment, **wishes)

    cancel(at_time(monday, "10:00"), django_capture_on_commit_callbacks)

    assert held() == []
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.WAITING
    assert at(monday, "10:00") in free_starts(monday, treatment)  # back on the form


def test_another_practitioners_patient_and_a_longer_visit_are_passed_over(
    treatment, monday, django_capture_on_commit_callbacks
):
    full_day(monday)
    waiting(treatment, name="Other", practitioner=PractitionerFactory())
    longer = TreatmentType.objects.create(name="Long", minutes=60, bookable_online=True)
    the_practitioner().diary.treatment_types.add(longer)
    waiting(longer, name="Long")  # 60 minutes do not fit in a freed half hour
    fits = waiting(treatment, name="Fits")

    cancel(at_time(monday, "11:00"), django_capture_on_commit_callbacks)

    (offer,) = held()
    assert offer.waitlist_entry == fits


def test_taking_the_place_confirms_the_visit_and_ends_the_wait(
    treatment, monday, mailoutbox, django_capture_on_commit_callbacks
):
    full_day(monday)
    entry = waiting(treatment)
    cancel(at_time(monday, "10:00"), django_capture_on_commit_callbacks)
    (offer,) = held()

    with django_capture_on_commit_callbacks(execute=True):
        waitlist.waitlist_claim(appointment=offer)

    offer.refresh_from_db(), entry.refresh_from_db()
    assert offer.status == Status.CONFIRMED and entry.status == WaitlistStatus.BOOKED
    assert list(offer.events.values_list("action", flat=True)) == [
        EventAction.OFFERED,
        EventAction.CLAIMED,
    ]
    assert any("is confirmed" in m.subject and m.to == [entry.email] for m in mailoutbox)


def test_a_hold_that_runs_out_goes_to_the_next_patient_then_back_to_the_form(
    treatment, monday, django_capture_on_commit_callbacks
):
    full_day(monday)
    ana, ben = waiting(treatment, name="Ana"), waiting(treatment, name="Ben")
    cancel(at_time(monday, "10:00"), django_capture_on_commit_callbacks)
    (first_offer,) = held()
    later = first_offer.held_until + datetime.timedelta(seconds=1)

    with pytest.raises(services.TransitionNotAllowed, match="run out"):
        waitlist.waitlist_claim(appointment=first_offer, now=later)
    with django_capture_on_commit_callbacks(execute=True):
        assert waitlist.lapse_expired_holds(now=later) == 1

    first_offer.refresh_from_db()
    assert first_offer.status == Status.OFFER_NOT_TAKEN
    assert first_offer.events.last().action == EventAction.OFFER_LAPSED
    (second_offer,) = held()
    assert second_offer.waitlist_entry == ben and second_offer.starts_at == first_offer.starts_at
    ana.refresh_from_db()
    assert ana.status == WaitlistStatus.WAITING  # still waiting, for other places

    # Ben lets it run out too: Ana is never offered the same place twice; back to the form.
    assert waitlist.lapse_expired_holds(now=second_offer.held_until) == 1
    assert held() == []
    assert at(monday, "10:00") in free_starts(monday, treatment)


def test_not_interested_ends_the_wait_and_offers_the_next_patient(
    treatment, monday, django_capture_on_commit_callbacks
):
    full_day(monday)
    ana, ben = waiting(treatment, name="Ana"), waiting(treatment, name="Ben")
    cancel(at_time(monday, "10:00"), django_capture_on_commit_callbacks)
    (offer,) = held()

    waitlist.waitlist_turn_down(appointment=offer)

    ana.refresh_from_db()
    assert ana.status == WaitlistStatus.ENDED
    assert [o.waitlist_entry for o in held()] == [ben]


def test_a_second_offer_of_one_freed_place_offers_nothing(treatment, monday):
    full_day(monday)
    AppointmentRequest.objects.filter(starts_at=at(monday, "10:00")).update(status=Status.CANCELLED)
    waiting(treatment, name="Ana"), waiting(treatment, name="Ben")

    first = waitlist.offer_freed_place(start=at(monday, "10:00"), practitioner_id=held_by())
    second = waitlist.offer_freed_place(start=at(monday, "10:00"), practitioner_id=held_by())

    assert first is not None and second is None
    assert len(held()) == 1


def held_by() -> int:
    return AppointmentRequest.objects.values_list("practitioner_id", flat=True).first()


def test_a_declined_request_and_a_moved_visit_free_their_places_too(
    treatment, monday, admin_user, django_capture_on_commit_callbacks
):
    full_day(monday)
    AppointmentRequest.objects.filter(starts_at=at(monday, "9:00")).update(status=Status.REQUESTED)
    waiting(treatment, name="Ana"), waiting(treatment, name="Ben")
    tuesday = monday + datetime.timedelta(days=1)
    moved = AppointmentRequest.objects.get(starts_at=at(monday, "15:00"))

    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_decline(
            appointment=AppointmentRequest.objects.get(starts_at=at(monday, "9:00")), by=admin_user
        )
        services.appointment_move(
            appointment=moved,
            start=at(tuesday, "9:00"),
            practitioner=moved.practitioner,
            by=admin_user,
        )

    assert sorted(o.starts_at for o in held()) == [at(monday, "9:00"), at(monday, "15:00")]


def test_an_offer_email_the_worker_reaches_after_the_hold_is_not_sent(
    treatment, monday, mailoutbox
):
    full_day(monday)
    AppointmentRequest.objects.filter(starts_at=at(monday, "10:00")).update(status=Status.CANCELLED)
    waiting(treatment)
    offer = waitlist.offer_freed_place(start=at(monday, "10:00"), practitioner_id=held_by())
    notification = Notification.objects.get(appointment=offer, kind=NotificationKind.WAITLIST_OFFER)
    AppointmentRequest.objects.filter(pk=offer.pk).update(
        held_until=timezone.now() - datetime.timedelta(minutes=1)
    )

    from booking.emails import send_email

    assert send_email(notification.pk) == NotificationStatus.SKIPPED
    assert mailoutbox == []


def test_the_purge_erases_entries_past_their_last_date_by_the_retention_period(treatment):
    today = timezone.localdate()
    old = waiting(treatment, name="Old", until=today + datetime.timedelta(days=1))
    recent = waiting(treatment, name="Recent", until=today + datetime.timedelta(days=30))
    later = timezone.now() + datetime.timedelta(days=367)  # retention: 365 days

    services.erase_old_requests(now=later)

    old.refresh_from_db(), recent.refresh_from_db()
    assert (old.first_name, old.last_name, old.email, old.phone) == ("", "", "", "")
    assert old.anonymised_at == later
    assert recent.first_name == "Recent" and recent.anonymised_at is None
