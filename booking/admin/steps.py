"""Which service makes each staff change of the transition table (booking.transitions), and
the form that asks staff for words to the patient first."""

from collections.abc import Callable

from django import forms
from django.contrib.admin.widgets import AdminTextareaWidget
from django.utils.translation import gettext_lazy as _

from booking import services
from booking.models import AppointmentRequest

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
