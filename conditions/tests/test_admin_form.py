"""What content editors see in the admin forms: addresses explained with a real example, and
the one-line texts (summary, alt text, SEO title and description) in boxes that show them
whole, with their length limit and guidance."""

import re
from html import unescape

import pytest
from django.urls import reverse

from clinic.models import Page, Practitioner, Question, UrgentCareSign
from conditions.models import Condition

pytestmark = pytest.mark.django_db

SHORT_TEXTS = {  # field: the most characters it takes
    "summary": 200,
    "image_alt": 200,
    "seo_title": 70,
    "meta_description": 160,
}


def form_page(client, model, obj=None) -> str:
    opts = model._meta
    if obj is None:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    else:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def textarea(page: str, name: str) -> tuple[dict, str]:
    """The attributes and content of the form's text area for a field."""
    match = re.search(rf'<textarea name="{name}"([^>]*)>(.*?)</textarea>', page, re.DOTALL)
    assert match, f"{name} is not a text area"
    attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', match.group(1)))
    return attributes, unescape(match.group(2)).strip()


def help_text(page: str, name: str) -> str:
    match = re.search(
        rf'<div class="help"[^>]*id="id_{name}_helptext"[^>]*>(.*?)</div>', page, re.S
    )
    assert match, f"no help text for {name}"
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", match.group(1)))).strip()


def test_the_condition_address_hint_shows_a_real_example(editor_client):
    hint = help_text(form_page(editor_client, Condition), "slug")
    assert "/conditions/arthritis/" in hint
    assert "//" not in hint


def test_the_page_address_hint_shows_a_real_example(editor_client):
    hint = help_text(form_page(editor_client, Page), "slug")
    assert "/about/" in hint


@pytest.mark.parametrize("field", SHORT_TEXTS)
def test_condition_short_texts_are_text_areas_with_their_limit(editor_client, field):
    arthritis = Condition.objects.get(slug="arthritis")
    attributes, content = textarea(form_page(editor_client, Condition, arthritis), field)
    assert attributes["maxlength"] == str(SHORT_TEXTS[field])
    assert int(attributes["rows"]) >= 2
    assert content == getattr(arthritis, field)  # shown whole


@pytest.mark.parametrize("field", SHORT_TEXTS)
def test_short_texts_say_their_length_guidance(editor_client, field):
    hint = help_text(form_page(editor_client, Condition), field)
    assert f"{SHORT_TEXTS[field]} characters" in hint


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (Page, ["seo_title", "meta_description"]),
        (Practitioner, ["image_alt"]),
        (Question, ["question"]),
        (UrgentCareSign, ["text"]),
    ],
)
def test_other_content_forms_use_text_areas_too(editor_client, model, fields):
    page = form_page(editor_client, model)
    for field in fields:
        attributes, _ = textarea(page, field)
        assert attributes["maxlength"] == str(model._meta.get_field(field).max_length)


def test_a_long_summary_is_refused_with_a_clear_message(editor_client):
    from conditions.tests.test_admin import condition_form

    arthritis = Condition.objects.get(slug="arthritis")
    url = reverse("admin:conditions_condition_change", args=[arthritis.pk])
    response = editor_client.post(url, condition_form(arthritis, summary="x" * 201))
    assert response.status_code == 200
    assert "Ensure this value has at most 200 characters" in response.content.decode()


def test_causes_are_in_wide_boxes_with_their_limit(editor_client):
    page = form_page(editor_client, Condition, Condition.objects.get(slug="arthritis"))
    box = re.search(r'<input type="text" name="causes-0-text"[^>]*>', page).group(0)
    assert 'class="vLargeTextField"' in box
    assert 'maxlength="200"' in box


def test_starting_texts_are_one_line_per_paragraph_in_the_admin(editor_client):
    arthritis = Condition.objects.get(slug="arthritis")
    _, body = textarea(form_page(editor_client, Condition, arthritis), "body")
    for block in body.split("\n\n"):
        assert "\n" not in block.strip(), block
