"""Every change to an appointment request, with its rules, in one place.

Each service runs in one transaction, guards on the request's current state, locks what
it counts, records who did it, and queues its e-mails in the same transaction, for the task
worker to send after the commit (booking/emails.py): no change waits on the mail server.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from booking.availability import Schedule, Unavailable, why_unavailable
from booking.emails import queue_email, queue_emails
from booking.models import (
    AppointmentEvent,
    AppointmentRequest,
    BookingSettings,
    EventAction,
    Notification,
    NotificationKind,
    Status,
    new_reference,
)
from booking.schedule import active_bookings, load_schedule
from conditions.models import Condition

# Advisory-lock namespaces on PostgreSQL: "the bookings of one day", "one patient's requests".
BOOKING_DAY_LOCK = 4_201_107
PATIENT_LOCK = 4_201_108

# From which states each change may be made.
CONFIRM_FROM = (Status.REQUESTED,)
DECLINE_FROM = (Status.REQUESTED,)  # a request the clinic cannot take
CANCEL_FROM = (Status.REQUESTED, Status.CONFIRMED)  # by the patient
CLINIC_CANCEL_FROM = (Status.CONFIRMED,)  # a confirmed visit the clinic cannot keep
AFTER_VISIT_FROM = (Status.CONFIRMED,)  # completed, no-show


class SlotUnavailable(Exception):
    """The chosen time cannot be booked; nothing was stored."""

    def __init__(self, reason: Unavailable, schedule: Schedule) -> None:
        self.reason = reason
        super().__init__(reason.message(schedule))


class TooManyUpcomingRequests(Exception):
    """The patient already holds as many upcoming requests as one patient may; nothing was
    stored."""


class TransitionNotAllowed(Exception):
    """The request is not in a state where this change makes sense."""


@dataclass(frozen=True)
class PatientDetails:
    first_name: str
    last_name: str
    email: str
    phone: str
    is_new_patient: bool
    note: str = ""


def _take_advisory_locks(*keys: tuple[int, int]) -> None:
    """PostgreSQL: transaction-level advisory locks, taken one after the other in the order
    given, in one round trip (psycopg2 sends one query string; its statements run in order)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "; ".join(["SELECT pg_advisory_xact_lock(%s, %s)"] * len(keys)),
            [number for key in keys for number in key],
        )


def _day_key(day: datetime.date) -> tuple[int, int]:
    return (BOOKING_DAY_LOCK, day.toordinal())


def _patient_keys(patient: PatientDetails) -> list[tuple[int, int]]:
    """Both of a patient's keys (e-mail address, phone number), in ascending order."""
    return [
        (PATIENT_LOCK, key)
        for key in sorted(
            int.from_bytes(hashlib.sha256(value.encode()).digest()[:4], "big", signed=True)
            for value in (f"email:{patient.email.lower()}", f"phone:{patient.phone}")
        )
    ]


def lock_bookings_of_day(day: datetime.date) -> None:
    """Serialise the bookings of one day across every app server.

    PostgreSQL: a transaction-level advisory lock per day. SQLite: the transaction itself
    already holds the database's write lock (transaction_mode IMMEDIATE).
    """
    if connection.vendor == "postgresql":
        _take_advisory_locks(_day_key(day))
    elif connection.vendor != "sqlite":
        BookingSettings.objects.select_for_update().first()


def lock_requests_of_patient_and_day(patient: PatientDetails, day: datetime.date) -> None:
    """Serialise the requests made with one e-mail address or phone number, so that two at
    once cannot both pass the cap on upcoming requests, and the bookings of the day.
    One fixed order: the patient's keys (ascending), then the day."""
    if connection.vendor == "postgresql":
        _take_advisory_locks(*_patient_keys(patient), _day_key(day))
    else:  # SQLite: the IMMEDIATE transaction already holds the write lock
        lock_bookings_of_day(day)


def _check_upcoming_requests(patient: PatientDetails, now: datetime.datetime) -> None:
    limit = settings.BOOKING_MAX_UPCOMING_PER_PATIENT
    upcoming = (
        AppointmentRequest.objects.active()
        .upcoming(now)
        .filter(Q(email__iexact=patient.email) | Q(phone=patient.phone))
        .count()
    )
    if upcoming >= limit:
        raise TooManyUpcomingRequests(
            ngettext(
                "You already have %(limit)d upcoming appointment request with us, which is as "
                "many as we take online for one person. To add another, please call us, or "
                "cancel one from the link in its e-mail.",
                "You already have %(limit)d upcoming appointment requests with us, which is as "
                "many as we take online for one person. To add another, please call us, or "
                "cancel one from the link in its e-mail.",
                limit,
            )
            % {"limit": limit}
        )


