"""A returning patient's pages: ask for a link, open it (a confirmation step first), and
their own page, open for a short while after, in a signed cookie holding the link's id."""

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from booking.ratelimit import sign_in_link_refused
from booking.returning import (
    LINK_MINUTES,
    PAGE_LIFETIME,
    SignInLink,
    patient_upcoming,
    returning_details,
)
from booking.services.returning import sign_in_link_request, sign_in_link_use
from booking.views import private_page

PAGE_COOKIE = "booking_returning"
PAGE_SALT = "booking.returning-page"
LINK_FORM_PREFIX = "returning"


class SignInLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("The address you booked with"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Please enter the e-mail address you booked with."),
            "invalid": _("Please enter an e-mail address like name@example.com."),
        },
    )


def link_form(data=None) -> SignInLinkForm:
    """Prefixed: on the booking page its field sits beside the booking form's own e-mail."""
    return SignInLinkForm(data, prefix=LINK_FORM_PREFIX)


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def sign_in_link_ask(request: HttpRequest) -> HttpResponse:
    """GET: the form on a page of its own. POST: the same answer for every address (the
    "sent" page, after a redirect); only a mistyped address is told so."""
    form = link_form(request.POST if request.method == "POST" else None)
    context = {"link_form": form, "link_minutes": LINK_MINUTES}
    if not form.is_bound:
        return render(request, "booking/returning/ask.html", context)
    if not form.is_valid():
        return render(request, "booking/returning/ask.html", context, status=400)
    email = form.cleaned_data["email"]
    if sign_in_link_refused(request, email=email):
        context["rate_limited"] = True
        return render(request, "booking/returning/ask.html", context, status=429)
    sign_in_link_request(email=email, language=request.LANGUAGE_CODE, now=timezone.now())
    return redirect("booking:sign_in_sent")


@never_cache
@require_safe
def sign_in_link_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "booking/returning/sent.html", {"link_minutes": LINK_MINUTES})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def sign_in(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks "continue?" (a mail scanner following the link uses nothing); POST uses the
    link and opens the patient's page. A used, expired or unknown link: one page for all."""
    now = timezone.now()
    if request.method != "POST":
        if SignInLink.objects.for_token(token).usable(now).exists():
            return private_page(render(request, "booking/returning/confirm.html"))
        return _link_not_valid(request)
    link = sign_in_link_use(token=token, now=now)
    if link is None:
        return _link_not_valid(request)
    response = redirect("booking:returning_page")
    response.set_signed_cookie(
        PAGE_COOKIE,
        link.pk,
        salt=PAGE_SALT,
        max_age=int(PAGE_LIFETIME.total_seconds()),
        path=reverse("booking:returning_page"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return private_page(response)


def _link_not_valid(request: HttpRequest) -> HttpResponse:
    context = {"link_form": link_form(), "link_minutes": LINK_MINUTES}
    return private_page(render(request, "booking/returning/invalid.html", context, status=410))


@never_cache
@require_safe
def returning_page(request: HttpRequest) -> HttpResponse:
    """The patient's page: their upcoming visits and "Book again" with their details."""
    now = timezone.now()
    link_id = request.get_signed_cookie(
        PAGE_COOKIE, default=None, salt=PAGE_SALT, max_age=PAGE_LIFETIME.total_seconds()
    )
    link = SignInLink.objects.filter(pk=link_id).first() if link_id else None
    if link is None or not link.page_is_open(now):
        return redirect("booking:sign_in_ask")
    context = {
        "upcoming": patient_upcoming(email=link.email, now=now),
        "details": returning_details(link.email),
        "open_until": link.used_at + PAGE_LIFETIME,
    }
    return private_page(render(request, "booking/returning/yours.html", context))
