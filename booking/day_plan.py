"""The front desk's calendar laid out as a table: one row per start on the clinic's grid, one
column per practitioner (a day) or per day (one practitioner's week), each cell a block of
visits, a time off (closed, time off, not working), a free time or nothing.

Pure: the caller loads the diary (booking.schedule.load_diary, one query) and the visits (one
query). Free times come from booking.availability.free_times, the booking form's own rule.
Rows are real instants, stepped by the grid from the earliest wall-clock start to the latest
end, so on the days the clocks change no row is duplicated or missing.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from booking.availability import UTC, Booking, PractitionerPlan, Schedule, free_times, within
from booking.schedule import Diary

DAY = datetime.timedelta(days=1)


class Visit(Protocol):
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    practitioner_id: int
    status: str


@dataclass(frozen=True)
class Slot:
    """One row's time on one day, [start, end) in UTC."""

    start: datetime.datetime
    end: datetime.datetime

    def holds(self, moment: datetime.datetime) -> bool:
        return self.start <= moment < self.end


@dataclass(frozen=True)
class Off:
    """Why nobody can be booked in a cell, as a word staff read and a class for its shade."""

    kind: str  # "closed", "time-off", "not-working": the cell's class
    word: str
    detail: str = ""  # a closure's reason


CLOSED, TIME_OFF, NOT_WORKING = "closed", "time-off", "not-working"
WORDS = {CLOSED: _("Closed"), TIME_OFF: _("Time off"), NOT_WORKING: _("Not working")}


def off(kind: str, detail: str = "") -> Off:
    return Off(kind, WORDS[kind], detail)


@dataclass
class Cell:
    """kind: "visits" (rowspan rows), "off" (rowspan rows), "free", "empty", or "missing" (a
    wall time that does not exist that day)."""

    kind: str
    rowspan: int = 1
    visits: list = field(default_factory=list)
    off: Off | None = None
    free_start: datetime.datetime | None = None
    column: "Column | None" = None  # whose time it is

    @property
    def at_once(self) -> bool:
        """More than one visit shares these rows: shown side by side and marked."""
        return len(self.visits) > 1


@dataclass(frozen=True)
class Row:
    label: datetime.datetime  # the row's start as the clinic's clock shows it
    zone: str  # the zone's abbreviation, on a day its clock shows a time twice
    is_now: bool
    cells: list  # Cell, or None where a cell above spans this row
    slot: Slot | None = None


@dataclass(frozen=True)
class Column:
    id: int
    name: str
    plan: PractitionerPlan | None  # None: no longer takes bookings, visits still shown


def local(moment: datetime.datetime, tz: ZoneInfo) -> datetime.datetime:
    return moment.astimezone(tz)


def wall_offset(moment: datetime.datetime, day: datetime.date, tz: ZoneInfo) -> datetime.timedelta:
    """How far past the day's wall-clock midnight a moment falls, clipped to the day."""
    wall = local(moment, tz).replace(tzinfo=None)
    midnight = datetime.datetime.combine(day, datetime.time())
    return min(max(wall - midnight, datetime.timedelta()), DAY)


def wall_bounds(
    days: Iterable[datetime.date], schedule: Schedule, visits: Sequence[Visit]
) -> tuple[datetime.timedelta, datetime.timedelta] | None:
    """The earliest opening and latest closing of the days (wall clock, from midnight),
    widened on the grid to take in every visit; None when there is nothing to show."""
    ranges = []
    for day in days:
        ranges += schedule.hours.get(day.weekday(), [])
        for plan in schedule.practitioners:
            ranges += plan.hours.get(day.weekday(), [])
    as_offset = [(_since_midnight(a), _since_midnight(b)) for a, b in ranges]
    visit_offsets = [
        (
            wall_offset(v.starts_at, local(v.starts_at, schedule.tz).date(), schedule.tz),
            wall_offset(v.ends_at, local(v.starts_at, schedule.tz).date(), schedule.tz),
        )
        for v in visits
    ]
    if not as_offset and not visit_offsets:
        return None
    lo = min(a for a, _ in as_offset) if as_offset else min(a for a, _ in visit_offsets)
    hi = max(b for _, b in as_offset + visit_offsets)
    step = datetime.timedelta(minutes=schedule.grid_minutes)
    earliest = min([lo] + [a for a, _ in visit_offsets])
    while lo > earliest:
        lo -= step
    return max(lo, datetime.timedelta()), hi


def _since_midnight(value: datetime.time) -> datetime.timedelta:
    return datetime.timedelta(hours=value.hour, minutes=value.minute, seconds=value.second)


def day_slots(
    day: datetime.date, bounds: tuple[datetime.timedelta, datetime.timedelta], schedule: Schedule
) -> list[Slot]:
    """Real instants every grid step from the day's first wall-clock time to its last."""
    lo, hi = bounds
    midnight = datetime.datetime.combine(day, datetime.time())
    start = (midnight + lo).replace(tzinfo=schedule.tz).astimezone(UTC)
    end = (midnight + hi).replace(tzinfo=schedule.tz).astimezone(UTC)
    step = datetime.timedelta(minutes=schedule.grid_minutes)
    slots = []
    while start < end:
        slots.append(Slot(start, min(start + step, end)))
        start += step
    return slots


