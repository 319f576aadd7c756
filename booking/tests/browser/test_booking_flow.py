"""A patient requests a visit in a real browser, and staff confirm it in the admin."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import AppointmentRequest, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF_PASSWORD = "a-long-test-password-for-staff"


@pytest.fixture
def staff_user(open_every_day):
    return get_user_model().objects.create_superuser("frontdesk", "", STAFF_PASSWORD)


def booking_day() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=3)


def fill_in_details(page):
    page.get_by_label("First name").fill("Maria")
    page.get_by_label("Last name").fill("Lopez")
    page.get_by_label("E-mail").fill("maria@example.com")
    page.get_by_label("Phone").fill("(202) 555-0143")
    page.get_by_label("I am a new patient").check()
    page.get_by_label("I agree that the clinic stores these details").check()


def test_a_patient_goes_from_a_condition_page_to_the_confirmation(browser_page, open_every_day):
    page = browser_page
    page.goto("/conditions/arthritis/")
    page.get_by_role("link", name="Request an appointment").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request an appointment")
    expect(page.get_by_label("Arthritis")).to_be_checked()

    day = booking_day()
    page.get_by_label("Day of your visit").fill(day.isoformat())
    legend = page.get_by_text(f"Free times on {day:%A, %B} {day.day}")
    expect(legend).to_be_visible()  # swapped in by the script, no reload
    expect(page.get_by_role("button", name="Show free times")).to_be_hidden()
    page.get_by_text("10:00 AM", exact=True).click()
    fill_in_details(page)
    page.get_by_role("button", name="Send request").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: we have your request")
    appointment = AppointmentRequest.objects.get()
    expect(page.get_by_text(appointment.reference).first).to_be_visible()
    assert appointment.condition.slug == "arthritis"
    assert timezone.localtime(appointment.starts_at).hour == 10
    assert "/book/requested/" in page.url


def test_staff_confirm_the_request_in_the_admin(browser_page, staff_user, request_data, client):
    client.post("/book/", request_data)
    appointment = AppointmentRequest.objects.get()
    mail.outbox.clear()
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/admin/")
    page.get_by_label("Username").fill("frontdesk")
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/admin/booking/appointmentrequest/")
    page.get_by_role("link", name=appointment.reference).click()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text(re.compile("confirmed", re.IGNORECASE)).first).to_be_visible()
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED
    assert appointment.events.last().actor == staff_user
    assert [m.subject for m in mail.outbox] == [
        f"Your appointment is confirmed ({appointment.reference})"
    ]
    assert mail.outbox[0].attachments[0][0].endswith(".ics")


def test_the_same_request_works_with_javascript_off(browser, site_server, open_every_day, settings):
    settings.BOOKING_MIN_FILL_SECONDS = 0
    context = browser.new_context(
        base_url=site_server, java_script_enabled=False, viewport={"width": 360, "height": 740}
    )
    page = context.new_page()
    page.goto("/conditions/muscle-spasms/")
    page.get_by_role("link", name="Request an appointment").first.click()
    expect(page.get_by_label("Muscle spasms")).to_be_checked()
    fill_in_details(page)
    day = booking_day()
    page.get_by_label("Day of your visit").fill(day.isoformat())
    page.get_by_role("button", name="Show free times").click()  # reloads with that day's times
    expect(page.get_by_text(f"Free times on {day:%A, %B} {day.day}")).to_be_visible()
    expect(page.get_by_label("First name")).to_have_value("Maria")  # nothing typed was lost
    page.get_by_text("11:00 AM", exact=True).click()
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: we have your request")
    appointment = AppointmentRequest.objects.get()
    assert appointment.condition.slug == "muscle-spasms"
    assert timezone.localtime(appointment.starts_at).hour == 11
    context.close()


def test_after_a_failed_submit_focus_moves_to_the_error_summary_and_its_links_work(
    browser_page, open_every_day
):
    page = browser_page
    page.goto("/book/")
    page.get_by_role("button", name="Send request").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    page.get_by_role("link", name="Please enter your first name.").click()
    expect(page.get_by_label("First name")).to_be_focused()


@pytest.fixture
def page_without_javascript(browser, site_server, open_every_day, settings):
    settings.BOOKING_MIN_FILL_SECONDS = 0
    context = browser.new_context(
        base_url=site_server, java_script_enabled=False, viewport={"width": 360, "height": 740}
    )
    yield context.new_page()
    context.close()


def in_viewport(page, selector: str) -> bool:
    return page.evaluate(
        """(selector) => {
          const box = document.querySelector(selector).getBoundingClientRect();
          return box.top >= 0 && box.top < window.innerHeight;
        }""",
        selector,
    )


def test_without_javascript_choosing_a_day_lands_on_its_times(page_without_javascript):
    page = page_without_javascript
    page.goto("/book/")
    day = booking_day() + datetime.timedelta(days=1)
    page.get_by_label("Day of your visit").fill(day.isoformat())
    page.get_by_role("button", name="Show free times").click()
    expect(page.get_by_text(f"Free times on {day:%A, %B} {day.day}")).to_be_visible()
    assert page.url.endswith("#times")
    assert page.evaluate("window.scrollY") > 0
    assert in_viewport(page, "#times")


def test_after_a_failed_submit_the_time_tiles_are_marked_as_the_field_in_error(
    browser_page, open_every_day
):
    page = browser_page
    page.goto(f"/book/?date={booking_day().isoformat()}")
    fill_in_details(page)
    page.get_by_role("button", name="Send request").click()
    expect(page.locator("#error-summary")).to_contain_text("Please choose a time.")
    fieldset = page.locator("fieldset.times__fieldset")
    expect(fieldset).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(fieldset).to_have_attribute("aria-describedby", "id_time_error")
    radios = page.locator("input[name=time]")
    assert radios.count() == 8
    for index in range(radios.count()):
        expect(radios.nth(index)).to_have_attribute("aria-invalid", "true")
    border = page.eval_on_selector(".time-option label", "l => getComputedStyle(l).borderColor")
    untouched = page.eval_on_selector("#id_first_name", "i => getComputedStyle(i).borderColor")
    assert border != untouched  # drawn in the error colour, not the normal one
    page.get_by_role("link", name="Please choose a time.").click()
    expect(radios.first).to_be_focused()
