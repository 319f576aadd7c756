"""Fixtures shared by every app's tests, including the real browser (Chromium).

The red-flag check comes before the booking form (booking/safety_views.py). So that tests of
the later steps reach the form as a patient who has answered "no" would, two autouse
fixtures give every test the signed "checked" cookie the check sets:

- `safety_check_done`: every Django test client (`client`, `admin_client`, `Client()`,
  `AsyncClient()`) the test makes;
- `safety_check_done_in_browsers`: every Playwright browser context the test opens
  (`browser_context`, `open_tab`, `signed_in`, or `browser.new_context(...)` directly).

Beyond them: a script a test runs in a process of its own sets the cookie on its client
(`client.cookies[CHECKED_COOKIE] = checked_cookie_value()`); a `requests.Session` talking to a
server the test started (its own secret key) answers the check over HTTP first
(`clinic.tests.servers.past_the_safety_check`).

Tests of the check itself opt out with `@pytest.mark.safety_check_not_done`: their clients and
browsers then meet the check as a new patient does.
"""

import datetime
import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.test import AsyncClient, Client
from django.urls import reverse
from django.utils import timezone

from booking.models import BookingSettings
from booking.safety_check import CHECKED_COOKIE, checked_cookie_value
from booking.tests.factories import one_room_clinic, started_seconds_ago
from clinic.cache import forget_content_version
from clinic.models import OpeningHours
from clinic.roles import CONTENT_EDITORS
from clinic.tests.processes import empty_processes_cache


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "safety_check_not_done: clients and browsers come without the red-flag check's cookie",
    )


@pytest.fixture(autouse=True)
def safety_check_done(request, monkeypatch):
    """Every test client starts with the red-flag check's "checked" cookie (see above)."""
    if request.node.get_closest_marker("safety_check_not_done"):
        return
    for client_class in (Client, AsyncClient):
        monkeypatch.setattr(client_class, "__init__", with_checked_cookie(client_class.__init__))


def with_checked_cookie(init):
    def __init__(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self.cookies[CHECKED_COOKIE] = checked_cookie_value()

    return __init__


@pytest.fixture(autouse=True)
def safety_check_done_in_browsers(request, monkeypatch):
    """Every browser context the test opens has the "checked" cookie for the live site."""
    if "browser" not in request.fixturenames:
        return
    if request.node.get_closest_marker("safety_check_not_done"):
        return
    browser = request.getfixturevalue("browser")
    new_context = browser.new_context

    def new_context_checked(*args, **kwargs):
        context = new_context(*args, **kwargs)
        context.add_cookies(
            [
                {
                    "name": CHECKED_COOKIE,
                    "value": checked_cookie_value(),
                    "domain": host,
                    "path": reverse("booking:request"),
                }
                for host in ("localhost", "127.0.0.1")
            ]
        )
        return context

    monkeypatch.setattr(browser, "new_context", new_context_checked)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads and renditions go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def starting_content(db):
    """The clinic's starting content, as `make run` loads it."""
    call_command("load_clinic_content", verbosity=0)


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters and cached pages must not leak from one test into the next, in
    this process or in the servers and workers the tests start."""
    cache.clear()
    empty_processes_cache()
    forget_content_version()
    yield
    cache.clear()
    empty_processes_cache()
    forget_content_version()


@pytest.fixture
def open_every_day(db, starting_content):
    """9:00–17:00 every day, one practitioner, one-hour visits on the hour, one patient
    at a time, 2 hours' notice, 30 days."""
    OpeningHours.objects.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(weekday=day, opens=datetime.time(9), closes=datetime.time(17))
        for day in range(7)
    )
    booking_settings = BookingSettings.load()
    booking_settings.grid_minutes = 60
    booking_settings.min_notice_hours = 2
    booking_settings.horizon_days = 30
    booking_settings.cancellation_cutoff_hours = 24
    booking_settings.save()
    one_room_clinic(slot_minutes=60)
    return booking_settings


@pytest.fixture
def booking_day() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=3)


@pytest.fixture
def request_data(booking_day) -> dict:
    """What a patient's browser sends for a complete, valid request."""
    return {
        "action": "request",
        "reason": "arthritis",
        "date": booking_day.isoformat(),
        "time": "10:00",
        "first_name": "Maria",
        "last_name": "Lopez",
        "email": "maria@example.com",
        "phone": "(202) 555-0143",
        "patient_type": "new",
        "note": "I use a wheelchair.",
        "consent": "on",
        "website": "",
        "started": started_seconds_ago(60),
    }


@pytest.fixture
def content_editor(db, django_user_model, starting_content):
    user = django_user_model.objects.create_user("editor", is_staff=True)
    user.groups.add(Group.objects.get(name=CONTENT_EDITORS))
    return user


@pytest.fixture
def editor_client(client, content_editor):
    client.force_login(content_editor)
    return client


CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; the browser tests skip, saying why, without it."""
    if not CHROMIUM.exists():
        message = f"Browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER_TESTS"):
            pytest.fail(message)  # CI must never pass with the browser suite skipped
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests' ORM calls are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site_server(django_db_setup, django_db_blocker):
    """The whole site served over HTTP, static files included exactly as in production:
    by whitenoise, from the collected, hashed files (Django's live server would serve
    unhashed files from the finders instead)."""
    from django.test.testcases import LiveServerThread

    with django_db_blocker.unblock():
        server = LiveServerThread("localhost", static_handler=lambda app: app, port=0)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        yield f"http://localhost:{server.port}"
        server.terminate()


@pytest.fixture
def browser_context(browser, site_server, transactional_db, settings):
    """A fresh browser profile on the live site at phone size, JavaScript on."""
    settings.BOOKING_MIN_FILL_SECONDS = 0
    context = browser.new_context(base_url=site_server, viewport=PHONE)
    yield context
    context.close()


@pytest.fixture
def browser_page(browser_context):
    """A tab in a fresh browser profile (see browser_context)."""
    return browser_context.new_page()
