"""A returning patient's page after the link: their upcoming visits and waiting-list entries
only, "Book again" with their details filled in (from a cookie holding the link's id, never
in an address); and the addresses a link verifies."""

import datetime
import re

import pytest
from django.utils import timezone

from booking.models import AppointmentRequest, SignInLink, Status
from booking.tests.factories import AppointmentRequestFactory, at
from booking.tests.waitlist_helpers import waiting
from booking.waitlist import WaitlistStatus
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


def test_the_patients_page_lists_their_waiting_list_entries(client, maria):
    treatment = maria.treatment_type
    mine = waiting(treatment, name="Maria")
    mine.email = MARIA.upper()
    mine.save()
    left = waiting(treatment, name="Maria")
    left.email = MARIA
    left.status = WaitlistStatus.ENDED
    left.save()
    theirs = waiting(treatment, name="Ana")
    link = SignInLink.new(email=MARIA, language="en", now=timezone.now())
    link.save()
    client.post(f"/book/link/{link.token}/")
    page = text(client.get("/book/yours/"))
    assert "On the waiting list" in page
    assert f"See or leave {mine.reference}" in page
    assert mine.get_absolute_url() in page
    assert left.reference not in page and theirs.reference not in page


# -- book again -----------------------------------------------------------------------------


def test_book_again_fills_in_the_patients_details(client, maria):
    link = SignInLink.new(email=MARIA, language="en", now=timezone.now())
    link.save()
    client.post(f"/book/link/{link.token}/")
    page = text(client.get("/book/yours/"))
    assert '<a href="/book/" class="btn btn-primary btn-lg">Book again</a>' in page
    booking = text(client.get("/book/"))
    assert 'name="first_name" value="Maria"' in booking
    assert 'name="last_name" value="Lopez"' in booking
    assert f'name="email" value="{MARIA}"' in booking
    assert re.search(r'value="returning"[^>]*checked', booking)
    assert "Booked with us before?" not in booking  # their details are there already


@pytest.mark.safety_check_not_done
def test_the_details_wait_through_the_red_flag_check(client, maria):
    """A link opened in another browser (the phone's mail app): the check comes first, and
    the form after it still knows who they are; the cookie names no one."""
    link = SignInLink.new(email=MARIA, language="en", now=timezone.now())
    link.save()
    opened = client.post(f"/book/link/{link.token}/")
    cookie = opened.cookies["booking_returning"]
    assert cookie["path"] == "/book/" and cookie["httponly"]
    assert "maria" not in cookie.value.lower()
    assert "Do you have any of these signs right now?" in text(client.get("/book/"))
    checked = client.post("/book/check/", {"step": "signs", "emergency": "no", "today": "no"})
    assert checked["Location"] == "/book/"
    booking = text(client.get("/book/"))
    assert 'name="first_name" value="Maria"' in booking
    assert 'name="phone" value="' in booking and "0143" in booking


def test_what_is_typed_wins_over_the_remembered_details(client, maria):
    link = SignInLink.new(email=MARIA, language="en", now=timezone.now())
    link.save()
    client.post(f"/book/link/{link.token}/")
    booking = text(client.post("/book/", {"first_name": "Mary", "action": "times"}))
    assert 'name="first_name" value="Mary"' in booking


def test_someone_without_a_used_link_gets_an_empty_form(client, maria):
    link = SignInLink.new(email=MARIA, language="en", now=timezone.now())
    link.save()  # e-mailed, never opened
    booking = text(client.get("/book/"))
    assert 'name="first_name" value="Maria"' not in booking
    assert "Booked with us before?" in booking


# -- verified addresses ---------------------------------------------------------------------


def test_a_request_sent_after_using_the_link_is_verified_too(client, request_data):
    link = SignInLink.new(email=MARIA, language="en", now=timezone.now())
    link.save()
    client.post(f"/book/link/{link.token}/")
    for email, time in ((MARIA.upper(), "10:00"), ("someone.else@example.com", "11:00")):
        assert (
            client.post("/book/", {**request_data, "email": email, "time": time}).status_code == 302
        )
    new = AppointmentRequest.objects.all()
    assert new.get(email=MARIA.upper()).email_verified_at is not None  # theirs, proved
    assert new.get(email="someone.else@example.com").email_verified_at is None


def test_a_request_from_a_browser_without_the_link_is_not_verified(client, request_data):
    response = client.post("/book/", {**request_data, "email": MARIA})
    assert response.status_code == 302
    assert AppointmentRequest.objects.get().email_verified_at is None


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
