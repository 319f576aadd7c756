import pytest
from django.test import Client
from django.urls import reverse

from clinic.models import ClinicProfile, OpeningHours, Page, Practitioner
from clinic.tests.factories import image_upload
from conditions.models import Condition

pytestmark = pytest.mark.django_db

CONTENT_MODELS = [ClinicProfile, Page, Practitioner, Condition]


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", [*CONTENT_MODELS, OpeningHours])
def test_superuser_can_open_changelist_add_and_change_pages(admin_client, starting_content, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    if model is not ClinicProfile:
        assert admin_client.get(admin_url(model, "add")).status_code == 200
    obj = model.objects.first()
    assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", CONTENT_MODELS)
def test_content_editor_can_edit_content(editor_client, model):
    assert editor_client.get(admin_url(model, "changelist")).status_code == 200
    obj = model.objects.first()
    assert editor_client.get(admin_url(model, "change", obj.pk)).status_code == 200


def test_content_editor_cannot_reach_users_or_groups(editor_client):
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_group_changelist")).status_code == 403
    index = editor_client.get(reverse("admin:index")).content.decode()
    assert "Users" not in index
    assert "Condition pages" in index


def test_a_second_clinic_profile_cannot_be_added_or_the_first_deleted(
    admin_client, starting_content
):
    assert admin_client.get(admin_url(ClinicProfile, "add")).status_code == 403
    profile = ClinicProfile.objects.get()
    assert admin_client.get(admin_url(ClinicProfile, "delete", profile.pk)).status_code == 403


def test_overlapping_hours_are_refused_in_the_admin_with_a_clear_message(
    admin_client, starting_content
):
    response = admin_client.post(
        admin_url(OpeningHours, "add"), {"weekday": 0, "opens": "12:00", "closes": "15:00"}
    )
    assert response.status_code == 200
    assert "These hours overlap Monday 9:00 AM–1:00 PM" in response.content.decode()
    assert OpeningHours.objects.filter(weekday=0).count() == 2


def test_uploading_a_practitioner_photo_makes_renditions_shown_on_the_about_page(
    admin_client, starting_content
):
    practitioner = Practitioner.objects.get()
    data = {
        "name": practitioner.name,
        "credentials": "L.Ac.",
        "bio": "Bio.",
        "order": 0,
        "is_active": "on",
        "image": image_upload(size=(1200, 1200)),
        "image_alt": "Smiling practitioner in a treatment room",
    }
    response = admin_client.post(admin_url(Practitioner, "change", practitioner.pk), data)
    assert response.status_code == 302
    practitioner.refresh_from_db()
    assert [r["width"] for r in practitioner.image_renditions] == [480, 800, 1200]
    page = Client().get("/about/").content.decode()
    assert 'type="image/webp"' in page
    assert "480w" in page and "1200w" in page
    assert 'alt="Smiling practitioner in a treatment room"' in page
    assert 'loading="lazy"' in page


def test_a_photo_without_alt_text_is_refused(admin_client, starting_content):
    practitioner = Practitioner.objects.get()
    response = admin_client.post(
        admin_url(Practitioner, "change", practitioner.pk),
        {"name": "X", "order": 0, "image": image_upload(), "image_alt": ""},
    )
    assert response.status_code == 200
    assert "Please describe the photo" in response.content.decode()
    practitioner.refresh_from_db()
    assert not practitioner.image


def test_a_fake_image_upload_is_refused_with_a_clear_message(admin_client, starting_content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    practitioner = Practitioner.objects.get()
    response = admin_client.post(
        admin_url(Practitioner, "change", practitioner.pk),
        {
            "name": "X",
            "order": 0,
            "image": SimpleUploadedFile("x.jpg", b"not an image"),
            "image_alt": "Alt",
        },
    )
    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode()
