"""Fixtures for the booking tests: a simple week of opening hours and a valid request."""

import datetime

import pytest
from django.core import signing
from django.core.cache import cache
from django.utils import timezone

from booking.forms import FORM_STARTED_SALT
from booking.models import BookingSettings
from clinic.models import OpeningHours


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters must not leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def open_every_day(db, starting_content):
    """9:00–17:00 every day, one-hour slots, one patient each, 2 hours' notice, 30 days."""
    OpeningHours.objects.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(weekday=day, opens=datetime.time(9), closes=datetime.time(17))
        for day in range(7)
    )
    booking_settings = BookingSettings.load()
    booking_settings.slot_minutes = 60
    booking_settings.capacity = 1
    booking_settings.min_notice_hours = 2
    booking_settings.horizon_days = 30
    booking_settings.cancellation_cutoff_hours = 24
    booking_settings.save()
    return booking_settings


@pytest.fixture
def booking_day() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=3)


def started_seconds_ago(seconds: int) -> str:
    return signing.dumps(timezone.now().timestamp() - seconds, salt=FORM_STARTED_SALT)


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
