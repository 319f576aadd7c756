"""The clinic's diary: treatment types, each practitioner's diary, working hours and time off.

Imported at the end of booking.models, so Django finds these models there too.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext_lazy as _

from booking.availability import Treatment
from booking.models import LONGEST_SLOT_MINUTES
from clinic.models import OpeningHours, Weekday


class TreatmentTypeQuerySet(models.QuerySet):
    def bookable_online(self) -> "TreatmentTypeQuerySet":
        """Types patients may choose on the booking form: active and offered online."""
        return self.filter(is_active=True, bookable_online=True)

    def for_patient(self, is_new: bool) -> "TreatmentTypeQuerySet":
        """A new patient is offered the first-visit types, a returning patient the others."""
        return self.filter(for_new_patients=is_new)


class TreatmentType(models.Model):
    """A kind of visit: how long it lasts, the practitioner's time after it, and who books it."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.CharField(
        _("description"),
        max_length=300,
        blank=True,
        help_text=_("What patients read about it on the booking form: one plain sentence."),
    )
    minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"),
        validators=[MinValueValidator(10), MaxValueValidator(LONGEST_SLOT_MINUTES)],
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        _("time after the visit (minutes)"),
        default=0,
        validators=[MaxValueValidator(60)],
        help_text=_("For notes and getting the room ready: no one else is booked then."),
    )
    bookable_online = models.BooleanField(_("patients can book it online"), default=True)
    for_new_patients = models.BooleanField(
        _("new patients only"),
        default=False,
        help_text=_(
            "A new patient is offered the first-visit types; a returning patient the others."
        ),
    )
    position = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first.")
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Untick to stop offering it; visits already booked keep it."),
    )

    objects = TreatmentTypeQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("treatment type")
        verbose_name_plural = _("treatment types")
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0), name="treatment_type_has_a_length"),
            # The overlap queries rely on no visit blocking more than the longest slot.
            models.CheckConstraint(
                condition=Q(minutes__lte=LONGEST_SLOT_MINUTES - F("buffer_minutes")),
                name="treatment_type_fits_the_longest_visit",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.minutes is None or self.buffer_minutes is None:
            return
        if self.minutes + self.buffer_minutes > LONGEST_SLOT_MINUTES:
            raise ValidationError(
                _("The visit and the time after it can last at most %(minutes)d minutes.")
                % {"minutes": LONGEST_SLOT_MINUTES}
            )

    @property
    def length(self) -> datetime.timedelta:
        return datetime.timedelta(minutes=self.minutes)

    @property
    def blocked(self) -> datetime.timedelta:
        """How long the practitioner is taken: the visit and the time after it."""
        return datetime.timedelta(minutes=self.minutes + self.buffer_minutes)

    def as_treatment(self) -> Treatment:
        """What availability needs to know of it."""
        return Treatment(self.pk, self.minutes, self.buffer_minutes)


class PractitionerDiaryQuerySet(models.QuerySet):
    def taking_bookings(self) -> "PractitionerDiaryQuerySet":
        """Diaries new visits may be booked in (a practitioner who left keeps a closed one)."""
        return self.filter(takes_bookings=True)


class PractitionerDiary(models.Model):
    """The booking side of a clinic practitioner: whether and how they are booked."""

    practitioner = models.OneToOneField(
        "clinic.Practitioner",
        verbose_name=_("practitioner"),
        primary_key=True,
        on_delete=models.PROTECT,
        related_name="diary",
    )
    takes_bookings = models.BooleanField(
        _("active"),
        default=True,
        help_text=_(
            "Untick when a practitioner leaves: no new visits are booked with them, and "
            "past visits keep their name."
        ),
    )
    patients_at_once = models.PositiveSmallIntegerField(
        _("patients at once"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("Some practitioners treat patients in two rooms at once."),
    )
    position = models.PositiveSmallIntegerField(
        _("order"),
        default=0,
        help_text=_(
            "Lower numbers come first. When a patient asks for the first available "
            "practitioner, a tie goes to the one higher up."
        ),
    )
    treatment_types = models.ManyToManyField(
        TreatmentType, verbose_name=_("treatments offered"), blank=True, related_name="diaries"
    )

    objects = PractitionerDiaryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "practitioner__order", "practitioner__name"]
        verbose_name = _("practitioner's diary")
        verbose_name_plural = _("practitioners' diaries")
        constraints = [
            models.CheckConstraint(
                condition=Q(patients_at_once__gte=1), name="diary_sees_at_least_one_patient"
            )
        ]

    def __str__(self) -> str:
        return str(self.practitioner)


def format_range(starts: datetime.time, ends: datetime.time) -> str:
    return f"{time_format(starts, 'TIME_FORMAT')}–{time_format(ends, 'TIME_FORMAT')}"


class WorkingHours(models.Model):
    """One range of a practitioner's working time on a weekday, inside the clinic's hours."""

    diary = models.ForeignKey(
        PractitionerDiary,
        verbose_name=_("practitioner's diary"),
        on_delete=models.CASCADE,
        related_name="working_hours",
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))

    # Whether clean() compares the range with the practitioner's stored ones; the admin's
    # formset compares the ranges as they will be saved instead.
    compare_with_stored = True

    class Meta:
        ordering = ["diary", "weekday", "starts"]
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=F("starts")), name="working_hours_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {format_range(self.starts, self.ends)}"

    def clean(self) -> None:
        if self.starts is None or self.ends is None or self.weekday is None:
            return
        if self.ends <= self.starts:
            raise ValidationError({"ends": _("The end must be after the start.")})
        self.validate_inside_opening_hours()
        if self.diary_id is None or not self.compare_with_stored:
            return
        overlapping = (
            WorkingHours.objects.filter(
                diary_id=self.diary_id,
                weekday=self.weekday,
                starts__lt=self.ends,
                ends__gt=self.starts,
            )
            .exclude(pk=self.pk)
            .first()
        )
        if overlapping:
            raise ValidationError(
                _("These hours overlap %(other)s. Change one of them so they do not overlap.")
                % {"other": overlapping}
            )

    def validate_inside_opening_hours(self) -> None:
        """A practitioner works only while the clinic is open: within one of its ranges."""
        ranges = list(OpeningHours.objects.filter(weekday=self.weekday).order_by("opens"))
        if any(hours.opens <= self.starts and self.ends <= hours.closes for hours in ranges):
            return
        day = Weekday(self.weekday).label
        if not ranges:
            raise ValidationError(_("The clinic is closed on %(day)s.") % {"day": day})
        raise ValidationError(
            _("The clinic is open %(hours)s on %(day)s: working hours must lie within them.")
            % {
                "hours": ", ".join(format_range(hours.opens, hours.closes) for hours in ranges),
                "day": day,
            }
        )


