"""Groundwork for a second language: pages are cached per language, and a patient's request
remembers the language they used, so the e-mails sent later speak it."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from booking.models import AppointmentRequest, NotificationKind

pytestmark = pytest.mark.django_db

TWO_LANGUAGES = [("en", "English"), ("es", "Español")]


@pytest.fixture
def spanish_too(settings):
    """As the site will be once the Spanish translation is complete."""
    settings.LANGUAGES = TWO_LANGUAGES


def html_lang(response) -> str:
    return response.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("path", ["/", "/conditions/arthritis/", "/about/"])
def test_a_cached_page_is_never_served_in_another_language(spanish_too, starting_content, path):
    spanish = Client(HTTP_ACCEPT_LANGUAGE="es")
    english = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert html_lang(spanish.get(path)) == "es"
    assert html_lang(spanish.get(path)) == "es"  # from the cache
    assert html_lang(english.get(path)) == "en"
    assert html_lang(english.get(path)) == "en"
    assert "Accept-Language" in english.get(path)["Vary"]


def test_a_request_remembers_the_language_the_patient_used_and_emails_speak_it(
    spanish_too, open_every_day, request_data, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client(HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9").post("/book/", request_data)
    assert response.status_code == 302
    appointment = AppointmentRequest.objects.get()
    assert appointment.language == "es"
    to_patient = next(m for m in mailoutbox if m.to == [request_data["email"]])
    to_staff = next(m for m in mailoutbox if m.to != [request_data["email"]])
    visit_day = timezone.localtime(appointment.starts_at).date()
    spanish_months = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
                      "agosto", "septiembre", "octubre", "noviembre", "diciembre"]  # fmt: skip
    assert spanish_months[visit_day.month - 1] in to_patient.body  # Django's own Spanish
    assert appointment.notifications.filter(kind=NotificationKind.STAFF_NEW_REQUEST).exists()
    assert "A new appointment request is waiting" in to_staff.body  # the clinic's language


def test_a_request_in_english_is_stored_as_english(open_every_day, request_data):
    Client().post("/book/", request_data)
    assert AppointmentRequest.objects.get().language in ("en", "en-us")
    assert datetime.date.fromisoformat(request_data["date"])
