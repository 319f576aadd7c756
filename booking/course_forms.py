"""The booking form's optional course of visits: how many, how often, and the weekday and
time the visits after the first should be at (the first is the one chosen above, with the
practitioner chosen there, or the first available)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booking.course_plan import CourseAsked
from booking.courses import MAX_VISITS, MIN_VISITS, Frequency
from booking.services import Place
from clinic.models import Weekday

STARTS_SEPARATOR = ","


class CourseForm(forms.Form):
    """Read from the same POST as the request form: every field is optional until the
    patient ticks "course"."""

    course = forms.BooleanField(
        label=_("I would like a course of visits"),
        required=False,
        help_text=_("For follow-up visits: we propose every date before anything is sent."),
    )
    course_visits = forms.IntegerField(
        label=_("How many visits, this one included?"),
        required=False,
        min_value=MIN_VISITS,
        max_value=MAX_VISITS,
        initial=6,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": _("Please enter the number of visits, from 2 to 12."),
            "min_value": _("A course has at least 2 visits."),
            "max_value": _("A course has at most 12 visits. For more, please call us."),
        },
    )
    course_frequency = forms.ChoiceField(
        label=_("How often?"),
        required=False,
        choices=Frequency.choices,
        initial=Frequency.WEEKLY,
        widget=forms.RadioSelect,
        help_text=_("Twice a week: on your day and three days later."),
        error_messages={"invalid_choice": _("Please choose how often from the list.")},
    )
    course_weekday = forms.TypedChoiceField(
        label=_("Which day of the week suits you?"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("The same day as this visit")), *Weekday.choices],
        error_messages={"invalid_choice": _("Please choose a day of the week from the list.")},
    )
    course_time = forms.TimeField(
        label=_("At what time? (optional)"),
        required=False,
        input_formats=["%H:%M"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Empty: the same time as this visit."),
        error_messages={"invalid": _("Please enter a time like 10:30.")},
    )
    # The starts the patient was shown, to check nothing changed before storing.
    course_starts = forms.CharField(widget=forms.HiddenInput, required=False)
    # The first visit they were shown the dates for (a change of it is theirs, not a race).
    course_first = forms.CharField(widget=forms.HiddenInput, required=False)

    @property
    def wants_course(self) -> bool:
        return self.is_valid() and bool(self.cleaned_data["course"])

    def clean(self) -> dict:
        cleaned = super().clean()
        missing = cleaned.get("course_visits") is None and "course_visits" not in self.errors
        if cleaned.get("course") and missing:
            self.add_error("course_visits", _("Please enter the number of visits, 2 to 12."))
        return cleaned

    def asked(self, first: Place) -> CourseAsked:
        """The course as asked for, after the first visit (its place, as chosen)."""
        data = self.cleaned_data
        local = timezone.localtime(first.start)
        weekday = data["course_weekday"]
        return CourseAsked(
            first_start=first.start,
            treatment=first.treatment,
            practitioner_id=first.practitioner_id,
            count=data["course_visits"],
            frequency=data["course_frequency"] or Frequency.WEEKLY,
            weekday=local.weekday() if weekday is None else weekday,
            time=data["course_time"] or local.time().replace(tzinfo=None),
        )

    def errors_with_anchors(self) -> list[tuple[str, str]]:
        items = []
        for name in self.fields:
            field = self[name]
            anchor = field.id_for_label or f"{field.auto_id}_0"
            items += [(anchor, str(error)) for error in field.errors]
        return items


def starts_text(starts: list[datetime.datetime]) -> str:
    return STARTS_SEPARATOR.join(start.isoformat() for start in starts)
