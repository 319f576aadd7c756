"""The patient's side of booking: the request form, its confirmation, the manage page."""

import dataclasses
import datetime

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from booking import course_views, services
from booking.calendar import appointment_ics
from booking.cookies import PrivateCookie
from booking.forms import AppointmentRequestForm
from booking.models import AppointmentRequest, BookingSettings
from booking.ratelimit import booking_attempt_refused
from booking.returning_session import address_verified_at, returning_patient_details
from booking.safety_views import checked_first
from booking.schedule import BookingWindow, DayOffer
from booking.services.returning import manage_link_opened
from booking.transitions import TRANSITIONS
from clinic.models import ClinicProfile

# Which request the confirmation page shows: a signed cookie rather than the session, so
# a request costs no session row, and the patient's next pages can come from the cache.
CONFIRMATION = PrivateCookie("booking_confirmation", "booking.confirmation", "booking:requested")


def remember_confirmation(response: HttpResponse, appointment: AppointmentRequest) -> None:
    """The browser keeps which request it just sent, until it closes (at most as long as a
    session would last), for the confirmation page only."""
    CONFIRMATION.give(response, appointment.pk)


def confirmed_request_id(request: HttpRequest) -> str | None:
    return CONFIRMATION.read(request)


@sensitive_post_parameters()  # error reports never show what a patient typed
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@checked_first  # the red-flag check comes before any time is offered
def request_appointment(request: HttpRequest) -> HttpResponse:
    """GET shows the form. POST "request" stores the request (post/redirect/get); any other
    POST reloads the chosen day's free times, keeping what was typed (no JavaScript needed)."""
    window = BookingWindow.load()
    if request.method == "POST" and course_views.wants_course(request.POST):
        return course_views.course_request(request, window)
    if request.method == "POST" and request.POST.get("action") == "request":
        return _submit(request, window)
    source = request.POST if request.method == "POST" else request.GET
    initial = source.dict()
    if request.method != "POST":  # a reload keeps what was typed; a new form, who they are
        initial = {**returning_patient_details(request, window.now), **initial}
    picked = parse_moment(source.get("pick"))
    if picked:
        initial.update(date=picked.date(), time=f"{picked:%H:%M}")
    elif source.get("show_day"):
        initial.update(date=source["show_day"], time="")
    form = AppointmentRequestForm(window=window, initial=initial)
    treatment, practitioner_id = form.treatment_shown(), form.chosen_practitioner_id()
    day = window.valid_day(initial.get("date")) or window.first_free_day(treatment, practitioner_id)
    form.initial["date"] = day
    return render_form(request, form, window.day_offer(day, treatment, practitioner_id))


@never_cache
@require_safe
@checked_first(fragment=True)
def free_times(request: HttpRequest) -> HttpResponse:
    """The free times of one day, as the fragment the page's script swaps in."""
    window = BookingWindow.load()
    day = window.valid_day(request.GET.get("date"))
    if day is None:
        return HttpResponse(
            gettext("Please choose a day between today and the booking horizon."), status=400
        )
    form = AppointmentRequestForm(window=window, initial=request.GET.dict())
    offer = window.day_offer(day, form.treatment_shown(), form.chosen_practitioner_id())
    context = _page_context(form, offer)
    return render(request, "booking/includes/times.html", context)


def _submit(request: HttpRequest, window: BookingWindow) -> HttpResponse:
    """The day's free times are loaded only to show the form again: the service checks the
    chosen time itself, under the day's lock."""
    form = AppointmentRequestForm(window=window, data=request.POST)
    day = window.valid_day(request.POST.get("date")) or window.today

    def day_offer():
        return window.day_offer(day, form.treatment_shown(), form.chosen_practitioner_id())

    if not form.is_valid():
        return render_form(request, form, day_offer(), status=400)
    if form.is_honeypot_filled or form.filled_too_fast:
        form.restart_timer()
        form.add_error(None, gettext("Please check your details and press “Send request” again."))
        return render_form(request, form, day_offer(), status=400)
    patient = signed_in_patient(request, form.patient_details(), window.now)
    if booking_attempt_refused(request, email=patient.email, phone=patient.phone):
        return render_form(request, form, day_offer(), status=429)
    place = form.place()
    try:
        appointment = services.appointment_request_create(
            place=place,
            condition=form.condition(),
            patient=patient,
            consent_at=window.now,
            now=window.now,
            schedule=window.schedule,
        )
    except services.TooManyUpcomingRequests as refused:
        form.add_error(None, str(refused))
        return render_form(request, form, day_offer(), status=400)
    except services.SlotUnavailable as unavailable:
        form.add_error("time", str(unavailable))
        alternatives = window.next_free_times(place.start, place.treatment, place.practitioner_id)
        return render_form(request, form, day_offer(), alternatives, status=409)
    response = redirect("booking:requested")
    remember_confirmation(response, appointment)
    return response


