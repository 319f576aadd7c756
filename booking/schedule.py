"""Loads availability's inputs from the database: the schedule, the diary (treatment types,
practitioners, their hours and time off), and the active bookings.

Each loader says how many queries it costs: the booking form's budget is counted in them.
"""

import dataclasses
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
    FreeTime,
    PractitionerPlan,
    Schedule,
    Treatment,
    Unavailable,
    why_not_free,
)
from booking.availability import free_times as free_times_of_day
from booking.availability import next_free_times as next_free_times_after
from booking.models import (
    AppointmentRequest,
    BookingSettings,
    PractitionerDiary,
    TimeOff,
    TreatmentType,
    WorkingHours,
)
from clinic.models import Closure, OpeningHours, Practitioner

# The settings row, with the opening hours, the coming closures and the diary as JSON lists
# beside it: one query, written out because the ORM's form of it costs more than it saves.
_JSON = {
    "sqlite": ("json_group_array", "json_object"),
    "postgresql": ("json_agg", "json_build_object"),
}
_SCHEDULE_SQL = """
    SELECT settings.*,
        (SELECT {agg}({obj}('weekday', weekday, 'opens', opens, 'closes', closes))
            FROM {hours}) AS opening_hours,
        (SELECT {agg}({obj}('start', start_date, 'end', end_date, 'reason', reason))
            FROM {closures} WHERE end_date >= %s) AS coming_closures,
        (SELECT {agg}({obj}('id', id, 'name', name, 'description', description,
                'minutes', minutes, 'buffer', buffer_minutes, 'online', bookable_online,
                'new', for_new_patients, 'position', position))
            FROM {types} WHERE is_active) AS treatment_types,
        (SELECT {agg}({obj}('id', diary.practitioner_id, 'position', diary.position,
                'at_once', diary.patients_at_once, 'name', person.name,
                'credentials', person.credentials, 'order', person."order"))
            FROM {diaries} AS diary JOIN {people} AS person ON person.id = diary.practitioner_id
            WHERE diary.takes_bookings) AS practitioners,
        (SELECT {agg}({obj}('id', diary_id, 'weekday', weekday, 'starts', starts, 'ends', ends))
            FROM {working}) AS working_hours,
        (SELECT {agg}({obj}('id', diary_id, 'first', first_day, 'last', last_day,
                'from', from_time, 'until', until_time))
            FROM {time_off} WHERE last_day >= %s) AS time_off,
        (SELECT {agg}({obj}('id', practitionerdiary_id, 'type', treatmenttype_id))
            FROM {offered}) AS offered
    FROM {settings} AS settings ORDER BY settings.id LIMIT 1
"""


@dataclass(frozen=True)
class TreatmentChoice:
    """A treatment type as the booking form shows it."""

    id: int
    name: str
    description: str
    treatment: Treatment
    bookable_online: bool
    for_new_patients: bool


@dataclass(frozen=True)
class PractitionerChoice:
    """A practitioner who takes bookings, as the booking form shows them."""

    id: int
    name: str
    treatment_ids: frozenset[int]

    def offers(self, treatment_id: int) -> bool:
        return treatment_id in self.treatment_ids


@dataclass(frozen=True)
class Diary:
    """The schedule and, for showing choices, the treatment types and practitioners."""

    schedule: Schedule
    treatments: tuple[TreatmentChoice, ...]
    practitioners: tuple[PractitionerChoice, ...]

    def treatment(self, treatment_id) -> TreatmentChoice | None:
        return next((t for t in self.treatments if str(t.id) == str(treatment_id)), None)

    def practitioner(self, practitioner_id) -> PractitionerChoice | None:
        return next((p for p in self.practitioners if str(p.id) == str(practitioner_id)), None)

    def practitioners_offering(self, treatment_id: int) -> list[PractitionerChoice]:
        """Those who take bookings and offer this treatment, in staff order."""
        return [p for p in self.practitioners if p.offers(treatment_id)]


def _schedule_row(today: datetime.date) -> BookingSettings | None:
    agg, obj = _JSON[connection.vendor]
    tables = {
        "hours": OpeningHours,
        "closures": Closure,
        "settings": BookingSettings,
        "types": TreatmentType,
        "diaries": PractitionerDiary,
        "people": Practitioner,
        "working": WorkingHours,
        "time_off": TimeOff,
        "offered": PractitionerDiary.treatment_types.through,
    }
    sql = _SCHEDULE_SQL.format(
        agg=agg, obj=obj, **{key: model._meta.db_table for key, model in tables.items()}
    )
    return next(iter(BookingSettings.objects.raw(sql, [today, today])), None)


