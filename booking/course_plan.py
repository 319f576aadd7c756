"""The dates of a course of visits, proposed before anything is stored (propose() is pure
code: the diary and the bookings come in, the dates go out; propose_in() reads them).

The rhythm: the first visit is the one the patient chose, at the time chosen. The others
follow in the weeks after its week (weeks run Monday to Sunday): every week, every other
week, or, twice weekly, two visits in each following week, on the preferred weekday and
three days later (Monday and Thursday, Tuesday and Friday; from Friday, the Monday after).
Each visit asks for its time (the first, the one chosen; the others, the preferred time on
their day); when that is not free, the nearest free time in the same week is offered
instead: the same day first, then the nearest day, at the time nearest the one asked for
(the earlier on a tie), never on a day the course already uses; when the week has none,
the visit says so.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from booking.availability import Booking, FreeTime, Schedule, Treatment, bookings_by_day
from booking.availability import free_times as free_times_of_day
from booking.courses import Frequency
from booking.models import AppointmentRequest

WEEK = datetime.timedelta(days=7)
# Twice weekly: the second visit of each week this many days after the preferred weekday.
SECOND_VISIT_AFTER = datetime.timedelta(days=3)
NO_TIME_THAT_WEEK = _("No free time that week")


@dataclass(frozen=True)
class CourseAsked:
    """What the patient asked for: the first visit (its start, as chosen), the treatment,
    the practitioner (None: first available), how many visits, how often, and the weekday
    (0 is Monday) and wall-clock time the others should be at."""

    first_start: datetime.datetime
    treatment: Treatment
    practitioner_id: int | None
    count: int
    frequency: str
    weekday: int
    time: datetime.time


@dataclass(frozen=True)
class ProposedVisit:
    position: int  # from 1
    wanted: datetime.datetime  # the preferred time on the visit's day
    free: FreeTime | None  # the time proposed: the wanted one, its nearest alternative, none

    @property
    def start(self) -> datetime.datetime | None:
        return self.free.start if self.free else None

    @property
    def is_alternative(self) -> bool:
        return self.free is not None and self.free.start != self.wanted

    @property
    def has_time(self) -> bool:
        return self.free is not None


@dataclass(frozen=True)
class Proposal:
    asked: CourseAsked
    visits: tuple[ProposedVisit, ...]

    @property
    def is_complete(self) -> bool:
        """Every visit has a time: the course can be requested as it stands."""
        return all(visit.has_time for visit in self.visits)

    @property
    def alternatives(self) -> int:
        return sum(visit.is_alternative for visit in self.visits)

    @property
    def days(self) -> list[datetime.date]:
        return [visit.wanted.date() for visit in self.visits]


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def wanted_days(first_day: datetime.date, *, count: int, frequency: str, weekday: int):
    """The days of visits 2 to `count`, as the rhythm places them (see the module's words)."""
    start_week = monday_of(first_day)
    preferred = datetime.timedelta(days=weekday)
    if frequency == Frequency.TWICE_WEEKLY:
        days = []
        week = 1
        while len(days) < count - 1:
            day = start_week + week * WEEK + preferred
            days += [day, day + SECOND_VISIT_AFTER]
            week += 1
        return days[: count - 1]
    step = 2 if frequency == Frequency.EVERY_OTHER_WEEK else 1
    return [start_week + n * step * WEEK + preferred for n in range(1, count)]


def propose(
    asked: CourseAsked,
    *,
    schedule: Schedule,
    now: datetime.datetime,
    bookings: Iterable[Booking],
) -> Proposal:
    """Every visit's proposed time. `bookings` must cover the weeks involved
    (proposal_range gives them); the proposed visits do not clash with one another."""
    by_day = bookings_by_day(bookings, schedule)
    first_day = schedule.local_date(asked.first_start)
    days = wanted_days(
        first_day, count=asked.count, frequency=asked.frequency, weekday=asked.weekday
    )
    wanted_times = [
        asked.first_start,
        *(datetime.datetime.combine(day, asked.time, tzinfo=schedule.tz) for day in days),
    ]
    visits, used = [], set()
    for position, (day, wanted) in enumerate(zip([first_day, *days], wanted_times, strict=True), 1):
        free = None if day in used else _free_at(wanted, day, asked, schedule, now, by_day)
        if free is None:
            free = _nearest_in_week(wanted, day, asked, schedule, now, by_day, used)
        if free is not None:
            used.add(schedule.local_date(free.start))
        visits.append(ProposedVisit(position, wanted, free))
    return Proposal(asked, tuple(visits))


def proposal_range(asked: CourseAsked, schedule: Schedule) -> tuple[datetime.datetime, ...]:
    """From the start of the first visit's week to the end of the last visit's week: the
    bookings propose() needs (one query for active_bookings)."""
    first_day = schedule.local_date(asked.first_start)
    days = wanted_days(
        first_day, count=asked.count, frequency=asked.frequency, weekday=asked.weekday
    )
    last = monday_of(max([first_day, *days])) + datetime.timedelta(days=6)
    start, _end = schedule.day_bounds(monday_of(first_day))
    _start, end = schedule.day_bounds(last)
    return start, end


def propose_in(window, asked: CourseAsked, *, excluding_ids: Iterable[int] = ()) -> Proposal:
    """The proposal in a BookingWindow (its diary already loaded): one query, for the
    bookings of the weeks involved."""
    rows = AppointmentRequest.objects.active().overlapping(*proposal_range(asked, window.schedule))
    if excluding_ids:
        rows = rows.exclude(pk__in=list(excluding_ids))
    bookings = [
        Booking(start, end, practitioner)
        for start, end, practitioner in rows.values_list(
            "starts_at", "blocks_until", "practitioner"
        )
    ]
    return propose(asked, schedule=window.schedule, now=window.now, bookings=bookings)


def _free_at(wanted, day, asked, schedule, now, by_day) -> FreeTime | None:
    times = _day_times(day, asked, schedule, now, by_day)
    return next((free for free in times if free.start == wanted), None)


def _day_times(day, asked, schedule, now, by_day) -> list[FreeTime]:
    bookings = by_day.get(day, [])
    return free_times_of_day(day, schedule, now, bookings, asked.treatment, asked.practitioner_id)


def _nearest_in_week(wanted, day, asked, schedule, now, by_day, used) -> FreeTime | None:
    monday = monday_of(day)
    week = (monday + datetime.timedelta(days=n) for n in range(7))
    candidates = [
        free
        for other in week
        if other not in used
        for free in _day_times(other, asked, schedule, now, by_day)
    ]
    if not candidates:
        return None

    def distance(free: FreeTime):
        local = free.start.astimezone(schedule.tz)
        clock = abs(
            datetime.datetime.combine(day, local.time())
            - datetime.datetime.combine(day, asked.time)
        )
        return abs((local.date() - day).days), clock, free.start

    return min(candidates, key=distance)
