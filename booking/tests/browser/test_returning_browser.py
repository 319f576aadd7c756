"""A returning patient in a real browser: asks for a link on the booking form, opens it from
the e-mail, presses Continue, and books again with their details filled in; staff see the
patient's history. Every page axe clean, without CSP violations, at 360, 992 and 1366 px."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import SignInLink, Status
from booking.tests.browser.conftest import DESK
from booking.tests.factories import AppointmentRequestFactory, at
from clinic.tests.browser.conftest import (
    CSP_LISTENER,
    axe_violations,
    screenshot,
    sideways_scrolling,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARIA = "maria.lopez@example.com"
WIDTHS = (360, 992, 1366)
LINK = re.compile(r"http://[^/\s]+(/book/link/[0-9a-f]{64}/)")


@pytest.fixture
def maria(open_every_day):
    day = timezone.localdate() + datetime.timedelta(days=3)
    return AppointmentRequestFactory(
        email=MARIA,
        first_name="Maria",
        last_name="Lopez",
        phone="+12025550143",
        status=Status.CONFIRMED,
        starts_at=at(day, "10:00"),
        email_verified_at=timezone.now(),
    )


def problems(page, name: str) -> list[str]:
    """Screenshots at every width, then axe, CSP and sideways scrolling at each."""
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"returning-{name}-{width}")
        found += axe_violations(page)
        found += sideways_scrolling(page)
    found += page.evaluate("window.__cspViolations")
    page.set_viewport_size({"width": 360, "height": 740})
    return found


@pytest.fixture
def patient_page(browser, site_server, settings):
    """A phone-sized tab recording CSP violations, as a patient's."""
    settings.BOOKING_MIN_FILL_SECONDS = 0
    context = browser.new_context(
        base_url=site_server, viewport={"width": 360, "height": 740}, locale="en-US"
    )
    context.add_init_script(CSP_LISTENER)
    yield context.new_page()
    context.close()


def test_a_returning_patient_books_again_from_a_one_time_link(patient_page, maria):
    page = patient_page
    page.goto("/book/")
    expect(page.get_by_role("heading", name="Booked with us before?")).to_be_visible()
    assert problems(page, "form") == []
    page.get_by_label("The address you booked with").fill("Maria.Lopez@example.com")
    page.get_by_role("button", name="E-mail me a link").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    expect(page.get_by_text("If we know this address, we have sent a link to it.")).to_be_visible()
    assert problems(page, "sent") == []
    (message,) = mail.outbox
    assert message.to == [MARIA]
    path = LINK.search(message.body)[1]

    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Open your page")
    assert SignInLink.objects.get().used_at is None  # opening it used nothing
    assert problems(page, "confirm") == []
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome back, Maria")
    expect(
        page.get_by_role("link", name=f"See, change or cancel {maria.reference}")
    ).to_be_visible()
    assert "maria" not in page.url.lower() and page.url.endswith("/book/yours/")
    assert problems(page, "yours") == []
    page.get_by_role("button", name="Book again").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Request an appointment")
    expect(page.get_by_label("First name")).to_have_value("Maria")
    expect(page.get_by_label("Last name")).to_have_value("Lopez")
    expect(page.locator("#id_email")).to_have_value(MARIA)
    expect(page.get_by_label("Phone")).to_have_value(re.compile(r"555.?0143"))
    expect(page.get_by_label("I have been here before")).to_be_checked()
    assert page.url.endswith("/book/")

    page.goto(path)  # the link again: used
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    assert problems(page, "invalid") == []


def test_a_mistyped_address_is_shown_again_without_javascript(browser, site_server, maria):
    context = browser.new_context(base_url=site_server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/book/")
    page.get_by_label("The address you booked with").fill("maria.example.com")
    page.get_by_role("button", name="E-mail me a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Get a link to book again")
    field = page.get_by_label("The address you booked with")
    expect(field).to_have_value("maria.example.com")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(
        page.get_by_text("Please enter an e-mail address like name@example.com.").first
    ).to_be_visible()
    assert mail.outbox == []
    context.close()


def test_the_front_desk_sees_the_patients_history(maria, signed_in, front_desk_user):
    AppointmentRequestFactory(
        email=MARIA.upper(),
        status=Status.NO_SHOW,
        starts_at=at(timezone.localdate() - datetime.timedelta(days=20), "9:00"),
        email_verified_at=timezone.now(),
    )
    page = signed_in(DESK)
    page.goto(f"/admin/booking/appointmentrequest/{maria.pk}/change/")
    page.get_by_role("link", name="Patient's history").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History of Maria Lopez")
    expect(page.get_by_role("table", name="2 requests, newest first")).to_contain_text("No-show")
    expect(page.get_by_text("1 no-show")).to_be_visible()
    assert problems(page, "admin-history") == []
