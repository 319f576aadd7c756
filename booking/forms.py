"""The patient's appointment request form: fields, plain-language errors, abuse checks."""

import datetime

from django import forms
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from booking.availability import Treatment, wall_time_exists
from booking.display import stored_phone
from booking.form_options import (
    FreeTimesMixin,
    PractitionerOption,
    TreatmentOption,
    check_bookable_day,
    chosen_value,
    radio_id,
)
from booking.schedule import BookingWindow, TreatmentChoice
from booking.services import PatientDetails, Place
from booking.validators import validate_person_name, validate_plain_text
from clinic.cache import cached_for_this_version
from conditions.models import Condition

OTHER_REASON = "other"
FIRST_AVAILABLE = "any"
PATIENT_TYPES = [("new", _("I am a new patient")), ("returning", _("I have been here before"))]
FORM_STARTED_SALT = "booking.form-started"
# The fields of the cached "Your details" block (whether new or returning is asked earlier).
DETAIL_FIELDS = ("first_name", "last_name", "email", "phone", "note", "website")


class PatientContactCleaning:
    """How every form a patient's details are typed into cleans them: names on one line,
    the phone number as stored (E.164) or a message saying what to fix."""

    def clean_phone(self) -> str:
        phone = stored_phone(self.cleaned_data["phone"])
        if not phone:
            raise forms.ValidationError(
                _("Please enter a phone number we can call, including the area code.")
            )
        return phone

    def clean_first_name(self) -> str:
        return single_line(self.cleaned_data["first_name"])

    def clean_last_name(self) -> str:
        return single_line(self.cleaned_data["last_name"])


