"""A course of visits booked by the front desk on the admin's *Book a visit…* page: after the
first visit's treatment, practitioner, day and time, staff tick "Book a course", press "Show
the dates" (the page again, every proposed date shown, nothing stored), then book the visit
button: every visit stored confirmed at once (booking.services.course_book_by_staff), or,
when a place was taken meanwhile, nothing, and the dates as they are now (409)."""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from booking import services
from booking.course_forms import CourseForm, starts_text
from booking.course_plan import CourseAsked, Proposal, propose_in
from booking.courses import suits_a_course
from booking.display import local_time

COURSE_DATES = "course_dates"


class StaffCourseForm(CourseForm):
    """The patients' course fields (booking.course_forms), worded for the front desk."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].label = _("Book a course")
        self.fields["course"].help_text = _(
            "For a follow-up treatment: this visit and the ones after it, every date shown "
            "before anything is stored."
        )
        self.fields["course_frequency"].help_text = _(
            "Twice a week: on the preferred day and three days later."
        )
        self.fields["course_weekday"].label = _("Preferred day of the week")
        self.fields["course_time"].label = _("Preferred time (optional)")


def asked_key(asked: CourseAsked) -> str:
    """What the dates shown were proposed for: a change of it is staff's, not a race."""
    parts = (asked.first_start.isoformat(), asked.practitioner_id, asked.count)
    return "|".join(str(part) for part in (*parts, asked.frequency, asked.weekday, asked.time))


@dataclass
class StaffCourse:
    """The course part of one book page: its form, the dates proposed, the page's status."""

    form: StaffCourseForm
    proposal: Proposal | None = None
    status: int = 200

    @property
    def starts(self) -> str:
        if not (self.proposal and self.proposal.is_complete):
            return ""
        return starts_text([visit.start for visit in self.proposal.visits])

    @property
    def key(self) -> str:
        return asked_key(self.proposal.asked) if self.proposal else ""

    @property
    def wanted(self) -> bool:
        return self.form.is_bound and bool(self.form.data.get("course"))

    def refuse(self, message: str, status: int = 400, proposal: Proposal | None = None):
        self.form.add_error(None, message)
        self.status, self.proposal = status, proposal or self.proposal


def read_course(data) -> StaffCourse:
    """The course fields as typed (unbound, with the defaults, until the page shows them)."""
    if data is None or "course_visits" not in data:
        return StaffCourse(StaffCourseForm())
    if COURSE_DATES in data:
        return StaffCourse(StaffCourseForm(data={**data.dict(), "course": "on"}))
    return StaffCourse(StaffCourseForm(data=data))


def chosen_start(data, step) -> datetime.datetime | None:
    """The first visit's time as chosen among the free times (on the day chosen), if one is."""
    try:
        start = datetime.datetime.fromisoformat(str(data.get("time") or ""))
    except ValueError:
        return None
    if start.tzinfo is None or step.staff_diary.schedule.local_date(start) != step.day:
        return None
    return start


def course_problem(data, step) -> str:
    """Why this page cannot book a course (the treatment, an overbooking), or ""."""
    chosen = step.staff_diary.diary.treatment(step.choice.cleaned_data["treatment"])
    if not suits_a_course(chosen):
        return gettext("A course is for a follow-up treatment: choose one above, then try again.")
    if data.get("overbook"):
        return gettext(
            "A course is never overbooked: untick “Overbook deliberately”, or book the "
            "overbooked visit on its own."
        )
    return ""


def asked_for(course: StaffCourse, step, start: datetime.datetime) -> CourseAsked:
    place = services.Place(start, step.treatment, step.practitioner_id)
    return course.form.asked(place)


def show_dates(course: StaffCourse, data, step) -> StaffCourse:
    """Every proposed date with its same-week alternative; nothing stored."""
    if not course.form.is_valid():
        course.status = 400
        return course
    start = chosen_start(data, step)
    if problem := course_problem(data, step):
        course.refuse(problem)
    elif start is None:
        course.refuse(gettext("Choose this first visit's time above, then press “Show the dates”."))
    else:
        course.proposal = propose_in(step.staff_diary, asked_for(course, step, start))
    return course


class CourseBookingPages:
    """Mixed into the appointment requests' admin beside DiaryPages: the book page's course."""

    def book_course(self, request, step, form, course: StaffCourse, context):
        """Book the course shown, or the page again saying why not (what staff typed kept)."""
        if not course.form.is_valid():
            return self.diary_page(request, "book", context, status=400)
        if problem := course_problem(request.POST, step):
            course.refuse(problem)
            return self.diary_page(request, "book", context, status=400)
        asked = asked_for(course, step, form.start)
        proposal = propose_in(step.staff_diary, asked)
        starts = [visit.start for visit in proposal.visits]
        if course.form.cleaned_data["course_first"] != asked_key(asked):
            course.refuse(check_the_dates(), 400, proposal)
        elif not proposal.is_complete:
            course.refuse(not_every_visit(), 400, proposal)
        elif starts_text(starts) != course.form.cleaned_data["course_starts"]:
            course.refuse(changed_since(), 409, proposal)
        else:
            return self.store_course(request, step, form, course, context, asked, starts)
        return self.diary_page(request, "book", context, status=course.status)

    def store_course(self, request, step, form, course, context, asked, starts):
        try:
            stored = services.course_book_by_staff(
                asked=asked,
                starts=starts,
                patient=form.patient_details(),
                by=request.user,
                staff_notes=form.cleaned_data["staff_notes"],
                now=step.staff_diary.now,
            )
        except services.CourseVisitUnavailable as taken:
            course.refuse(taken_meanwhile(taken.position), 409, propose_in(step.staff_diary, asked))
            return self.diary_page(request, "book", context, status=409)
        visits = services.course_visits(stored)
        for visit in visits:
            self.log_addition(request, visit, gettext("Booked by the front desk, in a course"))
        self.message_user(request, course_booked_message(stored, visits), messages.SUCCESS)
        return redirect(self.change_url(visits[0]))


def course_booked_message(course, visits) -> str:
    first = visits[0]
    words = gettext(
        "%(course)s booked and confirmed, the first visit %(reference)s with %(practitioner)s "
        "on %(when)s."
    ) % {
        "course": course,
        "reference": first.reference,
        "practitioner": first.practitioner,
        "when": local_time(first.starts_at),
    }
    if first.email:
        return f"{words} {gettext('The patient gets one confirmation e-mail listing every visit.')}"
    return f"{words} {gettext('No e-mail address, so no confirmation e-mail.')}"


def changed_since() -> str:
    return gettext(
        "The diary changed since the dates were shown, so nothing was stored. Here are the "
        "dates as they are now: check them with the patient, then book again."
    )


def taken_meanwhile(position: int) -> str:
    return gettext(
        "Visit %(position)d of the course was taken a moment ago, so nothing was stored. "
        "Here are the dates as they are now: check them with the patient, then book again."
    ) % {"position": position}


def check_the_dates() -> str:
    return gettext("Here are the course's dates: check them, then book.")


def not_every_visit() -> str:
    return gettext(
        "Not every visit has a free time. Choose fewer visits, another day or time, or book "
        "the visits one by one."
    )
