"""The front desk chooses the reminders in a real browser: checkboxes in a fieldset named by
its legend, the calendar alarm's select; the page passes axe under the strict CSP."""

import pytest
from playwright.sync_api import expect

from booking.models import BookingSettings
from booking.tests.browser.conftest import DESK
from clinic.tests.browser.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desk_page(starting_content, signed_in, front_desk_user):
    return signed_in(DESK)


def test_the_front_desk_chooses_48_and_2_hours_and_an_alarm(desk_page):
    page = desk_page
    page.goto("/admin/booking/bookingsettings/")
    reminders = page.get_by_role("group", name="Send reminders")
    expect(reminders).to_be_visible()
    expect(
        reminders.get_by_role("checkbox", name="24 hours before (the day before)")
    ).to_be_checked()
    reminders.get_by_role("checkbox", name="24 hours before (the day before)").uncheck()
    reminders.get_by_role("checkbox", name="48 hours before").check()
    reminders.get_by_role("checkbox", name="2 hours before").check()
    page.get_by_label("Alarm in the patient's calendar file").select_option(label="1 hour before")
    violations = [f"CSP: {v}" for v in page.evaluate("window.__cspViolations || []")]
    for width in (360, 992, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"admin-booking-settings-{width}")  # into artifacts/screenshots/
    assert violations + axe_violations(page) == []

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("changed successfully")
    row = BookingSettings.load()
    assert (row.reminder_lead_hours, row.calendar_alarm_minutes) == ([48, 2], 60)
