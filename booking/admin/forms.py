"""The front desk's forms for taking a place in the diary: which treatment, practitioner and
day (step 1, which shows the free times), then the time and, for a new visit, the patient.

The forms only read what staff typed; whether the place can be taken is the services' rule.
"""

import datetime

from django import forms
from django.contrib.admin import widgets
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from booking.availability import FreeTime, Treatment
from booking.forms import PatientContactCleaning
from booking.schedule import Diary, PractitionerChoice
from booking.services import PatientDetails
from booking.validators import validate_person_name

PATIENT_TYPES = [("new", _("New patient")), ("returning", _("Returning patient"))]
PATIENT_FIELDS = (
    "first_name", "last_name", "phone", "email", "patient_type", "consent", "staff_notes",
)  # fmt: skip
DAYS_AHEAD = 365  # booking.schedule.for_staff: the front desk books a year ahead


def _date_input() -> forms.DateInput:
    # A native date picker: works without the admin's calendar script.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VisitChoiceForm(forms.Form):
    """Step 1: the treatment (fixed when a visit moves), the practitioner and the day."""

    treatment = forms.TypedChoiceField(
        label=_("Treatment"),
        coerce=int,
        help_text=_("All active treatments, including those not bookable online."),
    )
    practitioner = forms.TypedChoiceField(label=_("Practitioner"), coerce=int, empty_value=None)
    day = forms.DateField(label=_("Day of the visit"), widget=_date_input())

    def __init__(
        self,
        *args,
        diary: Diary,
        now: datetime.datetime,
        treatment_id=None,
        offered_by: PractitionerChoice | None = None,
        **kwargs,
    ):
        """`offered_by`: a practitioner chosen beforehand (from the calendar), whose
        treatments alone are offered."""
        super().__init__(*args, **kwargs)
        self.diary, self.now, self.fixed_treatment_id = diary, now, treatment_id
        people = diary.practitioners
        if treatment_id is None:
            treatments = diary.treatments
            if offered_by is not None:
                treatments = [t for t in treatments if offered_by.offers(t.id)]
            self.fields["treatment"].choices = [(t.id, t.name) for t in treatments]
        else:
            del self.fields["treatment"]
            people = diary.practitioners_offering(treatment_id)
        choices = [(p.id, p.name) for p in people]
        if treatment_id is None:  # a new visit: the first available one too, as online (last,
            # so that the page still opens on a practitioner's free times)
            choices.append(("", _("First available")))
            self.fields["practitioner"].required = False
            self.fields["practitioner"].initial = people[0].id if people else None
        self.fields["practitioner"].choices = choices

    @property
    def today(self) -> datetime.date:
        return self.diary.schedule.local_date(self.now)

    def clean_day(self) -> datetime.date:
        day = self.cleaned_data["day"]
        if day < self.today:
            raise forms.ValidationError(_("Choose today or a later day."))
        if day > self.today + datetime.timedelta(days=DAYS_AHEAD):
            raise forms.ValidationError(_("The diary goes only a year ahead."))
        return day

    def clean(self) -> dict:
        cleaned = super().clean()
        person = self.diary.practitioner(cleaned.get("practitioner"))
        treatment_id = self.fixed_treatment_id or cleaned.get("treatment")
        if person and treatment_id and not person.offers(treatment_id):
            offering = [p.name for p in self.diary.practitioners_offering(treatment_id)]
            self.add_error(
                "practitioner",
                _("%(name)s does not offer this treatment. Who does: %(offering)s.")
                % {"name": person.name, "offering": ", ".join(offering) or "—"},
            )
        return cleaned

    @property
    def chosen_practitioner(self) -> PractitionerChoice | None:
        """The practitioner chosen, or None for “first available”."""
        return self.diary.practitioner(self.cleaned_data["practitioner"])

    @property
    def chosen_treatment(self) -> Treatment | None:
        """The treatment chosen in this form (None when the visit's own is fixed)."""
        if self.fixed_treatment_id is not None:
            return None
        return self.diary.treatment(self.cleaned_data["treatment"]).treatment


class OfferedTimeField(forms.ChoiceField):
    """The free times as radio buttons, read back as the moment chosen. A time taken since
    the page was shown is not refused here: the service says so, and the page then offers
    the next free times."""

    def valid_value(self, value) -> bool:
        return True

    def to_python(self, value) -> datetime.datetime | None:
        if value in self.empty_values:
            return None
        try:
            moment = datetime.datetime.fromisoformat(str(value))
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise forms.ValidationError(_("Choose one of the free times."), code="invalid")
        return moment


