"""The status changes staff make in the admin, each done by one service of booking.services,
with the words staff see for it and, where it e-mails the patient, the page that asks first
for a message."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib.admin.widgets import AdminTextareaWidget
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from booking import services
from booking.models import AppointmentRequest


@dataclass(frozen=True)
class Step:
    """A status change staff can make, done by one service in booking.services. A step with
    a `message_page` first asks staff for words to the patient."""

    label: str
    service: Callable[..., AppointmentRequest]
    done: str  # "%(count)d requests confirmed…", as ngettext_lazy(…, "count")
    message_page: "MessagePage | None" = None


@dataclass(frozen=True)
class MessagePage:
    title: str
    explains: str
    submit: str


STEPS = {
    "confirm": Step(
        _("Confirm"),
        services.appointment_confirm,
        ngettext_lazy(
            "%(count)d request confirmed. An e-mail goes to the patient.",
            "%(count)d requests confirmed. An e-mail goes to each patient.",
            "count",
        ),
    ),
    "decline": Step(
        _("Decline…"),
        services.appointment_decline,
        ngettext_lazy(
            "%(count)d request declined. An e-mail offering another time goes to the patient.",
            "%(count)d requests declined. An e-mail offering another time goes to each patient.",
            "count",
        ),
        MessagePage(
            _("Decline requests"),
            _(
                "Each patient gets an e-mail saying we cannot see them at that time, with a "
                "link to choose another."
            ),
            _("Decline and e-mail the patients"),
        ),
    ),
    "cancel_by_clinic": Step(
        _("Cancel visit…"),
        services.appointment_cancel_by_clinic,
        ngettext_lazy(
            "%(count)d visit cancelled by the clinic. An e-mail offering another time goes to "
            "the patient.",
            "%(count)d visits cancelled by the clinic. An e-mail offering another time goes to "
            "each patient.",
            "count",
        ),
        MessagePage(
            _("Cancel confirmed visits"),
            _(
                "These visits were confirmed. Each patient gets an e-mail saying that we have "
                "had to cancel, with a link to choose another time."
            ),
            _("Cancel the visits and e-mail the patients"),
        ),
    ),
    "complete": Step(
        _("Mark completed"),
        services.appointment_complete,
        ngettext_lazy(
            "%(count)d visit marked completed.", "%(count)d visits marked completed.", "count"
        ),
    ),
    "no_show": Step(
        _("Mark no-show"),
        services.appointment_mark_no_show,
        ngettext_lazy(
            "%(count)d visit marked no-show.", "%(count)d visits marked no-show.", "count"
        ),
    ),
}


class MessageForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the patient (optional)"),
        required=False,
        max_length=1000,
        widget=AdminTextareaWidget(attrs={"rows": 4}),
        help_text=_("Added to the e-mail that offers another time. No health details, please."),
    )