def _json_list(value) -> list[dict]:
    """SQLite gives the JSON as text, PostgreSQL's driver as a list; None when no rows."""
    return json.loads(value) if isinstance(value, str) else value or []


def _time(value: str | None) -> datetime.time | None:
    return datetime.time.fromisoformat(value) if value else None


def _ranges(items: list[dict], start: str, end: str) -> dict[int, list]:
    by_weekday: dict[int, list] = {}
    for item in sorted(items, key=lambda item: (item["weekday"], item[start])):
        by_weekday.setdefault(item["weekday"], []).append((_time(item[start]), _time(item[end])))
    return by_weekday


def _time_off_interval(item: dict, tz: ZoneInfo) -> tuple[datetime.datetime, datetime.datetime]:
    """From the first day's start time (or midnight) to the last day's end time (or the next
    midnight), in real time."""
    first = datetime.date.fromisoformat(item["first"])
    last = datetime.date.fromisoformat(item["last"])
    start = datetime.datetime.combine(first, _time(item["from"]) or datetime.time(0), tzinfo=tz)
    if item["until"]:
        end = datetime.datetime.combine(last, _time(item["until"]), tzinfo=tz)
    else:
        end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time(0), tz)
    return start, end


def _practitioners(row, tz: ZoneInfo) -> tuple[list[PractitionerPlan], list[PractitionerChoice]]:
    people = sorted(
        _json_list(row.practitioners), key=lambda p: (p["position"], p["order"], p["name"])
    )
    hours: dict[int, list[dict]] = {}
    for item in _json_list(row.working_hours):
        hours.setdefault(item["id"], []).append(item)
    time_off: dict[int, list] = {}
    for item in _json_list(row.time_off):
        time_off.setdefault(item["id"], []).append(_time_off_interval(item, tz))
    offered: dict[int, set[int]] = {}
    for item in _json_list(row.offered):
        offered.setdefault(item["id"], set()).add(item["type"])
    plans, choices = [], []
    for rank, person in enumerate(people):
        pk, types = person["id"], frozenset(offered.get(person["id"], ()))
        plans.append(
            PractitionerPlan(
                id=pk,
                position=rank,
                hours=_ranges(hours.get(pk, []), "starts", "ends"),
                time_off=tuple(sorted(time_off.get(pk, []))),
                patients_at_once=person["at_once"],
                treatment_ids=types,
            )
        )
        name = f"{person['name']}, {person['credentials']}" if person["credentials"] else ""
        choices.append(PractitionerChoice(pk, name or person["name"], types))
    return plans, choices


def _treatments(row) -> list[TreatmentChoice]:
    items = sorted(_json_list(row.treatment_types), key=lambda t: (t["position"], t["name"]))
    return [
        TreatmentChoice(
            id=item["id"],
            name=item["name"],
            description=item["description"],
            treatment=Treatment(item["id"], item["minutes"], item["buffer"]),
            bookable_online=bool(item["online"]),
            for_new_patients=bool(item["new"]),
        )
        for item in items
    ]


def load_diary(now: datetime.datetime | None = None) -> Diary:
    """The clinic's hours, coming closures, booking settings, treatment types, and the
    practitioners taking bookings with their hours, time off and treatments: one query."""
    now = now or timezone.now()
    tz = ZoneInfo(settings.TIME_ZONE)
    today = now.astimezone(tz).date()
    row = _schedule_row(today)
    if row is None:  # the very first time: create the settings row with its defaults
        BookingSettings.load()
        row = _schedule_row(today)
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
    plans, practitioners = _practitioners(row, tz)
    schedule = Schedule(
        tz=tz,
        hours=_ranges(_json_list(row.opening_hours), "opens", "closes"),
        closures=closures,
        min_notice=datetime.timedelta(hours=row.min_notice_hours),
        horizon_days=row.horizon_days,
        grid_minutes=row.grid_minutes,
        practitioners=tuple(plans),
    )
    return Diary(schedule, tuple(_treatments(row)), tuple(practitioners))


def load_schedule(now: datetime.datetime | None = None) -> Schedule:
    """What availability needs (load_diary's schedule): one query."""
    return load_diary(now).schedule


def for_staff(schedule: Schedule) -> Schedule:
    """The same diary as the front desk books it: no minimum notice, a year ahead."""
    return dataclasses.replace(schedule, min_notice=datetime.timedelta(0), horizon_days=365)


def active_bookings(
    start: datetime.datetime,
    end: datetime.datetime,
    *,
    excluding: AppointmentRequest | None = None,
) -> list[Booking]:
    """Active requests taking practitioners' time in [start, end), buffers included (all but
    the one being moved): one query."""
    rows = AppointmentRequest.objects.active().overlapping(start, end)
    if excluding is not None:
        rows = rows.exclude(pk=excluding.pk)
    columns = rows.values_list("starts_at", "blocks_until", "practitioner")
    return [Booking(start, end, practitioner) for start, end, practitioner in columns]