class VisitTimeForm(forms.Form):
    """Step 2: one of the free times offered, or, to overbook on purpose, any time typed,
    with the reason."""

    time = OfferedTimeField(
        label=_("Free times"),
        required=False,
        widget=widgets.AdminRadioSelect(attrs={"class": "radiolist inline"}),
    )
    other_time = forms.TimeField(
        label=_("Another time (overbooking only)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Any time that day, even one that is taken or outside the hours."),
    )
    overbook = forms.BooleanField(
        label=_("Overbook deliberately"),
        required=False,
        help_text=_("The visit is kept even though the practitioner is not free then."),
    )
    overbook_reason = forms.CharField(
        label=_("Why overbook?"),
        required=False,
        max_length=500,
        widget=widgets.AdminTextareaWidget(attrs={"rows": 2}),
        help_text=_("Kept in the audit trail. No health details, please."),
    )

    def __init__(self, *args, slots: list[FreeTime], day: datetime.date, tz, **kwargs):
        super().__init__(*args, **kwargs)
        self.day, self.tz = day, tz
        self.offer(slots)

    def offer(self, slots: list[FreeTime]) -> None:
        """The radio buttons: each free time, its value the start in UTC (never ambiguous on
        the night the clocks go back), its label the clinic's time."""
        self.slots = slots
        day = formats.date_format(self.day, "MONTH_DAY_FORMAT")
        self.fields["time"].label = _("Free times on %(day)s") % {"day": day}
        self.fields["time"].choices = [
            (slot.start.isoformat(), formats.time_format(slot.start.astimezone(self.tz)))
            for slot in slots
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        overbook, reason = cleaned.get("overbook"), (cleaned.get("overbook_reason") or "").strip()
        typed = cleaned.get("other_time")
        if overbook and not reason:
            self.add_error("overbook_reason", _("Write why this visit is overbooked."))
        if typed and not overbook:
            self.add_error(
                "other_time",
                _("A time not offered is an overbooking: tick “Overbook deliberately”, say why."),
            )
        chosen = cleaned.get("time")
        if not typed and not chosen and "time" not in self.errors:
            self.add_error("time", _("Choose one of the free times."))
        elif not typed and chosen and chosen.astimezone(self.tz).date() != self.day:
            self.add_error(
                "time", _("That time is on another day: press “Show free times” and choose again.")
            )
        cleaned["overbook_reason"] = reason if overbook else ""
        return cleaned

    @property
    def start(self) -> datetime.datetime:
        typed = self.cleaned_data.get("other_time")
        if typed:
            return datetime.datetime.combine(self.day, typed, tzinfo=self.tz)
        return self.cleaned_data["time"]

    @property
    def reason_for_overbooking(self) -> str:
        """The reason, only when staff ticked "overbook" (else "": the service then refuses
        a time that is not free)."""
        return self.cleaned_data["overbook_reason"]


class StaffBookingForm(PatientContactCleaning, VisitTimeForm):
    """A visit booked for a patient who phoned or walked in."""

    first_name = forms.CharField(
        label=_("First name"), max_length=100, validators=[validate_person_name]
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=100, validators=[validate_person_name]
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=30, widget=forms.TextInput(attrs={"type": "tel"})
    )
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        max_length=254,
        help_text=_("If given, the patient gets the confirmation with the calendar file."),
    )
    patient_type = forms.ChoiceField(
        label=_("New or returning?"),
        choices=PATIENT_TYPES,
        widget=widgets.AdminRadioSelect(attrs={"class": "radiolist inline"}),
    )
    consent = forms.BooleanField(
        label=_("The patient agreed to the privacy policy"),
        error_messages={
            "required": _("Ask the patient to agree to the privacy policy: without it the "
                          "visit cannot be stored.")
        },
    )  # fmt: skip
    staff_notes = forms.CharField(
        label=_("Staff notes (optional)"),
        required=False,
        widget=widgets.AdminTextareaWidget(attrs={"rows": 3}),
        help_text=_("Only staff see these. Keep health details to what is needed."),
    )

    def patient_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in PATIENT_FIELDS]

    def patient_details(self) -> PatientDetails:
        return PatientDetails.from_form(self.cleaned_data)


class MoveForm(VisitTimeForm):
    tell_patient = forms.BooleanField(
        label=_("Tell the patient (e-mail with the new time and calendar file)"),
        required=False,
        initial=True,
    )
