"""Check-in: a confirmed visit marked arrived on its day, then completed or no-show; each step
in the audit trail with who did it; an arrived visit keeps its place and is no longer changed
online."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from booking import services
from booking.admin.steps import SERVICE_OF
from booking.availability import free_times
from booking.models import EventAction, NotificationKind, Status
from booking.schedule import day_bookings, for_staff, load_schedule
from booking.tests.factories import AppointmentRequestFactory, BookingSettingsFactory, at
from booking.transitions import (
    STAFF_TRANSITIONS,
    TRANSITIONS,
    Timing,
    TransitionNotAllowed,
    email_still_true,
    transitions_allowed,
)
from clinic.models import OpeningHours
from clinic.roles import FRONT_DESK

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)
CHANGELIST = "/admin/booking/appointmentrequest/"


@pytest.fixture(autouse=True)
def open_every_day(starting_content):
    """Open 8:00 to 20:00 every day, 30-minute visits, one patient at a time, no notice."""
    OpeningHours.objects.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(weekday=day, opens=datetime.time(8), closes=datetime.time(20))
        for day in range(7)
    )
    BookingSettingsFactory(slot_minutes=30, capacity=1, min_notice_hours=0)


@pytest.fixture
def desk_user(django_user_model):
    user = django_user_model.objects.create_user("desk", is_staff=True, first_name="Fran")
    user.groups.add(Group.objects.get(name=FRONT_DESK))
    return user


@pytest.fixture
def desk(client, desk_user):
    client.force_login(desk_user)
    return client


def in_two_days(hh_mm: str = "10:00") -> datetime.datetime:
    return at(timezone.localdate() + datetime.timedelta(days=2), hh_mm)


def under_way(**fields):
    """A confirmed 30-minute visit of today that has not ended yet, whatever the time now:
    begun five minutes ago (or at midnight, just after it)."""
    now = timezone.localtime()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    start = max(midnight, now - 5 * MINUTE)
    return AppointmentRequestFactory(
        **{"status": Status.CONFIRMED, "starts_at": start, "last_name": "Lopez", **fields}
    )


def step_url(step: str, appointment) -> str:
    return reverse(f"admin:booking_appointmentrequest_{step}", args=[appointment.pk])


def shown_messages(response, level: str) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level_tag == level]


# The table


def test_check_in_is_a_staff_step_from_confirmed_on_the_visits_day_without_an_email():
    arrive = TRANSITIONS["arrive"]
    assert "arrive" in STAFF_TRANSITIONS and SERVICE_OF["arrive"] is services.appointment_arrive
    assert (arrive.allowed_from, arrive.to, arrive.timing) == (
        (Status.CONFIRMED,),
        Status.ARRIVED,
        Timing.ON_THE_DAY,
    )
    assert arrive.emails == () and arrive.message_page is None and arrive.is_status_step
    assert (arrive.action, arrive.label) == (EventAction.ARRIVED, "Mark arrived")
    assert arrive.done % {"count": 2} == "2 patients checked in."


def test_completed_and_no_show_follow_confirmed_or_arrived_once_the_visit_began():
    for name in ("complete", "no_show"):
        assert TRANSITIONS[name].allowed_from == (Status.CONFIRMED, Status.ARRIVED)
        assert TRANSITIONS[name].timing is Timing.AFTER_START


@pytest.mark.parametrize(
    ("now", "allowed"),
    [
        ("00:00", True),  # the day's first minute: a patient early for a morning visit
        ("9:59", True),
        ("10:10", True),  # late, but the visit is still on
        ("10:29", True),
        ("10:30", False),  # it has ended: completed or no-show now
        ("18:00", False),
    ],
)
def test_check_in_is_allowed_from_the_days_start_until_the_visit_ends(now, allowed):
    visit = AppointmentRequestFactory.build(status=Status.CONFIRMED, starts_at=in_two_days())
    moment = at(timezone.localdate() + datetime.timedelta(days=2), now)

    assert TRANSITIONS["arrive"].is_allowed(visit, moment) is allowed


def test_check_in_is_refused_the_day_before_and_after_the_visit_in_words():
    visit = AppointmentRequestFactory.build(
        status=Status.CONFIRMED, starts_at=in_two_days(), reference="K7MX4P"
    )
    arrive = TRANSITIONS["arrive"]

    with pytest.raises(TransitionNotAllowed, match="K7MX4P: the visit is not today"):
        arrive.check(visit, in_two_days("0:00") - MINUTE)
    with pytest.raises(TransitionNotAllowed, match="K7MX4P: the visit has ended; mark it"):
        arrive.check(visit, in_two_days("10:30"))


def test_an_arrived_visit_offers_completed_and_no_show_once_begun_and_nothing_else():
    visit = AppointmentRequestFactory.build(status=Status.ARRIVED, starts_at=in_two_days())

    assert [t.name for t in transitions_allowed(visit, in_two_days("9:50"))] == []
    assert [t.name for t in transitions_allowed(visit, in_two_days("10:05"))] == [
        "complete",
        "no_show",
    ]
    assert not TRANSITIONS["move"].is_allowed(visit, in_two_days("9:50"))
    assert not TRANSITIONS["cancel_by_clinic"].is_allowed(visit, in_two_days("9:50"))


# The services


def test_arrive_then_complete_records_both_steps_with_who_did_them(desk_user):
    visit = AppointmentRequestFactory(status=Status.CONFIRMED, starts_at=in_two_days())

    services.appointment_arrive(appointment=visit, by=desk_user, now=in_two_days("9:45"))
    services.appointment_complete(
        appointment=visit, by=desk_user, now=in_two_days() + datetime.timedelta(days=3)
    )

    visit.refresh_from_db()
    assert visit.status == Status.COMPLETED
    trail = [(e.action, e.from_status, e.to_status, e.actor) for e in visit.events.all()]
    assert trail == [
        (EventAction.ARRIVED, Status.CONFIRMED, Status.ARRIVED, desk_user),
        (EventAction.COMPLETED, Status.ARRIVED, Status.COMPLETED, desk_user),
    ]
    assert visit.events.first().get_action_display() == "checked in"


def test_an_arrived_visit_is_completed_only_once_it_has_begun(desk_user):
    visit = AppointmentRequestFactory(status=Status.CONFIRMED, starts_at=in_two_days())
    services.appointment_arrive(appointment=visit, by=desk_user, now=in_two_days("9:40"))

    with pytest.raises(TransitionNotAllowed, match="has not started yet"):
        services.appointment_complete(appointment=visit, by=desk_user, now=in_two_days("9:50"))
    visit.refresh_from_db()
    assert visit.status == Status.ARRIVED


def test_a_check_in_by_mistake_is_corrected_to_no_show(desk_user):
    visit = AppointmentRequestFactory(status=Status.CONFIRMED, starts_at=in_two_days())
    services.appointment_arrive(appointment=visit, by=desk_user, now=in_two_days("9:55"))

    services.appointment_mark_no_show(appointment=visit, by=desk_user, now=in_two_days("11:00"))

    visit.refresh_from_db()
    assert visit.status == Status.NO_SHOW
    assert [e.action for e in visit.events.all()] == [EventAction.ARRIVED, EventAction.NO_SHOW]
    assert visit.events.last().actor == desk_user


def test_an_arrived_visit_still_takes_its_place_in_the_diary(desk_user):
    start = in_two_days()
    visit = AppointmentRequestFactory(status=Status.CONFIRMED, starts_at=start)
    services.appointment_arrive(appointment=visit, by=desk_user, now=start - 10 * MINUTE)
    now = start - 5 * MINUTE
    schedule = for_staff(load_schedule(now))
    day = schedule.local_date(start)
    treatment = visit.treatment_type.as_treatment()

    starts = [
        s.start for s in free_times(day, schedule, now, day_bookings(schedule, day), treatment)
    ]

    assert start not in starts and start + 30 * MINUTE in starts
    waiting = AppointmentRequestFactory(starts_at=start + 10 * MINUTE)  # overlaps it
    with pytest.raises(TransitionNotAllowed, match="already fully booked"):
        services.appointment_confirm(appointment=waiting, by=desk_user, now=now)


def test_no_reminder_confirmation_or_move_e_mail_is_sent_once_the_patient_is_here():
    visit = AppointmentRequestFactory.build(status=Status.ARRIVED)

    for kind in (NotificationKind.REMINDER, NotificationKind.CONFIRMED, NotificationKind.MOVED):
        assert not email_still_true(kind, visit, visit.sequence)
    assert email_still_true(NotificationKind.REQUEST_RECEIVED, visit, visit.sequence)


# The admin: the change page's button, the list's action, the way back


def test_the_change_page_of_a_visit_under_way_offers_mark_arrived(desk):
    visit = under_way()

    page = desk.get(step_url("change", visit)).content.decode()

    assert f'action="{step_url("arrive", visit)}"' in page
    assert '<input type="submit" value="Mark arrived" class="default">' in page


def test_the_change_page_of_a_patient_arrived_early_says_what_comes_later(desk):
    early = AppointmentRequestFactory(status=Status.ARRIVED, starts_at=in_two_days("10:00"))

    page = desk.get(step_url("change", early)).content.decode()

    assert "No further change is possible" not in page
    assert (
        f"{early.reference}: the visit has not started yet, so it cannot be marked completed."
        in page
    )
    assert 'type="submit"' not in page.split('id="appointment-status"')[1].split("</div>")[0]


def test_mark_arrived_returns_to_the_page_it_was_pressed_on(desk, desk_user):
    visit = under_way()

    response = desk.post(step_url("arrive", visit), {"next": "/admin/"})

    assert response.status_code == 302 and response.url == "/admin/"
    visit.refresh_from_db()
    assert visit.status == Status.ARRIVED
    event = visit.events.get()
    assert (event.action, event.actor) == (EventAction.ARRIVED, desk_user)
    shown = desk.get("/admin/")
    assert shown_messages(shown, "success") == ["1 patient checked in."]


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)", ""]
)
def test_a_next_address_off_the_site_is_ignored_for_the_change_page(desk, elsewhere):
    visit = under_way()

    response = desk.post(step_url("arrive", visit), {"next": elsewhere})

    assert response.url == step_url("change", visit)
    visit.refresh_from_db()
    assert visit.status == Status.ARRIVED


def test_a_check_in_on_another_day_is_refused_with_its_reason(desk):
    visit = AppointmentRequestFactory(
        status=Status.CONFIRMED, starts_at=in_two_days(), reference="K7MX4P"
    )

    response = desk.post(step_url("arrive", visit), {"next": "/admin/"}, follow=True)

    assert response.redirect_chain == [("/admin/", 302)]
    assert shown_messages(response, "error") == [
        "Not changed: K7MX4P: the visit is not today; check in on the day."
    ]
    visit.refresh_from_db()
    assert visit.status == Status.CONFIRMED and not visit.events.exists()


def test_a_check_in_of_a_request_not_confirmed_is_refused_with_its_reason(desk):
    visit = under_way(status=Status.REQUESTED, reference="HJ3QTV")

    response = desk.post(step_url("arrive", visit), follow=True)

    assert shown_messages(response, "error") == [
        "Not changed: HJ3QTV is “Waiting for confirmation”: it cannot be checked in."
    ]
    visit.refresh_from_db()
    assert visit.status == Status.REQUESTED


def test_check_in_is_a_post_by_staff_who_may_change_requests(desk, content_editor):
    visit = under_way()
    editor = Client()
    editor.force_login(content_editor)

    assert desk.get(step_url("arrive", visit)).status_code == 405
    assert editor.post(step_url("arrive", visit)).status_code == 403
    visit.refresh_from_db()
    assert visit.status == Status.CONFIRMED


def test_the_list_checks_in_the_selected_visits(desk):
    first, second = under_way(), under_way(last_name="Ruiz")
    chosen = {"action": "arrive", "_selected_action": [first.pk, second.pk], "index": 0}

    response = desk.post(CHANGELIST, chosen, follow=True)

    assert shown_messages(response, "success") == ["2 patients checked in."]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == Status.ARRIVED


# The patient's side


def test_the_manage_page_of_an_arrived_visit_offers_no_change_or_cancellation(client, desk_user):
    visit = under_way()
    services.appointment_arrive(appointment=visit, by=desk_user)

    page = client.get(visit.get_manage_url()).content.decode()
    cancelled = client.post(reverse("booking:cancel", kwargs={"token": visit.manage_token}))
    changed = client.get(reverse("booking:change", kwargs={"token": visit.manage_token}))

    assert "You have checked in for this visit" in page and "Arrived" in page
    assert "Change the time" not in page and "Cancel this appointment" not in page
    assert "Online cancellation closes" not in page
    assert cancelled.status_code == 302
    assert changed.url == visit.get_manage_url()
    visit.refresh_from_db()
    assert visit.status == Status.ARRIVED
