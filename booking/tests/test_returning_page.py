"""A returning patient's page after the link: their upcoming visits only, "Book again" with
their details filled in (posted, never in an address); and the addresses a link verifies."""

import datetime
import re

import pytest
from django.utils import timezone

from booking.models import AppointmentRequest, SignInLink, Status
from booking.tests.factories import AppointmentRequestFactory, at
from clinic.logs import redact

pytestmark = pytest.mark.django_db

MARIA = "maria.lopez@example.com"


@pytest.fixture(autouse=True)
def schedule(open_every_day):
    return open_every_day


@pytest.fixture
def maria():
    """A patient who booked before, with a visit still ahead."""
    return AppointmentRequestFactory(
        email=MARIA,
        first_name="Maria",
        last_name="Lopez",
        phone="+12025550143",
        status=Status.CONFIRMED,
        starts_at=at(timezone.localdate() + datetime.timedelta(days=3), "10:00"),
    )


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_patients_page_lists_only_their_upcoming_visits(client, maria):
    day = timezone.localdate() + datetime.timedelta(days=4)
    AppointmentRequestFactory(email="MARIA.LOPEZ@example.com", starts_at=at(day, "11:00"))
    past = AppointmentRequestFactory(
        email=MARIA, status=Status.COMPLETED, starts_at=at(day - datetime.timedelta(days=9), "9:00")
    )
    cancelled = AppointmentRequestFactory(
        email=MARIA, status=Status.CANCELLED, starts_at=at(day, "14:00")
    )
    someone_else = AppointmentRequestFactory(email="ana@example.com", starts_at=at(day, "15:00"))
    link = SignInLink.new(email=MARIA, language="en", now=timezone.now())
    link.save()
    client.post(f"/book/link/{link.token}/")
    page = text(client.get("/book/yours/"))
    assert page.count("See, change or cancel") == 2
    for hidden in (past, cancelled, someone_else):
        assert hidden.reference not in page


# -- book again -----------------------------------------------------------------------------


def test_book_again_fills_in_the_patients_details(client, maria):
    link = SignInLink.new(email=MARIA, language="en", now=timezone.now())
    link.save()
    client.post(f"/book/link/{link.token}/")
    page = client.get("/book/yours/").content.decode()
    form = re.search(
        r'<form method="post" action="/book/" class="rebook-form">(.*?)</form>', page, re.S
    )
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form[1]))
    assert fields.pop("csrfmiddlewaretoken")
    assert fields == {
        "first_name": "Maria",
        "last_name": "Lopez",
        "email": MARIA,
        "phone": "+12025550143",
        "patient_type": "returning",
    }
    booking = text(client.post("/book/", {**fields, "action": "times"}))
    assert 'name="first_name" value="Maria"' in booking
    assert 'name="last_name" value="Lopez"' in booking
    assert f'name="email" value="{MARIA}"' in booking
    assert re.search(r'value="returning"[^>]*checked', booking)
    assert "Booked with us before?" not in booking  # their details are there already


# -- verified addresses ---------------------------------------------------------------------


def test_using_a_link_verifies_every_request_with_the_address(client, maria):
    other = AppointmentRequestFactory(email="Maria.Lopez@Example.com")
    stranger = AppointmentRequestFactory(email="ana@example.com")
    link = SignInLink.new(email=MARIA.upper(), language="en", now=timezone.now())
    link.save()
    client.post(f"/book/link/{link.token}/")
    verified = set(
        AppointmentRequest.objects.filter(email_verified_at__isnull=False).values_list(
            "pk", flat=True
        )
    )
    assert verified == {maria.pk, other.pk}
    assert stranger.pk not in verified


def test_opening_the_manage_link_verifies_the_request(client, maria, django_assert_num_queries):
    assert maria.email_verified_at is None
    client.get(maria.get_manage_url())
    first = AppointmentRequest.objects.get(pk=maria.pk).email_verified_at
    assert first is not None
    client.get(maria.get_manage_url())
    assert AppointmentRequest.objects.get(pk=maria.pk).email_verified_at == first


# -- logs -----------------------------------------------------------------------------------


def test_the_logs_never_show_a_sign_in_token():
    assert redact('"POST /book/link/abc123-not-hex/ HTTP/1.1" 302') == (
        '"POST /book/link/…/ HTTP/1.1" 302'
    )
    assert "/book/link-sent/" in redact("GET /book/link-sent/")
