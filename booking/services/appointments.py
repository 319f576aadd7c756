"""A request's life, from the patient's request to after the visit, with its rules.

Each service runs in one transaction, takes the locks of what it counts (booking.services.
locks), guards on the transition table (booking.transitions) against the row it locked,
records who did it, and queues its e-mails in the same transaction, for the task worker to
send after the commit (booking/emails.py): no change waits on the mail server.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from booking.availability import Schedule
from booking.emails import queue_emails
from booking.models import (
    CONFIRMED_STATUSES,
    AppointmentEvent,
    AppointmentRequest,
    BookingSettings,
    PractitionerDiary,
)
from booking.schedule import load_schedule
from booking.services.locks import lock_bookings_of_days
from booking.transitions import TRANSITIONS, Transition, TransitionNotAllowed
from booking.waitlist_tasks import queue_offer_of_freed_place


def record_change(
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
    tell_patient: bool = True,
) -> AppointmentRequest:
    """Make a status change the table allows on the request the caller has locked (read once, not
    again here): its new status, its line in the audit trail, its e-mails (none when the
    caller tells the patient itself: a whole course's step sends one e-mail for all)."""
    transition.check(current, now, cutoff_hours)
    from_status = current.status
    current.status = transition.to
    current.save(update_fields=["status", "updated_at"])
    record_change(current, transition.action, from_status, transition.to, actor=by, message=message)
    if transition.emails and tell_patient:
        queue_emails(current, list(transition.emails), message)
    return current


def _freeing_its_place(appointment: AppointmentRequest) -> AppointmentRequest:
    """The request no longer holds its place: the waiting list is offered it after the
    commit (booking.services.waitlist)."""
    queue_offer_of_freed_place(appointment.starts_at, appointment.practitioner_id)
    return appointment


def appointment_confirm(
    *,
    appointment: AppointmentRequest,
    by: AbstractBaseUser,
    now: datetime.datetime | None = None,
    tell_patient: bool = True,
) -> AppointmentRequest:
    """Confirm a waiting request for a future time, if its practitioner still has room
    among their confirmed visits then (a deliberate overbooking is confirmed as booked)."""
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked_with_its_day(appointment, load_schedule(now))
        TRANSITIONS["confirm"].check(current, now)
        if not current.is_overbooked and _practitioner_is_full(current):
            raise TransitionNotAllowed(
                gettext(
                    "%(reference)s: %(practitioner)s is already fully booked with confirmed "
                    "visits at that time."
                )
                % {"reference": current.reference, "practitioner": current.practitioner}
            )
        return _apply(TRANSITIONS["confirm"], current, now=now, by=by, tell_patient=tell_patient)


def _locked_with_its_day(appointment: AppointmentRequest, schedule: Schedule) -> AppointmentRequest:
    """The request locked under the lock of the day it is on now (the caller's copy may be
    older: a visit moved to another day would be counted there without that day's lock)."""
    starts_at = AppointmentRequest.objects.values_list("starts_at", flat=True).get(
        pk=appointment.pk
    )
    day = schedule.local_date(starts_at)
    lock_bookings_of_days(day)
    current = _locked(appointment)
    if schedule.local_date(current.starts_at) != day:
        raise TransitionNotAllowed(
            gettext("%(reference)s was moved meanwhile. Please look at it again.")
            % {"reference": current.reference}
        )
    return current


def _practitioner_is_full(appointment: AppointmentRequest) -> bool:
    """As many confirmed visits (checked-in ones too) as the practitioner sees at once
    already overlap this one (their "patients at once" may have been lowered since it was
    requested)."""
    at_once = (
        PractitionerDiary.objects.filter(pk=appointment.practitioner_id)
        .values_list("patients_at_once", flat=True)
        .first()
    )
    confirmed = (
        AppointmentRequest.objects.filter(
            status__in=CONFIRMED_STATUSES, practitioner_id=appointment.practitioner_id
        )
        .overlapping(appointment.starts_at, appointment.blocks_until)
        .exclude(pk=appointment.pk)
        .count()
    )
    return confirmed >= (at_once or 1)


def appointment_decline(
    *,
    appointment: AppointmentRequest,
    by: AbstractBaseUser,
    message: str = "",
    now: datetime.datetime | None = None,
    tell_patient: bool = True,
) -> AppointmentRequest:
    """Decline a waiting request; the patient is invited to choose another time."""
    with transaction.atomic():
        return _freeing_its_place(
            _apply(
                TRANSITIONS["decline"],
                _locked(appointment),
                now=now or timezone.now(),
                by=by,
                message=message.strip(),
                tell_patient=tell_patient,
            )
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
        return _freeing_its_place(
            _apply(
                TRANSITIONS["cancel_by_clinic"],
                _locked(appointment),
                now=now or timezone.now(),
                by=by,
                message=message.strip(),
            )
        )


def appointment_cancel(
    *, appointment: AppointmentRequest, now: datetime.datetime | None = None
) -> AppointmentRequest:
    """The patient cancels from the manage page, until the cancellation cut-off."""
    with transaction.atomic():
        cutoff = BookingSettings.load().cancellation_cutoff_hours
        return _freeing_its_place(
            _apply(
                TRANSITIONS["cancel"],
                _locked(appointment),
                now=now or timezone.now(),
                cutoff_hours=cutoff,
            )
        )


def appointment_arrive(
    *, appointment: AppointmentRequest, by: AbstractBaseUser, now: datetime.datetime | None = None
) -> AppointmentRequest:
    """Check a patient in for their confirmed visit, on its day until it ends; the visit
    keeps its place and is no longer changed or cancelled online."""
    with transaction.atomic():
        return _apply(TRANSITIONS["arrive"], _locked(appointment), now=now or timezone.now(), by=by)


def appointment_complete(
    *, appointment: AppointmentRequest, by: AbstractBaseUser, now: datetime.datetime | None = None
) -> AppointmentRequest:
    """Mark a confirmed (or checked-in) visit as done, once its time has come."""
    with transaction.atomic():
        return _apply(
            TRANSITIONS["complete"], _locked(appointment), now=now or timezone.now(), by=by
        )


def appointment_mark_no_show(
    *, appointment: AppointmentRequest, by: AbstractBaseUser, now: datetime.datetime | None = None
) -> AppointmentRequest:
    """Record that the patient did not come to a confirmed visit (or, correcting a check-in
    made by mistake, to one marked arrived)."""
    with transaction.atomic():
        return _apply(
            TRANSITIONS["no_show"], _locked(appointment), now=now or timezone.now(), by=by
        )
