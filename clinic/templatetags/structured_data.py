"""Template tags that write schema.org JSON-LD blocks (see clinic/structured_data.py)."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from clinic import structured_data

register = template.Library()

# As Django's json_script does: nothing in the data can close the <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data: dict) -> SafeString:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.simple_tag
def clinic_json_ld(clinic, week, closures=()) -> SafeString:
    return json_ld(structured_data.medical_clinic(clinic, week, closures))


@register.simple_tag(takes_context=True)
def condition_json_ld(context, condition) -> SafeString:
    return json_ld(
        structured_data.condition_page(condition, context["clinic"], context["canonical_url"])
    )


@register.simple_tag(takes_context=True)
def faq_json_ld(context, questions) -> SafeString:
    return json_ld(structured_data.faq_page(questions, context["canonical_url"]))


@register.simple_tag(takes_context=True)
def breadcrumbs_json_ld(context, current: str, parent_title: str = "", parent_url: str = ""):
    trail = [(gettext("Home"), "/")]
    if parent_url:
        trail.append((parent_title, parent_url))
    trail.append((current, context["request"].path))
    return json_ld(structured_data.breadcrumb_list(trail))
