"""Reminders the clinic sets: when they go, each once per visit time and lead, never to a
visit no longer confirmed, again after a move; the calendar file's alarm; the settings form."""

import datetime
import email
import threading

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats
from icalendar import Calendar

from booking import emails, reminders, services
from booking.admin.booking_settings import BookingSettingsForm
from booking.models import (
    BookingSettings,
    Notification,
    NotificationKind,
    NotificationStatus,
    Status,
    validate_reminder_leads,
)
from booking.services import housekeeping
from booking.tests.concurrency.racing import race
from booking.tests.factories import (
    AppointmentRequestFactory,
    PatientDetailsFactory,
    at,
    next_monday,
    open_weekdays,
    place_at,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def monday() -> datetime.date:
    return next_monday()


@pytest.fixture
def wednesday_ten(monday) -> datetime.datetime:
    return at(monday + 2 * DAY, "10:00")


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("frontdesk", is_staff=True)


def choose(*leads: int, alarm: int = 0) -> None:
    row = BookingSettings.load()
    row.reminder_lead_hours, row.calendar_alarm_minutes = list(leads), alarm
    row.save()


def confirmed(starts_at: datetime.datetime, **fields):
    return AppointmentRequestFactory(starts_at=starts_at, status=Status.CONFIRMED, **fields)


def reminders_of(appointment) -> list[tuple[int, int]]:
    """(visit time no., lead) of each reminder queued, in order."""
    return list(
        appointment.notifications.filter(kind=NotificationKind.REMINDER)
        .order_by("created_at", "pk")
        .values_list("visit_sequence", "lead_hours")
    )


def queue(moment: datetime.datetime) -> int:
    return services.queue_visit_reminders(now=moment)


# -- when reminders go -------------------------------------------------------------------------


def test_48_and_2_hours_before_each_go_once_at_their_time(monday, wednesday_ten):
    choose(48, 2)
    visit = confirmed(wednesday_ten)
    assert queue(at(monday, "9:59")) == 0
    assert queue(at(monday, "10:00")) == 1
    assert queue(at(monday, "10:10")) == 0
    assert queue(at(monday + DAY, "18:00")) == 0
    assert queue(at(monday + 2 * DAY, "7:59")) == 0
    assert queue(at(monday + 2 * DAY, "8:00")) == 1
    assert queue(at(monday + 2 * DAY, "9:50")) == 0
    assert reminders_of(visit) == [(0, 48), (0, 2)]


def test_only_the_day_before(monday, wednesday_ten):
    choose(24)
    visit = confirmed(wednesday_ten)
    assert queue(at(monday, "10:00")) == 0  # 48 hours ahead
    assert queue(at(monday + DAY, "9:50")) == 0
    assert queue(at(monday + DAY, "10:00")) == 1
    assert queue(at(monday + 2 * DAY, "9:00")) == 0  # no second reminder on the day
    assert reminders_of(visit) == [(0, 24)]


def test_no_reminder_chosen_sends_none_and_reads_only_the_settings(
    wednesday_ten, django_assert_num_queries
):
    choose()
    confirmed(wednesday_ten)
    with django_assert_num_queries(1):
        assert queue(wednesday_ten - datetime.timedelta(minutes=30)) == 0
    assert not Notification.objects.exists()


def test_the_job_reads_three_queries_however_many_visits_are_near(
    wednesday_ten, django_assert_num_queries
):
    choose(48, 24, 2)
    for minutes in range(0, 300, 30):
        confirmed(wednesday_ten + datetime.timedelta(minutes=minutes))
    moment = wednesday_ten - datetime.timedelta(hours=30)
    assert queue(moment) == 10
    with django_assert_num_queries(3):  # the settings, the visits, their reminders so far
        assert queue(moment) == 0


def test_the_lead_is_real_elapsed_time_across_the_clocks_change(settings):
    """The clocks go forward on Sunday 14 March 2027 (America/New_York): 24 hours before a
    Sunday 10:00 visit is Saturday 9:00 on the wall."""
    settings.TIME_ZONE = "America/New_York"
    choose(24)
    saturday, sunday = datetime.date(2027, 3, 13), datetime.date(2027, 3, 14)
    visit = confirmed(at(sunday, "10:00"))
    assert queue(at(saturday, "8:59")) == 0
    assert queue(at(saturday, "9:00")) == 1
    assert reminders_of(visit) == [(0, 24)]


# -- a visit booked late -----------------------------------------------------------------------


def test_a_visit_booked_late_gets_only_the_nearest_reminder_not_a_late_long_one(wednesday_ten):
    """No confirmation e-mail on record (booked without an address): of the leads whose time
    has come, only the shortest."""
    choose(48, 2)
    visit = confirmed(wednesday_ten)
    assert queue(wednesday_ten - datetime.timedelta(hours=3)) == 1
    assert queue(wednesday_ten - datetime.timedelta(hours=2)) == 1
    assert reminders_of(visit) == [(0, 48), (0, 2)]

    other = confirmed(wednesday_ten + datetime.timedelta(minutes=30))
    assert queue(wednesday_ten - datetime.timedelta(minutes=60)) == 1
    assert reminders_of(other) == [(0, 2)]  # the 48-hour one is never sent 90 minutes ahead


def test_no_reminder_whose_time_came_before_the_patient_was_told_the_time(wednesday_ten):
    """Booked 3 hours ahead with 48- and 2-hour reminders: the confirmation did the 48-hour
    one's job, the 2-hour one still goes. Booked 1 hour ahead: none."""
    choose(48, 2)
    three_hours = confirmed(wednesday_ten)
    told(three_hours, wednesday_ten - datetime.timedelta(hours=3))
    one_hour = confirmed(wednesday_ten + datetime.timedelta(hours=2))
    told(one_hour, wednesday_ten + datetime.timedelta(hours=1))

    assert queue(wednesday_ten - datetime.timedelta(hours=2, minutes=50)) == 0
    assert queue(wednesday_ten - datetime.timedelta(hours=2)) == 1
    assert queue(wednesday_ten + datetime.timedelta(hours=1, minutes=10)) == 0
    assert queue(wednesday_ten + datetime.timedelta(hours=1, minutes=55)) == 0
    assert reminders_of(three_hours) == [(0, 2)]
    assert reminders_of(one_hour) == []


def told(appointment, moment: datetime.datetime) -> None:
    """The patient's confirmation, written at `moment`."""
    confirmation = Notification.objects.create(
        appointment=appointment, kind=NotificationKind.CONFIRMED, status=NotificationStatus.SENT
    )
    Notification.objects.filter(pk=confirmation.pk).update(created_at=moment)


def test_lead_due_picks_the_shortest_lead_whose_time_has_come(wednesday_ten):
    hours = datetime.timedelta(hours=1)
    due = reminders.lead_due
    assert due(starts_at=wednesday_ten, leads=[48, 24, 2], now=wednesday_ten - 49 * hours) is None
    assert due(starts_at=wednesday_ten, leads=[48, 24, 2], now=wednesday_ten - 30 * hours) == 48
    assert due(starts_at=wednesday_ten, leads=[48, 24, 2], now=wednesday_ten - 3 * hours) == 24
    assert due(starts_at=wednesday_ten, leads=[2, 48], now=wednesday_ten - hours) == 2
    assert due(starts_at=wednesday_ten, leads=[2], now=wednesday_ten) is None  # begun
    told_at = wednesday_ten - 30 * hours
    assert (
        due(starts_at=wednesday_ten, leads=[48], now=wednesday_ten - hours, told_at=told_at) is None
    )
    assert (
        due(starts_at=wednesday_ten, leads=[48, 24], now=wednesday_ten - hours, told_at=told_at)
        == 24
    )


# -- exactly once ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_queue_each_reminder_once(wednesday_ten, monkeypatch):
    """Both runs read "no reminder yet" before either writes (held at a barrier): one insert
    wins, the other meets the unique constraint and moves on."""
    choose(24)
    visit = confirmed(wednesday_ten)
    both_have_read = threading.Barrier(2)
    decide = reminders.lead_due

    def lead_due_after_both_read(**kwargs):
        both_have_read.wait(timeout=10)
        return decide(**kwargs)

    monkeypatch.setattr(housekeeping, "lead_due", lead_due_after_both_read)
    results, errors = race(lambda i: queue(wednesday_ten - datetime.timedelta(hours=5)), 2)
    assert errors == [None, None]
    assert sorted(results) == [0, 1]
    assert reminders_of(visit) == [(0, 24)]


# -- never to a visit no longer confirmed ------------------------------------------------------


@pytest.mark.parametrize(
    "status",
    [Status.REQUESTED, Status.DECLINED, Status.CANCELLED, Status.CANCELLED_BY_CLINIC],
)
def test_no_reminder_is_queued_for_a_visit_not_confirmed(wednesday_ten, status):
    choose(48, 24, 2)
    AppointmentRequestFactory(starts_at=wednesday_ten, status=status)
    for hours in (47, 23, 1):
        assert queue(wednesday_ten - datetime.timedelta(hours=hours)) == 0
    assert not Notification.objects.exists()


@pytest.fixture
def booked(db, staff, monday, wednesday_ten):
    """A visit the front desk booked on Wednesday at 10:00, its confirmation sent."""
    open_weekdays(min_notice_hours=0)
    return services.appointment_book_by_staff(
        place=place_at(wednesday_ten), patient=PatientDetailsFactory(), by=staff,
        now=at(monday, "0:00"),
    )  # fmt: skip


@pytest.mark.parametrize("cancel", ["patient", "clinic"])
def test_a_reminder_queued_then_cancelled_is_not_sent(booked, staff, monday, mailoutbox, cancel):
    choose(24)
    assert queue(at(monday + DAY, "10:00")) == 1  # its task waits (not yet committed)
    if cancel == "patient":
        BookingSettings.objects.update(cancellation_cutoff_hours=0)
        services.appointment_cancel(appointment=booked, now=at(monday + DAY, "10:05"))
    else:
        services.appointment_cancel_by_clinic(
            appointment=booked, by=staff, now=at(monday + DAY, "10:05")
        )
    reminder = booked.notifications.get(kind=NotificationKind.REMINDER)
    assert emails.send_email(reminder.pk) == NotificationStatus.SKIPPED
    assert mailoutbox == []
    assert queue(at(monday + 2 * DAY, "9:00")) == 0


def test_a_reminder_the_worker_reaches_after_the_visit_began_is_not_sent(wednesday_ten, mailoutbox):
    choose(2)
    visit = confirmed(wednesday_ten)
    assert queue(wednesday_ten - datetime.timedelta(hours=1)) == 1
    reminder = visit.notifications.get(kind=NotificationKind.REMINDER)
    late = wednesday_ten + datetime.timedelta(minutes=1)
    assert emails.send_email(reminder.pk, now=late) == NotificationStatus.SKIPPED
    assert mailoutbox == []


# -- after a move ------------------------------------------------------------------------------


def test_a_moved_visit_gets_new_reminders_and_the_old_times_are_not_sent(
    booked, staff, monday, wednesday_ten, mailoutbox
):
    choose(48, 2)
    assert queue(at(monday, "10:00")) == 1  # 48 hours before the old time, not yet sent
    old_reminder = booked.notifications.get(kind=NotificationKind.REMINDER)
    thursday_two = at(monday + 3 * DAY, "14:00")
    services.appointment_move(
        appointment=booked, start=thursday_two, practitioner=booked.practitioner, by=staff,
        now=at(monday, "11:00"),
    )  # fmt: skip
    assert emails.send_email(old_reminder.pk) == NotificationStatus.SKIPPED
    assert queue(at(monday + DAY, "13:59")) == 0
    assert queue(at(monday + DAY, "14:00")) == 1
    assert queue(at(monday + 2 * DAY, "8:00")) == 0  # the old time's 2-hour moment: nothing
    assert queue(at(monday + 3 * DAY, "12:00")) == 1
    assert reminders_of(booked) == [(0, 48), (1, 48), (1, 2)]
    assert not [m for m in mailoutbox if m.subject.startswith("Reminder")]


# -- the message and the seam ------------------------------------------------------------------


def test_reminders_go_through_the_one_reminder_function_and_say_the_visits_time(
    booked, monday, wednesday_ten, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    choose(24)
    calls = []
    send = reminders.send_reminder

    def spy(notification):
        calls.append((notification.kind, notification.lead_hours))
        return send(notification)

    monkeypatch.setattr(emails, "send_reminder", spy)
    mailoutbox.clear()  # the confirmation
    with django_capture_on_commit_callbacks(execute=True):
        assert queue(at(monday + DAY, "10:00")) == 1
    assert calls == [(NotificationKind.REMINDER, 24)]
    (message,) = mailoutbox
    day = formats.date_format(wednesday_ten, "DATE_FORMAT")
    assert message.to == [booked.email]
    assert message.subject == (
        f"Reminder: your appointment on {day} at 10:00 AM ({booked.reference})"
    )
    assert f"your visit is on {day} at 10:00 AM." in message.body
    assert f"Your visit is on {day} at 10:00 AM" in message.alternatives[0][0]
    assert "tomorrow" not in message.body
    assert booked.notifications.get(kind=NotificationKind.REMINDER).status == "sent"


def test_the_confirmation_goes_by_e_mail_without_the_reminder_function(
    wednesday_ten, staff, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(emails, "send_reminder", lambda notification: pytest.fail("called"))
    open_weekdays(min_notice_hours=0)
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_book_by_staff(
            place=place_at(wednesday_ten), patient=PatientDetailsFactory(), by=staff,
            now=wednesday_ten - 3 * DAY,
        )  # fmt: skip
    (message,) = mailoutbox
    assert message.subject.startswith("Your appointment is confirmed")


# -- the calendar file's alarm -----------------------------------------------------------------


def alarms(message) -> list:
    parsed = email.message_from_bytes(message.message().as_bytes())
    (part,) = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    (event,) = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
    return event.walk("VALARM")


@pytest.mark.parametrize("minutes", [30, 24 * 60])
def test_the_confirmations_calendar_file_carries_the_chosen_alarm(
    minutes, wednesday_ten, staff, mailoutbox, django_capture_on_commit_callbacks
):
    open_weekdays(min_notice_hours=0)
    choose(24, alarm=minutes)
    with django_capture_on_commit_callbacks(execute=True):
        visit = services.appointment_book_by_staff(
            place=place_at(wednesday_ten), patient=PatientDetailsFactory(), by=staff,
            now=wednesday_ten - 3 * DAY,
        )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_move(
            appointment=visit, start=wednesday_ten + datetime.timedelta(hours=2),
            practitioner=visit.practitioner, by=staff, now=wednesday_ten - 3 * DAY,
        )  # fmt: skip
    confirmation, moved = mailoutbox
    for message in (confirmation, moved):
        (alarm,) = alarms(message)
        assert str(alarm["action"]) == "DISPLAY"
        assert alarm.decoded("trigger") == -datetime.timedelta(minutes=minutes)
        assert str(alarm["description"]).startswith("Your appointment at ")


def test_no_alarm_chosen_no_alarm_in_the_calendar_file(
    wednesday_ten, staff, mailoutbox, django_capture_on_commit_callbacks, client
):
    open_weekdays(min_notice_hours=0)
    choose(24, alarm=0)
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_book_by_staff(
            place=place_at(wednesday_ten), patient=PatientDetailsFactory(), by=staff,
            now=wednesday_ten - 3 * DAY,
        )  # fmt: skip
    (confirmation,) = mailoutbox
    assert alarms(confirmation) == []


# -- the settings and the outbox ---------------------------------------------------------------


def settings_form(**data) -> BookingSettingsForm:
    return BookingSettingsForm(data=data, instance=BookingSettings.load())


def test_the_settings_form_takes_the_listed_times_and_refuses_others():
    chosen = settings_form(reminder_lead_hours=["2", "48"])
    assert chosen.is_valid(), chosen.errors
    assert chosen.cleaned_data["reminder_lead_hours"] == [48, 2]
    none = settings_form()
    assert none.is_valid(), none.errors
    assert none.cleaned_data["reminder_lead_hours"] == []
    other = settings_form(reminder_lead_hours=["5"])
    assert not other.is_valid()
    assert "Select a valid choice. 5 is not one of the available choices." in str(other.errors)


def test_the_settings_form_names_each_time_in_words():
    html = str(settings_form()["reminder_lead_hours"])
    for words in (
        "1 week before", "3 days before", "48 hours before", "24 hours before (the day before)",
        "4 hours before", "2 hours before", "1 hour before",
    ):  # fmt: skip
        assert f" {words}</label>" in html
    assert 'type="checkbox"' in html


@pytest.mark.parametrize("value", [[5], ["24"], [24, 24], "24", None])
def test_the_stored_reminder_times_are_validated(value):
    with pytest.raises(ValidationError, match="reminder time"):
        validate_reminder_leads(value)


def test_a_new_clinic_reminds_the_day_before_without_an_alarm():
    row = BookingSettings.load()
    assert (row.reminder_lead_hours, row.calendar_alarm_minutes) == ([24], 0)
    validate_reminder_leads([168, 72, 48, 24, 4, 2, 1])
    validate_reminder_leads([])


def test_the_outbox_and_the_change_page_say_how_long_before_a_reminder_goes(
    admin_client, wednesday_ten
):
    choose(2)
    visit = confirmed(wednesday_ten)
    queue(wednesday_ten - datetime.timedelta(hours=1))
    outbox = admin_client.get(reverse("admin:booking_notification_changelist")).content.decode()
    change = admin_client.get(
        reverse("admin:booking_appointmentrequest_change", args=[visit.pk])
    ).content.decode()
    assert "Reminder 2 hours before" in outbox
    assert "Reminder 2 hours before" in change
    assert str(Notification(kind=NotificationKind.CONFIRMED).label) == (
        "Visit confirmed (to patient)"
    )
