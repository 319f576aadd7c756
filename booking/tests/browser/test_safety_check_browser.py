"""The red-flag check in a real browser, as a new patient meets it (without the "checked"
cookie the other browser tests get): by keyboard with JavaScript on, each outcome with
JavaScript off, and axe, the policy and the layout at a phone's, a tablet's and a laptop's
width."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import AppointmentRequest
from clinic.tests.browser.conftest import SIZES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.safety_check_not_done,
]

EMERGENCY_QUESTION = "Do you have any of these signs right now?"
SAME_DAY_QUESTION = "Do you have any of these signs?"


def question(page, legend: str):
    return page.get_by_role("group", name=legend, exact=True)


def answer(page, *, emergency: str, same_day: str) -> None:
    question(page, EMERGENCY_QUESTION).get_by_label(emergency).check()
    question(page, SAME_DAY_QUESTION).get_by_label(same_day).check()
    page.get_by_role("button", name="Continue").click()


@pytest.fixture
def page_without_javascript(browser, site_server, open_every_day, settings):
    settings.BOOKING_MIN_FILL_SECONDS = 0
    context = browser.new_context(
        base_url=site_server, java_script_enabled=False, viewport={"width": 360, "height": 740}
    )
    yield context.new_page()
    context.close()


def test_by_keyboard_no_to_each_question_opens_the_form_and_its_times(open_tab, open_every_day):
    page = open_tab("phone").page
    page.goto("/conditions/arthritis/")
    page.get_by_role("link", name="Request an appointment").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Before you choose a time")
    expect(page.get_by_text("Free times")).to_have_count(0)

    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#error-summary")).to_contain_text("Please answer each question")
    page.get_by_role("link", name=EMERGENCY_QUESTION).click()
    expect(question(page, EMERGENCY_QUESTION).get_by_label("Yes, at least one")).to_be_focused()

    question(page, EMERGENCY_QUESTION).get_by_label("Yes, at least one").focus()
    page.keyboard.press("ArrowDown")  # a radio group moves its choice with the arrows
    expect(question(page, EMERGENCY_QUESTION).get_by_label("No, none of these")).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")
    expect(question(page, SAME_DAY_QUESTION).get_by_label("No, none of these")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Continue")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Request an appointment")
    expect(page.get_by_label("Arthritis")).to_be_checked()  # the condition page's choice
    day = timezone.localdate() + datetime.timedelta(days=3)
    page.get_by_label("Day of your visit").fill(day.isoformat())
    expect(page.get_by_text(f"Free times on {day:%A, %B} {day.day}")).to_be_visible()
    assert page.url.endswith("/book/?reason=arthritis")  # no answer in the address


def test_an_emergency_sign_stops_the_booking_with_javascript_off(page_without_javascript):
    page = page_without_javascript
    page.goto("/book/")
    answer(page, emergency="Yes, at least one", same_day="No, none of these")
    expect(page.get_by_role("heading", level=1)).to_have_text("Please get help now")
    expect(page.get_by_text("Call 911 now, or go to the nearest emergency room.")).to_be_visible()
    expect(page.get_by_role("link", name="Call 911")).to_have_attribute("href", "tel:911")
    expect(page.get_by_text("Free times")).to_have_count(0)
    expect(page.get_by_role("button", name="Send request")).to_have_count(0)
    assert "/book/check/" in page.url and "yes" not in page.url

    page.get_by_role("link", name="Start again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Before you choose a time")
    page.goto("/book/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Before you choose a time")
    assert AppointmentRequest.objects.count() == 0


def test_a_same_day_sign_goes_on_only_once_a_doctor_has_seen_it_with_javascript_off(
    page_without_javascript,
):
    page = page_without_javascript
    page.goto("/book/")
    answer(page, emergency="No, none of these", same_day="Yes, at least one")
    expect(page.get_by_role("heading", level=1)).to_have_text("See a doctor today")
    expect(page.get_by_text("go to an urgent care clinic")).to_be_visible()
    doctor = question(page, "Have you already seen a doctor about this?")
    doctor.get_by_label("No, not yet").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Please see a doctor first")
    expect(page.get_by_text("Free times")).to_have_count(0)

    page.get_by_role("link", name="Start again").click()
    answer(page, emergency="No, none of these", same_day="Yes, at least one")
    doctor.get_by_label("Yes, a doctor has checked me for this").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request an appointment")
    expect(page.get_by_role("button", name="Show free times")).to_be_visible()


@pytest.mark.parametrize("size", ["phone", "tablet", "desktop"])
def test_the_check_and_its_outcomes_pass_the_quality_checks(
    open_tab, page_problems, open_every_day, monkeypatch, size
):
    """Each page in a tab of its own: a tab's checks cover everything it has seen."""
    monkeypatch.setitem(SIZES, "tablet", {"width": 992, "height": 800})
    tab = open_tab(size)
    tab.page.goto("/book/")
    problems = page_problems(tab, "safety-check", size)

    tab = open_tab(size)
    tab.expected_status = 400
    tab.page.goto("/book/")
    tab.page.get_by_role("button", name="Continue").click()
    expect(tab.page.locator("#error-summary")).to_be_visible()
    problems += page_problems(tab, "safety-check-unanswered", size)

    tab = open_tab(size)
    tab.page.goto("/book/")
    answer(tab.page, emergency="No, none of these", same_day="Yes, at least one")
    expect(tab.page.get_by_role("heading", level=1)).to_have_text("See a doctor today")
    problems += page_problems(tab, "safety-check-same-day", size)

    tab = open_tab(size)
    tab.page.goto("/book/check/")
    answer(tab.page, emergency="Yes, at least one", same_day="No, none of these")
    expect(tab.page.get_by_role("heading", level=1)).to_have_text("Please get help now")
    problems += page_problems(tab, "safety-check-emergency", size)
    assert problems == []
