"""The waiting list with the task worker stopped and started again: offers wait as tasks,
expired holds lapse when it is back, the next patient is offered the place, and nothing is
offered twice or e-mailed too late."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from booking import services
from booking.models import (
    AppointmentRequest,
    Notification,
    NotificationKind,
    NotificationStatus,
    Status,
)
from booking.services import waitlist
from booking.tests.factories import at, next_monday
from booking.tests.waitlist_helpers import full_day, held, waiting, weekday_clinic
from booking.waitlist import WaitlistStatus
from clinic.tests.factories import ClinicProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def treatment(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ClinicProfileFactory()
    return weekday_clinic()


def worker_runs_what_is_due() -> None:
    """The worker starts, runs every task that is due, and stops."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_a_cancellation_with_the_worker_stopped_is_offered_once_it_is_back(treatment, mailoutbox):
    monday = next_monday()
    full_day(monday)
    entry = waiting(treatment)

    services.appointment_cancel(
        appointment=AppointmentRequest.objects.get(starts_at=at(monday, "10:00"))
    )

    assert held() == []  # the offer waits for the worker
    assert DBTaskResult.objects.filter(status="READY").exists()
    worker_runs_what_is_due()
    worker_runs_what_is_due()  # run twice: still one offer, one e-mail

    (offer,) = held()
    assert offer.waitlist_entry == entry
    offers = [m for m in mailoutbox if m.to == [entry.email]]
    assert len(offers) == 1 and "A place has come free" in offers[0].subject


def test_a_hold_that_ran_out_while_the_worker_was_stopped_lapses_and_goes_on(treatment, mailoutbox):
    monday = next_monday()
    full_day(monday)
    ana, ben = waiting(treatment, name="Ana"), waiting(treatment, name="Ben")
    start = at(monday, "10:00")
    AppointmentRequest.objects.filter(starts_at=start).update(status=Status.CANCELLED)
    first = waitlist.offer_freed_place(start=start, practitioner_id=first_practitioner())
    # The worker is stopped: Ana's e-mail and the hold's end wait as tasks, and time passes.
    assert DBTaskResult.objects.filter(status="READY").count() == 2
    past = timezone.now() - datetime.timedelta(seconds=1)
    AppointmentRequest.objects.filter(pk=first.pk).update(held_until=past)
    DBTaskResult.objects.filter(status="READY").update(run_after=past)

    worker_runs_what_is_due()

    first.refresh_from_db(), ana.refresh_from_db()
    assert first.status == Status.OFFER_NOT_TAKEN and ana.status == WaitlistStatus.WAITING
    (second,) = held()
    assert second.waitlist_entry == ben
    assert [m.to for m in mailoutbox] == [[ben.email]]  # Ana's offer came too late: not sent
    ana_offer = Notification.objects.get(appointment=first, kind=NotificationKind.WAITLIST_OFFER)
    assert ana_offer.status == NotificationStatus.SKIPPED


def first_practitioner() -> int:
    return AppointmentRequest.objects.values_list("practitioner", flat=True)[0]


def test_the_cron_command_lapses_holds_without_the_worker(treatment):
    monday = next_monday()
    full_day(monday)
    waiting(treatment, name="Ana"), waiting(treatment, name="Ben")
    services.appointment_cancel(
        appointment=AppointmentRequest.objects.get(starts_at=at(monday, "10:00"))
    )
    worker_runs_what_is_due()
    (first,) = held()
    AppointmentRequest.objects.filter(pk=first.pk).update(
        held_until=timezone.now() - datetime.timedelta(seconds=1)
    )

    call_command("expire_waitlist_holds", verbosity=0)
    call_command("expire_waitlist_holds", verbosity=0)

    (second,) = held()
    assert second.waitlist_entry.first_name == "Ben"
    assert AppointmentRequest.objects.filter(status=Status.OFFER_NOT_TAKEN).count() == 1
