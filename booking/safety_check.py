"""The red-flag check before booking: the patient says whether any urgent-care sign applies,
one question per level that needs a doctor before acupuncture (emergency; same day).

Nothing about the answers is kept anywhere: they travel in the POST only, and all that
stays afterwards is a short-lived signed cookie that says "checked" (see `mark_checked`).
"""

import enum

from django import forms
from django.core import signing
from django.core.validators import slug_re
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from booking.cookies import PrivateCookie
from clinic.guidance import UrgentCareAdvice, UrgentCareLevel

CHECKED_COOKIE = "booking_checked"
CHECKED_SALT = "booking.safety-check"
CHECKED_VALUE = "checked"  # the cookie's only content: never an answer
CHECKED_FOR_SECONDS = 2 * 60 * 60  # long enough to fill in the form, short enough to ask again
CHECKED = PrivateCookie(CHECKED_COOKIE, CHECKED_SALT, "booking:request", CHECKED_FOR_SECONDS)
# The booking pages' forms carry a signed "shown after the check" of their own, so a form
# sent after the cookie ran out keeps what was typed (the check comes again on the next GET).
CHECKED_FORM_FIELD = "checked"
CHECKED_FORM_SALT = "booking.safety-check-form"
CHECKED_FORM_SECONDS = 24 * 60 * 60

# The levels asked about, most urgent first, with their field names. The least urgent level
# ("see a doctor if it is not better in a few weeks") is no reason to wait for acupuncture:
# the check shows it as advice and does not ask.
ASKED_LEVELS = {UrgentCareLevel.EMERGENCY: "emergency", UrgentCareLevel.TODAY: "today"}
QUESTIONS = {
    UrgentCareLevel.EMERGENCY: _("Do you have any of these signs right now?"),
    UrgentCareLevel.TODAY: _("Do you have any of these signs?"),
}
STEP_SIGNS, STEP_SEEN_DOCTOR = "signs", "seen_doctor"
ANSWER_REQUIRED = _("Please answer each question.")
YES, NO = "yes", "no"


class Outcome(enum.Enum):
    GO_ON = "go on"  # to the booking form
    EMERGENCY = "emergency"  # stop: call 911 or go to the emergency room now
    ASK_SEEN_DOCTOR = "ask seen doctor"  # a same-day sign: has a doctor seen it already?
    SEE_DOCTOR_TODAY = "see doctor today"  # stop: a same-day sign no doctor has seen yet


def safety_outcome(*, emergency: bool, same_day: bool, seen_doctor: bool | None) -> Outcome:
    """An emergency sign always stops the booking; a same-day sign lets the patient go on
    only once they say a doctor has already seen them about it."""
    if emergency:
        return Outcome.EMERGENCY
    if not same_day:
        return Outcome.GO_ON
    if seen_doctor is None:
        return Outcome.ASK_SEEN_DOCTOR
    return Outcome.GO_ON if seen_doctor else Outcome.SEE_DOCTOR_TODAY


def yes_or_no(question: str, yes: str, no: str, *, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=question,
        choices=[(YES, yes), (NO, no)],
        widget=forms.RadioSelect,
        required=required,
        error_messages={"required": ANSWER_REQUIRED, "invalid_choice": ANSWER_REQUIRED},
    )