def signed_in_patient(
    request: HttpRequest, patient: services.PatientDetails, now: datetime.datetime
) -> services.PatientDetails:
    """The details typed, marked verified when this browser's patient used a link sent to
    that address (so the front desk's history knows the new request is theirs)."""
    verified_at = address_verified_at(request, patient.email, now)
    return dataclasses.replace(patient, email_verified_at=verified_at)


def render_form(
    request, form, offer: DayOffer, alternatives=(), status=200, course: dict | None = None
) -> HttpResponse:
    """The request form; `course` is what its course of visits shows (course_views)."""
    context = _page_context(form, offer)
    context.update(alternatives=alternatives, rate_limited=status == 429)
    source = request.POST if request.method == "POST" else request.GET
    context.update(course if course is not None else course_views.course_context(source))
    template = "429.html" if status == 429 else "booking/request_form.html"
    return render(request, template, context, status=status)


def _page_context(form: AppointmentRequestForm, offer: DayOffer) -> dict:
    """The form, showing the day's free times, and what the page says about that day."""
    form.offer_times(offer.slots)
    return {"form": form, "offer": offer}


def parse_moment(value) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(str(value or ""))
    except ValueError:
        return None


@never_cache
def request_received(request: HttpRequest) -> HttpResponse:
    """The confirmation page after a request: its reference and what happens next."""
    appointment_id = confirmed_request_id(request)
    appointment = (
        AppointmentRequest.objects.select_related("treatment_type", "practitioner")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None:
        return redirect("booking:request")
    context = {"appointment": appointment, **course_views.course_of(appointment)}
    return render(request, "booking/request_received.html", context)


def appointment_for_token(token: str) -> AppointmentRequest:
    return get_object_or_404(
        AppointmentRequest.objects.select_related(
            "condition", "treatment_type", "practitioner"
        ).for_manage_token(token)
    )


def private_page(response: HttpResponse) -> HttpResponse:
    """Pages whose address holds the manage token: never indexed, and the address never sent
    on (only the site's origin is). "strict-origin" rather than "no-referrer": under
    no-referrer browsers send `Origin: null` with the page's forms (cancel, change, rebook),
    which Django's CSRF check refuses."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "strict-origin"
    return response


@never_cache
@require_safe
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """The patient's own page for one request: status, time, cancel, calendar file (and,
    for a visit of a course, the course's other visits). Opening it verifies the request's
    address (booking.returning)."""
    from booking import course_pages  # it builds on this module's helpers

    appointment = appointment_for_token(token)
    if appointment.is_offer_not_taken_up:
        return redirect("booking:waitlist_offer", token=token)  # a waiting-list offer
    cutoff, now = BookingSettings.load().cancellation_cutoff_hours, timezone.now()
    manage_link_opened(appointment=appointment, now=now)
    context = {
        "appointment": appointment,
        "token": token,
        "can_cancel": TRANSITIONS["cancel"].is_allowed(appointment, now, cutoff),
        "can_change": TRANSITIONS["change"].is_allowed(appointment, now, cutoff),
        "cutoff_hours": cutoff,
        **course_pages.manage_context(appointment),
    }
    return private_page(render(request, "booking/manage.html", context))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks "are you sure?" (so a mail scanner following links cancels nothing);
    POST cancels."""
    appointment = appointment_for_token(token)
    if request.method == "POST":
        try:
            services.appointment_cancel(appointment=appointment)
        except services.TransitionNotAllowed as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request, gettext("Your appointment is cancelled. We have sent you an e-mail.")
            )
        return redirect("booking:manage", token=token)
    context = {"appointment": appointment, "token": token}
    return private_page(render(request, "booking/cancel.html", context))


@never_cache
@require_safe
def calendar_file(request: HttpRequest, token: str) -> HttpResponse:
    """The .ics file of a confirmed visit."""
    appointment = appointment_for_token(token)
    if not appointment.is_confirmed:
        raise Http404(gettext("Only confirmed visits have a calendar file."))
    alarm_minutes = BookingSettings.load().calendar_alarm_minutes
    response = HttpResponse(
        appointment_ics(appointment, ClinicProfile.load(), alarm_minutes=alarm_minutes),
        content_type="text/calendar",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="appointment-{appointment.reference}.ics"'
    )
    return private_page(response)
