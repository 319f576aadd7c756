"""A superuser gives a practitioner their calendar feed in a real browser: the diary page's
feed section and the page that shows the link once pass axe and the strict CSP at a phone's,
a tablet's and a laptop's width; the link shown is the feed."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from booking.models import Status
from booking.tests.browser.conftest import PASSWORD
from booking.tests.factories import AppointmentRequestFactory, at, the_practitioner
from clinic.tests.browser.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOSS = "boss"
WIDTHS = (360, 992, 1366)


@pytest.fixture
def boss_page(signed_in, django_user_model, open_every_day):
    """A superuser signed in through the admin's login page, at a laptop's width."""
    django_user_model.objects.create_superuser(BOSS, "boss@example.com", PASSWORD)
    return signed_in(BOSS)


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def problems(page, name: str) -> list[str]:
    """CSP violations, then axe's findings, after screenshots at each width."""
    found = [f"CSP: {v}" for v in page.evaluate("window.__cspViolations || []")]
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"admin-feed-{name}-{width}")  # into artifacts/screenshots/
    page.set_viewport_size({"width": 1366, "height": 900})
    return found + axe_violations(page)


def test_a_superuser_creates_a_feed_link_and_the_phone_reads_it(boss_page):
    page, practitioner = boss_page, the_practitioner()
    AppointmentRequestFactory(
        practitioner=practitioner,
        starts_at=at(day(3), "10:00"),
        first_name="Maria",
        last_name="Lopez",
        status=Status.CONFIRMED,
    )
    page.goto(f"/admin/booking/practitionerdiary/{practitioner.pk}/change/")
    feed = page.get_by_role("region", name="Calendar feed")
    expect(feed).to_contain_text("No feed link yet.")
    assert problems(page, "diary") == []

    feed.get_by_role("button", name="Create feed link").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Calendar feed link for {practitioner}"
    )
    address = page.get_by_label("Feed address")
    link = address.input_value()
    assert "/calendar/" in link and link.endswith(".ics")
    expect(page.get_by_role("link", name="this subscribe link")).to_have_attribute(
        "href", "webcal://" + link.split("://", 1)[1]
    )
    assert problems(page, "issued") == []

    fetched = page.request.get(urlsplit(link).path)  # from this test's server
    assert fetched.status == 200
    (event,) = Calendar.from_ical(fetched.body()).walk("VEVENT")
    assert str(event["SUMMARY"]).endswith("Maria L.")

    page.get_by_role("link", name=f"Back to the diary of {practitioner}").click()
    live = page.get_by_role("region", name="Calendar feed")
    expect(live).to_contain_text("Live since")
    expect(
        live.get_by_role("button", name="Renew link (the old one stops working)")
    ).to_be_visible()
    assert link not in page.content()
    assert problems(page, "diary-live") == []
