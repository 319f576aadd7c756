"""A course's pages behind a visit's manage link: cancelling every visit that remains
("are you sure?" first, so a mail scanner following the link cancels nothing) and one
calendar file with every confirmed visit."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from booking import services
from booking.calendar import visits_ics
from booking.models import AppointmentRequest, BookingSettings
from booking.views import appointment_for_token, private_page
from clinic.models import ClinicProfile


def _visit_of_a_course(token: str) -> AppointmentRequest:
    appointment = appointment_for_token(token)
    if not appointment.course_id:
        raise Http404(gettext("This visit is not part of a course."))
    return appointment


def manage_context(appointment: AppointmentRequest) -> dict:
    """What the manage page shows of the visit's course: its visits (each linked to its own
    page), whether any remain to cancel online, whether a calendar file exists."""
    if not appointment.course_id:
        return {}
    visits = services.course_visits(appointment.course)
    cutoff = BookingSettings.load().cancellation_cutoff_hours
    cancel = services.cancel_transition()
    now = timezone.now()
    return {
        "course_visits": visits,
        "course_remaining": [v for v in visits if cancel.is_allowed(v, now, cutoff)],
        "course_has_confirmed": any(v.is_confirmed for v in visits),
    }


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def cancel_remaining(request: HttpRequest, token: str) -> HttpResponse:
    """GET lists the visits that would be cancelled and asks; POST cancels each of them
    through the per-visit cancel service."""
    appointment = _visit_of_a_course(token)
    if request.method == "POST":
        try:
            cancelled = services.course_cancel_remaining(course=appointment.course)
        except services.TransitionNotAllowed as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d visit of your course is cancelled. We have sent you an e-mail.",
                    "%(count)d visits of your course are cancelled. We have sent you an e-mail "
                    "for each.",
                    len(cancelled),
                )
                % {"count": len(cancelled)},
            )
        return redirect("booking:manage", token=token)
    context = {"appointment": appointment, "token": token, **manage_context(appointment)}
    return private_page(render(request, "booking/course_cancel.html", context))


@never_cache
@require_safe
def calendar_file(request: HttpRequest, token: str) -> HttpResponse:
    """One .ics file with every confirmed visit of the course."""
    appointment = _visit_of_a_course(token)
    confirmed = [v for v in services.course_visits(appointment.course) if v.is_confirmed]
    if not confirmed:
        raise Http404(gettext("No visit of this course is confirmed yet."))
    alarm_minutes = BookingSettings.load().calendar_alarm_minutes
    response = HttpResponse(
        visits_ics(confirmed, ClinicProfile.load(), alarm_minutes=alarm_minutes),
        content_type="text/calendar",
    )
    response["Content-Disposition"] = f'attachment; filename="course-{appointment.reference}.ics"'
    return private_page(response)