def free_starts(
    day: datetime.date,
    diary: Diary,
    now: datetime.datetime,
    bookings: Sequence[Booking],
    practitioner_id: int,
) -> list[datetime.datetime]:
    """The starts the booking form offers that practitioner that day, for any treatment they
    give."""
    practitioner, schedule = diary.practitioner(practitioner_id), diary.schedule
    starts: set[datetime.datetime] = set()
    for choice in diary.treatments:
        if practitioner and practitioner.offers(choice.id):
            found = free_times(day, schedule, now, bookings, choice.treatment, practitioner_id)
            starts.update(free.start for free in found)
    return sorted(starts)


def why_off(
    slot: Slot, day: datetime.date, schedule: Schedule, plan: PractitionerPlan | None
) -> Off | None:
    closure = schedule.closure_on(day)
    if closure:
        return off(CLOSED, closure.reason)
    if not within(slot.start, slot.end, schedule.hours.get(day.weekday(), []), schedule.tz):
        return off(CLOSED)
    if plan is None:
        return off(NOT_WORKING)
    if any(first < slot.end and last > slot.start for first, last in plan.time_off):
        return off(TIME_OFF)
    if not within(slot.start, slot.end, plan.hours.get(day.weekday(), []), schedule.tz):
        return off(NOT_WORKING)
    return None


def visit_rows(visit: Visit, slots: Sequence[Slot | None]) -> tuple[int, int] | None:
    """The first and last rows a visit's time touches."""
    touched = [
        i
        for i, slot in enumerate(slots)
        if slot and slot.start < visit.ends_at and slot.end > visit.starts_at
    ]
    return (touched[0], touched[-1]) if touched else None


def column_cells(
    slots: Sequence[Slot | None],
    *,
    day: datetime.date,
    schedule: Schedule,
    column: "Column",
    visits: Sequence[Visit],
    free: Sequence[datetime.datetime],
) -> list[Cell | None]:
    """One column: visits that share rows in one cell (rowspan), the runs of off rows in one
    cell, the rest free or empty; None under a spanning cell."""
    cells: list[Cell | None] = [None] * len(slots)
    covered: set[int] = set()
    for first, last, group in _clusters(visits, slots):
        cells[first] = Cell("visits", rowspan=last - first + 1, visits=group, column=column)
        covered.update(range(first, last + 1))
    previous: Cell | None = None
    for i, slot in enumerate(slots):
        if i in covered:
            previous = None
            continue
        reason = why_off(slot, day, schedule, column.plan) if slot else None
        if reason and previous and previous.kind == "off" and previous.off == reason:
            previous.rowspan += 1
            continue
        cells[i] = _open_cell(slot, reason, free)
        cells[i].column = column
        previous = cells[i]
    return cells


def _open_cell(slot: Slot | None, reason: Off | None, free: Sequence[datetime.datetime]) -> Cell:
    if slot is None:
        return Cell("missing")
    if reason:
        return Cell("off", off=reason)
    start = next((moment for moment in free if slot.holds(moment)), None)
    return Cell("free", free_start=start) if start else Cell("empty")


def _clusters(visits: Sequence[Visit], slots: Sequence[Slot | None]) -> list:
    """Visits whose rows overlap, gathered: (first row, last row, visits in time order)."""
    spans = [
        (*rows, visit)
        for visit in sorted(visits, key=lambda v: (v.starts_at, v.ends_at))
        if (rows := visit_rows(visit, slots))
    ]
    clusters: list = []
    for first, last, visit in spans:
        if clusters and first <= clusters[-1][1]:
            clusters[-1][1] = max(clusters[-1][1], last)
            clusters[-1][2].append(visit)
        else:
            clusters.append([first, last, [visit]])
    return clusters


def columns_for(
    diary: Diary, visits: Sequence[Visit], practitioner_id: int | None = None
) -> list[Column]:
    """The practitioners taking bookings in staff order, then anyone else with a visit shown;
    only the one chosen, if any."""
    plans = {plan.id: plan for plan in diary.schedule.practitioners}
    columns = [Column(p.id, p.name, plans.get(p.id)) for p in diary.practitioners]
    known = {column.id for column in columns}
    for visit in visits:
        if visit.practitioner_id not in known:
            known.add(visit.practitioner_id)
            columns.append(Column(visit.practitioner_id, str(visit.practitioner), None))
    return [c for c in columns if practitioner_id in (None, c.id)]


def row_of(
    slot: Slot, tz: ZoneInfo, repeated: set[datetime.datetime], now: datetime.datetime, cells
) -> Row:
    """A day's row: the clock's zone is named on the times it shows twice."""
    shown = local(slot.start, tz)
    zone = shown.tzname() if shown.replace(tzinfo=None) in repeated else ""
    return Row(shown, zone or "", slot.holds(now), cells, slot)


def repeated_walls(slots: Sequence[Slot], tz: ZoneInfo) -> set[datetime.datetime]:
    """The wall-clock times that come twice (the night the clocks go back)."""
    walls = [local(slot.start, tz).replace(tzinfo=None) for slot in slots]
    return {wall for wall in walls if walls.count(wall) > 1}
