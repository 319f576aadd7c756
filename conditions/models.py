"""The back conditions the clinic treats, each with its own page."""

from django.db import models
from django.db.models import Q
from django.templatetags.static import static
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clinic.images import Picture
from clinic.markdown import render_markdown
from clinic.models import Practitioner, ResponsiveImageFields, SeoFields


class Illustration(models.TextChoices):
    """The site's own drawings, shown until staff upload a photo."""

    BACK = "back", _("Back and spine")
    MUSCLE_SPASMS = "muscle-spasms", _("Tight lower-back muscle")
    MUSCLE_TENSION = "muscle-tension", _("Tense neck and shoulders")
    ARTHRITIS = "arthritis", _("Sacroiliac joint")
    HERNIATED_DISKS = "herniated-disks", _("Herniated disk")
    SPINAL_STENOSIS = "spinal-stenosis", _("Narrowed spinal canal")


ILLUSTRATION_SIZE = (640, 480)


def may_preview_drafts(user) -> bool:
    """Staff who may see a condition's page before it is published."""
    return user.is_authenticated and user.has_perm("conditions.view_condition")


class ConditionQuerySet(models.QuerySet):
    def published(self) -> "ConditionQuerySet":
        """What patients may see: only pages staff have published."""
        return self.filter(is_published=True)

    def visible_to(self, user) -> "ConditionQuerySet":
        """Published pages, plus drafts for staff who may preview them."""
        if may_preview_drafts(user):
            return self.all()
        return self.published()

    def for_page(self, slug: str, user) -> "ConditionQuerySet":
        """The page's condition and the other published ones, in one query."""
        return (
            self.visible_to(user)
            .filter(Q(is_published=True) | Q(slug=slug))
            .select_related("reviewed_by")
        )


class Condition(SeoFields, ResponsiveImageFields):
    """A back problem the clinic treats, written for patients."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(
        _("address"),
        unique=True,
        help_text=_(
            "The last part of the page's address: “arthritis” gives /conditions/arthritis/. "
            "Lowercase letters, digits and hyphens."
        ),
    )
    summary = models.CharField(
        _("summary"),
        max_length=200,
        help_text=_(
            "One or two plain sentences for the cards, and for search results when there is no "
            "meta description. At most 200 characters; 120–155 fit in search results."
        ),
    )
    body = models.TextField(
        _("text"),
        help_text=_("What it is and how it feels, in Markdown (## for a heading, - for a list)."),
    )
    acupuncture_help = models.TextField(
        _("how acupuncture can help"),
        help_text=_("Markdown. Honest and modest: never promise a cure."),
    )
    illustration = models.CharField(
        _("drawing"),
        max_length=30,
        choices=Illustration.choices,
        default=Illustration.BACK,
        help_text=_("The drawing shown when there is no photo."),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first.")
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Unpublished pages are visible only to staff.")
    )
    reviewed_on = models.DateField(_("last reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        Practitioner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_conditions",
        verbose_name=_("reviewed by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ConditionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("conditions:detail", kwargs={"slug": self.slug})

    @cached_property
    def body_html(self):
        return render_markdown(self.body)

    @cached_property
    def acupuncture_help_html(self):
        return render_markdown(self.acupuncture_help)

    @property
    def page_title(self) -> str:
        return self.seo_title or f"{self.name}: acupuncture for back pain"

    @property
    def description(self) -> str:
        return self.meta_description or self.summary

    @property
    def display_picture(self) -> Picture:
        """The uploaded photo when there is one, otherwise the site's own drawing."""
        if self.picture:
            return self.picture
        width, height = ILLUSTRATION_SIZE
        return Picture(
            src=static(f"img/illustrations/{self.illustration}.svg"),
            alt=self.image_alt
            or gettext("Drawing: %(subject)s")
            % {"subject": self.get_illustration_display().lower()},
            width=width,
            height=height,
            is_illustration=True,
        )


class Cause(models.Model):
    """One common cause of a condition, shown as an ordered list."""

    condition = models.ForeignKey(
        Condition, on_delete=models.CASCADE, related_name="causes", verbose_name=_("condition")
    )
    text = models.CharField(_("cause"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("common cause")
        verbose_name_plural = _("common causes")

    def __str__(self) -> str:
        return self.text
