"""The waiting list: patients who would take a place sooner than the form offers, and when
it suits them. A freed place is offered to the first matching entry by holding it in the
diary for them (an AppointmentRequest with status "held", booking.services.waitlist)."""

import datetime
import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import formats
from django.utils.crypto import salted_hmac
from django.utils.dates import WEEKDAYS as WEEKDAY_NAMES
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from booking.display import phone_for_people
from booking.validators import validate_person_name


class PartOfDay(models.TextChoices):
    """When a visit starts, in the clinic's time: before NOON, until EVENING_STARTS, after.
    People read them with their hours, in the site's time format (part_of_day_choices)."""

    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")
    EVENING = "evening", _("Evening")


NOON, EVENING_STARTS = datetime.time(12), datetime.time(17)
# Monday first, in the site's language (Django's own names).
WEEKDAYS = sorted(WEEKDAY_NAMES.items())


def part_of_day_choices() -> list[tuple[str, str]]:
    """The parts of the day with their hours, as people read them: "Morning (before 12:00
    PM)" in American English, each language's own way elsewhere."""
    noon, evening = formats.time_format(NOON), formats.time_format(EVENING_STARTS)
    return [
        (PartOfDay.MORNING, gettext("Morning (before %(noon)s)") % {"noon": noon}),
        (
            PartOfDay.AFTERNOON,
            gettext("Afternoon (%(noon)s to %(evening)s)") % {"noon": noon, "evening": evening},
        ),
        (PartOfDay.EVENING, gettext("Evening (from %(evening)s)") % {"evening": evening}),
    ]


def part_of_day(moment: datetime.datetime) -> str:
    """Which part of the day a visit starting at `moment` (clinic time) falls in."""
    local = moment.astimezone(ZoneInfo(settings.TIME_ZONE)).time()
    if local < NOON:
        return PartOfDay.MORNING
    return PartOfDay.AFTERNOON if local < EVENING_STARTS else PartOfDay.EVENING


def validate_weekdays(value) -> None:
    if not isinstance(value, list) or not value or any(d not in range(7) for d in value):
        raise ValidationError(_("Choose at least one day of the week."), code="invalid_choice")


def validate_parts_of_day(value) -> None:
    if not isinstance(value, list) or not value or any(p not in PartOfDay.values for p in value):
        raise ValidationError(_("Choose at least one part of the day."), code="invalid_choice")


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for a place")
    OFFERED = "offered", _("A place is held for them")
    BOOKED = "booked", _("Took a place")
    ENDED = "ended", _("Left the list")
    EXPIRED = "expired", _("Past its last date")


class WaitlistEntry(models.Model):
    """One patient waiting for a place. Personal details follow the requests' privacy rules
    (same validators; erased by the retention purge)."""

    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=WaitlistStatus.choices,
        default=WaitlistStatus.WAITING,
        editable=False,
    )
    treatment_type = models.ForeignKey(
        "booking.TreatmentType",
        verbose_name=_("treatment"),
        on_delete=models.PROTECT,
        related_name="waitlist_entries",
    )
    practitioner = models.ForeignKey(
        "clinic.Practitioner",
        verbose_name=_("practitioner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="waitlist_entries",
        help_text=_("Empty means any practitioner."),
    )
    weekdays = models.JSONField(_("days that suit"), validators=[validate_weekdays])
    parts_of_day = models.JSONField(_("times of day that suit"), validators=[validate_parts_of_day])
    until = models.DateField(_("waiting until"))
    first_name = models.CharField(
        _("first name"), max_length=100, validators=[validate_person_name]
    )
    last_name = models.CharField(_("last name"), max_length=100, validators=[validate_person_name])
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=20)  # E.164
    language = models.CharField(
        _("language"), max_length=12, default=settings.LANGUAGE_CODE, editable=False
    )
    consent_at = models.DateTimeField(_("privacy consent given at"))
    token_salt = models.CharField(max_length=32, editable=False)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    anonymised_at = models.DateTimeField(
        _("personal details erased at"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("waiting-list entry")
        verbose_name_plural = _("waiting list")
        indexes = [models.Index(fields=["status", "created_at"], name="booking_waitlist_queue")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=WaitlistStatus.values),
                name="waitlist_status_known",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return settings.SITE_URL + reverse(
            "booking:waitlist_entry", kwargs={"reference": self.reference, "token": self.token}
        )

    @property
    def patient_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or str(_("(erased)"))

    @property
    def phone_display(self) -> str:
        return phone_for_people(self.phone) if self.phone else ""

    @property
    def is_on_the_list(self) -> bool:
        return self.status in (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)

    @property
    def has_a_place_held(self) -> bool:
        return self.status == WaitlistStatus.OFFERED

    @property
    def weekday_names(self) -> list[str]:
        names = dict(WEEKDAYS)
        return [str(names[day]) for day in sorted(self.weekdays) if day in names]

    @property
    def part_of_day_names(self) -> list[str]:
        names = dict(part_of_day_choices())
        return [names[part] for part in PartOfDay.values if part in self.parts_of_day]

    def suits(self, start: datetime.datetime) -> bool:
        """The day of the week, the part of the day and the last date suit this patient."""
        local = start.astimezone(ZoneInfo(settings.TIME_ZONE))
        return (
            local.weekday() in self.weekdays
            and part_of_day(start) in self.parts_of_day
            and local.date() <= self.until
        )

    def start_new_token(self) -> None:
        self.token_salt = secrets.token_hex(16)

    @property
    def token(self) -> str:
        """The entry page's token, derived from the site's secret key (never stored)."""
        return salted_hmac(
            "booking.waitlist-entry", f"{self.reference}:{self.token_salt}", algorithm="sha256"
        ).hexdigest()
