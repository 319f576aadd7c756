"""The clinic itself: its profile, opening hours, closures, practitioners and simple pages."""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.formats import date_format, time_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from clinic.guidance import (  # the app's models too: Django finds them through this module
    Question,
    UrgentCareAdvice,
    UrgentCareLevel,
    UrgentCareSign,
    urgent_care_advice,
)
from clinic.images import Picture, validate_image_upload
from clinic.markdown import render_markdown

__all__ = ["Question", "UrgentCareLevel", "UrgentCareSign"]


class SeoFields(models.Model):
    """What search engines and link previews show, with the lengths they display."""

    seo_title = models.CharField(
        _("SEO title"),
        max_length=70,
        blank=True,
        help_text=_(
            "The title in search results and browser tabs, without the clinic's name (the site "
            "adds it). Best at 50–60 characters (at most 70 characters). Leave blank to use the "
            "page's name."
        ),
    )
    meta_description = models.CharField(
        _("meta description"),
        max_length=160,
        blank=True,
        help_text=_(
            "The snippet under the title in search results. Aim for 120–155 characters (at most "
            "160 characters). Leave blank to use the summary."
        ),
    )

    class Meta:
        abstract = True


class ResponsiveImageFields(models.Model):
    """An optional uploaded photo with required alt text and its renditions."""

    image = models.ImageField(
        _("photo"),
        upload_to="uploads/%Y/%m/",
        blank=True,
        validators=[validate_image_upload],
        help_text=_("A JPEG, PNG or WebP photo, at least 960 pixels wide, at most 8 MB."),
    )
    image_alt = models.CharField(
        _("image description (alt text)"),
        max_length=200,
        blank=True,
        help_text=_(
            "Describe what the picture shows for people who cannot see it, in one or two short "
            "sentences (at most 200 characters). Required when there is a photo."
        ),
    )
    image_renditions = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.image and not self.image_alt.strip():
            raise ValidationError(
                {
                    "image_alt": _(
                        "Please describe the photo: people using screen readers rely on it."
                    )
                }
            )

    @property
    def picture(self) -> Picture | None:
        if self.image and self.image_renditions:
            return Picture.from_renditions(self.image_renditions, self.image_alt)
        return None


class ClinicProfile(models.Model):
    """The clinic's name and contact details: one row, shown on every page."""

    name = models.CharField(_("name"), max_length=100)
    tagline = models.CharField(_("tagline"), max_length=100, blank=True)
    intro = models.TextField(
        _("short introduction"),
        max_length=400,
        help_text=_("One or two sentences for the home page."),
    )
    phone = models.CharField(_("phone"), max_length=30, help_text=_("As patients should dial it."))
    email = models.EmailField(_("e-mail"))
    street_address = models.CharField(_("street address"), max_length=200)
    locality = models.CharField(_("town or city"), max_length=100)
    region = models.CharField(_("state"), max_length=100, blank=True)
    postal_code = models.CharField(_("ZIP code"), max_length=20)
    country = models.CharField(
        _("country"), max_length=2, default="US", help_text=_("Two-letter code, e.g. US.")
    )
    evidence_heading = models.CharField(
        _("evidence heading"), max_length=100, default="What the research says"
    )
    evidence_text = models.TextField(
        _("evidence text"),
        help_text=_(
            "The home page's short section on the evidence. Markdown. Say who found what, and "
            "never promise a result."
        ),
        blank=True,
    )
    approach_heading = models.CharField(
        _("approach heading"), max_length=100, default="A plan made for you"
    )
    approach_text = models.TextField(
        _("approach text"),
        help_text=_("The home page's short section on individual treatment. Markdown."),
        blank=True,
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("clinic profile")
        verbose_name_plural = _("clinic profile")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def load(cls) -> "ClinicProfile":
        """The clinic's one profile row, or an unsaved blank one before it is set up.

        The urgent-care signs come in the same query: every page that shows the clinic can
        show them without one more query (the content pages' budget is four)."""
        profile = (
            cls.objects.annotate(urgent_care_signs=UrgentCareSign.objects.as_json_list())
            .order_by("pk")
            .first()
        )
        return profile or cls(name="Balanced Health")

    @cached_property
    def urgent_care(self) -> list["UrgentCareAdvice"]:
        """The urgent-care advice at its three levels, with the signs staff keep."""
        if hasattr(self, "urgent_care_signs"):  # loaded by `load()`; None when there are none
            signs = [UrgentCareSign(**row) for row in self.urgent_care_signs or []]
        else:
            signs = list(UrgentCareSign.objects.all())
        return urgent_care_advice(signs)

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
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


@dataclass(frozen=True)
class DaySchedule:
    """One weekday's opening ranges. Kept in the cache with every page's site details: the
    day's name is looked up when shown, since a lazy translation costs much to unpickle."""

    weekday: int
    ranges: list["OpeningHours"]

    @property
    def name(self) -> str:
        return Weekday(self.weekday).label


class OpeningHoursQuerySet(models.QuerySet):
    def week(self) -> list[DaySchedule]:
        """All seven days from Monday, each with its opening ranges (none when closed)."""
        by_day: dict[int, list[OpeningHours]] = {day: [] for day in Weekday.values}
        for hours in self.order_by("weekday", "opens"):
            by_day[hours.weekday].append(hours)
        return [DaySchedule(day, by_day[day]) for day in Weekday.values]


class OpeningHours(models.Model):
    """One range of opening time on a weekday; a day may have several (e.g. a lunch break)."""

    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    objects = OpeningHoursQuerySet.as_manager()

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")), name="opening_hours_close_after_open"
            )
        ]

    def __str__(self) -> str:
        opens, closes = (time_format(time, "TIME_FORMAT") for time in (self.opens, self.closes))
        return f"{self.get_weekday_display()} {opens}–{closes}"

    def clean(self) -> None:
        if self.opens is None or self.closes is None or self.weekday is None:
            return
        if self.closes <= self.opens:
            raise ValidationError({"closes": _("Closing time must be after opening time.")})
        overlapping = (
            OpeningHours.objects.filter(
                weekday=self.weekday, opens__lt=self.closes, closes__gt=self.opens
            )
            .exclude(pk=self.pk)
            .first()
        )
        if overlapping:
            raise ValidationError(
                _("These hours overlap %(other)s. Change one of them so they do not overlap.")
                % {"other": overlapping}
            )