class TimeOffQuerySet(models.QuerySet):
    def ending_on_or_after(self, day: datetime.date) -> "TimeOffQuerySet":
        """Time off that still matters on or after a day (its last day is not before it)."""
        return self.filter(last_day__gte=day)


class TimeOff(models.Model):
    """A time a practitioner is away: from the first day's start time (or its start) until
    the last day's end time (or its end)."""

    diary = models.ForeignKey(
        PractitionerDiary,
        verbose_name=_("practitioner's diary"),
        on_delete=models.CASCADE,
        related_name="time_off",
    )
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(
        _("last day"), blank=True, help_text=_("Leave blank for a single day.")
    )
    from_time = models.TimeField(
        _("from"), null=True, blank=True, help_text=_("Blank: from the start of the first day.")
    )
    until_time = models.TimeField(
        _("until"), null=True, blank=True, help_text=_("Blank: until the end of the last day.")
    )
    reason = models.CharField(
        _("reason"), max_length=200, blank=True, help_text=_("Only staff see this.")
    )

    objects = TimeOffQuerySet.as_manager()

    class Meta:
        ordering = ["diary", "first_day", "from_time"]
        verbose_name = _("time off")
        verbose_name_plural = _("time off")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")), name="time_off_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["diary", "last_day"], name="booking_time_off_diary")]

    def __str__(self) -> str:
        start, end = self.interval()
        return f"{format_datetime(start)} – {format_datetime(end)}"

    def save(self, *args, **kwargs) -> None:
        if self.last_day is None:  # blank means a single day
            self.last_day = self.first_day
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.first_day is None:
            return
        if self.last_day is None:
            self.last_day = self.first_day
        if self.last_day < self.first_day:
            raise ValidationError({"last_day": _("The last day cannot be before the first.")})
        one_day = self.last_day == self.first_day
        if one_day and self.from_time and self.until_time and self.until_time <= self.from_time:
            raise ValidationError({"until_time": _("The end must be after the start.")})

    def interval(
        self, tz: datetime.tzinfo | None = None
    ) -> tuple[datetime.datetime, datetime.datetime]:
        """The time off as aware times in the clinic's zone: a blank end is the next midnight,
        so a whole day lasts 23 or 25 real hours on the days the clocks change (compare them
        as instants, or in UTC: Python subtracts two times of one zone on the wall clock)."""
        tz = tz or timezone.get_default_timezone()
        last_day = self.last_day or self.first_day
        start = datetime.datetime.combine(
            self.first_day, self.from_time or datetime.time(0), tzinfo=tz
        )
        if self.until_time is None:
            end_day, end_time = last_day + datetime.timedelta(days=1), datetime.time(0)
        else:
            end_day, end_time = last_day, self.until_time
        return start, datetime.datetime.combine(end_day, end_time, tzinfo=tz)


def format_datetime(moment: datetime.datetime) -> str:
    return date_format(moment, "SHORT_DATETIME_FORMAT")