def appointment_request_create(
    *,
    start: datetime.datetime,
    condition: Condition | None,
    patient: PatientDetails,
    consent_at: datetime.datetime,
    language: str | None = None,
    now: datetime.datetime | None = None,
    schedule: Schedule | None = None,
) -> AppointmentRequest:
    """Store a request for a free time, or raise SlotUnavailable and store nothing. The
    request keeps the language the patient used (the active one unless given), so the
    e-mails sent later speak it.

    The slot is re-checked under the day's lock, so two patients racing for the last place
    cannot both get it; and one patient holds at most BOOKING_MAX_UPCOMING_PER_PATIENT
    upcoming requests (TooManyUpcomingRequests otherwise). The schedule may come from the
    caller (the booking form has loaded it): no lock covers it either way.
    """
    now = now or timezone.now()
    schedule = schedule or load_schedule(now)
    fields = {
        "starts_at": start,
        "ends_at": start + schedule.slot_length,
        "condition": condition,
        "consent_at": consent_at,
        "language": language or translation.get_language() or settings.LANGUAGE_CODE,
        **patient.__dict__,
    }
    for _attempt in range(10):
        reference = new_reference()
        try:
            return _store_request(reference, fields, patient, schedule, now)
        except IntegrityError:
            # Random references rarely clash; when one does, the whole transaction is tried
            # again with another (so the usual path needs no savepoint).
            if not AppointmentRequest.objects.filter(reference=reference).exists():
                raise
    raise RuntimeError("Could not find a free reference after 10 tries")


def _store_request(
    reference: str, fields: dict, patient: PatientDetails, schedule: Schedule, now
) -> AppointmentRequest:
    with transaction.atomic():
        day = schedule.local_date(fields["starts_at"])
        lock_requests_of_patient_and_day(patient, day)
        _check_upcoming_requests(patient, now)
        bookings = active_bookings(*schedule.day_bounds(day))
        problem = why_unavailable(fields["starts_at"], schedule, now, bookings)
        if problem:
            raise SlotUnavailable(problem, schedule)
        appointment = AppointmentRequest(reference=reference, **fields)
        appointment.start_new_manage_token()
        appointment.save(force_insert=True)
        _record(appointment, EventAction.REQUESTED, None, Status.REQUESTED)
        queue_emails(
            appointment, [NotificationKind.REQUEST_RECEIVED, NotificationKind.STAFF_NEW_REQUEST]
        )
    return appointment


def _record(
    appointment: AppointmentRequest,
    action: str,
    from_status: str | None,
    to_status: str,
    actor=None,
    message: str = "",
) -> None:
    AppointmentEvent.objects.create(
        appointment=appointment,
        action=action,
        from_status=from_status or "",
        to_status=to_status,
        actor=actor,
        message=message,
    )


def _locked(appointment: AppointmentRequest) -> AppointmentRequest:
    """The request as stored now, locked against a concurrent change."""
    return AppointmentRequest.objects.select_for_update().get(pk=appointment.pk)


def _transition(
    current: AppointmentRequest,
    *,
    allowed_from: tuple[str, ...],
    to: str,
    action: str,
    actor=None,
    message: str = "",
    email: str | None = None,
) -> AppointmentRequest:
    """Move a request the caller has locked (`_locked`: read once, not again here)."""
    if current.status not in allowed_from:
        raise TransitionNotAllowed(
            gettext("%(reference)s is “%(status)s”: it cannot be %(action)s.")
            % {
                "reference": current.reference,
                "status": current.get_status_display(),
                "action": EventAction(action).label,
            }
        )
    from_status = current.status
    current.status = to
    current.save(update_fields=["status", "updated_at"])
    _record(current, action, from_status, to, actor=actor, message=message)
    if email:
        queue_email(current, email, message=message)
    return current


def transitions_allowed(appointment: AppointmentRequest, now: datetime.datetime) -> list[str]:
    """The staff changes that make sense now: confirm a waiting request before its time,
    decline a waiting one, cancel a confirmed visit that has not begun, mark a confirmed
    visit completed or no-show once it has begun. (Capacity is checked when confirming.)"""
    started = appointment.starts_at <= now
    allowed = []
    if appointment.status in CONFIRM_FROM and not started:
        allowed.append("confirm")
    if appointment.status in AFTER_VISIT_FROM and started:
        allowed += ["complete", "no_show"]
    if appointment.status in DECLINE_FROM:
        allowed.append("decline")
    if appointment.status in CLINIC_CANCEL_FROM and not started:
        allowed.append("cancel_by_clinic")
    return allowed


def appointment_confirm(
    appointment: AppointmentRequest, *, by, now: datetime.datetime | None = None
) -> AppointmentRequest:
    """Confirm a waiting request for a future time, if the slot still has room among
    confirmed visits (capacity may have been lowered since it was requested)."""
    now = now or timezone.now()
    with transaction.atomic():
        schedule = load_schedule(now)
        lock_bookings_of_day(schedule.local_date(appointment.starts_at))
        current = _locked(appointment)
        if current.status == Status.REQUESTED and current.starts_at <= now:
            raise TransitionNotAllowed(
                gettext("%(reference)s: the visit time has passed, so it cannot be confirmed.")
                % {"reference": current.reference}
            )
        confirmed_in_slot = (
            AppointmentRequest.objects.filter(status=Status.CONFIRMED)
            .overlapping(current.starts_at, current.ends_at)
            .exclude(pk=current.pk)
            .count()
        )
        if current.status == Status.REQUESTED and confirmed_in_slot >= schedule.capacity:
            raise TransitionNotAllowed(
                gettext("%(reference)s: that time is already full with confirmed visits.")
                % {"reference": current.reference}
            )
        return _transition(
            current,
            allowed_from=CONFIRM_FROM,
            to=Status.CONFIRMED,
            action=EventAction.CONFIRMED,
            actor=by,
            email=NotificationKind.CONFIRMED,
        )


