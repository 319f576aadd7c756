"""Taking a new place in a practitioner's diary: a patient's request, a front-desk booking
(booking.services.moves moves a visit to another place). Every path re-checks the
practitioner's time under the locks of the days involved (booking.services.locks, always in
date order) and writes in the same transaction, so two paths can never both win a place or
wait for each other."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import ngettext

from booking.availability import (
    Schedule,
    Treatment,
    Unavailable,
    choose_practitioner,
    free_practitioners,
)
from booking.emails import queue_emails
from booking.models import (
    AppointmentRequest,
    EventAction,
    Source,
    Status,
    TreatmentType,
    new_reference,
)
from booking.schedule import for_staff, load_schedule, place_problem
from booking.services.appointments import record_change
from booking.services.locks import lock_bookings_of_days, lock_requests_of_patient_and_day
from booking.transitions import TRANSITIONS
from clinic.models import Practitioner
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
    # When this address was proved theirs: the browser that sends it used a link sent to it.
    email_verified_at: datetime.datetime | None = None

    @classmethod
    def from_form(cls, data: dict) -> "PatientDetails":
        """The details as a booking form cleaned them (its `patient_type` says new or not)."""
        return cls(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            phone=data["phone"],
            is_new_patient=data["patient_type"] == "new",
            note=data.get("note", ""),
        )


@dataclass(frozen=True)
class Place:
    """A time in the diary: a treatment (its type's id, length and buffer) at a start, with
    a practitioner or, when None, the first available one."""

    start: datetime.datetime
    treatment: Treatment
    practitioner_id: int | None = None

    @classmethod
    def of(
        cls,
        start: datetime.datetime,
        treatment_type: TreatmentType,
        practitioner: Practitioner | None = None,
    ) -> "Place":
        return cls(start, treatment_type.as_treatment(), practitioner.pk if practitioner else None)

    @property
    def ends_at(self) -> datetime.datetime:
        return self.start + self.treatment.length

    @property
    def blocks_until(self) -> datetime.datetime:
        return self.start + self.treatment.blocked


@dataclass(frozen=True)
class Claim:
    """Who takes a place, and whether staff overbooked it on purpose."""

    practitioner_id: int
    is_overbooked: bool = False


def claim(
    place: Place,
    *,
    schedule: Schedule,
    now: datetime.datetime,
    excluding: AppointmentRequest | None = None,
    overbook_reason: str = "",
) -> Claim:
    """The practitioner who takes this place (the one chosen, or the first available: fewest
    bookings that day, then staff order), or SlotUnavailable. Staff may overbook a chosen
    practitioner's future time on purpose, with a reason. Call it under the day's lock."""
    practitioner_id = place.practitioner_id
    problem, bookings = place_problem(
        place.start,
        schedule=schedule,
        now=now,
        treatment=place.treatment,
        practitioner_id=practitioner_id,
        excluding=excluding,
    )
    if problem is None:
        if practitioner_id is not None:
            return Claim(practitioner_id)
        free = free_practitioners(place.start, schedule, bookings, place.treatment)
        return Claim(choose_practitioner(free, schedule, bookings))
    if overbook_reason.strip() and practitioner_id is not None and place.start > now:
        return Claim(practitioner_id, is_overbooked=True)
    raise SlotUnavailable(problem, schedule)


def record_overbooking(
    appointment: AppointmentRequest, actor: AbstractBaseUser, reason: str
) -> None:
    status = appointment.status
    record_change(appointment, EventAction.OVERBOOKED, status, status, actor, reason.strip())


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


def _with_a_free_reference(store, *args) -> AppointmentRequest:
    """Random references rarely clash; when one does, the whole transaction is tried again
    with another (so the usual path needs no savepoint)."""
    for _attempt in range(10):
        reference = new_reference()
        try:
            return store(reference, *args)
        except IntegrityError:
            if not AppointmentRequest.objects.filter(reference=reference).exists():
                raise
    raise RuntimeError("Could not find a free reference after 10 tries")


def _new_request(reference: str, place: Place, fields: dict) -> AppointmentRequest:
    appointment = AppointmentRequest(
        reference=reference,
        starts_at=place.start,
        ends_at=place.ends_at,
        blocks_until=place.blocks_until,
        treatment_type_id=place.treatment.id,
        **fields,
    )
    appointment.start_new_manage_token()
    appointment.save(force_insert=True)
    return appointment


def appointment_request_create(
    *,
    place: Place,
    condition: Condition | None,
    patient: PatientDetails,
    consent_at: datetime.datetime,
    language: str | None = None,
    now: datetime.datetime | None = None,
    schedule: Schedule | None = None,
) -> AppointmentRequest:
    """Store a patient's request for a free place, or raise SlotUnavailable and store
    nothing. "First available" is given a practitioner here, under the day's lock; one
    patient holds at most BOOKING_MAX_UPCOMING_PER_PATIENT upcoming requests. The request
    keeps the patient's language (the active one unless given) for the e-mails sent later.
    The schedule may come from the caller (the form has loaded it): no lock covers it."""
    now = now or timezone.now()
    fields = {
        "condition": condition,
        "consent_at": consent_at,
        "language": language or translation.get_language() or settings.LANGUAGE_CODE,
        **patient.__dict__,
    }
    schedule = schedule or load_schedule(now)
    return _with_a_free_reference(_store_request, place, fields, patient, schedule, now)


def _store_request(reference, place: Place, fields, patient, schedule, now) -> AppointmentRequest:
    with transaction.atomic():
        day = schedule.local_date(place.start)
        lock_requests_of_patient_and_day(email=patient.email, phone=patient.phone, day=day)
        _check_upcoming_requests(patient, now)
        taken = claim(place, schedule=schedule, now=now)
        appointment = _new_request(
            reference, place, {**fields, "practitioner_id": taken.practitioner_id}
        )
        request = TRANSITIONS["request"]
        record_change(appointment, request.action, "", Status.REQUESTED)
        queue_emails(appointment, list(request.emails))
    return appointment


def appointment_book_by_staff(
    *,
    place: Place,
    patient: PatientDetails,
    by: AbstractBaseUser,
    overbook_reason: str = "",
    staff_notes: str = "",
    now: datetime.datetime | None = None,
) -> AppointmentRequest:
    """A visit the front desk books for a patient who phoned or walked in: the same free
    places as online (without the notice and horizon), confirmed at once, the patient
    e-mailed if an address was given. An overbooking needs a reason, kept in the audit
    trail."""
    now = now or timezone.now()
    fields = {
        "status": Status.CONFIRMED,
        "source": Source.FRONT_DESK,
        "consent_at": now,
        "language": settings.LANGUAGE_CODE,
        "staff_notes": staff_notes.strip(),
        **patient.__dict__,
    }
    schedule = for_staff(load_schedule(now))
    return _with_a_free_reference(_store_booking, place, fields, by, overbook_reason, schedule, now)


def _store_booking(reference, place, fields, by, overbook_reason, schedule, now):
    with transaction.atomic():
        lock_bookings_of_days(schedule.local_date(place.start))
        taken = claim(place, schedule=schedule, now=now, overbook_reason=overbook_reason)
        extra = {"practitioner_id": taken.practitioner_id, "is_overbooked": taken.is_overbooked}
        if taken.is_overbooked:
            extra["overbooking_reason"] = overbook_reason.strip()
        appointment = _new_request(reference, place, {**fields, **extra})
        book = TRANSITIONS["book"]
        record_change(appointment, book.action, "", Status.CONFIRMED, by)
        if taken.is_overbooked:
            record_overbooking(appointment, by, overbook_reason)
        if appointment.email:
            queue_emails(appointment, list(book.emails))
    return appointment
