"""The "join the waiting list" form: what the patient waits for, and how to reach them (the
same fields, checks and abuse guards as the request form)."""

import datetime

from django import forms
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from booking.forms import (
    FIRST_AVAILABLE,
    AppointmentRequestForm,
    PatientContactCleaning,
    _started_token,
)
from booking.models import TreatmentType
from booking.schedule import BookingWindow
from booking.services.waitlist import WaitlistWishes
from booking.waitlist import WEEKDAYS, PartOfDay, part_of_day_choices
from clinic.models import Practitioner

BASE = AppointmentRequestForm.base_fields


class WaitlistJoinForm(PatientContactCleaning, forms.Form):
    treatment = forms.ChoiceField(
        label=_("Which visit?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose the kind of visit.")},
    )
    practitioner = forms.ChoiceField(
        label=_("With whom?"),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Please choose one of the practitioners listed.")},
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Which days suit you?"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please choose at least one day.")},
    )
    parts_of_day = forms.MultipleChoiceField(
        label=_("Which times of day suit you?"),
        choices=part_of_day_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please choose at least one time of day.")},
    )
    until = forms.DateField(
        label=_("Until which date can you come?"),
        help_text=_("We offer you places up to this day, then take you off the list."),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Please choose the last day that suits you."),
            "invalid": _("Please enter a date like 2026-12-31."),
        },
    )
    first_name = BASE["first_name"]
    last_name = BASE["last_name"]
    email = BASE["email"]
    phone = BASE["phone"]
    consent = forms.BooleanField(
        error_messages={
            "required": _("Please agree to the privacy policy so we can keep you on the list.")
        },
    )
    website = BASE["website"]
    started = BASE["started"]

    def __init__(self, *args, window: BookingWindow, **kwargs):
        super().__init__(*args, **kwargs)
        self.window = window
        self.treatments = [t for t in window.diary.treatments if t.bookable_online]
        self.fields["treatment"].choices = [(str(t.id), t.name) for t in self.treatments]
        self.fields["practitioner"].choices = [
            (FIRST_AVAILABLE, _("Anyone")),
            *((str(p.id), p.name) for p in window.diary.practitioners),
        ]
        self.today, self.last_day = window.today, window.last_day
        self.fields["until"].widget.attrs.update(
            min=self.today.isoformat(), max=self.last_day.isoformat()
        )
        self.fields["email"].help_text = _("We e-mail you here when a place comes free.")
        self.fields["consent"].label = format_html(
            gettext(
                "I agree that the clinic keeps these details to offer me a place, as the "
                '<a href="{privacy_url}">privacy policy</a> explains.'
            ),
            privacy_url=reverse("clinic:page", kwargs={"slug": "privacy"}),
        )
        if not self.is_bound:
            self.initial.setdefault("started", _started_token())
            self.initial.setdefault("practitioner", FIRST_AVAILABLE)
            self.initial.setdefault("weekdays", list(range(7)))
            self.initial.setdefault("parts_of_day", PartOfDay.values)
            self.initial.setdefault("until", self.last_day)
            if not window.diary.treatment(self.initial.get("treatment")) and self.treatments:
                self.initial["treatment"] = str(self.treatments[0].id)

    def clean_until(self) -> datetime.date:
        until = self.cleaned_data["until"]
        if not self.today <= until <= self.last_day:
            raise forms.ValidationError(
                gettext("Please choose a day between %(first)s and %(last)s.")
                % {
                    "first": formats.date_format(self.today, "DATE_FORMAT"),
                    "last": formats.date_format(self.last_day, "DATE_FORMAT"),
                }
            )
        return until

    def clean(self) -> dict:
        cleaned = super().clean()
        practitioner = self.window.diary.practitioner(cleaned.get("practitioner"))
        treatment = cleaned.get("treatment")
        if practitioner and treatment and not practitioner.offers(int(treatment)):
            self.add_error(
                "practitioner",
                gettext("%(name)s does not offer this kind of visit. Please choose another.")
                % {"name": practitioner.name},
            )
        return cleaned

    filled_too_fast = AppointmentRequestForm.filled_too_fast
    is_honeypot_filled = AppointmentRequestForm.is_honeypot_filled
    restart_timer = AppointmentRequestForm.restart_timer

    def error_summary(self) -> list[tuple[str, str]]:
        items = [("", str(error)) for error in self.non_field_errors()]
        for name in self.fields:
            field = self[name]
            anchor = field.id_for_label or f"{field.auto_id}_0"
            items += [(anchor, str(error)) for error in field.errors]
        return items

    def wishes(self) -> WaitlistWishes:
        data = self.cleaned_data
        chosen = self.window.diary.practitioner(data["practitioner"])
        return WaitlistWishes(
            treatment_type=TreatmentType.objects.get(pk=data["treatment"]),
            practitioner=Practitioner.objects.get(pk=chosen.id) if chosen else None,
            weekdays=data["weekdays"],
            parts_of_day=data["parts_of_day"],
            until=data["until"],
        )
