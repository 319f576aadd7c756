"""The front desk chooses the reminders in a real browser: checkboxes in a fieldset named by
its legend, the calendar alarm's select; the page passes axe under the strict CSP."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from booking.models import BookingSettings
from clinic.roles import FRONT_DESK
from clinic.tests.browser.conftest import CSP_LISTENER, axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESK, PASSWORD = "desk", "a-long-test-password-for-the-desk"


@pytest.fixture
def desk_page(browser, site_server, django_user_model, starting_content):
    user = django_user_model.objects.create_user(DESK, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=FRONT_DESK))
    context = browser.new_context(
        base_url=site_server, viewport={"width": 1366, "height": 900}, locale="en-US"
    )
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.goto("/admin/")
    page.get_by_label("Username").fill(DESK)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    yield page
    context.close()


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