def appointment_decline(
    appointment: AppointmentRequest, *, by, message: str = ""
) -> AppointmentRequest:
    """Decline a waiting request; the patient is invited to choose another time."""
    with transaction.atomic():
        return _transition(
            _locked(appointment),
            allowed_from=DECLINE_FROM,
            to=Status.DECLINED,
            action=EventAction.DECLINED,
            actor=by,
            message=message.strip(),
            email=NotificationKind.DECLINED,
        )


def appointment_cancel_by_clinic(
    appointment: AppointmentRequest, *, by, message: str = "", now: datetime.datetime | None = None
) -> AppointmentRequest:
    """The clinic cannot keep a confirmed visit that has not begun: cancel it, tell the
    patient why (staff's message) and invite them to choose another time."""
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked(appointment)
        if current.status == Status.CONFIRMED and current.starts_at <= now:
            raise TransitionNotAllowed(
                gettext("%(reference)s: the visit has begun; mark it completed or no-show.")
                % {"reference": current.reference}
            )
        return _transition(
            current,
            allowed_from=CLINIC_CANCEL_FROM,
            to=Status.CANCELLED_BY_CLINIC,
            action=EventAction.CANCELLED_BY_CLINIC,
            actor=by,
            message=message.strip(),
            email=NotificationKind.CANCELLED_BY_CLINIC,
        )


def appointment_cancel(
    appointment: AppointmentRequest, *, now: datetime.datetime | None = None
) -> AppointmentRequest:
    """The patient cancels from the manage page, until the cancellation cut-off."""
    now = now or timezone.now()
    with transaction.atomic():
        cutoff = BookingSettings.load().cancellation_cutoff_hours
        current = _locked(appointment)
        if current.is_active and not current.is_cancellable(now, cutoff):
            raise TransitionNotAllowed(
                ngettext(
                    "Online cancellation closes %(hours)d hour before the visit. Please call us.",
                    "Online cancellation closes %(hours)d hours before the visit. Please call us.",
                    cutoff,
                )
                % {"hours": cutoff}
            )
        return _transition(
            current,
            allowed_from=CANCEL_FROM,
            to=Status.CANCELLED,
            action=EventAction.CANCELLED,
            email=NotificationKind.CANCELLED,
        )


def _after_the_visit(
    appointment: AppointmentRequest, *, to: str, action: str, by, now: datetime.datetime | None
) -> AppointmentRequest:
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked(appointment)
        if current.status == Status.CONFIRMED and current.starts_at > now:
            raise TransitionNotAllowed(
                gettext("%(reference)s: the visit has not started yet, so it cannot be %(action)s.")
                % {"reference": current.reference, "action": EventAction(action).label}
            )
        return _transition(current, allowed_from=AFTER_VISIT_FROM, to=to, action=action, actor=by)


def appointment_complete(
    appointment: AppointmentRequest, *, by, now: datetime.datetime | None = None
) -> AppointmentRequest:
    """Mark a confirmed visit as done, once its time has come."""
    return _after_the_visit(
        appointment, to=Status.COMPLETED, action=EventAction.COMPLETED, by=by, now=now
    )


def appointment_mark_no_show(
    appointment: AppointmentRequest, *, by, now: datetime.datetime | None = None
) -> AppointmentRequest:
    """Record that the patient did not come to a confirmed visit."""
    return _after_the_visit(
        appointment, to=Status.NO_SHOW, action=EventAction.NO_SHOW, by=by, now=now
    )


def queue_visit_reminders(now: datetime.datetime | None = None) -> int:
    """Queue the day-before reminder for every confirmed visit tomorrow (clinic time), once."""
    now = now or timezone.now()
    schedule = load_schedule(now)
    tomorrow = schedule.local_date(now) + datetime.timedelta(days=1)
    day_start, day_end = schedule.day_bounds(tomorrow)
    due = (
        AppointmentRequest.objects.filter(status=Status.CONFIRMED)
        .filter(starts_at__gte=day_start, starts_at__lt=day_end)
        .exclude(notifications__kind=NotificationKind.REMINDER)
    )
    queued = 0
    for appointment in due:
        try:
            with transaction.atomic():
                queue_email(appointment, NotificationKind.REMINDER)
        except IntegrityError:
            continue  # another run queued it meanwhile
        queued += 1
    return queued


def erase_old_requests(now: datetime.datetime | None = None) -> int:
    """Erase the personal details of requests whose visit ended longer ago than the
    retention period; the request's time, status and reason remain for statistics."""
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
            anonymised_at=now,
        )
    return erased