class ClosureQuerySet(models.QuerySet):
    def upcoming(self, today: datetime.date) -> "ClosureQuerySet":
        """Closures that have not ended yet, soonest first."""
        return self.filter(end_date__gte=today).order_by("start_date")

    def covering(self, day: datetime.date) -> "ClosureQuerySet":
        return self.filter(start_date__lte=day, end_date__gte=day)


class Closure(models.Model):
    """Days the clinic is closed (holidays, training): no appointments on them."""

    start_date = models.DateField(_("first day closed"))
    end_date = models.DateField(
        _("last day closed"), help_text=_("The same as the first day for one day.")
    )
    reason = models.CharField(
        _("reason"),
        max_length=120,
        help_text=_("Shown to patients, e.g. “Thanksgiving” or “Staff training”."),
    )

    objects = ClosureQuerySet.as_manager()

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="closure_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        if self.start_date == self.end_date:
            return f"{self.reason}: {date_format(self.start_date, 'DATE_FORMAT')}"
        start, end = (date_format(day, "DATE_FORMAT") for day in (self.start_date, self.end_date))
        return f"{self.reason}: {start} – {end}"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("The last day closed cannot be before the first.")}
            )


class PractitionerQuerySet(models.QuerySet):
    def active(self) -> "PractitionerQuerySet":
        return self.filter(is_active=True)


class Practitioner(ResponsiveImageFields):
    """Someone who treats patients; shown on the about page and as a page's reviewer."""

    name = models.CharField(_("name"), max_length=100)
    credentials = models.CharField(
        _("credentials"), max_length=60, blank=True, help_text=_("For example: L.Ac.")
    )
    bio = models.TextField(_("short biography"), max_length=1000, blank=True)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first.")
    )
    is_active = models.BooleanField(_("shown on the site"), default=True)
    is_sample = models.BooleanField(
        _("sample profile"),
        default=False,
        help_text=_("Starting content: replace it with a real practitioner, then untick."),
    )

    objects = PractitionerQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("practitioner")
        verbose_name_plural = _("practitioners")

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

    title = models.CharField(_("title"), max_length=100)
    slug = models.SlugField(
        _("address"),
        unique=True,
        help_text=_(
            "The last part of the page's address: “about” gives /about/. Lowercase letters, "
            "digits and hyphens."
        ),
    )
    body = models.TextField(
        _("text"), help_text=_("Markdown: ## for a heading, - for a list item.")
    )
    is_published = models.BooleanField(_("published"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("clinic:page", kwargs={"slug": self.slug})

    @cached_property
    def body_html(self):
        return render_markdown(self.body)


class StartingContentRecord(models.Model):
    """Which pieces of starting content were loaded, and a fingerprint of what each held
    then: a re-run updates a piece only while it still holds exactly that, so it never
    recreates or overwrites what staff have since edited or deleted."""

    key = models.CharField(max_length=100, unique=True)
    fingerprint = models.CharField(
        max_length=64,
        blank=True,
        help_text="SHA-256 of the piece as loaded; blank for pieces loaded before it existed.",
    )
    loaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
