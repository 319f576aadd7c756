"""The cron jobs: what they print and what they change. They run at the real time."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from booking.emails import MAX_ATTEMPTS
from booking.models import AppointmentRequest, NotificationKind, NotificationStatus, Status
from booking.tests.factories import (
    AppointmentRequestFactory,
    BookingSettingsFactory,
    NotificationFactory,
    at,
)
from clinic.tests.factories import ClinicProfileFactory

pytestmark = pytest.mark.django_db

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def clinic(db, settings):
    settings.EMAIL_BACKEND = LOCMEM
    BookingSettingsFactory()
    return ClinicProfileFactory()


def run(command: str) -> str:
    out = StringIO()
    call_command(command, stdout=out)
    return out.getvalue().strip()


def in_days(days: int) -> datetime.datetime:
    return at(timezone.localdate() + datetime.timedelta(days=days), "10:00")


# -- send_pending_emails -----------------------------------------------------------------------


def test_send_pending_emails_sends_what_is_due_and_skips_what_is_no_longer_true(mailoutbox):
    due = NotificationFactory(appointment__starts_at=in_days(3))
    cancelled = AppointmentRequestFactory(starts_at=in_days(4), status=Status.CANCELLED)
    stale = NotificationFactory(appointment=cancelled, kind=NotificationKind.CONFIRMED)
    later = NotificationFactory(
        appointment__starts_at=in_days(5),
        next_attempt_at=timezone.now() + datetime.timedelta(days=1),
    )
    assert run("send_pending_emails") == "Sent 1, will retry 0, gave up on 0, skipped 1."
    assert [m.to for m in mailoutbox] == [[due.appointment.email]]
    for notification in (due, stale, later):
        notification.refresh_from_db()
    assert [due.status, stale.status, later.status] == [
        NotificationStatus.SENT,
        NotificationStatus.SKIPPED,
        NotificationStatus.PENDING,
    ]


def test_send_pending_emails_reports_retries_and_give_ups(settings, mailoutbox):
    settings.EMAIL_BACKEND = "booking.tests.test_emails.FailingBackend"
    first_try = NotificationFactory(appointment__starts_at=in_days(3))
    last_try = NotificationFactory(appointment__starts_at=in_days(4), attempts=MAX_ATTEMPTS - 1)
    assert run("send_pending_emails") == "Sent 0, will retry 1, gave up on 1, skipped 0."
    first_try.refresh_from_db()
    last_try.refresh_from_db()
    assert (first_try.status, first_try.attempts) == (NotificationStatus.PENDING, 1)
    assert (last_try.status, last_try.attempts) == (NotificationStatus.FAILED, MAX_ATTEMPTS)
    assert mailoutbox == []


def test_send_pending_emails_with_nothing_to_send():
    assert run("send_pending_emails") == "Sent 0, will retry 0, gave up on 0, skipped 0."


# -- send_visit_reminders ----------------------------------------------------------------------


def test_send_visit_reminders_queues_and_sends_each_reminder_once(
    django_capture_on_commit_callbacks, mailoutbox
):
    """The clinic starts with one reminder, 24 hours before."""
    soon = timezone.now() + datetime.timedelta(hours=23)
    tomorrow = AppointmentRequestFactory(starts_at=soon, status=Status.CONFIRMED)
    AppointmentRequestFactory(starts_at=soon, status=Status.REQUESTED)
    AppointmentRequestFactory(starts_at=soon + datetime.timedelta(hours=2), status=Status.CONFIRMED)
    with django_capture_on_commit_callbacks(execute=True):
        output = run("send_visit_reminders")
    assert output == "Queued 1 reminder(s); the task worker sends them."
    assert [m.to for m in mailoutbox] == [[tomorrow.email]]
    assert mailoutbox[0].subject.startswith("Reminder: your appointment on ")
    reminder = tomorrow.notifications.get(kind=NotificationKind.REMINDER)
    assert reminder.status == NotificationStatus.SENT
    assert run("send_visit_reminders") == "Queued 0 reminder(s); the task worker sends them."


# -- erase_old_requests ------------------------------------------------------------------------


def test_erase_old_requests_erases_only_those_past_the_retention_period():
    old = AppointmentRequestFactory(starts_at=in_days(-366), first_name="Olga")
    recent = AppointmentRequestFactory(starts_at=in_days(-364), first_name="Rita")
    assert run("erase_old_requests") == "Erased the personal details of 1 old request(s)."
    old.refresh_from_db()
    assert (old.first_name, old.email, old.phone) == ("", "", "")
    assert old.anonymised_at is not None
    assert AppointmentRequest.objects.get(pk=recent.pk).first_name == "Rita"
    assert run("erase_old_requests") == "Erased the personal details of 0 old request(s)."
