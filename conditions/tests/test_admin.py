import pytest
from django.test import Client
from django.urls import reverse

from conditions.models import Condition

pytestmark = pytest.mark.django_db


def condition_form(condition: Condition, **changes) -> dict:
    data = {
        "name": condition.name,
        "slug": condition.slug,
        "summary": condition.summary,
        "is_published": "on" if condition.is_published else "",
        "order": condition.order,
        "body": condition.body,
        "acupuncture_help": condition.acupuncture_help,
        "illustration": condition.illustration,
        "image_alt": condition.image_alt,
        "reviewed_on": condition.reviewed_on.isoformat() if condition.reviewed_on else "",
        "reviewed_by": condition.reviewed_by_id or "",
        "seo_title": condition.seo_title,
        "meta_description": condition.meta_description,
        "causes-TOTAL_FORMS": 1,
        "causes-INITIAL_FORMS": 0,
        "causes-MIN_NUM_FORMS": 0,
        "causes-MAX_NUM_FORMS": 1000,
        "causes-0-order": "0",  # what the browser sends for the empty extra row
        "causes-0-text": "",
    }
    data.update(changes)
    return data


def test_an_editor_edits_a_condition_and_the_site_shows_it(editor_client):
    condition = Condition.objects.get(slug="arthritis")
    url = reverse("admin:conditions_condition_change", args=[condition.pk])
    response = editor_client.post(
        url,
        condition_form(
            condition,
            summary="Updated summary for patients.",
            **{"causes-0-order": 9, "causes-0-text": "Standing all day at work"},
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = Client().get("/conditions/arthritis/").content.decode()
    assert "Updated summary for patients." in page
    assert "<li>Standing all day at work</li>" in page


def test_unpublishing_hides_the_page(editor_client):
    condition = Condition.objects.get(slug="arthritis")
    url = reverse("admin:conditions_condition_change", args=[condition.pk])
    assert editor_client.post(url, condition_form(condition, is_published="")).status_code == 302
    assert Client().get("/conditions/arthritis/").status_code == 404


def test_a_new_condition_gets_its_slug_prepopulated_and_length_guidance(editor_client):
    page = editor_client.get(reverse("admin:conditions_condition_add")).content.decode()
    assert "prepopulated" in page
    assert "Best at 50–60 characters" in page
    assert "Aim for 120–155 characters" in page
    assert 'maxlength="160"' in page
