"""A course of visits: one request for several follow-ups at a rhythm (weekly, twice weekly,
every other week), each visit an AppointmentRequest with its place in the course.

Imported at the end of booking.models, so Django finds the model there too. A course holds
no personal details (those are on its visits, which the retention purge erases), so it is
kept with them; PROTECT keeps a course from being deleted under its visits.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clinic.models import Weekday

MIN_VISITS = 2
MAX_VISITS = 12


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    TWICE_WEEKLY = "twice_weekly", _("Twice a week")
    EVERY_OTHER_WEEK = "fortnightly", _("Every other week")


class Course(models.Model):
    """What the patient (or the front desk) asked for; its visits say where each one is."""

    visit_count = models.PositiveSmallIntegerField(
        _("visits"), validators=[MinValueValidator(MIN_VISITS), MaxValueValidator(MAX_VISITS)]
    )
    frequency = models.CharField(
        _("how often"), max_length=12, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    # None: the first available practitioner for each visit.
    practitioner = models.ForeignKey(
        "clinic.Practitioner",
        verbose_name=_("practitioner asked for"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty means “first available”."),
    )
    treatment_type = models.ForeignKey(
        "booking.TreatmentType",
        verbose_name=_("treatment"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    preferred_weekday = models.PositiveSmallIntegerField(
        _("preferred day"), choices=Weekday.choices
    )
    preferred_time = models.TimeField(_("preferred time"))
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("course of visits")
        verbose_name_plural = _("courses of visits")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visit_count__gte=MIN_VISITS, visit_count__lte=MAX_VISITS),
                name="course_visit_count_in_range",
            )
        ]

    def __str__(self) -> str:
        return course_words(self.visit_count, self.get_frequency_display())


def course_words(count: int, frequency: str) -> str:
    return ngettext(
        "A course of %(count)d visit (%(frequency)s)",
        "A course of %(count)d visits (%(frequency)s)",
        count,
    ) % {"count": count, "frequency": frequency.lower()}


def visit_of(position: int | None, count: int | None) -> str:
    """“visit 3 of 8”, or "" for a visit outside a course."""
    if not position or not count:
        return ""
    return ngettext("visit %(position)d of %(count)d", "visit %(position)d of %(count)d", count) % {
        "position": position,
        "count": count,
    }


def suits_a_course(treatment) -> bool:
    """A course is a run of follow-ups: never of a treatment kept for new patients (the
    diary's treatment as the booking pages know it; None when none is chosen)."""
    return treatment is not None and not treatment.for_new_patients
