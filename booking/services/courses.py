"""A course of visits: stored whole or not at all, confirmed or declined whole, and what
remains of it cancelled by the patient. Each visit is an ordinary request: the same rules
(claim(), under the locks of every day involved, in date order) and the same per-visit
services for its status changes, so their e-mails and side effects apply to each visit."""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from booking.availability import Schedule
from booking.course_plan import CourseAsked
from booking.emails import queue_email, queue_emails
from booking.models import (
    AppointmentRequest,
    BookingSettings,
    Course,
    NotificationKind,
    Source,
    Status,
    new_reference,
)
from booking.schedule import for_staff, load_schedule
from booking.services.appointments import (
    appointment_cancel,
    appointment_confirm,
    appointment_decline,
    record_change,
)
from booking.services.locks import lock_bookings_of_days, lock_requests_of_patient_and_days
from booking.services.places import (
    PatientDetails,
    Place,
    SlotUnavailable,
    TooManyUpcomingRequests,
    _new_request,
    claim,
)
from booking.transitions import TRANSITIONS, TransitionNotAllowed
from conditions.models import Condition


class CourseVisitUnavailable(Exception):
    """One visit of the course cannot be booked (taken meanwhile): nothing was stored."""

    def __init__(self, position: int, unavailable: SlotUnavailable) -> None:
        self.position = position
        super().__init__(
            gettext(
                "Visit %(position)d of your course was taken by someone else a moment ago, so "
                "we have not stored any of it. Here are the dates as they are now: please "
                "check them and send the request again."
            )
            % {"position": position}
        )
        self.reason = unavailable.reason


def _upcoming_requests(patient: PatientDetails, now: datetime.datetime) -> int:
    """The patient's upcoming requests, a course counting once."""
    rows = (
        AppointmentRequest.objects.active()
        .upcoming(now)
        .filter(Q(email__iexact=patient.email) | Q(phone=patient.phone))
    )
    singles = rows.filter(course__isnull=True).count()
    courses = rows.exclude(course__isnull=True).values("course").distinct().count()
    return singles + courses


def course_request_create(
    *,
    asked: CourseAsked,
    starts: list[datetime.datetime],
    condition: Condition | None,
    patient: PatientDetails,
    consent_at: datetime.datetime,
    schedule: Schedule,
    treatment_type_id: int,
    language: str | None = None,
    now: datetime.datetime | None = None,
) -> Course:
    """Store a patient's course: every visit at its proposed start, in one transaction under
    the patient's locks and those of every day involved (date order); any visit taken
    meanwhile raises CourseVisitUnavailable and nothing is stored. A course counts as one
    request against BOOKING_MAX_UPCOMING_PER_PATIENT. One "request received" e-mail (and
    one staff notice), on the first visit, lists them all."""
    now = now or timezone.now()
    fields = {
        "condition": condition,
        "consent_at": consent_at,
        "language": language or translation.get_language() or settings.LANGUAGE_CODE,
        **patient.__dict__,
    }
    return _with_free_references(
        len(starts), _store_course, asked, starts, fields, patient, schedule, treatment_type_id, now
    )


def _with_free_references(count: int, store, *args) -> Course:
    """Random references rarely clash; when one does, the whole course is tried again."""
    for _attempt in range(10):
        references = [new_reference() for _visit in range(count)]
        try:
            return store(references, *args)
        except IntegrityError:
            if not AppointmentRequest.objects.filter(reference__in=references).exists():
                raise
    raise RuntimeError("Could not find free references after 10 tries")


def _store_course(references, asked, starts, fields, patient, schedule, treatment_type_id, now):
    with transaction.atomic():
        days = sorted({schedule.local_date(start) for start in starts})
        lock_requests_of_patient_and_days(email=patient.email, phone=patient.phone, days=days)
        limit = settings.BOOKING_MAX_UPCOMING_PER_PATIENT
        if _upcoming_requests(patient, now) >= limit:
            raise TooManyUpcomingRequests(
                ngettext(
                    "You already have %(limit)d upcoming appointment request with us, which is "
                    "as many as we take online for one person. To add a course, please call us.",
                    "You already have %(limit)d upcoming appointment requests with us, which is "
                    "as many as we take online for one person. To add a course, please call us.",
                    limit,
                )
                % {"limit": limit}
            )
        course = _new_course(asked, starts, treatment_type_id)
        request = TRANSITIONS["request"]
        visits = _store_visits(course, references, asked, starts, fields, schedule, now)
        for visit in visits:
            record_change(visit, request.action, "", Status.REQUESTED)
        queue_emails(visits[0], list(request.emails))
    return course


def _new_course(asked: CourseAsked, starts: list[datetime.datetime], treatment_type_id: int):
    return Course.objects.create(
        visit_count=len(starts),
        frequency=asked.frequency,
        practitioner_id=asked.practitioner_id,
        treatment_type_id=treatment_type_id,
        preferred_weekday=asked.weekday,
        preferred_time=asked.time,
    )


