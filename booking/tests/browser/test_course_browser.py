"""A returning patient books a course of six weekly visits in a real browser and sees them
all, with JavaScript on and off; the pages pass axe and are looked at on a phone, a tablet
and a laptop."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import AppointmentRequest, BookingSettings, Course
from booking.tests.factories import at
from clinic.tests.browser.conftest import CSP_LISTENER, axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = (360, 992, 1366)
WEEK = datetime.timedelta(days=7)


def booking_day() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=3)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_patient_books_a_course_of_six_weekly_visits(
    javascript, browser, site_server, open_every_day, settings
):
    settings.BOOKING_MIN_FILL_SECONDS = 0
    BookingSettings.objects.update(horizon_days=90)
    context = browser.new_context(
        base_url=site_server,
        java_script_enabled=javascript,
        viewport={"width": 360, "height": 740},
        locale="en-US",
    )
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.goto("/book/")
    page.get_by_label("Something else").check()
    page.get_by_label("I have been here before").check()
    day = booking_day()
    page.get_by_label("Day of your visit").fill(day.isoformat())
    if not javascript:
        page.get_by_role("button", name="Show free times").click()
    expect(page.get_by_text(f"Free times on {day:%A, %B} {day.day}")).to_be_visible()
    page.get_by_text("10:00 AM", exact=True).click()

    page.get_by_label("I would like a course of visits").check()
    page.get_by_label("How many visits, this one included?").fill("6")
    page.get_by_label("Every week").check()
    page.get_by_role("button", name="Show the dates").click()

    proposal = page.locator("#course-proposal")
    expect(proposal.get_by_role("heading")).to_have_text("The 6 dates of your course")
    expect(proposal.locator("li")).to_have_count(6)
    for n in range(6):
        expect(proposal.locator(f"time[datetime='{at(day + n * WEEK, '10:00').isoformat()}']"))
    assert not AppointmentRequest.objects.exists()  # nothing stored before sending
    expect(page.get_by_label("I have been here before")).to_be_checked()  # typed, kept
    if javascript:  # axe runs in the page: with JavaScript on only
        assert axe_violations(page) == []
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            screenshot(page, f"course-proposal-{width}")

    page.get_by_label("First name").fill("Maria")
    page.get_by_label("Last name").fill("Lopez")
    page.get_by_label("E-mail").fill("maria@example.com")
    page.get_by_label("Phone").fill("(202) 555-0143")
    page.get_by_label("I agree that the clinic stores these details").check()
    page.get_by_role("button", name="Send request").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: we have your request")
    visits = page.locator(".course-visits__list li")
    expect(visits).to_have_count(6)
    expect(page.get_by_role("heading", name="Your course: 6 visits")).to_be_visible()
    course = Course.objects.get()
    assert [timezone.localtime(v.starts_at) for v in course.visits.order_by("course_position")] == [
        at(day + n * WEEK, "10:00") for n in range(6)
    ]
    if javascript:
        assert axe_violations(page) == []
        assert page.evaluate("window.__cspViolations || []") == []
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            screenshot(page, f"course-received-{width}")
        first = course.visits.order_by("course_position").first()
        page.goto(first.get_manage_url())
        expect(page.locator(".course-visits__list li")).to_have_count(6)
        assert axe_violations(page) == []
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            screenshot(page, f"course-manage-{width}")
        page.get_by_role("link", name="Cancel all 6 remaining visits").click()
        assert axe_violations(page) == []
        screenshot(page, "course-cancel-rest-1366")
    context.close()
