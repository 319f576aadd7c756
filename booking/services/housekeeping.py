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
    Status,
)
from booking.schedule import load_schedule


def queue_visit_reminders(*, now: datetime.datetime | None = None) -> int:
    """Queue the day-before reminder for every confirmed visit tomorrow (clinic time), once
    per visit time: a visit moved since its reminder gets a new one."""
    now = now or timezone.now()
    schedule = load_schedule(now)
    tomorrow = schedule.local_date(now) + datetime.timedelta(days=1)
    day_start, day_end = schedule.day_bounds(tomorrow)
    visits = AppointmentRequest.objects.filter(
        status=Status.CONFIRMED, starts_at__gte=day_start, starts_at__lt=day_end
    )
    reminded = set(
        Notification.objects.filter(
            appointment__in=visits, kind=NotificationKind.REMINDER
        ).values_list("appointment_id", "visit_sequence")
    )
    queued = 0
    for appointment in visits:
        if (appointment.pk, appointment.sequence) in reminded:
            continue
        try:
            with transaction.atomic():
                queue_email(appointment, NotificationKind.REMINDER)
        except IntegrityError:
            continue  # another run queued it meanwhile
        queued += 1
    return queued


def erase_old_requests(*, now: datetime.datetime | None = None) -> int:
    """Erase the personal details of requests whose visit ended longer ago than the
    retention period (and staff's words about them, which may hold health details); the
    request's time, status, reason, practitioner and treatment remain for statistics."""
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
            anonymised_at=now,
        )
    return erased
