"""What the clinic tells patients besides its pages: the signs that back pain needs a doctor
rather than acupuncture (at three levels), and the questions patients often ask."""

from dataclasses import dataclass

from django.db import models
from django.db.models import Func
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from clinic.markdown import render_markdown


class UrgentCareLevel(models.IntegerChoices):
    """How soon a sign needs a doctor, most urgent first (as the NHS's back-pain advice has it)."""

    EMERGENCY = 1, _("Call 911 or go to the emergency room now")
    TODAY = 2, _("See a doctor today")
    SOON = 3, _("See a doctor if it is not better in a few weeks")


class JSONList(models.Aggregate):
    """The aggregated values as one JSON array (SQLite's json_group_array, PostgreSQL's
    jsonb_agg): lets a short list travel in the same query as the row that shows it."""

    function = "JSON_GROUP_ARRAY"
    output_field = models.JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


class JSONRow(JSONObject):
    """Django's JSONObject, without its SQLite feature probe: that costs three queries on a
    connection's first use, and the site's JSONFields need SQLite's JSON functions anyway."""

    def as_sqlite(self, compiler, connection, **extra_context):
        return Func.as_sql(self, compiler, connection, **extra_context)


class UrgentCareSignQuerySet(models.QuerySet):
    def as_json_list(self) -> models.Subquery:
        """Every sign as a JSON list, for one query that loads the clinic and its signs."""
        rows = (
            self.order_by()
            .values(every_row=models.Value(1))  # one group: the whole table
            .annotate(signs=JSONList(JSONRow(id="pk", level="level", text="text", order="order")))
            .values("signs")
        )
        return models.Subquery(rows, output_field=models.JSONField())


class UrgentCareSign(models.Model):
    """A sign that back pain needs medical care rather than acupuncture, at one of three
    levels; condition pages, the conditions list and the booking form show them all."""

    level = models.PositiveSmallIntegerField(_("how urgent"), choices=UrgentCareLevel.choices)
    text = models.CharField(
        _("sign"),
        max_length=200,
        help_text=_("In plain words a patient recognises, e.g. “Back pain with a fever”."),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first within their level.")
    )

    objects = UrgentCareSignQuerySet.as_manager()

    class Meta:
        ordering = ["level", "order", "pk"]
        verbose_name = _("urgent-care sign")
        verbose_name_plural = _("urgent-care signs")

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class UrgentCareAdvice:
    """One level of the urgent-care advice and its signs, in order."""

    level: UrgentCareLevel
    signs: list[UrgentCareSign]


def urgent_care_advice(signs: list[UrgentCareSign]) -> list[UrgentCareAdvice]:
    """The three levels, most urgent first, each with its signs in the order staff set."""
    ordered = sorted(signs, key=lambda sign: (sign.level, sign.order, sign.pk or 0))
    return [
        UrgentCareAdvice(level, [sign for sign in ordered if sign.level == level])
        for level in UrgentCareLevel
    ]


class QuestionQuerySet(models.QuerySet):
    def published(self) -> "QuestionQuerySet":
        return self.filter(is_published=True)


class Question(models.Model):
    """A question patients often ask, with the clinic's answer, on the questions page."""

    question = models.CharField(_("question"), max_length=200)
    answer = models.TextField(
        _("answer"),
        help_text=_(
            "Markdown: - for a list item, [words](address) for a link. Short sentences and "
            "everyday words; never promise a result."
        ),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first.")
    )
    is_published = models.BooleanField(
        _("published"), default=True, help_text=_("Unpublished questions are not shown.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions and answers")

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("clinic:questions") + f"#question-{self.pk}"

    @cached_property
    def answer_html(self):
        return render_markdown(self.answer)
