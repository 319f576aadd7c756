"""Loads availability's inputs from the database: the schedule, and the active bookings."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from booking.availability import (
    Booking,
    ClosedPeriod,
    Schedule,
    Slot,
    available_slots,
    next_free_slots,
)
from booking.models import AppointmentRequest, BookingSettings
from clinic.models import Closure, OpeningHours


def load_schedule(now: datetime.datetime | None = None) -> Schedule:
    """The clinic's hours, coming closures and booking settings, as availability needs them."""
    now = now or timezone.now()
    booking_settings = BookingSettings.load()
    tz = ZoneInfo(settings.TIME_ZONE)
    hours: dict[int, list[tuple[datetime.time, datetime.time]]] = {}
    for weekday, opens, closes in OpeningHours.objects.values_list("weekday", "opens", "closes"):
        hours.setdefault(weekday, []).append((opens, closes))
    closures = [
        ClosedPeriod(start, end, reason)
        for start, end, reason in Closure.objects.upcoming(now.astimezone(tz).date()).values_list(
            "start_date", "end_date", "reason"
        )
    ]
    return Schedule(
        tz=tz,
        hours=hours,
        closures=closures,
        slot_minutes=booking_settings.slot_minutes,
        capacity=booking_settings.capacity,
        min_notice=datetime.timedelta(hours=booking_settings.min_notice_hours),
        horizon_days=booking_settings.horizon_days,
    )


def active_bookings(start: datetime.datetime, end: datetime.datetime) -> list[Booking]:
    """Active requests overlapping [start, end): one query."""
    rows = (
        AppointmentRequest.objects.active()
        .overlapping(start, end)
        .values_list("starts_at", "ends_at")
    )
    return [Booking(s, e) for s, e in rows]


def free_slots_on(day: datetime.date, schedule: Schedule, now: datetime.datetime) -> list[Slot]:
    """A day's free times: one query for the day's bookings."""
    return available_slots(day, schedule, now, active_bookings(*schedule.day_bounds(day)))


def next_free_slots_after(
    moment: datetime.datetime, schedule: Schedule, now: datetime.datetime, limit: int = 5
) -> list[Slot]:
    """The next free times after a moment, up to the horizon: one query for the bookings."""
    last_day = schedule.last_bookable_day(now)
    _, horizon_end = schedule.day_bounds(last_day)
    return next_free_slots(moment, schedule, now, active_bookings(moment, horizon_end), limit)
