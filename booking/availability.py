"""Which times patients can request: pure functions over the clinic's schedule.

Nothing here touches the database; `booking.schedule` loads the inputs, and
`booking.staff_availability` works out the times per practitioner and treatment. Times are
aware datetimes; the grid is laid out in the clinic's wall-clock time, so a slot at
9:00 stays at 9:00 on the days the clocks change.
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from zoneinfo import ZoneInfo

from django.utils.translation import gettext, gettext_noop

UTC = datetime.UTC


@dataclass(frozen=True)
class ClosedPeriod:
    start: datetime.date
    end: datetime.date
    reason: str = ""


@dataclass(frozen=True)
class Treatment:
    """A kind of visit: the patient's time (`length`) and the practitioner's (`blocked`)."""

    id: int
    minutes: int
    buffer_minutes: int = 0  # tidying up or writing notes after the visit

    @property
    def length(self) -> datetime.timedelta:
        return datetime.timedelta(minutes=self.minutes)

    @property
    def blocked(self) -> datetime.timedelta:
        return self.length + datetime.timedelta(minutes=self.buffer_minutes)


Ranges = list[tuple[datetime.time, datetime.time]]


@dataclass(frozen=True)
class PractitionerPlan:
    """When one practitioner works, what they offer, and how many patients they see at once."""

    id: int
    position: int  # staff order
    hours: dict[int, Ranges]  # weekday -> working ranges, wall clock
    time_off: tuple[tuple[datetime.datetime, datetime.datetime], ...] = ()  # aware, [start, end)
    patients_at_once: int = 1
    treatment_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Schedule:
    """Everything availability depends on, apart from the requests already made."""

    tz: ZoneInfo
    hours: dict[int, list[tuple[datetime.time, datetime.time]]]  # weekday -> opening ranges
    closures: list[ClosedPeriod] = field(default_factory=list)
    slot_minutes: int = 45
    capacity: int = 1
    min_notice: datetime.timedelta = datetime.timedelta(hours=12)
    horizon_days: int = 60
    grid_minutes: int = 15  # how far apart the start times offered for a treatment are
    practitioners: tuple[PractitionerPlan, ...] = ()

    @property
    def slot_length(self) -> datetime.timedelta:
        return datetime.timedelta(minutes=self.slot_minutes)

    def local_date(self, moment: datetime.datetime) -> datetime.date:
        return moment.astimezone(self.tz).date()

    def first_bookable(self, now: datetime.datetime) -> datetime.datetime:
        return now + self.min_notice

    def last_bookable_day(self, now: datetime.datetime) -> datetime.date:
        return self.local_date(now) + datetime.timedelta(days=self.horizon_days)

    def closure_on(self, day: datetime.date) -> ClosedPeriod | None:
        return next((c for c in self.closures if c.start <= day <= c.end), None)

    def day_bounds(self, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
        """The instants a local day starts and ends (23 or 25 hours apart on DST days)."""
        start = datetime.datetime.combine(day, datetime.time.min, tzinfo=self.tz)
        end = datetime.datetime.combine(
            day + datetime.timedelta(days=1), datetime.time.min, tzinfo=self.tz
        )
        return start.astimezone(UTC), end.astimezone(UTC)


@dataclass(frozen=True)
class Slot:
    start: datetime.datetime  # aware, UTC
    end: datetime.datetime
    free_places: int


@dataclass(frozen=True)
class FreeTime:
    """A start a patient may request for a treatment, and who could see them then."""

    start: datetime.datetime  # aware, UTC
    end: datetime.datetime  # the visit's end, as the patient sees it (no buffer)
    practitioner_ids: tuple[int, ...]  # in staff order


@dataclass(frozen=True)
class Booking:
    """An active request's place in time (all that availability needs to know of it)."""

    start: datetime.datetime
    end: datetime.datetime  # the end of the time it blocks, its buffer included
    practitioner_id: int | None = None


def wall_time_exists(local: datetime.datetime, tz: ZoneInfo) -> bool:
    """False for wall-clock times skipped when clocks go forward."""
    round_trip = local.astimezone(UTC).astimezone(tz)
    return round_trip.replace(tzinfo=None) == local.replace(tzinfo=None)


