"""What a patient and an auditor see in a real browser: every public page, at phone and desktop
size, has no accessibility violations (axe-core, WCAG 2.2 AA), no console errors, no failed or
third-party requests, no CSP violations, no sideways scrolling and no tiny tap targets; the
booking form works with the keyboard alone; the admin runs under the same CSP."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from booking.models import AppointmentRequest, Status
from clinic.tests.public_pages import (
    CONDITION_SLUGS,
    MANAGE_STATES,
    MISSING_PATH,
    PATIENT,
    STAFF_PASSWORD,
    STAFF_USERNAME,
    appointment_in,
    staff_user,
    visit_day,
)
from conditions.models import Condition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = ["phone", "desktop"]
PATHS = {
    "home": "/",
    "conditions": "/conditions/",
    **{f"condition-{slug}": f"/conditions/{slug}/" for slug in CONDITION_SLUGS},
    "about": "/about/",
    "privacy": "/privacy/",
    "questions": "/questions/",
    "booking-form": "/book/",
    "not-found": MISSING_PATH,
}


def fill_in_a_valid_request(page) -> None:
    page.locator(".time-option label").first.click()
    page.get_by_label("First name").fill(PATIENT["first_name"])
    page.get_by_label("Last name").fill(PATIENT["last_name"])
    page.get_by_label("E-mail").fill(PATIENT["email"])
    page.get_by_label("Phone").fill(PATIENT["phone"])
    page.get_by_label("I am a new patient").check()
    page.get_by_label("I agree that the clinic stores these details").check()


def send_request(page) -> None:
    page.get_by_role("button", name="Send request").click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", PATHS)
def test_public_page_quality(name, size, open_tab, page_problems, open_every_day):
    tab = open_tab(size)
    tab.expected_status = 404 if name == "not-found" else 200
    tab.page.goto(PATHS[name])
    problems = page_problems(tab, name, size)
    assert not problems, report(name, size, problems)


def test_every_published_condition_page_is_checked(open_every_day):
    published = set(Condition.objects.published().values_list("slug", flat=True))
    assert published == set(CONDITION_SLUGS)


@pytest.mark.parametrize("size", SIZES)
def test_booking_form_after_a_failed_submit(size, open_tab, page_problems, open_every_day):
    tab = open_tab(size)
    tab.page.goto("/book/")
    tab.expected_status = 400
    send_request(tab.page)
    expect(tab.page.locator("#error-summary")).to_be_focused()
    problems = page_problems(tab, "booking-form-errors", size)
    assert not problems, report("booking form after a failed submit", size, problems)


@pytest.mark.parametrize("size", SIZES)
def test_confirmation_page(size, open_tab, page_problems, open_every_day):
    tab = open_tab(size)
    tab.page.goto("/book/?reason=arthritis")
    fill_in_a_valid_request(tab.page)
    send_request(tab.page)
    expect(tab.page.get_by_role("heading", level=1)).to_have_text("Thank you: we have your request")
    assert AppointmentRequest.objects.count() == 1
    problems = page_problems(tab, "confirmation", size)
    assert not problems, report("confirmation page", size, problems)


@pytest.mark.parametrize("size", SIZES)
def test_too_many_requests_page(size, open_tab, page_problems, open_every_day, settings):
    settings.BOOKING_RATE_LIMIT_PER_MINUTE = 0
    tab = open_tab(size)
    tab.page.goto("/book/?reason=arthritis")
    fill_in_a_valid_request(tab.page)
    tab.expected_status = 429
    send_request(tab.page)
    expect(tab.page.locator("#error-summary")).to_contain_text("Please wait a little")
    assert not AppointmentRequest.objects.exists()
    problems = page_problems(tab, "too-many-requests", size)
    assert not problems, report("429 page", size, problems)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("status", MANAGE_STATES)
def test_manage_page(status, size, open_tab, page_problems, open_every_day):
    appointment = appointment_in(status, "11:00")
    tab = open_tab(size)
    tab.page.goto(appointment.get_manage_url())
    expect(tab.page.locator(f".status--{status}")).to_be_visible()
    problems = page_problems(tab, f"manage-{status}", size)
    assert not problems, report(f"manage page ({status})", size, problems)


@pytest.mark.parametrize("size", SIZES)
def test_cancel_page(size, open_tab, page_problems, open_every_day):
    appointment = appointment_in(Status.CONFIRMED, "11:00")
    tab = open_tab(size)
    tab.page.goto(reverse("booking:cancel", kwargs={"token": appointment.manage_token}))
    problems = page_problems(tab, "cancel", size)
    assert not problems, report("cancel page", size, problems)


def report(name: str, size: str, problems: list[str]) -> str:
    return f"{name} at {size}: {len(problems)} problem(s)\n  " + "\n  ".join(problems)


# ---------------------------------------------------------------- keyboard

FOCUSED = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return "(page)";
  let name = element.tagName.toLowerCase();
  if (element.id) name += "#" + element.id;
  for (const cls of element.classList) name += "." + cls;
  return name;
}"""


