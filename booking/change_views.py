"""The patient changes the time of their own visit, from the manage page's link (the token
stays in the path, as for the manage and cancel pages)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from booking import services
from booking.change_forms import ChangeTimeForm, change_offer
from booking.display import local_time
from booking.models import AppointmentRequest, BookingSettings
from booking.schedule import BookingWindow
from booking.transitions import TRANSITIONS
from booking.views import appointment_for_token, parse_moment, private_page


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def change(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the free times (so a mail scanner following the link changes nothing);
    POST "change" moves the visit; any other POST shows another day's or practitioner's
    free times (no JavaScript needed)."""
    appointment = appointment_for_token(token)
    window = BookingWindow.load()
    booking_settings = BookingSettings.load()
    cutoff = booking_settings.cancellation_cutoff_hours
    if not TRANSITIONS["change"].is_allowed(appointment, window.now, cutoff):
        messages.error(request, _refusal(appointment, window.now, cutoff))
        return redirect("booking:manage", token=token)
    if request.method == "POST" and request.POST.get("action") == "change":
        return _submit(request, token, appointment, window, booking_settings)
    initial = request.POST.dict() if request.method == "POST" else {}
    picked = parse_moment(initial.get("pick"))
    if picked:
        initial.update(date=picked.date(), time=f"{picked.astimezone(window.tz):%H:%M}")
    elif initial.get("show_day"):
        initial.update(date=initial["show_day"], time="")
    form = ChangeTimeForm(
        window=window,
        appointment=appointment,
        initial=initial,
        stays_confirmed=booking_settings.patient_changes_confirmed,
    )
    day = window.valid_day(initial.get("date")) or _first_day(window, appointment, form)
    form.initial["date"] = day
    return _render(request, token, form, day)


def _submit(request, token, appointment, window: BookingWindow, booking_settings):
    form = ChangeTimeForm(
        window=window,
        appointment=appointment,
        data=request.POST,
        stays_confirmed=booking_settings.patient_changes_confirmed,
    )
    day = window.valid_day(request.POST.get("date")) or window.today
    if not form.is_valid():
        return _render(request, token, form, day, status=400)
    start = form.start()
    try:
        changed = services.appointment_change_by_patient(
            appointment=appointment,
            start=start,
            practitioner=form.chosen_practitioner(),
            now=window.now,
        )
    except services.SlotUnavailable as unavailable:
        form.add_error("time", str(unavailable))
        treatment = appointment.treatment_type.as_treatment()
        alternatives = window.next_free_times(start, treatment, form.chosen_practitioner_id())
        return _render(request, token, form, day, alternatives, status=409)
    except services.TransitionNotAllowed as refused:
        messages.error(request, str(refused))
        return redirect("booking:manage", token=token)
    messages.success(request, _changed_message(changed))
    return redirect("booking:manage", token=token)


def _render(request, token, form: ChangeTimeForm, day, alternatives=(), status=200):
    offer = change_offer(form.window, form.appointment, day, form.chosen_practitioner_id())
    form.offer_times(offer.slots)
    context = {
        "form": form,
        "offer": offer,
        "appointment": form.appointment,
        "token": token,
        "alternatives": alternatives,
    }
    return private_page(render(request, "booking/change.html", context, status=status))


def _first_day(window: BookingWindow, appointment: AppointmentRequest, form: ChangeTimeForm):
    """The visit's own day while patients may still book on it, else the first free day."""
    own_day = window.valid_day(window.schedule.local_date(appointment.starts_at))
    treatment = appointment.treatment_type.as_treatment()
    return own_day or window.first_free_day(treatment, form.chosen_practitioner_id())


def _changed_message(appointment: AppointmentRequest) -> str:
    words = {"time": local_time(appointment.starts_at), "practitioner": appointment.practitioner}
    if appointment.is_confirmed:
        return (
            gettext(
                "Your visit is now on %(time)s with %(practitioner)s, and it is confirmed. "
                "We have sent you an e-mail."
            )
            % words
        )
    return (
        gettext(
            "Your visit is now on %(time)s with %(practitioner)s. It is waiting for our "
            "confirmation: we will e-mail you once we have confirmed it."
        )
        % words
    )


def _refusal(appointment: AppointmentRequest, now, cutoff_hours: int) -> str:
    if not TRANSITIONS["change"].timing_holds(appointment, now, cutoff_hours):
        return ngettext(
            "Online changes close %(hours)d hour before the visit. To change it now, please "
            "call us.",
            "Online changes close %(hours)d hours before the visit. To change it now, please "
            "call us.",
            cutoff_hours,
        ) % {"hours": cutoff_hours}
    return gettext("This visit can no longer be changed online.")
