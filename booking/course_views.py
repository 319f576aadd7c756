"""The booking form's course of visits: "Show the dates" proposes every date (nothing is
stored), "Send request" stores the course the patient was shown, or shows the dates as they
are now when something changed (409). The page is the request form's (booking.views)."""

import datetime

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext

from booking import services
from booking.course_forms import CourseForm, starts_text
from booking.course_plan import Proposal, propose_in
from booking.courses import suits_a_course
from booking.forms import AppointmentRequestForm
from booking.ratelimit import booking_attempt_refused
from booking.schedule import BookingWindow
from booking.services import Place

SHOW_DATES = "course_dates"


def wants_course(data: QueryDict) -> bool:
    """A POST about a course: "Show the dates", or "Send request" with the course ticked."""
    action = data.get("action")
    return action == SHOW_DATES or (action == "request" and bool(data.get("course")))


def course_context(
    source: QueryDict, course_form: CourseForm | None = None, proposal: Proposal | None = None
) -> dict:
    """What templates/booking/includes/course_fields.html shows."""
    course_form = course_form or CourseForm(initial=source.dict())
    starts = [visit.start for visit in proposal.visits if visit.start] if proposal else []
    return {
        "course_form": course_form,
        "proposal": proposal,
        "proposal_starts": starts_text(starts) if proposal and proposal.is_complete else "",
        "proposal_first": proposal.asked.first_start.isoformat() if proposal else "",
    }


def course_request(request: HttpRequest, window: BookingWindow) -> HttpResponse:
    if request.POST.get("action") == SHOW_DATES:
        return _show_dates(request, window)
    return _submit_course(request, window)


def _follow_up_problem(form: AppointmentRequestForm) -> str:
    if not suits_a_course(form.chosen_treatment()):
        return gettext(
            "A course is for follow-up visits. Please choose a follow-up visit above, or "
            "untick “course” to send this visit alone."
        )
    return ""


def _first_place(form: AppointmentRequestForm, window: BookingWindow, day) -> Place | None:
    """The first visit as chosen above (an unbound form: what was typed), if a time is."""
    try:
        clock = datetime.datetime.strptime(str(form.initial.get("time") or ""), "%H:%M").time()
    except ValueError:
        return None
    treatment = form.treatment_shown()
    if treatment is None or day is None:
        return None
    start = datetime.datetime.combine(day, clock, tzinfo=window.tz)
    return Place(start, treatment, form.chosen_practitioner_id())


def _show_dates(request: HttpRequest, window: BookingWindow) -> HttpResponse:
    """Every proposed date, keeping what was typed; nothing stored, nothing checked about
    the patient's details yet."""
    from booking import views

    form = AppointmentRequestForm(window=window, initial=request.POST.dict())
    course_form = CourseForm(data={**request.POST.dict(), "course": "on"})
    chosen_day = window.valid_day(request.POST.get("date"))
    treatment, practitioner_id = form.treatment_shown(), form.chosen_practitioner_id()
    day = chosen_day or window.first_free_day(treatment, practitioner_id)
    form.initial["date"] = day
    proposal = None
    if course_form.is_valid():
        first = _first_place(form, window, chosen_day)
        if problem := _follow_up_problem(form):
            course_form.add_error("course", problem)
        elif first is None:
            course_form.add_error(
                "course",
                gettext("Please choose the day and time of this first visit above, then press "
                        "“Show the dates”."),
            )  # fmt: skip
        else:
            proposal = propose_in(window, course_form.asked(first))
    offer = window.day_offer(day, treatment, practitioner_id)
    context = course_context(request.POST, course_form, proposal)
    return views.render_form(request, form, offer, status=200 if proposal else 400, course=context)


def _submit_course(request: HttpRequest, window: BookingWindow) -> HttpResponse:
    """Store the course shown, with the single request's checks (honeypot, speed, rate
    limit); when any date changed since, or a place is taken meanwhile, the dates as they
    are now (409)."""
    from booking import views

    form = AppointmentRequestForm(window=window, data=request.POST)
    course_form = CourseForm(data=request.POST)
    day = window.valid_day(request.POST.get("date")) or window.today

    def render(status: int, proposal: Proposal | None = None) -> HttpResponse:
        offer = window.day_offer(day, form.treatment_shown(), form.chosen_practitioner_id())
        context = course_context(request.POST, course_form, proposal)
        return views.render_form(request, form, offer, status=status, course=context)

    if form.is_valid() and course_form.is_valid() and (problem := _follow_up_problem(form)):
        course_form.add_error("course", problem)
    if not (form.is_valid() and course_form.is_valid()):
        return render(400)
    if form.is_honeypot_filled or form.filled_too_fast:
        form.restart_timer()
        form.add_error(None, gettext("Please check your details and press “Send request” again."))
        return render(400)
    patient = views.signed_in_patient(request, form.patient_details(), window.now)
    if booking_attempt_refused(request, email=patient.email, phone=patient.phone):
        return render(429)
    asked = course_form.asked(form.place())
    proposal = propose_in(window, asked)
    starts = [visit.start for visit in proposal.visits]
    shown = course_form.cleaned_data["course_starts"]
    if shown and starts_text(starts) != shown:
        if course_form.cleaned_data["course_first"] != asked.first_start.isoformat():
            course_form.add_error(None, gettext("Here are the dates for the visit you chose now: "
                                                "please check them, then send."))  # fmt: skip
            return render(400, proposal)
        course_form.add_error(None, _changed_since())
        return render(409, proposal)
    if not proposal.is_complete:
        course_form.add_error(None, _not_every_visit())
        return render(400, proposal)
    if not shown:
        course_form.add_error(None, gettext("Please check the dates of your course, then send."))
        return render(400, proposal)
    try:
        course = services.course_request_create(
            asked=asked,
            starts=starts,
            condition=form.condition(),
            patient=patient,
            consent_at=window.now,
            schedule=window.schedule,
            treatment_type_id=asked.treatment.id,
            now=window.now,
        )
    except services.TooManyUpcomingRequests as refused:
        form.add_error(None, str(refused))
        return render(400, proposal)
    except services.CourseVisitUnavailable as taken:
        course_form.add_error(None, str(taken))
        return render(409, propose_in(window, asked))
    response = redirect("booking:requested")
    views.remember_confirmation(response, course.visits.order_by("course_position").first())
    return response


def _not_every_visit() -> str:
    return gettext(
        "Not every visit has a free time. Please choose fewer visits, another day or time, "
        "or call us and we will plan the course with you."
    )


def _changed_since() -> str:
    return gettext(
        "The free times changed since you looked, so we have not stored anything. Here are "
        "the dates as they are now: please check them and send the request again."
    )


def course_of(appointment) -> dict:
    """For a visit's pages: the visits of its course, in order (one query), if it has one."""
    if not appointment.course_id:
        return {}
    return {"course_visits": services.course_visits(appointment.course)}
