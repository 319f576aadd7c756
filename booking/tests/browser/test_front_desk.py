"""The front desk in a real browser: a visit booked for a patient who phoned, moved to
another practitioner, and another visit cancelled by the clinic; the booking and move pages
pass axe and the strict CSP, at a laptop's width and at a small one."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import AppointmentRequest, PractitionerDiary, Source, Status, WorkingHours
from booking.tests.browser.conftest import DESK
from booking.tests.factories import AppointmentRequestFactory, at, the_practitioner
from clinic.models import Practitioner
from clinic.tests.browser.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1366, 992)


@pytest.fixture
def second_practitioner(open_every_day) -> Practitioner:
    """Dana Reyes works the same hours and gives the same treatment as the first."""
    first = the_practitioner().diary
    diary = PractitionerDiary.objects.create(
        practitioner=Practitioner.objects.create(name="Dana Reyes"), position=1
    )
    WorkingHours.objects.bulk_create(
        WorkingHours(diary=diary, weekday=h.weekday, starts=h.starts, ends=h.ends)
        for h in first.working_hours.all()
    )
    diary.treatment_types.set(first.treatment_types.all())
    return diary.practitioner


@pytest.fixture
def desk_page(open_every_day, second_practitioner, signed_in, front_desk_user):
    """A front-desk user signed in through the admin's login page, at a laptop's width."""
    return signed_in(DESK)


def problems(page, name: str) -> list[str]:
    """The page's CSP violations (read first: the screenshots' own injected style would
    count otherwise), then axe's findings, after screenshots at each width."""
    found = [f"CSP: {v}" for v in page.evaluate("window.__cspViolations || []")]
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"front-desk-{name}-{width}")  # into artifacts/screenshots/
    page.set_viewport_size({"width": 1366, "height": 900})
    return found + axe_violations(page)


def visit_day() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=3)


def test_the_front_desk_books_a_phoned_in_visit_then_moves_it(desk_page, second_practitioner):
    page, day = desk_page, visit_day()
    page.goto("/admin/booking/appointmentrequest/")
    page.get_by_role("link", name="Book a visit…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book a visit")
    page.get_by_label("Day of the visit").fill(day.isoformat())
    page.get_by_role("button", name="Show free times").click()
    expect(page.get_by_text(f"Free times on {day:%A, %B} {day.day}")).to_be_visible()
    page.get_by_label("10:00 AM", exact=True).check()
    page.get_by_label("First name").fill("Maria")
    page.get_by_label("Last name").fill("Lopez")
    page.get_by_label("Phone").fill("(202) 555-0143")
    page.get_by_label("E-mail (optional)").fill("maria@example.com")
    page.get_by_label("New patient", exact=True).check()
    page.get_by_label("The patient agreed to the privacy policy").check()
    assert problems(page, "book") == []
    page.get_by_role("button", name="Book the visit").click()

    appointment = AppointmentRequest.objects.get()
    expect(page.locator(".messagelist")).to_contain_text(f"{appointment.reference} booked")
    assert (appointment.status, appointment.source) == (Status.CONFIRMED, Source.FRONT_DESK)
    assert appointment.starts_at == at(day, "10:00")

    page.get_by_role("button", name="Move…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Move visit {appointment.reference}")
    page.get_by_role("combobox", name="Practitioner").select_option(label="Dana Reyes")
    page.get_by_label("Day of the visit").fill((day + datetime.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Show free times").click()
    page.get_by_label("2:00 PM", exact=True).check()
    expect(page.get_by_label("Tell the patient (e-mail with the new time")).to_be_checked()
    assert problems(page, "move") == []
    page.get_by_role("button", name="Move the visit").click()

    expect(page.locator(".messagelist")).to_contain_text(f"{appointment.reference} moved")
    appointment.refresh_from_db()
    assert appointment.practitioner == second_practitioner
    assert appointment.starts_at == at(day + datetime.timedelta(days=1), "14:00")
    assert [m.subject for m in mail.outbox] == [
        f"Your appointment is confirmed ({appointment.reference})",
        f"Your appointment has moved ({appointment.reference})",
    ]


def test_the_front_desk_cancels_a_confirmed_visit(desk_page):
    page = desk_page
    visit = AppointmentRequestFactory(
        status=Status.CONFIRMED, starts_at=at(visit_day(), "11:00"), email="ana@example.com"
    )
    page.goto(f"/admin/booking/appointmentrequest/{visit.pk}/change/")
    page.get_by_role("button", name="Cancel visit…").click()
    page.get_by_label("Message to the patient (optional)").fill("Our practitioner is ill.")
    page.get_by_role("button", name="Cancel the visits and e-mail the patients").click()

    expect(page.locator(".messagelist")).to_contain_text("1 visit cancelled by the clinic")
    visit.refresh_from_db()
    assert visit.status == Status.CANCELLED_BY_CLINIC
    assert [m.to for m in mail.outbox] == [["ana@example.com"]]
    assert "Our practitioner is ill." in mail.outbox[0].body


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("diaries", "/admin/booking/practitionerdiary/"),
        ("diary", "/admin/booking/practitionerdiary/{pk}/change/"),
        ("types", "/admin/booking/treatmenttype/"),
        ("new-type", "/admin/booking/treatmenttype/add/"),
        ("settings", "/admin/booking/bookingsettings/"),
        ("requests", "/admin/booking/appointmentrequest/"),
    ],
)
def test_the_diarys_admin_pages_pass_axe_under_the_csp(desk_page, second_practitioner, name, path):
    page = desk_page
    page.goto(path.format(pk=second_practitioner.pk))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert problems(page, f"diary-admin-{name}") == []
