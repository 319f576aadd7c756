"""A save through one app server shows on the other within the bound the README states
(CLINIC_CONTENT_VERSION_TRUST_SECONDS): each process trusts its copy of the content version
that long, and not a moment longer."""

import re
import time

import pytest
import requests
from django.conf import settings
from django.contrib.auth import get_user_model

from clinic.models import OpeningHours

pytestmark = [pytest.mark.scaleout, pytest.mark.django_db(transaction=True)]

PASSWORD = "scale-out-test-password-1"
MARGIN = 0.5  # seconds: a request's own time, and the test's
NEW_HOURS = "7:15 AM"


def hidden_inputs(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def staff_logged_in(server: str) -> requests.Session:
    get_user_model().objects.create_superuser("staff", "", PASSWORD)
    staff = requests.Session()
    staff.headers["X-Forwarded-For"] = "192.0.2.10"
    login = staff.get(f"{server}/admin/login/", timeout=10)
    staff.post(
        f"{server}/admin/login/?next=/admin/",
        data={**hidden_inputs(login.text), "username": "staff", "password": PASSWORD},
        timeout=10,
    )
    return staff


def save_new_opening_hours(staff: requests.Session, server: str) -> None:
    hours = OpeningHours.objects.filter(weekday=1).first()
    change_url = f"{server}/admin/clinic/openinghours/{hours.pk}/change/"
    form = hidden_inputs(staff.get(change_url, timeout=10).text)
    saved = staff.post(
        change_url,
        data={**form, "weekday": 1, "opens": "07:15", "closes": "19:00"},
        allow_redirects=False,
        timeout=10,
    )
    assert saved.status_code == 302  # answered after the commit


def shows_new_hours(server: str, path: str) -> bool:
    return NEW_HOURS in requests.get(f"{server}{path}", timeout=10).text


def test_a_save_through_one_server_shows_on_the_other_within_the_bound(
    app_servers, starting_content
):
    """The hours are in every footer: a {% cache %} fragment keyed by the version, built
    from the site's details cached for the version, on pages kept whole for the version."""
    first, second = app_servers
    bound = settings.CLINIC_CONTENT_VERSION_TRUST_SECONDS
    staff = staff_logged_in(first)
    for _ in range(8):  # every worker keeps the pages, and trusts its copy of the version
        for server in app_servers:
            assert not shows_new_hours(server, "/about/")
            assert not shows_new_hours(server, "/conditions/arthritis/")

    save_new_opening_hours(staff, first)
    saved_at = time.monotonic()
    deadline = saved_at + bound + MARGIN
    while not shows_new_hours(second, "/about/"):
        assert time.monotonic() < deadline, f"still stale {bound + MARGIN:.1f} s after the save"
        time.sleep(0.05)

    time.sleep(max(0.0, deadline - time.monotonic()))
    for server in app_servers:  # from now on, on every worker of both servers: fresh
        for _ in range(8):
            for path in ("/about/", "/conditions/arthritis/", "/", "/book/"):
                assert shows_new_hours(server, path), f"stale {path} on {server}"