def tab_to(page, selector: str, *, limit: int = 60) -> None:
    """Press Tab until the focused element matches `selector`; fail listing the stops."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
        stops.append(page.evaluate(FOCUSED))
    pytest.fail(f"Tab never reached {selector}; it stopped at: {', '.join(stops)}")


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(open_tab, open_every_day):
    page = open_tab("phone").page
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


@pytest.mark.parametrize("size", SIZES)
def test_focus_is_visible_at_every_tab_stop_of_the_home_page(size, open_tab, open_every_day):
    page = open_tab(size).page
    page.goto("/")
    invisible, stops = [], 0
    for _ in range(100):
        page.keyboard.press("Tab")
        focus = page.evaluate(
            """() => {
              const element = document.activeElement;
              if (!element || element === document.body) return null;
              const style = getComputedStyle(element);
              const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
              return {visible: outline || style.boxShadow !== "none", html: element.outerHTML};
            }"""
        )
        if focus is None:  # past the last stop: the browser's own UI is next
            break
        stops += 1
        if not focus["visible"]:
            invisible.append(focus["html"][:120])
    assert stops > 10, f"only {stops} tab stops on the home page"
    assert not invisible, "no visible focus on:\n  " + "\n  ".join(invisible)


def test_the_booking_form_works_with_the_keyboard_alone(open_tab, open_every_day):
    tab = open_tab("phone")
    page, keyboard = tab.page, tab.page.keyboard
    page.goto("/book/?reason=arthritis")
    expect(page.get_by_label("Arthritis")).to_be_checked()

    tab_to(page, "input[name=reason]:checked")  # the chosen reason stays chosen
    tab_to(page, "input[name=date]")
    day = visit_day()
    keyboard.type(f"{day:%m%d%Y}")
    expect(page.get_by_text(f"Free times on {day:%A, %B} {day.day}")).to_be_visible()
    tab_to(page, "input[name=time]")  # the first free time
    keyboard.press("ArrowRight")  # the next one, chosen
    expect(page.locator("input[name=time]:checked")).to_have_value("10:00")
    for field, text in [
        ("first_name", PATIENT["first_name"]),
        ("last_name", PATIENT["last_name"]),
        ("email", PATIENT["email"]),
        ("phone", PATIENT["phone"]),
    ]:
        tab_to(page, f"input[name={field}]")
        keyboard.type(text)
    tab_to(page, "input[name=patient_type]")
    keyboard.press("Space")
    tab_to(page, "input[name=consent]")
    keyboard.press("Space")
    tab_to(page, "button[value=request]")
    keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: we have your request")
    appointment = AppointmentRequest.objects.get()
    assert appointment.condition.slug == "arthritis"
    assert (appointment.first_name, appointment.email) == (PATIENT["first_name"], PATIENT["email"])
    assert appointment.is_new_patient
    assert tab.problems() == []


# ---------------------------------------------------------------- the admin


def test_the_admin_works_under_the_same_content_security_policy(open_tab, open_every_day):
    appointment = appointment_in(Status.REQUESTED, "11:00")
    staff_user()
    condition = Condition.objects.get(slug="arthritis")
    tab = open_tab("desktop")
    page = tab.page
    page.goto(reverse("admin:index"))
    page.get_by_label("Username").fill(STAFF_USERNAME)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    problems = [f"login: {problem}" for problem in tab.problems()]
    for name, url in [
        ("index", reverse("admin:index")),
        ("requests", reverse("admin:booking_appointmentrequest_changelist")),
        ("request", reverse("admin:booking_appointmentrequest_change", args=[appointment.pk])),
        ("condition", reverse("admin:conditions_condition_change", args=[condition.pk])),
    ]:
        page.goto(url)
        page.wait_for_load_state("load")
        problems += [f"{name} ({url}): {problem}" for problem in tab.problems()]
        tab.console_errors.clear()
        tab.bad_requests.clear()
    assert not problems, "\n".join(problems)
