"""The radios the booking pages write by hand (a busy day has dozens of times; the visits
and practitioners carry what the page's script needs), and the free times both the request
form and the patient's change form offer."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django import forms
from django.utils import dateformat, formats
from django.utils.translation import gettext_lazy as _

from booking.availability import FreeTime
from booking.schedule import PractitionerChoice, TreatmentChoice


@dataclass(frozen=True)
class TimeOption:
    """One free time's radio: its value, its label, its id, and whether it is chosen."""

    value: str
    label: str
    id: str
    checked: bool


@dataclass(frozen=True)
class TreatmentOption:
    """One kind of visit's radio, with its length and description."""

    treatment: TreatmentChoice
    id: str
    checked: bool

    @property
    def minutes(self) -> int:
        return self.treatment.treatment.minutes


@dataclass(frozen=True)
class PractitionerOption:
    """One practitioner's radio ("First available" has no practitioner), with the ids of
    the kinds of visit they offer, for the script that hides the others."""

    value: str
    label: str
    id: str
    checked: bool
    practitioner: PractitionerChoice | None = None

    @property
    def treatment_ids(self) -> str:
        if self.practitioner is None:
            return ""
        return " ".join(str(pk) for pk in sorted(self.practitioner.treatment_ids))


def radio_id(field: forms.BoundField, index: int) -> str:
    """The id Django's RadioSelect would give the radio (so error links find it)."""
    return f"{field.auto_id}_{index}"


def chosen_value(field: forms.BoundField) -> str:
    value = field.value()
    return "" if value is None else str(value)


def check_bookable_day(
    day: datetime.date, today: datetime.date, horizon: datetime.date
) -> datetime.date:
    """A day patients may book on: not past, not beyond the horizon."""
    if day < today:
        raise forms.ValidationError(_("That day has passed. Please choose today or a later day."))
    if day > horizon:
        raise forms.ValidationError(
            _("We take requests up to %(day)s. Please choose an earlier day or call us."),
            params={"day": formats.date_format(horizon, "DATE_FORMAT")},
        )
    return day


class FreeTimesMixin:
    """A form whose `time` radios are the free times of one day."""

    tz: ZoneInfo

    def offer_times(self, slots: list[FreeTime]) -> None:
        """The free times the form shows (any time is checked again when it is booked)."""
        time_format = formats.get_format("TIME_FORMAT")
        self.fields["time"].widget.choices = [
            (
                f"{slot.start.astimezone(self.tz):%H:%M}",
                dateformat.time_format(slot.start.astimezone(self.tz), time_format),
            )
            for slot in slots
        ]

    def time_options(self) -> list[TimeOption]:
        """The free times' radios as times.html writes them: what Django's RadioSelect would
        give each one, without building its subwidgets."""
        field = self["time"]
        chosen = chosen_value(field)
        return [
            TimeOption(value, label, radio_id(field, index), value == chosen)
            for index, (value, label) in enumerate(self.fields["time"].widget.choices)
        ]

    def start(self) -> datetime.datetime:
        """The chosen day and time as an aware moment in the clinic's time zone."""
        local = datetime.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        return local.replace(tzinfo=self.tz)
