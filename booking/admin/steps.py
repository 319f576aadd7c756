"""Which service makes each staff change of the transition table (booking.transitions), the
form that asks staff for words to the patient first, and the one-click steps of a visit."""

import datetime
from collections.abc import Callable

from django import forms
from django.contrib.admin.widgets import AdminTextareaWidget
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from booking import services
from booking.models import AppointmentRequest
from booking.transitions import transitions_allowed

SERVICE_OF: dict[str, Callable[..., AppointmentRequest]] = {
    "confirm": services.appointment_confirm,
    "decline": services.appointment_decline,
    "cancel_by_clinic": services.appointment_cancel_by_clinic,
    "arrive": services.appointment_arrive,
    "complete": services.appointment_complete,
    "no_show": services.appointment_mark_no_show,
}


class MessageForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the patient (optional)"),
        required=False,
        max_length=1000,
        widget=AdminTextareaWidget(attrs={"rows": 4}),
        help_text=_("Added to the e-mail that offers another time. No health details, please."),
    )


def quick_steps(appointment: AppointmentRequest, now: datetime.datetime) -> list[dict]:
    """The status steps allowed now that need no page of their own (check in, completed,
    no-show): a button each on the start page and the day's pages, POSTed to the step's
    URL. Nothing is read from the database."""
    return [
        {
            "name": transition.name,
            "label": transition.label,
            "url": reverse(
                f"admin:booking_appointmentrequest_{transition.name}", args=[appointment.pk]
            ),
        }
        for transition in transitions_allowed(appointment, now)
        if transition.message_page is None
    ]
