"""The patient's side of the waiting list: joining it, the entry's own page (to leave it),
and the page of a place offered to them (take it, or let it go to the next person)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from booking import services
from booking.cookies import PrivateCookie
from booking.models import AppointmentRequest, Status
from booking.ratelimit import booking_attempt_refused
from booking.safety_views import checked_first
from booking.schedule import BookingWindow
from booking.services import waitlist
from booking.views import appointment_for_token, private_page
from booking.waitlist import WaitlistEntry
from booking.waitlist_forms import WaitlistJoinForm

JOINED = PrivateCookie("waitlist_joined", "booking.waitlist-joined", "booking:waitlist_joined")


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@checked_first  # the red-flag check comes before the waiting list too
def waitlist_join(request: HttpRequest) -> HttpResponse:
    """GET shows the form (treatment and practitioner may come from the booking form's
    GET parameters); POST puts the patient on the list (post/redirect/get)."""
    window = BookingWindow.load()
    if request.method != "POST":
        initial = {key: request.GET.get(key) for key in ("treatment", "practitioner")}
        form = WaitlistJoinForm(window=window, initial={k: v for k, v in initial.items() if v})
        return _render(request, form)
    form = WaitlistJoinForm(window=window, data=request.POST)
    if not form.is_valid():
        return _render(request, form, status=400)
    if form.is_honeypot_filled or form.filled_too_fast:
        form.restart_timer()
        form.add_error(None, gettext("Please check your details and press “Join” again."))
        return _render(request, form, status=400)
    data = form.cleaned_data
    if booking_attempt_refused(request, email=data["email"], phone=data["phone"]):
        return _render(request, form, status=429)
    entry = waitlist.waitlist_join(
        wishes=form.wishes(),
        first_name=data["first_name"],
        last_name=data["last_name"],
        email=data["email"],
        phone=data["phone"],
        consent_at=window.now,
    )
    response = redirect("booking:waitlist_joined")
    JOINED.give(response, entry.pk)
    return response


def _render(request, form: WaitlistJoinForm, status: int = 200) -> HttpResponse:
    context = {"form": form, "rate_limited": status == 429}
    return render(request, "booking/waitlist_join.html", context, status=status)


@never_cache
def waitlist_joined(request: HttpRequest) -> HttpResponse:
    """The thank-you page: what was stored, what happens next, the entry's own page."""
    entry_id = JOINED.read(request)
    entry = WaitlistEntry.objects.select_related("treatment_type", "practitioner").filter(
        pk=entry_id
    )
    if not entry:
        return redirect("booking:waitlist_join")
    return private_page(render(request, "booking/waitlist_joined.html", {"entry": entry[0]}))


def entry_for(reference: str, token: str) -> WaitlistEntry:
    entry = get_object_or_404(
        WaitlistEntry.objects.select_related("treatment_type", "practitioner"),
        reference=reference,
        anonymised_at__isnull=True,
    )
    if not constant_time_compare(entry.token, token):
        raise Http404
    return entry


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def waitlist_entry(request: HttpRequest, reference: str, token: str) -> HttpResponse:
    """The entry's own page: what the patient waits for; POST takes them off the list."""
    entry = entry_for(reference, token)
    if request.method == "POST":
        waitlist.waitlist_leave(entry=entry)
        messages.success(request, gettext("You are off the waiting list."))
        return redirect("booking:waitlist_entry", reference=reference, token=token)
    return private_page(render(request, "booking/waitlist_entry.html", {"entry": entry}))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def waitlist_offer(request: HttpRequest, token: str) -> HttpResponse:
    """A place held for the patient. GET shows it with "Take this place" (a mail scanner
    following the e-mail's link takes nothing); POST takes it, or lets it go."""
    appointment = appointment_for_token(token)
    if appointment.waitlist_entry_id is None and appointment.status != Status.HELD:
        raise Http404
    if request.method == "POST":
        return _answer_offer(request, appointment, token)
    if not appointment.is_offer_not_taken_up:
        return redirect("booking:manage", token=token)  # taken: the visit's own page
    context = {"appointment": appointment, "token": token}
    return private_page(render(request, "booking/waitlist_offer.html", context))


def _answer_offer(request, appointment: AppointmentRequest, token: str) -> HttpResponse:
    take = request.POST.get("action") == "take"
    service = waitlist.waitlist_claim if take else waitlist.waitlist_turn_down
    try:
        service(appointment=appointment, now=timezone.now())
    except services.TransitionNotAllowed as refused:
        messages.error(request, str(refused))
        return redirect("booking:waitlist_offer", token=token)
    if take:
        messages.success(
            request,
            gettext("The place is yours: your visit is booked. We have sent you an e-mail."),
        )
        return redirect("booking:manage", token=token)
    messages.success(
        request, gettext("Thank you for telling us. We have offered the place to someone else.")
    )
    return redirect("booking:waitlist_offer", token=token)
