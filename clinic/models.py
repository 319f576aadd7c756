"""The clinic itself: its profile, opening hours, closures, practitioners and simple pages."""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.functional import cached_property

from clinic.images import Picture, validate_image_upload
from clinic.markdown import render_markdown


class SeoFields(models.Model):
    """What search engines and link previews show, with the lengths they display."""

    seo_title = models.CharField(
        "SEO title",
        max_length=70,
        blank=True,
        help_text="The title in search results and browser tabs. Best at 50–60 characters "
        "(at most 70). Leave blank to use the page's name.",
    )
    meta_description = models.CharField(
        max_length=160,
        blank=True,
        help_text="The snippet under the title in search results. Aim for 120–155 characters "
        "(at most 160). Leave blank to use the summary.",
    )

    class Meta:
        abstract = True


class ResponsiveImageFields(models.Model):
    """An optional uploaded photo with required alt text and its renditions."""

    image = models.ImageField(
        upload_to="uploads/%Y/%m/",
        blank=True,
        validators=[validate_image_upload],
        help_text="A JPEG, PNG or WebP photo, at least 960 pixels wide, at most 8 MB.",
    )
    image_alt = models.CharField(
        "image description (alt text)",
        max_length=200,
        blank=True,
        help_text="Describe what the photo shows for people who cannot see it. "
        "Required when there is a photo.",
    )
    image_renditions = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.image and not self.image_alt.strip():
            raise ValidationError(
                {"image_alt": "Please describe the photo: people using screen readers rely on it."}
            )

    @property
    def picture(self) -> Picture | None:
        if self.image and self.image_renditions:
            return Picture.from_renditions(self.image_renditions, self.image_alt)
        return None


class ClinicProfile(models.Model):
    """The clinic's name and contact details: one row, shown on every page."""

    name = models.CharField(max_length=100)
    tagline = models.CharField(max_length=100, blank=True)
    intro = models.TextField(
        "short introduction", max_length=400, help_text="One or two sentences for the home page."
    )
    phone = models.CharField(max_length=30, help_text="As patients should dial it.")
    email = models.EmailField()
    street_address = models.CharField(max_length=200)
    locality = models.CharField("town or city", max_length=100)
    region = models.CharField("state", max_length=100, blank=True)
    postal_code = models.CharField(max_length=20)
    country = models.CharField(max_length=2, default="US", help_text="Two-letter code, e.g. US.")
    evidence_heading = models.CharField(max_length=100, default="What the research says")
    evidence_text = models.TextField(
        help_text="The home page's short section on the evidence. Markdown.", blank=True
    )
    approach_heading = models.CharField(max_length=100, default="A plan made for you")
    approach_text = models.TextField(
        help_text="The home page's short section on individual treatment. Markdown.", blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "clinic profile"
        verbose_name_plural = "clinic profile"

    def __str__(self) -> str:
        return self.name

    @classmethod
    def load(cls) -> "ClinicProfile":
        """The clinic's one profile row, or an unsaved blank one before it is set up."""
        return cls.objects.order_by("pk").first() or cls(name="Balanced Health")

    @cached_property
    def evidence_html(self):
        return render_markdown(self.evidence_text)

    @cached_property
    def approach_html(self):
        return render_markdown(self.approach_text)

    @property
    def phone_href(self) -> str:
        return "tel:" + re.sub(r"[^\d+]", "", self.phone)

    @property
    def address_lines(self) -> list[str]:
        town = " ".join(part for part in (self.region, self.postal_code) if part)
        return [self.street_address, f"{self.locality}, {town}" if town else self.locality]


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


@dataclass(frozen=True)
class DaySchedule:
    weekday: int
    name: str
    ranges: list["OpeningHours"]


class OpeningHoursQuerySet(models.QuerySet):
    def week(self) -> list[DaySchedule]:
        """All seven days from Monday, each with its opening ranges (none when closed)."""
        by_day: dict[int, list[OpeningHours]] = {day: [] for day in Weekday.values}
        for hours in self.order_by("weekday", "opens"):
            by_day[hours.weekday].append(hours)
        return [DaySchedule(day, Weekday(day).label, by_day[day]) for day in Weekday.values]


class OpeningHours(models.Model):
    """One range of opening time on a weekday; a day may have several (e.g. a lunch break)."""

    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    objects = OpeningHoursQuerySet.as_manager()

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = "opening hours"
        verbose_name_plural = "opening hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")), name="opening_hours_close_after_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.opens is None or self.closes is None or self.weekday is None:
            return
        if self.closes <= self.opens:
            raise ValidationError({"closes": "Closing time must be after opening time."})
        overlapping = (
            OpeningHours.objects.filter(
                weekday=self.weekday, opens__lt=self.closes, closes__gt=self.opens
            )
            .exclude(pk=self.pk)
            .first()
        )
        if overlapping:
            raise ValidationError(
                f"These hours overlap {overlapping}. Change one of them so they do not overlap."
            )


class ClosureQuerySet(models.QuerySet):
    def upcoming(self, today: datetime.date) -> "ClosureQuerySet":
        """Closures that have not ended yet, soonest first."""
        return self.filter(end_date__gte=today).order_by("start_date")

    def covering(self, day: datetime.date) -> "ClosureQuerySet":
        return self.filter(start_date__lte=day, end_date__gte=day)


class Closure(models.Model):
    """Days the clinic is closed (holidays, training): no appointments on them."""

    start_date = models.DateField("first day closed")
    end_date = models.DateField(
        "last day closed", help_text="The same as the first day for one day."
    )
    reason = models.CharField(
        max_length=120, help_text="Shown to patients, e.g. “Thanksgiving” or “Staff training”."
    )

    objects = ClosureQuerySet.as_manager()

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="closure_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        if self.start_date == self.end_date:
            return f"{self.reason}: {date_format(self.start_date, 'M j, Y')}"
        start, end = date_format(self.start_date, "M j"), date_format(self.end_date, "M j, Y")
        return f"{self.reason}: {start} – {end}"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The last day closed cannot be before the first."})


class PractitionerQuerySet(models.QuerySet):
    def active(self) -> "PractitionerQuerySet":
        return self.filter(is_active=True)


class Practitioner(ResponsiveImageFields):
    """Someone who treats patients; shown on the about page and as a page's reviewer."""

    name = models.CharField(max_length=100)
    credentials = models.CharField(max_length=60, blank=True, help_text="For example: L.Ac.")
    bio = models.TextField("short biography", max_length=1000, blank=True)
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")
    is_active = models.BooleanField("shown on the site", default=True)
    is_sample = models.BooleanField(
        "sample profile",
        default=False,
        help_text="Starting content: replace it with a real practitioner, then untick.",
    )

    objects = PractitionerQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    @property
    def initials(self) -> str:
        return "".join(word[0] for word in self.name.split()[:2]).upper()


class PageQuerySet(models.QuerySet):
    def published(self) -> "PageQuerySet":
        return self.filter(is_published=True)


class Page(SeoFields):
    """A simple content page such as About or the privacy policy."""

    title = models.CharField(max_length=100)
    slug = models.SlugField(
        unique=True, help_text="The page's address: /about/ for “about”. Letters, digits, hyphens."
    )
    body = models.TextField(help_text="Markdown: ## for a heading, - for a list item.")
    is_published = models.BooleanField("published", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("clinic:page", kwargs={"slug": self.slug})

    @cached_property
    def body_html(self):
        return render_markdown(self.body)


class StartingContentRecord(models.Model):
    """Which pieces of starting content were loaded, so a re-run never recreates or
    overwrites what staff have since edited or deleted."""

    key = models.CharField(max_length=100, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
