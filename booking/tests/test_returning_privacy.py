"""What asking for a link tells a stranger: nothing. Known and unknown addresses get the same
page, the same status, the same queries and (within noise) the same time; asking is rate
limited like the booking form."""

import re
import statistics
import time

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from booking import ratelimit
from booking.models import SignInLink
from booking.tests.factories import AppointmentRequestFactory

pytestmark = pytest.mark.django_db

KNOWN = "maria.lopez@example.com"
UNKNOWN = "nobody.here@example.com"


@pytest.fixture(autouse=True)
def production_queue(open_every_day, settings):
    """As in production: the database task backend, so the request only writes the task."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    AppointmentRequestFactory(email=KNOWN)


def ask(client, email: str, address: str = "198.51.100.7"):
    return client.post("/book/link/", {"returning-email": email}, REMOTE_ADDR=address)


def shape(sql: str) -> str:
    """A query without its values: what it does, to which table."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r'"s\d+_x\d+"', "?", sql)  # savepoint names
    return re.sub(r"\b\d+(\.\d+)?\b", "?", sql)


def test_known_and_unknown_addresses_get_the_same_answer(client):
    known, unknown = ask(client, KNOWN), ask(client, UNKNOWN)
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/book/link-sent/"
    assert known.cookies.keys() == unknown.cookies.keys()
    assert SignInLink.objects.count() == 2  # both wait for the worker alike
    assert DBTaskResult.objects.count() == 2


def test_known_and_unknown_addresses_run_the_same_queries(client):
    ask(client, UNKNOWN)  # the settings row and anything else a first request loads
    shapes = {}
    for email in (KNOWN, UNKNOWN):
        with CaptureQueriesContext(connection) as queries:
            ask(client, email)
        shapes[email] = [shape(query["sql"]) for query in queries.captured_queries]
    assert shapes[KNOWN] == shapes[UNKNOWN]
    assert not any("booking_appointmentrequest" in sql for sql in shapes[KNOWN])
    assert len(shapes[KNOWN]) <= 6


def test_known_and_unknown_addresses_take_the_same_time(client, settings):
    """Medians of many requests, interleaved so that a busy machine slows both alike; the
    tolerance is generous (the work is the same, the noise is not)."""
    settings.BOOKING_RATE_LIMIT_PER_MINUTE = settings.BOOKING_RATE_LIMIT_PER_HOUR = 10_000
    settings.BOOKING_RATE_LIMIT_PER_CONTACT = 10_000
    timings = {KNOWN: [], UNKNOWN: []}
    for _ in range(3):  # warm up
        ask(client, KNOWN), ask(client, UNKNOWN)
    for round_ in range(40):
        order = (KNOWN, UNKNOWN) if round_ % 2 else (UNKNOWN, KNOWN)
        for email in order:
            started = time.perf_counter()
            response = ask(client, email)
            timings[email].append(time.perf_counter() - started)
            assert response.status_code == 302
    known, unknown = (statistics.median(timings[email]) for email in (KNOWN, UNKNOWN))
    assert abs(known - unknown) <= 0.5 * max(known, unknown) + 0.005, (known, unknown)


# -- rate limits ----------------------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = 1_900_000_000.0

    fake = Clock()
    monkeypatch.setattr(ratelimit, "clock", lambda: fake.now)
    return fake


def test_a_burst_from_one_address_is_stopped_at_ten_a_minute(client, clock):
    statuses = [ask(client, f"patient{n}@example.com").status_code for n in range(11)]
    assert statuses == [302] * 10 + [429]
    assert SignInLink.objects.count() == 10
    clock.now += 61
    assert ask(client, "later@example.com").status_code == 302


def test_one_email_address_is_capped_from_any_address(client, clock):
    statuses = [ask(client, KNOWN, address=f"203.0.113.{n}").status_code for n in range(6)]
    assert statuses == [302] * 5 + [429]
    assert ask(client, "someone.else@example.com", address="203.0.113.9").status_code == 302


def test_the_limit_says_so_the_same_way_for_known_and_unknown(client, clock):
    for n in range(5):
        ask(client, KNOWN, address=f"203.0.113.{n}")
        ask(client, UNKNOWN, address=f"203.0.113.{n}")
    known, unknown = ask(client, KNOWN), ask(client, UNKNOWN)
    assert known.status_code == unknown.status_code == 429
    for response in (known, unknown):
        assert "Please wait a little before asking again" in response.content.decode()


def test_asking_for_links_does_not_use_up_the_booking_limits(client, clock):
    for n in range(10):
        ask(client, f"patient{n}@example.com", address="198.51.100.7")
    booking = RequestFactory().post("/book/", REMOTE_ADDR="198.51.100.7")
    assert not ratelimit.booking_attempt_refused(
        booking, email="patient1@example.com", phone="+12025550143"
    )
