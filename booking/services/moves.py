"""Moving a visit to another place: a staff move and the patient's own change. The old place
is freed and the new one taken in one transaction, under the locks of both days (date
order), after the practitioner's time is re-checked (booking.services.places.claim)."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext

from booking.emails import queue_emails
from booking.models import AppointmentRequest, BookingSettings, NotificationKind, Status
from booking.schedule import for_staff, load_schedule
from booking.services.appointments import record_change
from booking.services.locks import lock_bookings_of_days
from booking.services.places import Claim, Place, claim, record_overbooking
from booking.transitions import TRANSITIONS, TransitionNotAllowed
from booking.waitlist_tasks import queue_offer_of_freed_place
from clinic.models import Practitioner


def _describe(appointment: AppointmentRequest) -> str:
    """A visit's time and practitioner, in the clinic's words, for the audit trail."""
    when = formats.date_format(timezone.localtime(appointment.starts_at), "DATETIME_FORMAT")
    return f"{when}, {appointment.practitioner}"


def _lock_both_days(appointment: AppointmentRequest, new_start: datetime.datetime, schedule):
    """Lock the visit's current day and its new one (date order), then the row; refuse if
    the visit moved meanwhile (its day would not be locked)."""
    old_day = schedule.local_date(appointment.starts_at)
    lock_bookings_of_days(old_day, schedule.local_date(new_start))
    current = AppointmentRequest.objects.select_for_update().get(pk=appointment.pk)
    if schedule.local_date(current.starts_at) != old_day:
        raise TransitionNotAllowed(
            gettext("%(reference)s was moved meanwhile. Please look at it again.")
            % {"reference": current.reference}
        )
    return current


def _move_to(current: AppointmentRequest, place: Place, taken: Claim, reason: str) -> None:
    current.starts_at, current.ends_at = place.start, place.ends_at
    current.blocks_until = place.blocks_until
    current.practitioner_id = taken.practitioner_id
    current.is_overbooked = taken.is_overbooked
    current.overbooking_reason = reason.strip() if taken.is_overbooked else ""
    current.sequence += 1


def appointment_move(
    *,
    appointment: AppointmentRequest,
    start: datetime.datetime,
    practitioner: Practitioner,
    by: AbstractBaseUser,
    tell_patient: bool = True,
    overbook_reason: str = "",
    now: datetime.datetime | None = None,
) -> AppointmentRequest:
    """Staff move a visit that has not begun to another time or practitioner (the same
    treatment), freeing the old place and taking the new one in one transaction; the
    patient gets the new time and calendar file (same UID, next SEQUENCE) if staff say so."""
    now = now or timezone.now()
    schedule = for_staff(load_schedule(now))
    with transaction.atomic():
        current = _lock_both_days(appointment, start, schedule)
        move = TRANSITIONS["move"]
        move.check(current, now)
        place = Place.of(start, current.treatment_type, practitioner)
        taken = claim(
            place, schedule=schedule, now=now, excluding=current, overbook_reason=overbook_reason
        )
        before = _describe(current)
        queue_offer_of_freed_place(current.starts_at, current.practitioner_id)  # the old place
        _move_to(current, place, taken, overbook_reason)
        current.save()
        words = gettext("From %(before)s to %(after)s.") % {
            "before": before,
            "after": _describe(current),
        }
        record_change(current, move.action, current.status, current.status, by, words)
        if taken.is_overbooked:
            record_overbooking(current, by, overbook_reason)
        if tell_patient and current.email:
            queue_emails(current, list(move.emails))
    return current


def appointment_change_by_patient(
    *,
    appointment: AppointmentRequest,
    start: datetime.datetime,
    practitioner: Practitioner | None = None,
    now: datetime.datetime | None = None,
) -> AppointmentRequest:
    """The patient moves their own visit to another free time (same treatment; the same or
    any practitioner) until the cancellation cut-off. A confirmed visit goes back to waiting
    for confirmation unless the booking settings confirm patients' changes at once. If the
    new place was taken meanwhile, nothing changes (SlotUnavailable)."""
    now = now or timezone.now()
    settings_row = BookingSettings.load()
    schedule = load_schedule(now)
    with transaction.atomic():
        current = _lock_both_days(appointment, start, schedule)
        change = TRANSITIONS["change"]
        change.check(current, now, settings_row.cancellation_cutoff_hours)
        place = Place.of(start, current.treatment_type, practitioner)
        taken = claim(place, schedule=schedule, now=now, excluding=current)
        stays_confirmed = current.is_confirmed and settings_row.patient_changes_confirmed
        before, from_status = _describe(current), current.status
        queue_offer_of_freed_place(current.starts_at, current.practitioner_id)  # the old place
        _move_to(current, place, taken, "")
        current.status = Status.CONFIRMED if stays_confirmed else change.to
        current.save()
        words = gettext("From %(before)s to %(after)s.") % {
            "before": before,
            "after": _describe(current),
        }
        record_change(current, change.action, from_status, current.status, message=words)
        kinds = [NotificationKind.MOVED] if stays_confirmed else list(change.emails)
        queue_emails(current, kinds)
    return current
