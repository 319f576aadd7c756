"""A patient requests a visit in a real browser, and staff confirm it in the admin."""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from booking import services
from booking.models import AppointmentRequest, Status
from booking.tests.factories import PatientDetailsFactory, at
from booking.tests.patient_diary import three_practitioners
from clinic.tests.browser.conftest import SCREENSHOTS, axe_violations

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
          // A scrolled-to anchor may sit a fraction of a pixel above the top.
          return box.top > -1 && box.top < window.innerHeight;
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


# -- the kind of visit, the practitioner, and the patient's own change -------------------------


@pytest.fixture
def clinic(open_every_day):
    return three_practitioners()


def visit_with(clinic, practitioner, hh_mm: str, day=None) -> AppointmentRequest:
    place = services.Place.of(at(day or booking_day(), hh_mm), clinic.first_visit, practitioner)
    return services.appointment_request_create(
        place=place, condition=None, patient=PatientDetailsFactory(), consent_at=timezone.now()
    )


def test_with_javascript_the_visit_and_practitioner_choices_update_the_page_in_place(
    browser_page, clinic
):
    visit_with(clinic, clinic.ana, "10:00")
    page = browser_page
    day = booking_day()
    page.goto(f"/book/?date={day.isoformat()}")
    page.evaluate("window.notReloaded = true")
    times = page.locator("#times")
    expect(times.get_by_text("10:00 AM", exact=True)).to_be_visible()  # Ben is free then
    cleo = page.get_by_label("Cleo Park")
    expect(cleo).to_be_hidden()  # no first visits
    page.get_by_label("Ana Diaz").check()
    expect(times.get_by_text("10:00 AM", exact=True)).to_have_count(0)  # Ana is booked
    expect(times.get_by_text("11:00 AM", exact=True)).to_be_visible()

    page.get_by_label("I have been here before").check()
    expect(page.get_by_label("Follow-up")).to_be_checked()
    expect(cleo).to_be_visible()
    cleo.check()
    page.get_by_label("I am a new patient").check()
    expect(page.get_by_label("First visit")).to_be_checked()
    expect(cleo).to_be_hidden()
    expect(page.get_by_label("First available")).to_be_checked()  # Cleo was not possible
    assert page.evaluate("window.notReloaded") is True

    page.get_by_label("Ana Diaz").check()
    expect(times.get_by_text("10:00 AM", exact=True)).to_have_count(0)
    times.get_by_text("11:00 AM", exact=True).click()
    fill_in_details(page)
    page.get_by_label("Arthritis").check()
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: we have your request")
    expect(page.locator(".appointment-summary")).to_contain_text("Ana Diaz")
    stored = AppointmentRequest.objects.latest("pk")
    assert (stored.practitioner, stored.treatment_type) == (clinic.ana, clinic.first_visit)
    assert timezone.localtime(stored.starts_at).hour == 11


def test_without_javascript_show_free_times_follows_the_practitioner(
    page_without_javascript, clinic
):
    visit_with(clinic, clinic.ben, "11:00")
    page = page_without_javascript
    page.goto("/book/")
    page.get_by_label("Arthritis").check()
    fill_in_details(page)
    page.get_by_label("Ben Okafor").check()
    day = booking_day()
    page.get_by_label("Day of your visit").fill(day.isoformat())
    page.get_by_role("button", name="Show free times").click()
    expect(page.get_by_text(f"Free times on {day:%A, %B} {day.day}")).to_be_visible()
    expect(page.get_by_label("Ben Okafor")).to_be_checked()
    expect(page.locator("#times").get_by_text("11:00 AM", exact=True)).to_have_count(0)
    page.locator("#times").get_by_text("12:00 PM", exact=True).click()
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: we have your request")
    expect(page.locator(".appointment-summary")).to_contain_text("Ben Okafor")
    stored = AppointmentRequest.objects.latest("pk")
    assert stored.practitioner == clinic.ben
    assert timezone.localtime(stored.starts_at).hour == 12


@pytest.mark.parametrize("javascript", [True, False])
def test_a_patient_changes_the_time_from_the_manage_page(browser, site_server, clinic, javascript):
    visit = visit_with(clinic, clinic.ana, "10:00")
    context = browser.new_context(
        base_url=site_server, java_script_enabled=javascript, viewport={"width": 360, "height": 740}
    )
    page = context.new_page()
    page.goto(visit.get_manage_url())
    page.get_by_role("link", name="Change the time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change the time of your visit")
    expect(page.get_by_label("Ana Diaz")).to_be_checked()
    other_day = booking_day() + datetime.timedelta(days=1)
    page.get_by_label("New day").fill(other_day.isoformat())
    page.get_by_role("button", name="Show free times").click()
    expect(page.get_by_text(f"Free times on {other_day:%A, %B} {other_day.day}")).to_be_visible()
    page.locator("#times").get_by_text("2:00 PM", exact=True).click()
    page.get_by_role("button", name="Change to this time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointment")
    expect(page.get_by_text("Your visit is now on")).to_be_visible()
    visit.refresh_from_db()
    local = timezone.localtime(visit.starts_at)
    assert (local.date(), local.hour, visit.practitioner) == (other_day, 14, clinic.ana)
    context.close()


SHOT_SIZES = {"360": (360, 740), "992": (992, 800), "1366": (1366, 900)}


def look(page, name: str, width: str) -> list[str]:
    """A full-page screenshot (BOOKING_SHOTS, else the suite's folder) and axe's findings."""
    folder = Path(os.environ.get("BOOKING_SHOTS", SCREENSHOTS))
    folder.mkdir(parents=True, exist_ok=True)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(folder / f"patient-{name}-{width}.png"), full_page=True)
    return [f"{name} at {width}px: {line}" for line in axe_violations(page)]


@pytest.mark.parametrize("width", SHOT_SIZES)
def test_the_patient_pages_are_accessible_at_each_width(
    browser, site_server, clinic, width, settings
):
    settings.BOOKING_MIN_FILL_SECONDS = 0
    w, h = SHOT_SIZES[width]
    context = browser.new_context(base_url=site_server, viewport={"width": w, "height": h})
    page = context.new_page()
    day = booking_day()
    page.goto(f"/book/?date={day.isoformat()}")
    problems = look(page, "form", width)
    page.locator("#times").get_by_text("10:00 AM", exact=True).click()
    page.get_by_label("Arthritis").check()
    fill_in_details(page)
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: we have your request")
    problems += look(page, "confirmation", width)
    visit = AppointmentRequest.objects.get()
    page.goto(visit.get_manage_url())
    problems += look(page, "manage", width)
    page.get_by_role("link", name="Change the time").click()
    problems += look(page, "change", width)
    context.close()
    assert not problems, "\n".join(problems)
