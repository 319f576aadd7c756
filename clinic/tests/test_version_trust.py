"""Each process trusts its copy of the content version for a bounded time: a save on another
server shows here within CLINIC_CONTENT_VERSION_TRUST_SECONDS, a save here at once, and a
version that could not be read is never trusted."""

import uuid

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from clinic import cache as page_cache
from clinic.cache import VERSION_KEY, content_version, public_pages_changed
from clinic.models import ClinicProfile, OpeningHours

pytestmark = pytest.mark.django_db


class Clock:
    """A clock the test moves on by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch, settings) -> Clock:
    settings.CLINIC_CONTENT_VERSION_TRUST_SECONDS = 1.0
    clock = Clock()
    monkeypatch.setattr(page_cache, "clock", clock)
    return clock


def saved_on_another_server() -> str:
    """What another app server's save does to the shared cache once it is committed."""
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, timeout=None)
    return version


def test_the_copy_is_trusted_until_the_bound_then_read_again(clock):
    mine = content_version()
    theirs = saved_on_another_server()
    clock.now += 0.99
    assert content_version() == mine
    clock.now += 0.01
    assert content_version() == theirs


def test_the_bound_counts_from_before_a_slow_read(clock, monkeypatch):
    """A save committed while the read was on its way may have been missed: the copy is
    trusted from when the read began, never longer."""

    class SlowCache:
        def __getattr__(self, name):
            return getattr(cache, name)

        def get(self, *args):
            clock.now += 0.6
            return cache.get(*args)

    monkeypatch.setattr(page_cache, "cache", SlowCache())
    mine = content_version()
    theirs = saved_on_another_server()
    clock.now += 0.39
    assert content_version() == mine
    clock.now += 0.01
    assert content_version() == theirs


def test_a_save_in_this_process_moves_its_copy_at_once(clock, django_capture_on_commit_callbacks):
    before = content_version()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        public_pages_changed()
    after = content_version()
    assert after != before
    assert cache.get(VERSION_KEY) == after


def test_without_a_bound_every_request_reads_the_shared_version(clock, settings):
    settings.CLINIC_CONTENT_VERSION_TRUST_SECONDS = 0
    content_version()
    theirs = saved_on_another_server()
    assert content_version() == theirs


def test_a_version_the_cache_did_not_give_is_never_trusted(clock, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        },
    }
    assert content_version() != content_version()  # pages are rendered every time


def queries_for(client: Client, path: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(path).content.decode()
    return len(queries), page


def test_a_save_on_another_server_shows_here_within_the_bound(clock, starting_content):
    """The page, the site's details (cached for the version) and the footer ({% cache %}
    fragment keyed by the version) all come back fresh once the bound has passed."""
    patient = Client()
    assert "7:45 AM" not in patient.get("/about/").content.decode()
    OpeningHours.objects.filter(weekday=1).update(opens="07:45")
    ClinicProfile.objects.update(email="desk@balancedhealth.example")
    saved_on_another_server()

    clock.now += 0.5
    queries, page = queries_for(patient, "/about/")
    assert (queries, "7:45 AM" in page) == (0, False)  # still this process's cached page
    clock.now += 0.5
    queries, page = queries_for(patient, "/about/")
    assert queries > 0
    assert "7:45 AM" in page  # the footer's hours: a fragment and the site's details
    assert "desk@balancedhealth.example" in page
    assert "7:45 AM" in patient.get("/conditions/arthritis/").content.decode()
