"""A request's life, from the patient's request to after the visit, with its rules.

Each service runs in one transaction, takes the locks of what it counts (booking.services.
locks), guards on the transition table (booking.transitions) against the row it locked,
records who did it, and queues its e-mails in the same transaction, for the task worker to
send after the commit (booking/emails.py): no change waits on the mail server.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from booking.availability import Schedule, Unavailable, why_unavailable
from booking.emails import queue_emails
from booking.models import (
    AppointmentEvent,
    AppointmentRequest,
    BookingSettings,
    EventAction,
    NotificationKind,
    Status,
    new_reference,
)
from booking.schedule import active_bookings, load_schedule
from booking.services.locks import lock_bookings_of_days, lock_requests_of_patient_and_day
from booking.transitions import TRANSITIONS, Transition, TransitionNotAllowed
from conditions.models import Condition


class SlotUnavailable(Exception):
    """The chosen time cannot be booked; nothing was stored."""

    def __init__(self, reason: Unavailable, schedule: Schedule) -> None:
        self.reason = reason
        super().__init__(reason.message(schedule))


class TooManyUpcomingRequests(Exception):
    """The patient already holds as many upcoming requests as one patient may; nothing was
    stored."""


@dataclass(frozen=True)
class PatientDetails:
    first_name: str
    last_name: str
    email: str
    phone: str
    is_new_patient: bool
    note: str = ""


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
        lock_requests_of_patient_and_day(email=patient.email, phone=patient.phone, day=day)
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
    actor: AbstractBaseUser | None = None,
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


def _apply(
    transition: Transition,
    current: AppointmentRequest,
    *,
    now: datetime.datetime,
    by: AbstractBaseUser | None = None,
    message: str = "",
    cutoff_hours: int = 0,
) -> AppointmentRequest:
    """Make a change the table allows on the request the caller has locked (read once, not
    again here): its new status, its line in the audit trail, its e-mails."""
    transition.check(current, now, cutoff_hours)
    from_status = current.status
    current.status = transition.to
    current.save(update_fields=["status", "updated_at"])
    _record(current, transition.action, from_status, transition.to, actor=by, message=message)
    if transition.emails:
        queue_emails(current, list(transition.emails), message)
    return current


def appointment_confirm(
    *, appointment: AppointmentRequest, by: AbstractBaseUser, now: datetime.datetime | None = None
) -> AppointmentRequest:
    """Confirm a waiting request for a future time, if the slot still has room among
    confirmed visits (capacity may have been lowered since it was requested)."""
    now = now or timezone.now()
    with transaction.atomic():
        schedule = load_schedule(now)
        lock_bookings_of_days(schedule.local_date(appointment.starts_at))
        current = _locked(appointment)
        TRANSITIONS["confirm"].check(current, now)
        confirmed_in_slot = (
            AppointmentRequest.objects.filter(status=Status.CONFIRMED)
            .overlapping(current.starts_at, current.ends_at)
            .exclude(pk=current.pk)
            .count()
        )
        if confirmed_in_slot >= schedule.capacity:
            raise TransitionNotAllowed(
                gettext("%(reference)s: that time is already full with confirmed visits.")
                % {"reference": current.reference}
            )
        return _apply(TRANSITIONS["confirm"], current, now=now, by=by)


def appointment_decline(
    *,
    appointment: AppointmentRequest,
    by: AbstractBaseUser,
    message: str = "",
    now: datetime.datetime | None = None,
) -> AppointmentRequest:
    """Decline a waiting request; the patient is invited to choose another time."""
    with transaction.atomic():
        return _apply(
            TRANSITIONS["decline"],
            _locked(appointment),
            now=now or timezone.now(),
            by=by,
            message=message.strip(),
        )


def appointment_cancel_by_clinic(
    *,
    appointment: AppointmentRequest,
    by: AbstractBaseUser,
    message: str = "",
    now: datetime.datetime | None = None,
) -> AppointmentRequest:
    """The clinic cannot keep a confirmed visit that has not begun: cancel it, tell the
    patient why (staff's message) and invite them to choose another time."""
    with transaction.atomic():
        return _apply(
            TRANSITIONS["cancel_by_clinic"],
            _locked(appointment),
            now=now or timezone.now(),
            by=by,
            message=message.strip(),
        )


def appointment_cancel(
    *, appointment: AppointmentRequest, now: datetime.datetime | None = None
) -> AppointmentRequest:
    """The patient cancels from the manage page, until the cancellation cut-off."""
    with transaction.atomic():
        cutoff = BookingSettings.load().cancellation_cutoff_hours
        return _apply(
            TRANSITIONS["cancel"],
            _locked(appointment),
            now=now or timezone.now(),
            cutoff_hours=cutoff,
        )


def appointment_complete(
    *, appointment: AppointmentRequest, by: AbstractBaseUser, now: datetime.datetime | None = None
) -> AppointmentRequest:
    """Mark a confirmed visit as done, once its time has come."""
    with transaction.atomic():
        return _apply(
            TRANSITIONS["complete"], _locked(appointment), now=now or timezone.now(), by=by
        )


def appointment_mark_no_show(
    *, appointment: AppointmentRequest, by: AbstractBaseUser, now: datetime.datetime | None = None
) -> AppointmentRequest:
    """Record that the patient did not come to a confirmed visit."""
    with transaction.atomic():
        return _apply(
            TRANSITIONS["no_show"], _locked(appointment), now=now or timezone.now(), by=by
        )
