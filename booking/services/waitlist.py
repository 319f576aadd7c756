"""The waiting list's rules: joining it, offering a freed place, taking or letting go of it.

An offer is a place held in the diary: an AppointmentRequest with status HELD, taken under
the day's lock after the place is re-checked (places.claim), so the form, every lock and
every other claim already count it as taken. The hold starts when the offer is made, not
when its e-mail goes out: it is what hides the place from everyone else, so its length must
be what staff set whatever the mail server does (an offer whose e-mail could not go out in
time lapses unsent, and its patient keeps their turn for the next place). Each change goes
through the transition table and leaves its line in the audit trail.
"""

import contextlib
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from booking.availability import Schedule
from booking.emails import queue_emails
from booking.models import (
    AppointmentRequest,
    BookingSettings,
    Source,
    Status,
    TreatmentType,
)
from booking.schedule import load_schedule
from booking.services.appointments import record_change
from booking.services.locks import lock_bookings_of_days
from booking.services.places import (
    Place,
    SlotUnavailable,
    _new_request,
    _with_a_free_reference,
    claim,
)
from booking.transitions import TRANSITIONS, Transition, TransitionNotAllowed
from booking.waitlist import WaitlistEntry, WaitlistStatus
from booking.waitlist_tasks import queue_hold_expiry
from clinic.models import Practitioner

# How many waiting entries one freed place is tried against (oldest first).
CANDIDATES_PER_PLACE = 200


@dataclass(frozen=True)
class WaitlistWishes:
    """What a patient waits for: a treatment, a practitioner or any, when it suits."""

    treatment_type: TreatmentType
    practitioner: Practitioner | None
    weekdays: list[int]
    parts_of_day: list[str]
    until: datetime.date


def waitlist_join(
    *,
    wishes: WaitlistWishes,
    first_name: str,
    last_name: str,
    email: str,
    phone: str,
    consent_at: datetime.datetime,
    language: str | None = None,
) -> WaitlistEntry:
    """Put a patient on the waiting list (last in the queue)."""

    def store(reference: str) -> WaitlistEntry:
        entry = WaitlistEntry(
            reference=reference,
            treatment_type=wishes.treatment_type,
            practitioner=wishes.practitioner,
            weekdays=sorted(set(wishes.weekdays)),
            parts_of_day=list(dict.fromkeys(wishes.parts_of_day)),
            until=wishes.until,
            first_name=first_name,
            last_name=last_name,
            email=email,
            phone=phone,
            consent_at=consent_at,
            language=language or translation.get_language() or settings.LANGUAGE_CODE,
        )
        entry.start_new_token()
        with transaction.atomic():
            entry.save(force_insert=True)
        return entry

    return _with_a_free_reference(store)


def offer_freed_place(
    *, start: datetime.datetime, practitioner_id: int, now: datetime.datetime | None = None
) -> AppointmentRequest | None:
    """Offer a place that was freed to the first matching patient on the list, if it is
    still free: held for them (the booking settings' time) and e-mailed. None if nobody
    matches or the place was taken meanwhile (a second task for the same place finds it
    held and offers nothing)."""
    now = now or timezone.now()
    schedule = load_schedule(now)
    with transaction.atomic():
        lock_bookings_of_days(schedule.local_date(start))
        return _offer_under_lock(start, practitioner_id, schedule, now)


def _candidates(start: datetime.datetime, practitioner_id: int, day: datetime.date):
    offered_here = AppointmentRequest.objects.filter(
        starts_at=start, practitioner_id=practitioner_id, waitlist_entry__isnull=False
    ).values("waitlist_entry")
    return (
        WaitlistEntry.objects.filter(status=WaitlistStatus.WAITING, until__gte=day)
        .filter(Q(practitioner__isnull=True) | Q(practitioner_id=practitioner_id))
        .exclude(pk__in=offered_here)
        .select_related("treatment_type")
        .order_by("created_at", "pk")[:CANDIDATES_PER_PLACE]
    )


def _offer_under_lock(
    start: datetime.datetime, practitioner_id: int, schedule: Schedule, now: datetime.datetime
) -> AppointmentRequest | None:
    """The offer itself; the caller holds the day's lock."""
    if start <= now:
        return None
    for entry in _candidates(start, practitioner_id, schedule.local_date(start)):
        if not entry.suits(start):
            continue
        place = Place(start, entry.treatment_type.as_treatment(), practitioner_id)
        try:
            claim(place, schedule=schedule, now=now)
        except SlotUnavailable:
            continue  # too short for this treatment, or no longer free
        # One offer at a time per patient: another day's offer may have taken them meanwhile.
        taken = WaitlistEntry.objects.filter(pk=entry.pk, status=WaitlistStatus.WAITING).update(
            status=WaitlistStatus.OFFERED, updated_at=now
        )
        if taken:
            return _hold(entry, place, now)
    return None