def _store_visits(course, references, asked, starts, fields, schedule, now):
    """Every visit at its start, each claim()ed (call it under the locks of every day);
    one taken raises CourseVisitUnavailable (the caller's transaction then stores nothing)."""
    visits = []
    for position, (reference, start) in enumerate(zip(references, starts, strict=True), start=1):
        place = Place(start, asked.treatment, asked.practitioner_id)
        try:
            taken = claim(place, schedule=schedule, now=now)
        except SlotUnavailable as unavailable:
            raise CourseVisitUnavailable(position, unavailable) from unavailable
        extra = {"practitioner_id": taken.practitioner_id, "course": course}
        visits.append(
            _new_request(reference, place, {**fields, **extra, "course_position": position})
        )
    return visits


def course_book_by_staff(
    *,
    asked: CourseAsked,
    starts: list[datetime.datetime],
    patient: PatientDetails,
    by: AbstractBaseUser,
    staff_notes: str = "",
    now: datetime.datetime | None = None,
) -> Course:
    """A course the front desk books for a patient who phoned: every visit at its proposed
    start, confirmed at once, in one transaction under the patient's locks and those of
    every day (date order); any visit taken meanwhile raises CourseVisitUnavailable and
    nothing is stored. Never overbooked. One confirmation e-mail (if an address was given)
    lists every visit, with one calendar file."""
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
    return _with_free_references(
        len(starts), _store_staff_course, asked, starts, fields, patient, by, schedule, now
    )


def _store_staff_course(references, asked, starts, fields, patient, by, schedule, now):
    with transaction.atomic():
        days = sorted({schedule.local_date(start) for start in starts})
        lock_requests_of_patient_and_days(email=patient.email, phone=patient.phone, days=days)
        course = _new_course(asked, starts, asked.treatment.id)
        book = TRANSITIONS["book"]
        visits = _store_visits(course, references, asked, starts, fields, schedule, now)
        for visit in visits:
            record_change(visit, book.action, "", Status.CONFIRMED, by)
        if patient.email:
            queue_email(visits[0], NotificationKind.CONFIRMED)
    return course


def course_visits(course: Course) -> list[AppointmentRequest]:
    """The course's visits in order, with what their pages and e-mails show: one query."""
    return list(
        course.visits.select_related("practitioner", "treatment_type", "course").order_by(
            "course_position"
        )
    )


def _lock_days_of(visits: list[AppointmentRequest], schedule_tz) -> None:
    lock_bookings_of_days(*(timezone.localtime(v.starts_at, schedule_tz).date() for v in visits))


def course_confirm(
    *, course: Course, by: AbstractBaseUser, now: datetime.datetime | None = None
) -> list[AppointmentRequest]:
    """Confirm every waiting visit of the course, each through appointment_confirm (its
    rules and audit line), all or none: if one cannot be confirmed, none is. The patient
    gets one confirmation listing every visit, with one calendar file for them all."""
    now = now or timezone.now()
    with transaction.atomic():
        waiting = [v for v in course_visits(course) if v.status == Status.REQUESTED]
        if not waiting:
            raise TransitionNotAllowed(gettext("No visit of this course is waiting."))
        _lock_days_of(waiting, timezone.get_default_timezone())
        confirmed = [
            appointment_confirm(appointment=v, by=by, now=now, tell_patient=False) for v in waiting
        ]
        queue_email(confirmed[0], NotificationKind.CONFIRMED)
        return confirmed


def course_decline(
    *,
    course: Course,
    by: AbstractBaseUser,
    message: str = "",
    now: datetime.datetime | None = None,
) -> list[AppointmentRequest]:
    """Decline every waiting visit of the course, each through appointment_decline; the
    patient gets one e-mail about them all (with staff's message)."""
    now = now or timezone.now()
    with transaction.atomic():
        waiting = [v for v in course_visits(course) if v.status == Status.REQUESTED]
        if not waiting:
            raise TransitionNotAllowed(gettext("No visit of this course is waiting."))
        declined = [
            appointment_decline(appointment=v, by=by, message=message, now=now, tell_patient=False)
            for v in waiting
        ]
        queue_email(declined[0], NotificationKind.DECLINED, message.strip())
        return declined


def cancel_transition():
    """The patient's per-visit cancel step (its rules say which visits remain to cancel)."""
    return TRANSITIONS["cancel"]


def remaining_visits(course: Course, now: datetime.datetime) -> list[AppointmentRequest]:
    """The visits still ahead that the patient may cancel online (before the cut-off)."""
    cutoff = BookingSettings.load().cancellation_cutoff_hours
    cancel = TRANSITIONS["cancel"]
    return [visit for visit in course_visits(course) if cancel.is_allowed(visit, now, cutoff)]


def course_cancel_remaining(
    *, course: Course, now: datetime.datetime | None = None
) -> list[AppointmentRequest]:
    """The patient cancels every visit of the course still ahead, each through
    appointment_cancel (its rules, audit line, e-mail and what follows a cancellation), in
    one transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        remaining = remaining_visits(course, now)
        if not remaining:
            raise TransitionNotAllowed(gettext("No visit of this course can be cancelled online."))
        return [appointment_cancel(appointment=v, now=now) for v in remaining]
