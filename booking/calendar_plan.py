"""The front desk's day and week, built from booking.day_plan's rows and cells: a day (one
column per practitioner), one practitioner's week (one column per day), and every
practitioner's week in short (their visits and free-time counts per day). Pure, like
day_plan: the caller passes the diary, the visits and the active bookings it loaded."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from booking.availability import Booking, ClosedPeriod
from booking.day_plan import (
    CLOSED,
    DAY,
    NOT_WORKING,
    TIME_OFF,
    Column,
    Off,
    Row,
    Visit,
    column_cells,
    columns_for,
    day_slots,
    free_starts,
    local,
    off,
    repeated_walls,
    row_of,
    wall_bounds,
)
from booking.schedule import Diary


@dataclass(frozen=True)
class DayPlan:
    day: datetime.date
    columns: list[Column]
    rows: list[Row]
    closure: ClosedPeriod | None


@dataclass(frozen=True)
class WeekPlan:
    """One practitioner's week: a row per wall-clock time, a column per day."""

    column: Column
    days: list[datetime.date]
    rows: list[Row]


@dataclass(frozen=True)
class DaySummary:
    day: datetime.date
    visits: list
    free_count: int
    off: Off | None


@dataclass(frozen=True)
class WeekSummary:
    days: list[datetime.date]
    lines: list[tuple[Column, list[DaySummary]]]


def week_days(first_day: datetime.date) -> list[datetime.date]:
    return [first_day + offset * DAY for offset in range(7)]


def visits_on(visits: Sequence[Visit], day: datetime.date, tz) -> list[Visit]:
    return [v for v in visits if local(v.starts_at, tz).date() == day]


def plan_day(
    *,
    day: datetime.date,
    diary: Diary,
    now: datetime.datetime,
    visits: Sequence[Visit],
    bookings: Sequence[Booking],
    practitioner_id: int | None = None,
) -> DayPlan:
    """The day's rows, a column per practitioner (only the one chosen, if any)."""
    schedule = diary.schedule
    columns = columns_for(diary, visits, practitioner_id)
    shown = [v for v in visits if v.practitioner_id in {c.id for c in columns}]
    bounds = wall_bounds([day], schedule, visits_on(shown, day, schedule.tz))
    slots = day_slots(day, bounds, schedule) if bounds else []
    by_column = [
        column_cells(
            slots,
            day=day,
            schedule=schedule,
            column=column,
            visits=[v for v in shown if v.practitioner_id == column.id],
            free=free_starts(day, diary, now, bookings, column.id),
        )
        for column in columns
    ]
    repeated = repeated_walls(slots, schedule.tz)
    rows = [
        row_of(slot, schedule.tz, repeated, now, [cells[i] for cells in by_column])
        for i, slot in enumerate(slots)
    ]
    return DayPlan(day, columns, rows, schedule.closure_on(day))


def plan_week(
    *,
    first_day: datetime.date,
    diary: Diary,
    now: datetime.datetime,
    visits: Sequence[Visit],
    bookings: Sequence[Booking],
    practitioner_id: int,
) -> WeekPlan | None:
    """One practitioner's week. Rows are keyed by the wall clock (a time and, on the night
    the clocks go back, which of its two); a day without that time shows it missing."""
    schedule, days = diary.schedule, week_days(first_day)
    columns = columns_for(diary, visits, practitioner_id)
    if not columns:
        return None
    column = columns[0]
    own = [v for v in visits if v.practitioner_id == column.id]
    bounds = wall_bounds(days, schedule, own)
    slots_of = {day: day_slots(day, bounds, schedule) if bounds else [] for day in days}
    keys = sorted({_key(s.start, schedule.tz) for slots in slots_of.values() for s in slots})
    by_day = []
    for day in days:
        slots = {_key(s.start, schedule.tz): s for s in slots_of[day]}
        by_day.append(
            column_cells(
                [slots.get(key) for key in keys],
                day=day,
                schedule=schedule,
                column=column,
                visits=visits_on(own, day, schedule.tz),
                free=free_starts(day, diary, now, bookings, column.id),
            )
        )
    today = schedule.local_date(now)
    today_slots = {_key(s.start, schedule.tz): s for s in slots_of.get(today, [])}
    rows = []
    for i, key in enumerate(keys):
        label = datetime.datetime.combine(first_day, key[0], tzinfo=schedule.tz)
        now_slot = today_slots.get(key)
        rows.append(
            Row(
                label.replace(fold=key[1]),
                "",
                bool(now_slot and now_slot.holds(now)),
                [cells[i] for cells in by_day],
                now_slot,
            )
        )
    return WeekPlan(column, days, rows)


def _key(moment: datetime.datetime, tz) -> tuple[datetime.time, int]:
    shown = local(moment, tz)
    return shown.time(), shown.fold


def summarise_week(
    *,
    first_day: datetime.date,
    diary: Diary,
    now: datetime.datetime,
    visits: Sequence[Visit],
    bookings: Sequence[Booking],
) -> WeekSummary:
    """Every practitioner's week in short: each day's visits, free-time count, and why a day
    without either has none (closed, time off, not working)."""
    schedule, days = diary.schedule, week_days(first_day)
    lines = []
    for column in columns_for(diary, visits):
        own = [v for v in visits if v.practitioner_id == column.id]
        summaries = []
        for day in days:
            count = len(free_starts(day, diary, now, bookings, column.id))
            on_day = sorted(visits_on(own, day, schedule.tz), key=lambda v: v.starts_at)
            reason = None if count or on_day else _day_off(day, diary, column)
            summaries.append(DaySummary(day, on_day, count, reason))
        lines.append((column, summaries))
    return WeekSummary(days, lines)


def _day_off(day: datetime.date, diary: Diary, column: Column) -> Off | None:
    schedule = diary.schedule
    closure = schedule.closure_on(day)
    if closure:
        return off(CLOSED, closure.reason)
    if not schedule.hours.get(day.weekday()):
        return off(CLOSED)
    hours = column.plan.hours.get(day.weekday(), []) if column.plan else []
    if not hours:
        return off(NOT_WORKING)
    start, end = schedule.day_bounds(day)
    away = column.plan.time_off
    if any(first <= start and last >= end for first, last in away):
        return off(TIME_OFF)
    return None
