"""Loads availability's inputs from the database: the schedule, and the active bookings.

Each loader says how many queries it costs: the booking form's budget is counted in them.
"""

import datetime
import json
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
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

# The settings row, with the opening hours and the coming closures as JSON lists beside it:
# one query, written out because the ORM's form of it costs more to build than it saves.
_JSON = {
    "sqlite": ("json_group_array", "json_object"),
    "postgresql": ("json_agg", "json_build_object"),
}
_SCHEDULE_SQL = """
    SELECT settings.*,
        (SELECT {agg}({obj}('weekday', weekday, 'opens', opens, 'closes', closes))
            FROM {hours}) AS opening_hours,
        (SELECT {agg}({obj}('start', start_date, 'end', end_date, 'reason', reason))
            FROM {closures} WHERE end_date >= %s) AS coming_closures
    FROM {settings} AS settings ORDER BY settings.id LIMIT 1
"""


def _settings_with_hours_and_closures(today: datetime.date) -> BookingSettings | None:
    agg, obj = _JSON[connection.vendor]
    sql = _SCHEDULE_SQL.format(
        agg=agg,
        obj=obj,
        hours=OpeningHours._meta.db_table,
        closures=Closure._meta.db_table,
        settings=BookingSettings._meta.db_table,
    )
    return next(iter(BookingSettings.objects.raw(sql, [today])), None)


def _json_list(value) -> list[dict]:
    """SQLite gives the JSON as text, PostgreSQL's driver as a list; None when no rows."""
    return json.loads(value) if isinstance(value, str) else value or []


def load_schedule(now: datetime.datetime | None = None) -> Schedule:
    """The clinic's hours, coming closures and booking settings, as availability needs them:
    one query (the hours and closures travel as JSON lists beside the settings row)."""
    now = now or timezone.now()
    tz = ZoneInfo(settings.TIME_ZONE)
    today = now.astimezone(tz).date()
    row = _settings_with_hours_and_closures(today)
    if row is None:  # the very first time: create the settings row with its defaults
        BookingSettings.load()
        row = _settings_with_hours_and_closures(today)
    hours: dict[int, list[tuple[datetime.time, datetime.time]]] = {}
    for item in sorted(
        _json_list(row.opening_hours), key=lambda item: (item["weekday"], item["opens"])
    ):
        opens, closes = (datetime.time.fromisoformat(item[key]) for key in ("opens", "closes"))
        hours.setdefault(item["weekday"], []).append((opens, closes))
    closures = sorted(
        (
            ClosedPeriod(
                datetime.date.fromisoformat(item["start"]),
                datetime.date.fromisoformat(item["end"]),
                item["reason"],
            )
            for item in _json_list(row.coming_closures)
        ),
        key=lambda closure: closure.start,
    )
    return Schedule(
        tz=tz,
        hours=hours,
        closures=closures,
        slot_minutes=row.slot_minutes,
        capacity=row.capacity,
        min_notice=datetime.timedelta(hours=row.min_notice_hours),
        horizon_days=row.horizon_days,
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


@dataclass(frozen=True)
class DayOffer:
    """What the booking form offers on one day: its free times, or why there are none
    (a closure's reason) and the next day that has some."""

    day: datetime.date
    slots: list[Slot]
    closed_reason: str = ""
    next_free_day: datetime.date | None = None

    @property
    def has_times(self) -> bool:
        return bool(self.slots)


@dataclass(frozen=True)
class BookingWindow:
    """The times patients may book now: the clinic's schedule read once, at one moment.
    The booking form's view loads it once and asks it for what each page needs."""

    schedule: Schedule
    now: datetime.datetime

    @classmethod
    def load(cls, now: datetime.datetime | None = None) -> "BookingWindow":
        """One query (load_schedule)."""
        now = now or timezone.now()
        return cls(load_schedule(now), now)

    @property
    def tz(self) -> ZoneInfo:
        return self.schedule.tz

    @property
    def today(self) -> datetime.date:
        return self.schedule.local_date(self.now)

    @property
    def last_day(self) -> datetime.date:
        return self.schedule.last_bookable_day(self.now)

    def valid_day(self, value) -> datetime.date | None:
        """A day from the form or the address (a date or its ISO text), if patients may book
        on it."""
        if not isinstance(value, datetime.date):
            try:
                value = datetime.date.fromisoformat(str(value or ""))
            except ValueError:
                return None
        return value if self.today <= value <= self.last_day else None

    def first_free_day(self) -> datetime.date:
        """The first day with a free time (today when there is none): one query."""
        upcoming = self.next_free_slots(self.now, limit=1)
        return self.schedule.local_date(upcoming[0].start) if upcoming else self.today

    def next_free_slots(self, after: datetime.datetime, limit: int = 5) -> list[Slot]:
        """The next free times after a moment (not before now): one query."""
        return next_free_slots_after(max(after, self.now), self.schedule, self.now, limit)

    def day_offer(self, day: datetime.date) -> DayOffer:
        """One query for the day's bookings; one more only when the day has no free time."""
        slots = free_slots_on(day, self.schedule, self.now)
        if slots:
            return DayOffer(day, slots)
        closure = self.schedule.closure_on(day)
        _, day_end = self.schedule.day_bounds(day)
        upcoming = self.next_free_slots(day_end, limit=1)
        next_free = self.schedule.local_date(upcoming[0].start) if upcoming else None
        return DayOffer(day, [], closure.reason if closure else "", next_free)
