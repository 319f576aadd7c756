"""The red-flag check before booking, and the gate that puts it before the form's times."""

import functools

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from booking.safety_check import (
    Outcome,
    SafetyCheckForm,
    forget_check,
    has_checked,
    mark_checked,
    sent_from_a_checked_form,
)
from clinic.cache import site_details

CHECK_TEMPLATE = "booking/safety_check.html"
OUTCOME_TEMPLATE = "booking/safety_outcome.html"


class HttpResponseSeeOther(HttpResponseRedirect):
    """After a POST, the next page is fetched with GET (and no answer travels on)."""

    status_code = 303


def check_form(**kwargs) -> SafetyCheckForm:
    return SafetyCheckForm(advice=site_details()[0].urgent_care, **kwargs)


def render_check(request: HttpRequest, form: SafetyCheckForm, status: int = 200) -> HttpResponse:
    template = OUTCOME_TEMPLATE if form.asks_seen_doctor else CHECK_TEMPLATE
    context = {"form": form, "outcome": Outcome.ASK_SEEN_DOCTOR}
    return render(request, template, context, status=status)


@sensitive_post_parameters()  # error reports never show the answers
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def safety_check(request: HttpRequest) -> HttpResponse:
    """GET asks the questions; POST answers them: on to the form, or what to do instead.
    The answers are only read here, never stored, logged or put in an address."""
    if request.method != "POST":
        return render_check(request, check_form(initial={"reason": request.GET.get("reason")}))
    form = check_form(data=request.POST)
    if not form.is_valid():
        return render_check(request, form, status=400)
    outcome = form.outcome()
    if outcome is Outcome.GO_ON:
        response = HttpResponseSeeOther(form.next_url())
        mark_checked(response)
        return response
    response = render(request, OUTCOME_TEMPLATE, {"form": form, "outcome": outcome})
    if outcome is not Outcome.ASK_SEEN_DOCTOR:
        forget_check(response)  # a sign that stops the booking: no way on to the times
    return response


def checked_first(view=None, *, fragment: bool = False):
    """The booking pages only after the check: without its cookie, a GET shows the check
    (keeping which condition page the patient came from), a POST goes back to it unless it
    comes from a form those pages showed (the cookie ran out while the patient typed), and
    the times' fragment (`fragment=True`) is refused."""

    def decorate(view):
        @functools.wraps(view)
        def gated(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if has_checked(request):
                return view(request, *args, **kwargs)
            if request.method == "POST" and sent_from_a_checked_form(request):
                return view(request, *args, **kwargs)  # nothing typed is lost
            if fragment:
                message = gettext("Please answer the questions about urgent signs first.")
                return HttpResponse(message, status=403, content_type="text/plain")
            if request.method == "POST":
                return HttpResponseSeeOther(reverse("booking:check"))
            return render_check(request, check_form(initial={"reason": request.GET.get("reason")}))

        return gated

    return decorate(view) if view else decorate
