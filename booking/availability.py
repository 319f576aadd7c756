"""Which times patients can request for a treatment, and with whom: pure functions over
the clinic's schedule and each practitioner's plan.

Nothing here touches the database; `booking.schedule` loads the inputs. A visit takes the
patient's time for the treatment's length and the practitioner's for its length and buffer;
both must fit inside the clinic's hours and the practitioner's, by the clock on the wall and
in real time. The grid is laid out in wall-clock time, so a time at 9:00 stays at 9:00 on
the days the clocks change.
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
    min_notice: datetime.timedelta = datetime.timedelta(hours=12)
    horizon_days: int = 60
    grid_minutes: int = 15  # how far apart the start times offered for a treatment are
    practitioners: tuple[PractitionerPlan, ...] = ()

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


def bookable_days(
    from_day: datetime.date, schedule: Schedule, now: datetime.datetime
) -> Iterator[datetime.date]:
    """Days from `from_day` up to the horizon (inclusive), in order."""
    day = max(from_day, schedule.local_date(now))
    last = schedule.last_bookable_day(now)
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


def clinic_grid(day: datetime.date, schedule: Schedule) -> list[datetime.datetime]:
    """The day's start times: every `grid_minutes` of wall-clock time from each opening
    time until closing, skipping wall times that do not exist; treatments not considered."""
    step = datetime.timedelta(minutes=schedule.grid_minutes)
    starts = set()
    for opens, closes in schedule.hours.get(day.weekday(), []):
        wall = datetime.datetime.combine(day, opens)
        while wall < datetime.datetime.combine(day, closes):
            local = wall.replace(tzinfo=schedule.tz)
            if wall_time_exists(local, schedule.tz):
                starts.add(local.astimezone(UTC))
            wall += step
    return sorted(starts)


def within(
    start: datetime.datetime, end: datetime.datetime, ranges: Iterable, tz: ZoneInfo
) -> bool:
    """Inside one of the start day's wall-clock ranges, by the clock on the wall and in real
    time both (they differ only when the clocks change)."""
    day = start.astimezone(tz).date()
    wall_start, wall_end = (m.astimezone(tz).replace(tzinfo=None) for m in (start, end))
    for opens, closes in ranges:
        lo, hi = datetime.datetime.combine(day, opens), datetime.datetime.combine(day, closes)
        real_lo, real_hi = (w.replace(tzinfo=tz).astimezone(UTC) for w in (lo, hi))
        if lo <= wall_start and wall_end <= hi and real_lo <= start and end <= real_hi:
            return True
    return False


def staff_order(plans: Iterable[PractitionerPlan]) -> list[PractitionerPlan]:
    return sorted(plans, key=lambda plan: (plan.position, plan.id))


def offering(
    schedule: Schedule, treatment: Treatment, practitioner_id: int | None = None
) -> list[PractitionerPlan]:
    """The practitioners who offer the treatment (only the one chosen, if any), in order."""
    return [
        plan
        for plan in staff_order(schedule.practitioners)
        if treatment.id in plan.treatment_ids and practitioner_id in (None, plan.id)
    ]


def at_work(
    plan: PractitionerPlan, start: datetime.datetime, end: datetime.datetime, tz: ZoneInfo
) -> bool:
    """Inside their working hours that day, and no time off touching [start, end)."""
    weekday = start.astimezone(tz).weekday()
    if not within(start, end, plan.hours.get(weekday, []), tz):
        return False
    return not any(off_start < end and off_end > start for off_start, off_end in plan.time_off)


def has_room(
    plan: PractitionerPlan,
    start: datetime.datetime,
    end: datetime.datetime,
    bookings: Iterable[Booking],
) -> bool:
    """Fewer of their own bookings overlap [start, end) than they see patients at once."""
    own = (b for b in bookings if b.practitioner_id == plan.id)
    return places_taken(start, end, own) < plan.patients_at_once


def free_practitioners(
    start: datetime.datetime,
    schedule: Schedule,
    bookings: Iterable[Booking],
    treatment: Treatment,
    practitioner_id: int | None = None,
) -> tuple[int, ...]:
    """Who can take the visit and its buffer from `start`, inside the clinic's hours, in staff
    order (notice, horizon, closures and the grid are the caller's to check)."""
    start = start.astimezone(UTC)
    end = start + treatment.blocked
    weekday = start.astimezone(schedule.tz).weekday()
    if not within(start, end, schedule.hours.get(weekday, []), schedule.tz):
        return ()
    bookings = list(bookings)
    return tuple(
        plan.id
        for plan in offering(schedule, treatment, practitioner_id)
        if at_work(plan, start, end, schedule.tz) and has_room(plan, start, end, bookings)
    )


def free_times(
    day: datetime.date,
    schedule: Schedule,
    now: datetime.datetime,
    bookings: Iterable[Booking],
    treatment: Treatment,
    practitioner_id: int | None = None,
) -> list[FreeTime]:
    """A day's starts for a treatment: on the clinic's grid, after the notice, inside the
    horizon, outside closures, and with a practitioner free for the visit and its buffer."""
    if schedule.closure_on(day) or day > schedule.last_bookable_day(now):
        return []
    earliest = schedule.first_bookable(now)
    bookings = list(bookings)
    found = []
    for start in clinic_grid(day, schedule):
        if start <= now or start < earliest:
            continue
        ids = free_practitioners(start, schedule, bookings, treatment, practitioner_id)
        if ids:
            found.append(FreeTime(start, start + treatment.length, ids))
    return found


def why_not_free(
    start: datetime.datetime,
    schedule: Schedule,
    now: datetime.datetime,
    bookings: Iterable[Booking],
    treatment: Treatment,
    practitioner_id: int | None = None,
) -> Unavailable | None:
    """None when a patient may request this start for this treatment (with this practitioner,
    if chosen); otherwise the first rule it breaks."""
    if calendar_rule := why_not_on_the_calendar(start, schedule, now):
        return calendar_rule
    start, day = start.astimezone(UTC), schedule.local_date(start)
    end = start + treatment.blocked
    if start not in clinic_grid(day, schedule) or not within(
        start, end, schedule.hours[day.weekday()], schedule.tz
    ):
        return Unavailable.OFF_GRID  # not a start, or too late to finish by closing time
    candidates = offering(schedule, treatment, practitioner_id)
    if not candidates:
        return Unavailable.NOT_OFFERED
    working = [plan for plan in candidates if at_work(plan, start, end, schedule.tz)]
    if not working:
        return Unavailable.NOT_WORKING
    bookings = list(bookings)
    if not any(has_room(plan, start, end, bookings) for plan in working):
        return Unavailable.TAKEN
    return None


def choose_practitioner(
    candidates: Iterable[int], schedule: Schedule, day_bookings: Iterable[Booking]
) -> int:
    """For "first available": the fewest bookings that day, then staff order."""
    positions = {plan.id: plan.position for plan in schedule.practitioners}
    counts: dict[int | None, int] = {}
    for booking in day_bookings:
        counts[booking.practitioner_id] = counts.get(booking.practitioner_id, 0) + 1
    return min(
        candidates, key=lambda pid: (counts.get(pid, 0), positions.get(pid, float("inf")), pid)
    )


def bookings_by_day(bookings: Iterable[Booking], schedule: Schedule) -> dict:
    """Each booking under every local day it touches (a visit may run past midnight)."""
    by_day: dict[datetime.date, list[Booking]] = {}
    for booking in bookings:
        first, last = schedule.local_date(booking.start), schedule.local_date(booking.end)
        for offset in range((last - first).days + 1):
            by_day.setdefault(first + datetime.timedelta(days=offset), []).append(booking)
    return by_day


def next_free_times(
    after: datetime.datetime,
    schedule: Schedule,
    now: datetime.datetime,
    bookings: Iterable[Booking],
    treatment: Treatment,
    practitioner_id: int | None = None,
    limit: int = 5,
) -> list[FreeTime]:
    """The first `limit` free times for a treatment after a moment, across days, up to the
    horizon."""
    by_day = bookings_by_day(bookings, schedule)
    found: list[FreeTime] = []
    for day in bookable_days(schedule.local_date(after), schedule, now):
        times = free_times(day, schedule, now, by_day.get(day, []), treatment, practitioner_id)
        found += [free for free in times if free.start > after]
        if len(found) >= limit:
            break
    return found[:limit]
