"""The jobs that run on a timer rather than on someone's click: reminders and erasure."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from booking.emails import queue_email
from booking.models import (
    AppointmentEvent,
    AppointmentRequest,
    BookingSettings,
    Notification,
    NotificationKind,
    SignInLink,
    Status,
)
from booking.reminders import lead_due
from booking.returning import LINKS_KEPT
from booking.services.waitlist import erase_old_waitlist_entries

# The e-mails that tell the patient a visit's time: a reminder due before one was written is
# not sent (that e-mail did its job).
TELLS_THE_TIME = [NotificationKind.CONFIRMED, NotificationKind.MOVED]


def queue_visit_reminders(*, now: datetime.datetime | None = None) -> int:
    """Queue the reminders whose moment has come (booking settings' lead times; see
    reminders.lead_due), once per visit, visit time and lead: a visit moved since gets new
    ones. Only confirmed visits still ahead. Runs every few minutes (cron); three queries
    however many visits are near, then one insert and task per reminder queued."""
    # In UTC, so that "48 hours from now" is 48 hours of real time, never of the wall clock.
    now = (now or timezone.now()).astimezone(datetime.UTC)
    leads = BookingSettings.load().reminder_lead_hours
    if not leads:
        return 0
    visits = AppointmentRequest.objects.filter(
        status=Status.CONFIRMED,
        starts_at__gt=now,
        starts_at__lte=now + datetime.timedelta(hours=max(leads)),
    )
    told_at: dict[tuple[int, int], datetime.datetime] = {}
    reminded: set[tuple[int, int, int]] = set()
    sent_so_far = Notification.objects.filter(
        appointment__in=visits.values("pk"), kind__in=[*TELLS_THE_TIME, NotificationKind.REMINDER]
    ).values_list("appointment_id", "kind", "visit_sequence", "lead_hours", "created_at")
    for appointment_id, kind, sequence, lead, created_at in sent_so_far:
        if kind == NotificationKind.REMINDER:
            reminded.add((appointment_id, sequence, lead))
        else:
            told_at[appointment_id, sequence] = max(
                created_at, told_at.get((appointment_id, sequence), created_at)
            )
    queued = 0
    for appointment in visits:
        key = (appointment.pk, appointment.sequence)
        lead = lead_due(
            starts_at=appointment.starts_at, leads=leads, now=now, told_at=told_at.get(key)
        )
        if lead is None or (*key, lead) in reminded:
            continue
        try:
            with transaction.atomic():
                queue_email(appointment, NotificationKind.REMINDER, lead_hours=lead)
        except IntegrityError:
            continue  # another run queued it meanwhile
        queued += 1
    return queued


def erase_old_requests(*, now: datetime.datetime | None = None) -> int:
    """Erase the personal details of requests whose visit ended longer ago than the
    retention period (and staff's words about them, which may hold health details); the
    request's time, status, reason, practitioner and treatment remain for statistics. A
    returning patient's sign-in links (which hold the address they typed) go once they are
    of no use, a day after they were asked for; an erased request is no longer verified.
    Waiting-list entries whose last date is as old as the erased visits go the same way."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=BookingSettings.load().retention_days)
    with transaction.atomic():
        old = list(
            AppointmentRequest.objects.filter(
                ends_at__lt=cutoff, anonymised_at__isnull=True
            ).values_list("pk", flat=True)
        )
        AppointmentEvent.objects.filter(appointment__in=old).update(message="")
        Notification.objects.filter(appointment__in=old).update(message="")
        erased = AppointmentRequest.objects.filter(pk__in=old).update(
            first_name="",
            last_name="",
            email="",
            phone="",
            note="",
            staff_notes="",
            overbooking_reason="",
            email_verified_at=None,
            anonymised_at=now,
        )
        SignInLink.objects.filter(created_at__lt=now - LINKS_KEPT).delete()
        erase_old_waitlist_entries(cutoff=timezone.localdate(cutoff), now=now)
    return erased