def day_bookings(schedule: Schedule, day: datetime.date, **kwargs) -> list[Booking]:
    """The active bookings of one local day: one query."""
    return active_bookings(*schedule.day_bounds(day), **kwargs)


def place_problem(
    start: datetime.datetime,
    *,
    schedule: Schedule,
    now: datetime.datetime,
    treatment: Treatment,
    practitioner_id: int | None,
    excluding: AppointmentRequest | None = None,
) -> tuple[Unavailable | None, list[Booking]]:
    """Why this start cannot be booked (None when it can), with the day's bookings the
    answer was based on: one query. Call it under the day's lock to rely on it."""
    bookings = day_bookings(schedule, schedule.local_date(start), excluding=excluding)
    return why_not_free(start, schedule, now, bookings, treatment, practitioner_id), bookings


@dataclass(frozen=True)
class DayOffer:
    """What the booking form offers on one day for a treatment and a practitioner (or the
    first available): its free times, or why there are none (a closure's reason) and the
    next day that has some."""

    day: datetime.date
    slots: list[FreeTime]
    closed_reason: str = ""
    next_free_day: datetime.date | None = None

    @property
    def has_times(self) -> bool:
        return bool(self.slots)


@dataclass(frozen=True)
class BookingWindow:
    """The times patients may book now: the diary read once, at one moment. The booking
    form's view loads it once and asks it for what each page needs."""

    diary: Diary
    now: datetime.datetime

    @classmethod
    def load(cls, now: datetime.datetime | None = None) -> "BookingWindow":
        """One query (load_diary)."""
        now = now or timezone.now()
        return cls(load_diary(now), now)

    @classmethod
    def load_for_staff(cls, now: datetime.datetime | None = None) -> "BookingWindow":
        """The same, as the front desk books: no minimum notice, a year ahead. One query."""
        window = cls.load(now)
        return cls(
            dataclasses.replace(window.diary, schedule=for_staff(window.schedule)), window.now
        )

    @property
    def schedule(self) -> Schedule:
        return self.diary.schedule

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

    def first_free_day(self, treatment: Treatment | None, practitioner_id=None) -> datetime.date:
        """The first day with a free time (today when there is none): one query."""
        upcoming = self.next_free_times(self.now, treatment, practitioner_id, limit=1)
        return self.schedule.local_date(upcoming[0].start) if upcoming else self.today

    def next_free_times(
        self,
        after: datetime.datetime,
        treatment: Treatment | None,
        practitioner_id: int | None = None,
        limit: int = 5,
        *,
        excluding: AppointmentRequest | None = None,
    ) -> list[FreeTime]:
        """The next free times after a moment (not before now), up to the horizon, as if the
        visit `excluding` (being moved) were not booked: one query."""
        if treatment is None:
            return []
        after = max(after, self.now)
        _, horizon_end = self.schedule.day_bounds(self.last_day)
        bookings = active_bookings(after, horizon_end, excluding=excluding)
        return next_free_times_after(
            after, self.schedule, self.now, bookings, treatment, practitioner_id, limit
        )

    def free_times(
        self,
        day: datetime.date,
        treatment: Treatment,
        practitioner_id: int | None = None,
        *,
        excluding: AppointmentRequest | None = None,
    ) -> list[FreeTime]:
        """A day's free times, as if the visit `excluding` were not booked: one query."""
        bookings = day_bookings(self.schedule, day, excluding=excluding)
        return free_times_of_day(day, self.schedule, self.now, bookings, treatment, practitioner_id)

    def day_offer(
        self,
        day: datetime.date,
        treatment: Treatment | None,
        practitioner_id: int | None = None,
        *,
        excluding: AppointmentRequest | None = None,
    ) -> DayOffer:
        """One query for the day's bookings; one more only when the day has no free time.
        A visit being moved (`excluding`) frees its own place but is not offered its own
        start again."""
        slots = []
        if treatment is not None:
            slots = self.free_times(day, treatment, practitioner_id, excluding=excluding)
        if excluding is not None:
            slots = [slot for slot in slots if slot.start != excluding.starts_at]
        if slots:
            return DayOffer(day, slots)
        closure = self.schedule.closure_on(day)
        _, day_end = self.schedule.day_bounds(day)
        upcoming = self.next_free_times(
            day_end, treatment, practitioner_id, limit=1, excluding=excluding
        )
        next_free = self.schedule.local_date(upcoming[0].start) if upcoming else None
        return DayOffer(day, [], closure.reason if closure else "", next_free)
