"""Booking limits that let a waiting room full of patients through and stop a flood."""

import datetime

import pytest
from django.test import Client

from booking import ratelimit
from booking.models import AppointmentRequest
from booking.tests.factories import started_seconds_ago

pytestmark = pytest.mark.django_db

WAITING_ROOM = "203.0.113.50"  # one shared address: a family, a clinic's Wi-Fi, a carrier


@pytest.fixture(autouse=True)
def schedule(open_every_day):
    return open_every_day


@pytest.fixture
def clock(monkeypatch):
    """The limits' clock, moved on by the tests: `clock.move(minutes=3)`."""

    class Clock:
        now = 1_900_000_000.0

        def move(self, **elapsed) -> None:
            self.now += datetime.timedelta(**elapsed).total_seconds()

    fake = Clock()
    monkeypatch.setattr(ratelimit, "clock", lambda: fake.now)
    return fake


def patient(number: int, request_data: dict, booking_day: datetime.date) -> dict:
    """Patient `number`'s complete request, for a slot of their own."""
    day = booking_day + datetime.timedelta(days=number // 8)
    return {
        **request_data,
        "date": day.isoformat(),
        "time": f"{9 + number % 8:02d}:00",
        "first_name": f"Patient{'abcdefghijklmnopqrstuvwxyz'[number % 26]}",
        "email": f"patient{number}@example.com",
        "phone": f"(202) 555-{number:04d}",
        "started": started_seconds_ago(60),
    }


def book(client: Client, data: dict) -> int:
    return client.post("/book/", data).status_code


def test_twenty_patients_from_one_address_in_an_hour_all_get_through(
    clock, request_data, booking_day
):
    waiting_room = Client(REMOTE_ADDR=WAITING_ROOM)
    statuses = []
    for number in range(20):
        statuses.append(book(waiting_room, patient(number, request_data, booking_day)))
        clock.move(minutes=3)
    assert statuses == [302] * 20
    assert AppointmentRequest.objects.count() == 20


def test_a_burst_from_one_address_is_stopped_at_ten_a_minute(clock, request_data, booking_day):
    flood = Client(REMOTE_ADDR=WAITING_ROOM)
    statuses = [book(flood, patient(n, request_data, booking_day)) for n in range(11)]
    assert statuses == [302] * 10 + [429]
    assert AppointmentRequest.objects.count() == 10
    clock.move(minutes=1)
    assert book(flood, patient(11, request_data, booking_day)) == 302  # the burst is over


def test_a_steady_flood_from_one_address_is_stopped_within_the_hour(
    clock, request_data, booking_day, settings
):
    settings.BOOKING_RATE_LIMIT_PER_HOUR = 12
    flood = Client(REMOTE_ADDR=WAITING_ROOM)
    statuses = []
    for number in range(13):
        statuses.append(book(flood, patient(number, request_data, booking_day)))
        clock.move(seconds=10)
    assert statuses == [302] * 12 + [429]


def test_one_email_address_is_capped_from_any_address(clock, request_data, booking_day):
    statuses = []
    for number in range(6):
        data = {**patient(number, request_data, booking_day), "email": "Same@Example.com"}
        statuses.append(book(Client(REMOTE_ADDR=f"198.51.100.{number}"), data))
    # three upcoming requests at most, then every further attempt of the hour is counted too
    assert statuses == [302, 302, 302, 400, 400, 429]
    assert AppointmentRequest.objects.count() == 3


def test_one_phone_number_is_capped_from_any_address(clock, request_data, booking_day):
    statuses = []
    for number in range(6):
        data = {**patient(number, request_data, booking_day), "phone": "202-555-0143"}
        statuses.append(book(Client(REMOTE_ADDR=f"198.51.100.{number}"), data))
    assert statuses == [302, 302, 302, 400, 400, 429]


def test_the_cap_on_upcoming_requests_says_what_to_do_and_keeps_what_was_typed(
    clock, client, request_data, booking_day
):
    for number in range(3):
        data = {**patient(number, request_data, booking_day), "email": "maria@example.com"}
        assert book(client, data) == 302
        clock.move(minutes=1)
    fourth = {**patient(3, request_data, booking_day), "email": "MARIA@example.com"}
    response = client.post("/book/", fourth)
    text = response.content.decode()
    assert response.status_code == 400
    assert "You already have 3 upcoming appointment requests with us" in text
    assert "please call us" in text
    assert 'value="MARIA@example.com"' in text
    assert AppointmentRequest.objects.count() == 3


def test_the_limit_page_keeps_what_the_patient_typed(clock, request_data, booking_day):
    flood = Client(REMOTE_ADDR=WAITING_ROOM)
    for number in range(10):
        book(flood, patient(number, request_data, booking_day))
    response = flood.post("/book/", patient(10, request_data, booking_day))
    text = response.content.decode()
    assert response.status_code == 429
    assert "Please wait a little before sending again" in text
    assert 'value="patient10@example.com"' in text


def test_limits_keep_no_address_email_or_phone_in_the_cache(
    clock, client, request_data, booking_day, settings
):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    from django.core.cache import caches

    assert book(client, patient(0, request_data, booking_day)) == 302
    keys = " ".join(caches["default"]._cache)
    assert keys.count("ratelimit:booking:") == 4
    for private in ("patient0", "example.com", "127.0.0.1", "2025550000", "555"):
        assert private not in keys


def test_a_forwarded_address_counts_only_behind_our_own_proxy(clock, request_data, booking_day):
    """A client that forges X-Forwarded-For is still counted by the address it comes from."""
    flood = Client()
    statuses = [
        flood.post(
            "/book/",
            patient(number, request_data, booking_day),
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}",
        ).status_code
        for number in range(11)
    ]
    assert statuses[-1] == 429