class SafetyCheckForm(forms.Form):
    """One yes-or-no question per asked level that has signs, listing them as staff wrote
    them; then, after a "yes" to a same-day sign, whether a doctor has already seen it."""

    step = forms.ChoiceField(
        choices=[(STEP_SIGNS, STEP_SIGNS), (STEP_SEEN_DOCTOR, STEP_SEEN_DOCTOR)],
        widget=forms.HiddenInput,
        initial=STEP_SIGNS,
        required=False,
    )
    # Which condition page the patient came from, passed on to the form (never an answer).
    reason = forms.CharField(required=False, strip=True, widget=forms.HiddenInput)
    seen_doctor = yes_or_no(
        _("Have you already seen a doctor about this?"),
        _("Yes, a doctor has checked me for this"),
        _("No, not yet"),
        required=False,
    )

    def __init__(self, *args, advice: list[UrgentCareAdvice], **kwargs):
        super().__init__(*args, **kwargs)
        self.advice = {item.level: item for item in advice}
        self.asked = [
            self.advice[level]
            for level in ASKED_LEVELS
            if level in self.advice and self.advice[level].signs
        ]
        for item in self.asked:
            name = ASKED_LEVELS[item.level]
            self.fields[name] = yes_or_no(
                QUESTIONS[item.level], _("Yes, at least one"), _("No, none of these")
            )

    @property
    def questions(self) -> list[tuple[forms.BoundField, UrgentCareAdvice]]:
        """The asked levels' fields, each with its signs, in order."""
        return [(self[ASKED_LEVELS[item.level]], item) for item in self.asked]

    @property
    def advice_only(self) -> UrgentCareAdvice | None:
        """The least urgent level, shown as advice when it has signs."""
        item = self.advice.get(UrgentCareLevel.SOON)
        return item if item and item.signs else None

    @property
    def asks_seen_doctor(self) -> bool:
        """The second step: the patient said yes to a same-day sign (and no to emergencies)."""
        return self.data.get("step") == STEP_SEEN_DOCTOR

    @property
    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor, question) per question left unanswered: its first choice."""
        questions = [*ASKED_LEVELS.values(), "seen_doctor"]
        return [
            (f"id_{name}_0", str(self.fields[name].label))
            for name in self.errors
            if name in questions
        ]

    def clean_reason(self) -> str:
        """Only a condition's slug passes on; anything else is dropped, never an error."""
        reason = self.cleaned_data["reason"]
        return reason if len(reason) <= 50 and slug_re.fullmatch(reason) else ""

    def clean(self):
        cleaned = super().clean()
        answered = cleaned.get("seen_doctor") or "seen_doctor" in self.errors
        if self.asks_seen_doctor and not answered:
            self.add_error("seen_doctor", ANSWER_REQUIRED)
        return cleaned

    def answered(self, name: str) -> bool:
        return self.cleaned_data.get(name) == YES

    def outcome(self) -> Outcome:
        seen = self.cleaned_data.get("seen_doctor")
        return safety_outcome(
            emergency=self.answered("emergency"),
            same_day=self.answered("today"),
            seen_doctor=(seen == YES) if seen and self.asks_seen_doctor else None,
        )

    def next_url(self) -> str:
        """The booking form, with the condition the patient came from chosen already."""
        url = reverse("booking:request")
        reason = self.cleaned_data.get("reason")
        return f"{url}?{urlencode({'reason': reason})}" if reason else url


def checked_cookie_value() -> str:
    """The signed "checked" value as the cookie holds it (tests give it to their clients)."""
    response = HttpResponse()
    mark_checked(response)
    return response.cookies[CHECKED_COOKIE].value


def mark_checked(response: HttpResponse) -> None:
    """The browser keeps "checked" (never an answer) for the booking pages, for a while."""
    CHECKED.give(response, CHECKED_VALUE)


def forget_check(response: HttpResponse) -> None:
    """After a sign that stops the booking, an earlier "checked" no longer counts."""
    CHECKED.forget(response)


def has_checked(request: HttpRequest) -> bool:
    return CHECKED.read(request) == CHECKED_VALUE


def checked_form_token() -> str:
    """What a booking page shown after the check carries in its forms: sending one of them
    later (the cookie ran out while the patient typed) keeps what they typed."""
    return signing.dumps(CHECKED_VALUE, salt=CHECKED_FORM_SALT)


def sent_from_a_checked_form(request: HttpRequest) -> bool:
    """A POST from a form that was only shown after the check, within a day."""
    try:
        value = signing.loads(
            request.POST.get(CHECKED_FORM_FIELD, ""),
            salt=CHECKED_FORM_SALT,
            max_age=CHECKED_FORM_SECONDS,
        )
    except signing.BadSignature:
        return False
    return value == CHECKED_VALUE