class AppointmentRequestForm(PatientContactCleaning, FreeTimesMixin, forms.Form):
    # The page's order, which the error summary follows.
    field_order = ["reason", "patient_type", "treatment", "practitioner", "date", "time"]

    reason = forms.ChoiceField(
        label=_("What would you like help with?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose what you would like help with."),
            "invalid_choice": _("Please choose one of the reasons in the list."),
        },
    )
    # Not required: a page opened before these fields existed (or a bare POST) gets the
    # suggested treatment and the first available practitioner (see clean_treatment).
    treatment = forms.ChoiceField(
        label=_("Which visit?"),
        required=False,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose the kind of visit."),
            "invalid_choice": _("Please choose one of the visits in the list."),
        },
    )
    practitioner = forms.ChoiceField(
        label=_("With whom?"),
        required=False,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose a practitioner, or “First available”."),
            "invalid_choice": _("Please choose one of the practitioners in the list."),
        },
    )
    date = forms.DateField(
        label=_("Day of your visit"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Please choose a day."),
            "invalid": _("Please enter the day as a date, for example 2026-12-01."),
        },
    )
    time = forms.TimeField(
        label=_("Time"),
        input_formats=["%H:%M"],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose a time."),
            "invalid": _("Please choose one of the times in the list."),
        },
    )
    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        validators=[validate_person_name],
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"required": _("Please enter your first name.")},
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        validators=[validate_person_name],
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        error_messages={"required": _("Please enter your last name.")},
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("We send your confirmation here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Please enter your e-mail address."),
            "invalid": _("Please enter an e-mail address like name@example.com."),
        },
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        help_text=_("In case we need to reach you about the time."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        error_messages={"required": _("Please enter your phone number.")},
    )
    patient_type = forms.ChoiceField(
        label=_("Have you been to our clinic before?"),
        choices=PATIENT_TYPES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please tell us if you are new or have been here before.")},
    )
    note = forms.CharField(
        label=_("Anything we should know? (optional)"),
        required=False,
        max_length=500,
        validators=[validate_plain_text],
        help_text=_(
            "At most 500 characters, for example access needs. Please do not write "
            "medical details here: we will ask about your health at the visit."
        ),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
        error_messages={
            "max_length": _("Please shorten your note to 500 characters (it has %(show_value)d).")
        },
    )
    consent = forms.BooleanField(
        error_messages={
            "required": _("Please agree to the privacy policy so we can handle your request.")
        },
    )
    # A field people never see; automated form fillers often complete it.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, window: BookingWindow, **kwargs):
        super().__init__(*args, **kwargs)
        self.tz = window.tz
        self.reasons = {condition.slug: condition for condition in published_reasons()}
        self.fields["reason"].choices = [
            *((slug, condition.name) for slug, condition in self.reasons.items()),
            (OTHER_REASON, _("Something else")),
        ]
        self.window = window
        self.treatments = [t for t in window.diary.treatments if t.bookable_online]
        self.fields["treatment"].choices = [(str(t.id), t.name) for t in self.treatments]
        self.fields["practitioner"].choices = [
            (FIRST_AVAILABLE, _("First available")),
            *((str(p.id), p.name) for p in window.diary.practitioners),
        ]
        self.today, self.horizon = window.today, window.last_day
        self.fields["date"].widget.attrs.update(
            min=self.today.isoformat(), max=self.horizon.isoformat()
        )
        privacy_url = reverse("clinic:page", kwargs={"slug": "privacy"})
        self.fields["consent"].label = format_html(
            gettext(
                "I agree that the clinic stores these details to arrange my visit, as the "
                '<a href="{privacy_url}">privacy policy</a> explains.'
            ),
            privacy_url=privacy_url,
        )
        if not self.is_bound:
            self.initial.setdefault("started", _started_token())
            self.initial.setdefault("practitioner", FIRST_AVAILABLE)
            if not window.diary.treatment(self.initial.get("treatment")):
                self.initial["treatment"] = self.suggested_treatment()

    def suggested_treatment(self) -> str:
        """The first-visit type for a new patient (or one who has not said), a follow-up
        for a returning one."""
        is_new = self["patient_type"].value() != "returning"
        matching = [t for t in self.treatments if t.for_new_patients == is_new]
        chosen = (matching or self.treatments or [None])[0]
        return str(chosen.id) if chosen else ""

    def chosen_treatment(self) -> TreatmentChoice | None:
        """The treatment the free times are shown for: as chosen, or as suggested."""
        chosen = self.window.diary.treatment(self["treatment"].value())
        if chosen is None or not chosen.bookable_online:
            chosen = self.window.diary.treatment(self.suggested_treatment())
        return chosen

    def chosen_practitioner_id(self) -> int | None:
        """The practitioner chosen, or None for the first available."""
        chosen = self.window.diary.practitioner(self["practitioner"].value())
        return chosen.id if chosen else None

    def treatment_options(self) -> list[TreatmentOption]:
        """Each online kind of visit's radio, the chosen (or suggested) one checked."""
        chosen = self.chosen_treatment()
        field = self["treatment"]
        return [
            TreatmentOption(t, radio_id(field, index), chosen is not None and t.id == chosen.id)
            for index, t in enumerate(self.treatments)
        ]

    def practitioner_options(self) -> list[PractitionerOption]:
        """“First available”, then each practitioner taking bookings, the chosen one checked."""
        field = self["practitioner"]
        people = {str(p.id): p for p in self.window.diary.practitioners}
        chosen = chosen_value(field)
        chosen = chosen if chosen in people else FIRST_AVAILABLE
        return [
            PractitionerOption(
                value, label, radio_id(field, index), value == chosen, people.get(value)
            )
            for index, (value, label) in enumerate(self.fields["practitioner"].choices)
        ]

    def clean_date(self) -> datetime.date:
        return check_bookable_day(self.cleaned_data["date"], self.today, self.horizon)

    def clean(self) -> dict:
        cleaned = super().clean()
        chosen = cleaned.get("date") and cleaned.get("time")
        if chosen and not wall_time_exists(self.start(), self.tz):
            self.add_error("time", _("That time does not exist on that day: the clocks change."))
        self._check_treatment_suits_the_patient(cleaned)
        self._check_practitioner_offers_it(cleaned)
        return cleaned

    def _check_treatment_suits_the_patient(self, cleaned: dict) -> None:
        treatment = self.window.diary.treatment(cleaned.get("treatment"))
        if treatment is None:
            if "treatment" in cleaned:  # nothing to choose from: online booking is closed
                self.add_error("treatment", self.fields["treatment"].error_messages["required"])
            return
        if "patient_type" not in cleaned:
            return
        is_new = cleaned["patient_type"] == "new"
        if is_new and not treatment.for_new_patients:
            first_visits = [t.name for t in self.treatments if t.for_new_patients]
            if first_visits:
                self.add_error(
                    "treatment",
                    gettext("As a new patient, please choose “%(name)s”.")
                    % {"name": first_visits[0]},
                )
        elif not is_new and treatment.for_new_patients:
            self.add_error(
                "treatment",
                gettext("“%(name)s” is for new patients. Please choose a follow-up visit.")
                % {"name": treatment.name},
            )

    def _check_practitioner_offers_it(self, cleaned: dict) -> None:
        treatment = self.window.diary.treatment(cleaned.get("treatment"))
        practitioner = self.window.diary.practitioner(cleaned.get("practitioner"))
        if treatment and practitioner and not practitioner.offers(treatment.id):
            self.add_error(
                "practitioner",
                gettext(
                    "%(practitioner)s does not offer “%(treatment)s”. Please choose another "
                    "practitioner, or “First available”."
                )
                % {"practitioner": practitioner.name, "treatment": treatment.name},
            )

    def clean_treatment(self) -> str:
        return self.cleaned_data["treatment"] or self.suggested_treatment()

    def clean_practitioner(self) -> str:
        return self.cleaned_data["practitioner"] or FIRST_AVAILABLE

    def clean_note(self) -> str:
        return self.cleaned_data["note"].strip()

    @property
    def filled_too_fast(self) -> bool:
        """True when the form came back sooner than a person could fill it in."""
        try:
            started = signing.loads(
                self.data.get("started", ""), salt=FORM_STARTED_SALT, max_age=24 * 60 * 60
            )
        except signing.BadSignature:
            return True
        return timezone.now().timestamp() - started < settings.BOOKING_MIN_FILL_SECONDS

    @property
    def preselected_reason(self) -> str:
        """The reason chosen before the form is sent (e.g. from a condition page), if valid."""
        reason = self.initial.get("reason", "")
        return reason if reason in dict(self.fields["reason"].choices) else ""

    @property
    def details_are_blank(self) -> bool:
        """Nothing typed yet in the patient's details (so they render the same for all)."""
        return not self.is_bound and not any(self.initial.get(name) for name in DETAIL_FIELDS)

    def error_summary(self) -> list[tuple[str, str]]:
        """Every error with the id of the control it is about, for the summary's links."""
        items = [("", str(error)) for error in self.non_field_errors()]
        for name in self.fields:
            field = self[name]
            anchor = field.id_for_label or f"{field.auto_id}_0"
            if isinstance(field.field.widget, forms.RadioSelect) and not field.field.widget.choices:
                anchor = self["date"].id_for_label
            items += [(anchor, str(error)) for error in field.errors]
        return items

    def restart_timer(self) -> None:
        """Give the re-rendered form a fresh start time (e.g. after a day-old tab)."""
        self.data = self.data.copy()
        self.data["started"] = _started_token()

    @property
    def is_honeypot_filled(self) -> bool:
        return bool(self.data.get("website", "").strip())

    def patient_details(self) -> PatientDetails:
        return PatientDetails.from_form(self.cleaned_data)

    def condition(self) -> Condition | None:
        """The condition chosen (as offered: no query), or None for "something else"."""
        slug = self.cleaned_data["reason"]
        return None if slug == OTHER_REASON else self.reasons[slug]

    def place(self) -> Place:
        """The place asked for: the chosen treatment at the chosen time, with the chosen
        practitioner or the first available."""
        treatment = self.window.diary.treatment(self.cleaned_data["treatment"]).treatment
        return Place(self.start(), treatment, self.chosen_practitioner_id())

    def treatment_shown(self) -> Treatment | None:
        """The treatment whose free times the page shows."""
        chosen = self.chosen_treatment()
        return chosen.treatment if chosen else None


def published_reasons() -> list[Condition]:
    """The published conditions a patient can name (slug and name), cached until staff
    change them."""
    return cached_for_this_version(
        "booking-reasons", lambda: list(Condition.objects.published().only("slug", "name"))
    )


def _started_token() -> str:
    return signing.dumps(timezone.now().timestamp(), salt=FORM_STARTED_SALT)


def single_line(value: str) -> str:
    return " ".join(value.split())
