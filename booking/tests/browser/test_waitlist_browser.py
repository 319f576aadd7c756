"""A patient joins the waiting list for a full day in a real browser; a cancellation offers
them the place; they follow the e-mail's link and take it. Screenshots at three widths."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from booking import services
from booking.models import AppointmentRequest, Status
from booking.services import waitlist
from booking.tests.factories import AppointmentRequestFactory, at
from booking.tests.waitlist_helpers import waiting
from booking.waitlist import WaitlistEntry, WaitlistStatus
from clinic.tests.browser.conftest import CSP_LISTENER, axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (360, 992, 1366)


@pytest.fixture
def full_day(open_every_day) -> datetime.date:
    """Three days ahead, every hour from 9:00 to 16:00 taken by a confirmed visit."""
    day = timezone.localdate() + datetime.timedelta(days=3)
    for hour in range(9, 17):
        start = at(day, f"{hour}:00")
        AppointmentRequestFactory(
            status=Status.CONFIRMED, starts_at=start, ends_at=start + datetime.timedelta(hours=1)
        )
    return day


@pytest.fixture
def tab(browser, site_server, settings):
    settings.BOOKING_MIN_FILL_SECONDS = 0
    context = browser.new_context(
        base_url=site_server, viewport={"width": 1366, "height": 900}, locale="en-US"
    )
    context.add_init_script(CSP_LISTENER)
    yield context.new_page()
    context.close()


def look_at_every_width(page, name: str) -> list[str]:
    """Screenshots at a phone's, a tablet's and a laptop's width, and axe at each."""
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"{name}-{width}")
        found += axe_violations(page)
        wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        if wide:
            found.append(f"{name} scrolls sideways at {width} px")
    found += page.evaluate("window.__cspViolations || []")
    return found


def test_join_the_list_for_a_full_day_then_take_the_place_a_cancellation_frees(
    tab, full_day, site_server
):
    page = tab
    page.goto(f"/book/?date={full_day.isoformat()}")
    expect(page.get_by_text("There are no free times on")).to_be_visible()
    page.get_by_role("link", name="Join the waiting list").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Join the waiting list")
    assert look_at_every_width(page, "waitlist-join") == []
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_label("First name").fill("Ana")
    page.get_by_label("Last name").fill("Silva")
    page.get_by_label("E-mail").fill("ana@example.com")
    page.get_by_label("Phone").fill("(202) 555-0188")
    page.get_by_label("I agree that the clinic keeps these details").check()
    page.get_by_role("button", name="Join the waiting list").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you: you are on the waiting list"
    )
    entry = WaitlistEntry.objects.get()
    expect(page.get_by_text(entry.reference)).to_be_visible()
    assert look_at_every_width(page, "waitlist-joined") == []

    # Someone cancels the 11:00 visit: the task offers it to Ana and e-mails her.
    mail.outbox.clear()
    services.appointment_cancel(
        appointment=AppointmentRequest.objects.get(starts_at=at(full_day, "11:00"))
    )
    (email,) = [m for m in mail.outbox if m.to == ["ana@example.com"]]
    link = re.search(r"http\S+/offer/", email.body).group(0)

    page.goto("/appointments/" + link.split("/appointments/", 1)[1])  # on the test server
    expect(page.get_by_role("heading", level=1)).to_have_text("A place is held for you")
    assert look_at_every_width(page, "waitlist-offer") == []
    page.get_by_role("button", name="Take this place").click()

    expect(page.get_by_text("The place is yours: your visit is booked.")).to_be_visible()
    expect(page.get_by_text("Your visit is confirmed")).to_be_visible()
    visit = AppointmentRequest.objects.get(waitlist_entry=entry)
    assert visit.status == Status.CONFIRMED and visit.starts_at == at(full_day, "11:00")
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.BOOKED


def test_the_front_desk_sees_the_list_and_an_entrys_offers_accessibly(
    full_day, signed_in, front_desk_user
):
    treatment = AppointmentRequest.objects.first().treatment_type
    entry = waiting(treatment, name="Ana")
    AppointmentRequest.objects.filter(starts_at=at(full_day, "11:00")).update(
        status=Status.CANCELLED
    )
    practitioner_id = AppointmentRequest.objects.values_list("practitioner", flat=True)[0]
    offer = waitlist.offer_freed_place(start=at(full_day, "11:00"), practitioner_id=practitioner_id)
    page = signed_in("desk")

    page.goto("/admin/booking/waitlistentry/")
    expect(page.get_by_role("link", name=entry.reference)).to_be_visible()
    screenshot(page, "waitlist-admin-list-1366")
    assert axe_violations(page) == []
    page.get_by_role("link", name=entry.reference).click()
    expect(page.get_by_role("link", name=offer.reference)).to_be_visible()
    expect(page.get_by_text("offered from the waiting list")).to_be_visible()
    screenshot(page, "waitlist-admin-entry-1366")
    assert axe_violations(page) == []

    page.goto(f"/admin/booking/appointmentrequest/day/?date={full_day.isoformat()}")
    held_block = page.locator(".cal-visit.status-held", has_text=offer.reference)
    expect(held_block.locator(".cal-status")).to_have_text("Held for the waiting list")
    screenshot(page, "waitlist-admin-calendar-1366")
    assert axe_violations(page) == []
    assert page.evaluate("window.__cspViolations || []") == []
