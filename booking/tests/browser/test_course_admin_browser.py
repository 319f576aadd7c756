"""The front desk books a course of four weekly visits for a patient who phoned, in a real
browser: the dates shown first, then every visit confirmed at once; the page passes axe and
the strict CSP, and is looked at on a phone, a tablet and a laptop."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import Course, Source, Status
from booking.tests.browser.conftest import DESK
from booking.tests.factories import at
from clinic.tests.browser.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = (360, 992, 1366)
WEEK = datetime.timedelta(days=7)


def test_the_front_desk_books_a_course_of_four_weekly_visits(
    open_every_day, signed_in, front_desk_user
):
    page = signed_in(DESK)
    day = timezone.localdate() + datetime.timedelta(days=3)
    page.goto("/admin/booking/appointmentrequest/book/")
    page.get_by_label("Day of the visit").fill(day.isoformat())
    page.get_by_role("button", name="Show free times").click()
    page.get_by_label("10:00 AM", exact=True).check()
    page.get_by_label("Book a course").check()
    page.get_by_label("How many visits, this one included?").fill("4")
    page.get_by_label("Every week").check()
    page.get_by_role("button", name="Show the dates").click()

    dates = page.locator("#course-proposal")
    expect(dates.get_by_role("heading")).to_have_text("The 4 dates of the course")
    expect(dates.locator("li")).to_have_count(4)
    for n in range(4):
        start = at(day + n * WEEK, "10:00").isoformat()
        expect(dates.locator(f"time[datetime='{start}']")).to_have_count(1)
    expect(page.get_by_label("10:00 AM", exact=True)).to_be_checked()  # the first visit kept
    assert not Course.objects.exists()  # nothing stored before booking

    page.get_by_label("First name").fill("Maria")
    page.get_by_label("Last name").fill("Lopez")
    page.get_by_label("Phone").fill("(202) 555-0143")
    page.get_by_label("E-mail (optional)").fill("maria@example.com")
    page.get_by_label("Returning patient", exact=True).check()
    page.get_by_label("The patient agreed to the privacy policy").check()
    assert page.evaluate("window.__cspViolations || []") == []
    assert axe_violations(page) == []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"front-desk-course-{width}")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_role("button", name="Book the course").click()

    expect(page.locator(".messagelist")).to_contain_text(
        "A course of 4 visits (every week) booked and confirmed"
    )
    course = Course.objects.get()
    visits = list(course.visits.order_by("course_position"))
    assert [timezone.localtime(v.starts_at) for v in visits] == [
        at(day + n * WEEK, "10:00") for n in range(4)
    ]
    assert {(v.status, v.source) for v in visits} == {(Status.CONFIRMED, Source.FRONT_DESK)}
    expect(page.locator("#appointment-course li")).to_have_count(4)
    assert axe_violations(page) == []
    screenshot(page, "front-desk-course-booked-1366")
    assert [m.to for m in mail.outbox] == [["maria@example.com"]]
