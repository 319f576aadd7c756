"""What the course tests share: a clinic open on weekdays far enough ahead for a course,
the follow-up it is booked for, and a course asked for and stored."""

import datetime

from booking import services
from booking.course_plan import CourseAsked, propose_in
from booking.courses import Frequency
from booking.models import TreatmentType
from booking.schedule import BookingWindow
from booking.tests.factories import PatientDetailsFactory, at, next_monday, open_weekdays


def course_clinic() -> TreatmentType:
    """Monday to Friday 9:00-17:00, one practitioner, 30-minute follow-ups, 120 days ahead."""
    open_weekdays(min_notice_hours=2, horizon_days=120)
    return TreatmentType.objects.get(is_active=True)


def asked(
    first: datetime.datetime | None = None,
    *,
    count: int = 6,
    frequency: str = Frequency.WEEKLY,
    weekday: int = 0,
    time: str = "10:00",
) -> CourseAsked:
    treatment = TreatmentType.objects.get(is_active=True).as_treatment()
    return CourseAsked(
        first_start=first or at(next_monday(), time),
        treatment=treatment,
        practitioner_id=None,
        count=count,
        frequency=frequency,
        weekday=weekday,
        time=datetime.time.fromisoformat(time),
    )


def store_course(course_asked: CourseAsked, now: datetime.datetime, **patient):
    window = BookingWindow.load(now)
    proposal = propose_in(window, course_asked)
    return services.course_request_create(
        asked=course_asked,
        starts=[visit.start for visit in proposal.visits],
        condition=None,
        patient=PatientDetailsFactory(is_new_patient=False, **patient),
        consent_at=now,
        schedule=window.schedule,
        treatment_type_id=course_asked.treatment.id,
        now=now,
    )