def _hold(entry: WaitlistEntry, place: Place, now: datetime.datetime) -> AppointmentRequest:
    hold = datetime.timedelta(minutes=BookingSettings.load().waitlist_hold_minutes)
    held_until = min(now + hold, place.start)
    fields = {
        "status": Status.HELD,
        "source": Source.ONLINE,
        "practitioner_id": place.practitioner_id,
        "first_name": entry.first_name,
        "last_name": entry.last_name,
        "email": entry.email,
        "phone": entry.phone,
        "is_new_patient": entry.treatment_type.for_new_patients,
        "consent_at": entry.consent_at,
        "language": entry.language,
        "waitlist_entry": entry,
        "held_until": held_until,
    }

    def store(reference: str) -> AppointmentRequest:
        with transaction.atomic():
            return _new_request(reference, place, fields)

    appointment = _with_a_free_reference(store)
    offer = TRANSITIONS["offer"]
    words = gettext("Held for waiting-list entry %(entry)s until %(time)s.") % {
        "entry": entry.reference,
        "time": formats.date_format(timezone.localtime(held_until), "DATETIME_FORMAT"),
    }
    record_change(appointment, offer.action, "", Status.HELD, message=words)
    queue_emails(appointment, list(offer.emails))
    queue_hold_expiry(held_until)
    return appointment


def _locked_offer(appointment: AppointmentRequest, schedule: Schedule) -> AppointmentRequest:
    """The held place locked under its day's lock (a held place never moves)."""
    lock_bookings_of_days(schedule.local_date(appointment.starts_at))
    return AppointmentRequest.objects.select_for_update().get(pk=appointment.pk)


def waitlist_claim(
    *, appointment: AppointmentRequest, now: datetime.datetime | None = None
) -> AppointmentRequest:
    """The patient takes the place held for them, before the hold ends: confirmed at once
    (the clinic offered it), and they leave the list. TransitionNotAllowed otherwise."""
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked_offer(appointment, load_schedule(now))
        claim_it = TRANSITIONS["claim"]
        claim_it.check(current, now)
        current.status = claim_it.to
        current.save(update_fields=["status", "updated_at"])
        record_change(current, claim_it.action, Status.HELD, claim_it.to)
        _set_entry(current, WaitlistStatus.BOOKED, now)
        queue_emails(current, list(claim_it.emails))
    return current


def waitlist_turn_down(
    *, appointment: AppointmentRequest, now: datetime.datetime | None = None
) -> AppointmentRequest:
    """The patient does not want the place ("not interested"): they leave the list and the
    place goes to the next patient at once (or back to the form)."""
    return _end_hold(appointment, TRANSITIONS["turn_down"], WaitlistStatus.ENDED, now)


def _end_hold(
    appointment: AppointmentRequest,
    transition: Transition,
    entry_status: str | None,
    now: datetime.datetime | None,
) -> AppointmentRequest:
    now = now or timezone.now()
    schedule = load_schedule(now)
    with transaction.atomic():
        current = _locked_offer(appointment, schedule)
        transition.check(current, now)
        current.status = transition.to
        current.save(update_fields=["status", "updated_at"])
        record_change(current, transition.action, Status.HELD, transition.to)
        _set_entry(current, entry_status, now)
        _offer_under_lock(current.starts_at, current.practitioner_id, schedule, now)
    return current


def _set_entry(held: AppointmentRequest, status: str | None, now: datetime.datetime) -> None:
    """The entry after its offer: the given status, or (None) back to waiting unless its last
    date has passed."""
    if held.waitlist_entry_id is None:
        return
    entry = WaitlistEntry.objects.select_for_update().get(pk=held.waitlist_entry_id)
    if status is None:
        past = entry.until < timezone.localdate(now)
        status = WaitlistStatus.EXPIRED if past else WaitlistStatus.WAITING
    if entry.status == WaitlistStatus.OFFERED:
        entry.status = status
        entry.save(update_fields=["status", "updated_at"])


def lapse_expired_holds(*, now: datetime.datetime | None = None) -> int:
    """End every hold whose time is up, each patient back on the list, and offer each place
    to the next patient at once; entries past their last date expire. Run by the task queued
    for each hold's end and by `manage.py expire_waitlist_holds` (cron), so holds lapse
    whether or not the worker was running. Returns how many lapsed."""
    now = now or timezone.now()
    lapsed = 0
    expired = AppointmentRequest.objects.filter(status=Status.HELD, held_until__lte=now)
    for appointment in expired.order_by("held_until", "pk"):
        try:
            _end_hold(appointment, TRANSITIONS["lapse"], None, now)
        except TransitionNotAllowed:  # taken or turned down meanwhile
            continue
        lapsed += 1
    WaitlistEntry.objects.filter(
        status=WaitlistStatus.WAITING, until__lt=timezone.localdate(now)
    ).update(status=WaitlistStatus.EXPIRED, updated_at=now)
    return lapsed


def waitlist_leave(*, entry: WaitlistEntry, now: datetime.datetime | None = None) -> None:
    """The patient leaves the list; a place held for them goes to the next patient."""
    held = AppointmentRequest.objects.filter(waitlist_entry=entry, status=Status.HELD).first()
    if held is not None:
        with contextlib.suppress(TransitionNotAllowed):  # taken or lapsed meanwhile
            waitlist_turn_down(appointment=held, now=now)
    with transaction.atomic():
        WaitlistEntry.objects.filter(
            pk=entry.pk, status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED]
        ).update(status=WaitlistStatus.ENDED, updated_at=now or timezone.now())


def erase_old_waitlist_entries(*, cutoff: datetime.date, now: datetime.datetime) -> int:
    """Erase the personal details of entries whose last date is older than the cut-off."""
    return WaitlistEntry.objects.filter(until__lt=cutoff, anonymised_at__isnull=True).update(
        first_name="", last_name="", email="", phone="", anonymised_at=now
    )