def grid(
    day: datetime.date, schedule: Schedule
) -> Iterator[tuple[datetime.datetime, datetime.datetime]]:
    """Every slot on the day's grid: from each opening time, one slot length apart, each
    ending by closing time (wall-clock). Closures, notice and bookings are not considered."""
    step = schedule.slot_length
    for opens, closes in sorted(schedule.hours.get(day.weekday(), [])):
        local = datetime.datetime.combine(day, opens)
        closing = datetime.datetime.combine(day, closes)
        while local + step <= closing:
            start = local.replace(tzinfo=schedule.tz)
            if wall_time_exists(start, schedule.tz):
                utc_start = start.astimezone(UTC)
                yield utc_start, utc_start + step  # real time: a slot lasts its length
            local += step


def places_taken(
    start: datetime.datetime, end: datetime.datetime, bookings: Iterable[Booking]
) -> int:
    return sum(1 for b in bookings if b.start < end and b.end > start)


class Unavailable(Enum):
    """Why a requested time cannot be booked, in words a patient understands."""

    PAST = gettext_noop("That time has already passed. Please choose a later time.")
    TOO_SOON = gettext_noop("That time is too soon for us to prepare. Please choose a later time.")
    TOO_FAR = gettext_noop(
        "We take requests only up to %(horizon)d days ahead. Please choose an earlier date."
    )
    CLOSED = gettext_noop("We are closed on that day. Please choose another day.")
    OFF_GRID = gettext_noop(
        "That is not one of our appointment times. Please choose a time from the list."
    )
    TAKEN = gettext_noop("Sorry, that time has just been taken. Please choose another time.")
    NOT_OFFERED = gettext_noop(
        "That treatment is not offered by that practitioner. Please choose another."
    )
    NOT_WORKING = gettext_noop(
        "No one is available for that treatment at that time. Please choose another time."
    )

    def message(self, schedule: Schedule) -> str:
        """In the active language."""
        return gettext(self.value) % {"horizon": schedule.horizon_days}


def why_not_on_the_calendar(
    start: datetime.datetime, schedule: Schedule, now: datetime.datetime
) -> Unavailable | None:
    """The rules of time alone: not past, not too soon, not too far ahead, not a closed day."""
    day = schedule.local_date(start)
    if start <= now:
        return Unavailable.PAST
    if start < schedule.first_bookable(now):
        return Unavailable.TOO_SOON
    if day > schedule.last_bookable_day(now):
        return Unavailable.TOO_FAR
    if schedule.closure_on(day) or not schedule.hours.get(day.weekday()):
        return Unavailable.CLOSED
    return None


def why_unavailable(
    start: datetime.datetime,
    schedule: Schedule,
    now: datetime.datetime,
    bookings: Iterable[Booking],
) -> Unavailable | None:
    """None when a patient may request this start time; otherwise the first rule it breaks."""
    day = schedule.local_date(start)
    if calendar_rule := why_not_on_the_calendar(start, schedule, now):
        return calendar_rule
    slot = next(((s, e) for s, e in grid(day, schedule) if s == start), None)
    if slot is None:
        return Unavailable.OFF_GRID
    if places_taken(*slot, bookings) >= schedule.capacity:
        return Unavailable.TAKEN
    return None


def available_slots(
    day: datetime.date, schedule: Schedule, now: datetime.datetime, bookings: Iterable[Booking]
) -> list[Slot]:
    """The free times on a day: on the grid, inside opening hours, outside closures, after
    the minimum notice, inside the horizon, and with fewer active requests than capacity."""
    if schedule.closure_on(day) or day > schedule.last_bookable_day(now):
        return []
    earliest = schedule.first_bookable(now)
    bookings = list(bookings)
    slots = []
    for start, end in grid(day, schedule):
        if start < earliest or start <= now:
            continue
        free = schedule.capacity - places_taken(start, end, bookings)
        if free > 0:
            slots.append(Slot(start, end, free))
    return slots


def bookable_days(
    from_day: datetime.date, schedule: Schedule, now: datetime.datetime
) -> Iterator[datetime.date]:
    """Days from `from_day` up to the horizon (inclusive), in order."""
    day = max(from_day, schedule.local_date(now))
    last = schedule.last_bookable_day(now)
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


def next_free_slots(
    after: datetime.datetime,
    schedule: Schedule,
    now: datetime.datetime,
    bookings: Iterable[Booking],
    limit: int = 5,
) -> list[Slot]:
    """The first `limit` free times after a moment, across days, up to the horizon."""
    by_day: dict[datetime.date, list[Booking]] = {}
    for booking in bookings:
        by_day.setdefault(schedule.local_date(booking.start), []).append(booking)
    found: list[Slot] = []
    for day in bookable_days(schedule.local_date(after), schedule, now):
        slots = available_slots(day, schedule, now, by_day.get(day, []))
        found += [s for s in slots if s.start > after]
        if len(found) >= limit:
            break
    return found[:limit]
