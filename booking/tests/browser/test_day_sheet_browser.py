"""The front desk's day in a real browser: a patient checked in from the start page, and the
day sheet opened from it and printed (the print stylesheet keeps the sheet alone); both pages
pass axe and the strict CSP at a phone's, a tablet's and a laptop's width."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import EventAction, Status
from booking.tests.browser.conftest import DESK
from booking.tests.factories import AppointmentRequestFactory, at, the_practitioner
from clinic.tests.browser.conftest import (
    WIDE_ELEMENTS,
    axe_violations,
    screenshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (360, 992, 1366)
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def desk_page(open_every_day, signed_in, front_desk_user):
    """A front-desk user signed in through the admin's login page, at a laptop's width."""
    return signed_in(DESK)


def problems(page, name: str) -> list[str]:
    """The page's CSP violations, then axe's findings and whatever makes the whole page
    scroll sideways at each width, after a screenshot."""
    found = [f"CSP: {v}" for v in page.evaluate("window.__cspViolations || []")]
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"{name}-{width}")  # into artifacts/screenshots/
        found += [f"{width}px: {v}" for v in axe_violations(page)]
        found += [f"{width}px, sideways: {v}" for v in page.evaluate(WIDE_ELEMENTS)]
    page.set_viewport_size({"width": 1366, "height": 900})
    return found


def under_way(**fields):
    """A confirmed visit of today that has begun and not ended, whatever the time now."""
    now = timezone.localtime()
    start = max(now.replace(hour=0, minute=0, second=0, microsecond=0), now - 5 * MINUTE)
    return AppointmentRequestFactory(**{"status": Status.CONFIRMED, "starts_at": start, **fields})


def test_the_front_desk_checks_a_patient_in_from_the_start_page(desk_page):
    page = desk_page
    visit = under_way(first_name="Maria", last_name="Lopez", phone="+12025550143")
    AppointmentRequestFactory(
        starts_at=at(timezone.localdate() + datetime.timedelta(days=2), "10:00"),
        reference="K7MX4P",
    )
    page.goto("/admin/")
    today = page.locator("#front-desk-today")
    row = today.get_by_role("row", name=re.compile("Maria Lopez"))
    expect(row.get_by_role("cell", name="Confirmed", exact=True)).to_be_visible()
    expect(today.get_by_role("link", name="K7MX4P")).to_be_visible()
    assert problems(page, "admin-start-today") == []

    row.get_by_role("button", name=re.compile("^Mark arrived")).click()

    expect(page.locator(".messagelist")).to_contain_text("1 patient checked in.")
    assert page.url.endswith("/admin/")
    row = page.locator("#front-desk-today").get_by_role("row", name=re.compile("Maria Lopez"))
    expect(row.get_by_role("cell", name="Arrived", exact=True)).to_be_visible()
    expect(row.get_by_role("button", name=re.compile("^Mark arrived"))).to_have_count(0)
    visit.refresh_from_db()
    assert visit.status == Status.ARRIVED
    assert visit.events.get().action == EventAction.ARRIVED


def test_the_day_sheet_opens_from_the_start_page_and_prints_alone(desk_page):
    page = desk_page
    practitioner = the_practitioner()
    today = timezone.localdate()
    under_way(first_name="Maria", last_name="Lopez", note="Left side worse")
    AppointmentRequestFactory(
        status=Status.CONFIRMED,
        starts_at=at(today, "23:00"),
        first_name="Ana",
        last_name="Ruiz",
        is_new_patient=False,
    )
    page.goto("/admin/")

    page.locator("#front-desk-today").get_by_role("link", name=str(practitioner)).click()

    expect(page.get_by_role("heading", level=2, name=re.compile(str(practitioner)))).to_be_visible()
    sheet = page.locator(".day-sheet")
    expect(sheet.get_by_role("cell", name="Maria Lopez")).to_be_visible()
    expect(sheet.get_by_role("cell", name="Ana Ruiz")).to_be_visible()
    expect(sheet).not_to_contain_text("Left side worse")
    print_button = page.get_by_role("button", name="Print")
    expect(print_button).to_be_visible()  # shown by its script
    assert problems(page, "admin-day-sheet") == []

    page.evaluate("window.print = () => { window.__printed = true; }")
    print_button.click()
    assert page.evaluate("window.__printed") is True

    page.emulate_media(media="print")
    expect(page.locator("#header")).to_be_hidden()
    expect(page.locator(".breadcrumbs")).to_be_hidden()
    expect(page.locator("form.day-sheet-choice")).to_be_hidden()
    expect(sheet.get_by_role("cell", name="Maria Lopez")).to_be_visible()
    colours = sheet.evaluate(
        "(el) => [getComputedStyle(el).color, getComputedStyle(document.body).backgroundColor]"
    )
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
    screenshot(page, "admin-day-sheet-print")

    page.emulate_media(media="screen")
    page.get_by_label("Include the patients' notes and the staff notes").check()
    page.get_by_role("button", name="Show the day sheet").click()
    expect(page.locator(".day-sheet")).to_contain_text("Left side worse")
