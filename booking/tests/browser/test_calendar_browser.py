"""The front desk's calendar in a real browser: the day and the week pass axe under the
strict CSP at a laptop's and a tablet's width, and the keyboard reaches the date form, a
visit and a free time, whose Enter opens the booking page with the time chosen."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import Status, TimeOff
from booking.tests.browser.conftest import DESK
from booking.tests.factories import AppointmentRequestFactory, at
from booking.tests.patient_diary import three_practitioners
from clinic.tests.browser.conftest import (
    axe_violations,
    screenshot,
    sideways_scrolling,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHECKED_WIDTHS = (1366, 768)  # axe at each; screenshots at these and a phone's and 992
LOOKED_AT = (360, 992)


@pytest.fixture
def calendar_day(open_every_day) -> datetime.date:
    """Three practitioners; in two days' time a few visits, an overbooking and time off."""
    clinic = three_practitioners()
    day = timezone.localdate() + datetime.timedelta(days=2)
    for practitioner, treatment, start, status, overbooked in [
        (clinic.ana, clinic.first_visit, "9:00", Status.CONFIRMED, False),
        (clinic.ana, clinic.follow_up, "11:00", Status.REQUESTED, False),
        (clinic.ben, clinic.follow_up, "10:00", Status.CONFIRMED, False),
        (clinic.ben, clinic.follow_up, "10:00", Status.CONFIRMED, True),
        (clinic.cleo, clinic.follow_up, "14:00", Status.CONFIRMED, False),
    ]:
        AppointmentRequestFactory(
            status=status,
            starts_at=at(day, start),
            ends_at=at(day, start) + datetime.timedelta(hours=1),
            practitioner=practitioner,
            treatment_type=treatment,
            is_overbooked=overbooked,
        )
    TimeOff.objects.create(
        diary=clinic.cleo.diary,
        first_day=day,
        from_time=datetime.time(9),
        until_time=datetime.time(12),
    )
    return day


@pytest.fixture
def desk_page(calendar_day, signed_in, front_desk_user):
    return signed_in(DESK)


def problems(page, name: str) -> list[str]:
    """CSP violations, then axe's findings at a laptop's and a tablet's width, after the
    screenshots (artifacts/screenshots/admin-<name>-<width>.png); on a phone and a small
    tablet, only the calendar's own region scrolls sideways."""
    found = [f"CSP: {v}" for v in page.evaluate("window.__cspViolations || []")]
    for width in LOOKED_AT:
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"admin-{name}-{width}")
        found += [f"{width}px: {problem}" for problem in sideways_scrolling(page)]
    for width in CHECKED_WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"admin-{name}-{width}")
        found += [f"{width}px: {problem}" for problem in axe_violations(page)]
    page.set_viewport_size({"width": 1366, "height": 900})
    return found


def tab_to(page, selector: str, limit: int = 250) -> None:
    """Press Tab until the element focused matches the selector."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_the_day_passes_axe_and_the_keyboard_books_a_free_time(desk_page, calendar_day):
    page = desk_page
    page.goto(f"/admin/booking/appointmentrequest/day/?date={calendar_day.isoformat()}")
    expect(page.locator("table.cal-day")).to_contain_text("Ana Diaz")
    expect(page.locator(".cal-at-once")).to_contain_text("2 visits at once")
    expect(page.locator(".cal-time-off")).to_have_text("Time off")
    assert problems(page, "day") == []

    page.set_viewport_size({"width": 768, "height": 900})
    region = page.get_by_role("region", name=re.compile(r"^Visits on "))
    expect(region).to_be_visible()
    page.locator("body").focus()
    tab_to(page, "#id_date")
    tab_to(page, "a.cal-open")
    tab_to(page, ".cal-free a")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Free: book 9:00 AM with Ben Okafor"  # Ana's 9:00 is booked
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Book a visit")
    expect(page.get_by_role("combobox", name="Practitioner")).to_have_value(
        str(page.evaluate("new URL(location).searchParams.get('practitioner')"))
    )
    expect(page.locator('input[name="time"]:checked')).to_have_count(1)
    expect(page.get_by_label("First name")).to_be_visible()


def test_the_weeks_pass_axe(desk_page, calendar_day):
    page = desk_page
    page.goto(f"/admin/booking/appointmentrequest/week/?date={calendar_day.isoformat()}")
    expect(page.locator(".cal-summary")).to_contain_text("Ben Okafor")
    assert problems(page, "week") == []

    page.get_by_role("combobox", name="Practitioner").select_option(label="Ana Diaz")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".cal-week")).to_contain_text("Ana Diaz: the week from")
    assert problems(page, "week-one") == []
