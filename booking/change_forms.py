"""The patient's own change of time from the manage page: the same kind of visit, with the
same practitioner or the first available, on a day and at a free time."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from booking.availability import wall_time_exists
from booking.form_options import (
    FreeTimesMixin,
    PractitionerOption,
    check_bookable_day,
    chosen_value,
    radio_id,
)
from booking.models import AppointmentRequest
from booking.schedule import BookingWindow, DayOffer
from clinic.models import Practitioner

FIRST_AVAILABLE = "any"


class ChangeTimeForm(FreeTimesMixin, forms.Form):
    practitioner = forms.ChoiceField(
        label=_("With whom?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose a practitioner, or “First available”."),
            "invalid_choice": _("Please choose one of the practitioners in the list."),
        },
    )
    date = forms.DateField(
        label=_("New day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Please choose a day."),
            "invalid": _("Please enter the day as a date, for example 2026-12-01."),
        },
    )
    time = forms.TimeField(
        label=_("New time"),
        input_formats=["%H:%M"],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose a time."),
            "invalid": _("Please choose one of the times in the list."),
        },
    )

    def __init__(
        self,
        *args,
        window: BookingWindow,
        appointment: AppointmentRequest,
        stays_confirmed: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.window, self.appointment, self.tz = window, appointment, window.tz
        self.stays_confirmed = stays_confirmed  # BookingSettings.patient_changes_confirmed
        self.today, self.horizon = window.today, window.last_day
        same = window.diary.practitioner(appointment.practitioner_id)
        self.offers_the_same = bool(same and same.offers(appointment.treatment_type_id))
        choices = [(str(same.id), same.name)] if self.offers_the_same else []
        self.fields["practitioner"].choices = [*choices, (FIRST_AVAILABLE, _("First available"))]
        self.fields["date"].widget.attrs.update(
            min=self.today.isoformat(), max=self.horizon.isoformat()
        )
        values = [value for value, _label in self.fields["practitioner"].choices]
        if not self.is_bound and str(self.initial.get("practitioner")) not in values:
            self.initial["practitioner"] = values[0]  # the same practitioner, if they can

    def chosen_practitioner_id(self) -> int | None:
        """The visit's practitioner if kept, or None for the first available."""
        kept = self.offers_the_same and chosen_value(self["practitioner"]) == str(
            self.appointment.practitioner_id
        )
        return self.appointment.practitioner_id if kept else None

    def chosen_practitioner(self) -> Practitioner | None:
        return self.appointment.practitioner if self.chosen_practitioner_id() else None

    def practitioner_options(self) -> list[PractitionerOption]:
        field = self["practitioner"]
        chosen = chosen_value(field)
        return [
            PractitionerOption(value, label, radio_id(field, index), value == chosen)
            for index, (value, label) in enumerate(self.fields["practitioner"].choices)
        ]

    def clean_date(self) -> datetime.date:
        return check_bookable_day(self.cleaned_data["date"], self.today, self.horizon)

    def clean(self) -> dict:
        cleaned = super().clean()
        if not (cleaned.get("date") and cleaned.get("time")):
            return cleaned
        if not wall_time_exists(self.start(), self.tz):
            self.add_error("time", _("That time does not exist on that day: the clocks change."))
        elif self.start() == self.appointment.starts_at:
            self.add_error(
                "time", _("That is the time your visit has now. Please choose another time.")
            )
        return cleaned

    def error_summary(self) -> list[tuple[str, str]]:
        """Every error with the id of the control it is about, for the summary's links."""
        items = [("", str(error)) for error in self.non_field_errors()]
        for name in self.fields:
            field = self[name]
            anchor = field.id_for_label or radio_id(field, 0)
            if name == "time" and not self.fields["time"].widget.choices:
                anchor = self["date"].id_for_label
            items += [(anchor, str(error)) for error in field.errors]
        return items


def change_offer(
    window: BookingWindow, appointment: AppointmentRequest, day: datetime.date, practitioner_id
) -> DayOffer:
    """The free times of a day for this visit's treatment, as if the visit were not booked
    (its own place is free to overlap), less its current start: two queries at most."""
    treatment = appointment.treatment_type.as_treatment()
    return window.day_offer(day, treatment, practitioner_id, excluding=appointment)
