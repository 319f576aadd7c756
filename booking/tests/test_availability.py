"""Which times patients may request, in a clinic of one practitioner whose visits last one
step of the grid (the first release's clinic): the pure functions, on hand-built schedules
(no DB). test_availability_practitioners.py covers several practitioners and treatments."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from booking.availability import (
    Booking,
    ClosedPeriod,
    PractitionerPlan,
    Schedule,
    Treatment,
    Unavailable,
    free_times,
    next_free_times,
    why_not_free,
)

TZ = ZoneInfo("America/New_York")
UTC = datetime.UTC
MONDAY = datetime.date(2026, 6, 1)
SPRING_FORWARD = datetime.date(2027, 3, 14)  # a Sunday: 2:00 becomes 3:00
FALL_BACK = datetime.date(2026, 11, 1)  # a Sunday: 2:00 becomes 1:00 again


def t(hh_mm: str) -> datetime.time:
    hours, minutes = (int(part) for part in hh_mm.split(":"))
    return datetime.time(hours, minutes)


def at(day: datetime.date, hh_mm: str) -> datetime.datetime:
    return datetime.datetime.combine(day, t(hh_mm), tzinfo=TZ)


def week(*ranges: str, days=range(7)) -> dict:
    """The same opening ranges ("9:00-12:00") on the given weekdays."""
    parsed = [tuple(t(part) for part in text.split("-")) for text in ranges]
    return {day: list(parsed) for day in days}


def one_practitioner(
    tz=TZ, hours=None, slot_minutes: int = 45, capacity: int = 1, **options
) -> Schedule:
    """The clinic's hours are its one practitioner's; `capacity` patients at once."""
    plan = PractitionerPlan(
        id=1, position=0, hours=hours, patients_at_once=capacity, treatment_ids=frozenset({1})
    )
    return Schedule(tz=tz, hours=hours, grid_minutes=slot_minutes, practitioners=(plan,), **options)


def schedule(*ranges: str, days=range(7), **options) -> Schedule:
    options.setdefault("min_notice", datetime.timedelta(0))
    return one_practitioner(hours=week(*(ranges or ("9:00-17:00",)), days=days), **options)


def visit(rules: Schedule) -> Treatment:
    return Treatment(1, rules.grid_minutes)


def available_slots(day, rules, now, bookings):
    return free_times(day, rules, now, bookings, visit(rules))


def why_unavailable(start, rules, now, bookings):
    return why_not_free(start, rules, now, bookings, visit(rules))


def next_free_slots(after, rules, now, bookings, limit=5):
    return next_free_times(after, rules, now, bookings, visit(rules), limit=limit)


def booking(day: datetime.date, hh_mm: str, minutes: int = 30) -> Booking:
    start = at(day, hh_mm)
    return Booking(start, start + datetime.timedelta(minutes=minutes), practitioner_id=1)


def wall_times(slots) -> list[str]:
    return [f"{slot.start.astimezone(TZ):%H:%M}" for slot in slots]


A_WEEK_BEFORE = at(MONDAY - datetime.timedelta(days=7), "8:00")


# -- the grid ----------------------------------------------------------------------------------


def test_slots_run_from_opening_time_one_slot_length_apart():
    slots = available_slots(MONDAY, schedule("9:00-12:00", slot_minutes=60), A_WEEK_BEFORE, [])
    assert wall_times(slots) == ["09:00", "10:00", "11:00"]
    assert all(slot.end - slot.start == datetime.timedelta(hours=1) for slot in slots)
    assert all(slot.start.tzinfo == UTC for slot in slots)


def test_a_slot_that_would_end_after_closing_is_dropped():
    slots = available_slots(MONDAY, schedule("9:00-11:30", slot_minutes=45), A_WEEK_BEFORE, [])
    assert wall_times(slots) == ["09:00", "09:45", "10:30"]  # 11:15 would end at 12:00


def test_each_opening_range_starts_its_own_grid():
    hours = schedule("9:00-12:00", "12:30-14:00", slot_minutes=45)
    slots = available_slots(MONDAY, hours, A_WEEK_BEFORE, [])
    assert wall_times(slots) == ["09:00", "09:45", "10:30", "11:15", "12:30", "13:15"]


def test_ranges_given_out_of_order_still_give_times_in_order():
    hours = one_practitioner(
        tz=TZ, hours={0: [(t("14:00"), t("15:00")), (t("9:00"), t("10:00"))]}, slot_minutes=30
    )
    assert wall_times(available_slots(MONDAY, hours, A_WEEK_BEFORE, [])) == [
        "09:00",
        "09:30",
        "14:00",
        "14:30",
    ]


def test_a_weekday_without_hours_has_no_slots():
    weekdays_only = schedule(days=range(5))
    sunday = MONDAY - datetime.timedelta(days=1)
    assert available_slots(sunday, weekdays_only, A_WEEK_BEFORE, []) == []
    assert available_slots(MONDAY, weekdays_only, A_WEEK_BEFORE, [])


# -- closures, notice, horizon -----------------------------------------------------------------


def test_closed_periods_give_no_slots_from_first_to_last_day():
    tuesday, thursday = MONDAY + datetime.timedelta(days=1), MONDAY + datetime.timedelta(days=3)
    hours = schedule(closures=[ClosedPeriod(tuesday, thursday, "Staff training")])
    offered = {
        day: available_slots(day, hours, A_WEEK_BEFORE, [])
        for day in (MONDAY + datetime.timedelta(days=n) for n in range(5))
    }
    assert [bool(slots) for slots in offered.values()] == [True, False, False, False, True]
    assert hours.closure_on(MONDAY + datetime.timedelta(days=2)).reason == "Staff training"


def test_minimum_notice_hides_the_times_too_soon_and_keeps_the_first_one_exactly_at_it():
    hours = schedule(slot_minutes=60, min_notice=datetime.timedelta(hours=3))
    slots = available_slots(MONDAY, hours, at(MONDAY, "7:00"), [])
    assert wall_times(slots)[0] == "10:00"
    slots = available_slots(MONDAY, hours, at(MONDAY, "7:01"), [])
    assert wall_times(slots)[0] == "11:00"


def test_times_already_past_are_not_offered_even_without_notice():
    slots = available_slots(MONDAY, schedule(slot_minutes=60), at(MONDAY, "12:00"), [])
    assert wall_times(slots) == ["13:00", "14:00", "15:00", "16:00"]


def test_the_last_bookable_day_is_today_plus_the_horizon():
    hours = schedule(horizon_days=10)
    now = at(MONDAY, "8:00")
    assert hours.last_bookable_day(now) == MONDAY + datetime.timedelta(days=10)
    assert available_slots(MONDAY + datetime.timedelta(days=10), hours, now, [])
    assert available_slots(MONDAY + datetime.timedelta(days=11), hours, now, []) == []


def test_the_horizon_counts_from_the_clinics_date_not_utcs():
    hours = schedule(horizon_days=1)
    late_sunday_evening = at(MONDAY - datetime.timedelta(days=1), "22:00")  # Monday in UTC
    assert hours.last_bookable_day(late_sunday_evening) == MONDAY
    assert available_slots(MONDAY, hours, late_sunday_evening, [])
    assert (
        available_slots(MONDAY + datetime.timedelta(days=1), hours, late_sunday_evening, []) == []
    )


# -- capacity ----------------------------------------------------------------------------------


def test_a_full_slot_is_not_offered():
    hours = schedule("9:00-11:00", slot_minutes=60, capacity=2)
    bookings = [booking(MONDAY, "10:00", 60), booking(MONDAY, "10:00", 60)]
    assert wall_times(available_slots(MONDAY, hours, A_WEEK_BEFORE, bookings)) == ["09:00"]


def test_a_booking_of_an_older_slot_length_takes_every_slot_it_overlaps():
    hours = schedule("9:00-11:00", slot_minutes=30)
    overlapping = [booking(MONDAY, "9:15", 45)]  # 9:15-10:00
    assert wall_times(available_slots(MONDAY, hours, A_WEEK_BEFORE, overlapping)) == [
        "10:00",
        "10:30",
    ]


def test_a_booking_ending_when_a_slot_starts_leaves_it_free():
    hours = schedule("9:00-10:00", slot_minutes=30)
    before = [booking(MONDAY, "8:30", 30)]
    assert wall_times(available_slots(MONDAY, hours, A_WEEK_BEFORE, before)) == ["09:00", "09:30"]


# -- why a time cannot be booked ---------------------------------------------------------------


@pytest.fixture
def rules() -> Schedule:
    """Weekdays 9:00-17:00, 30-minute slots, one place, 2 hours' notice, 30 days ahead,
    closed on the Wednesday."""
    wednesday = MONDAY + datetime.timedelta(days=2)
    return schedule(
        days=range(5),
        slot_minutes=30,
        min_notice=datetime.timedelta(hours=2),
        horizon_days=30,
        closures=[ClosedPeriod(wednesday, wednesday, "Holiday")],
    )


NOW = at(MONDAY, "8:00")


@pytest.mark.parametrize(
    ("start", "reason"),
    [
        (at(MONDAY, "7:30"), Unavailable.PAST),
        (at(MONDAY, "8:00"), Unavailable.PAST),
        (at(MONDAY, "9:30"), Unavailable.TOO_SOON),
        (at(MONDAY + datetime.timedelta(days=31), "10:00"), Unavailable.TOO_FAR),
        (at(MONDAY + datetime.timedelta(days=2), "10:00"), Unavailable.CLOSED),  # closure
        (at(MONDAY + datetime.timedelta(days=5), "10:00"), Unavailable.CLOSED),  # Saturday
        (at(MONDAY, "10:10"), Unavailable.OFF_GRID),
        (at(MONDAY, "17:00"), Unavailable.OFF_GRID),  # would end after closing
        (at(MONDAY, "7:30") + datetime.timedelta(days=1), Unavailable.OFF_GRID),  # not open yet
        (at(MONDAY, "11:00"), Unavailable.TAKEN),
    ],
)
def test_why_unavailable_names_the_rule_a_time_breaks(rules, start, reason):
    assert why_unavailable(start, rules, NOW, [booking(MONDAY, "11:00")]) is reason


def test_why_unavailable_is_none_for_a_free_time_on_the_grid(rules):
    taken = [booking(MONDAY, "11:00")]
    assert why_unavailable(at(MONDAY, "10:00"), rules, NOW, taken) is None
    assert why_unavailable(at(MONDAY, "10:00").astimezone(UTC), rules, NOW, taken) is None
    assert (
        why_unavailable(at(MONDAY + datetime.timedelta(days=30), "16:30"), rules, NOW, []) is None
    )


def test_unavailable_messages_speak_to_the_patient(rules):
    assert Unavailable.TOO_FAR.message(rules) == (
        "We take requests only up to 30 days ahead. Please choose an earlier date."
    )
    assert "just been taken" in Unavailable.TAKEN.message(rules)


# -- the next free times -----------------------------------------------------------------------


def test_next_free_slots_continue_on_the_following_open_days(rules):
    tuesday = MONDAY + datetime.timedelta(days=1)
    full_monday_afternoon = [
        booking(MONDAY, f"{h}:{m}") for h in range(14, 17) for m in ("00", "30")
    ]
    found = next_free_slots(at(MONDAY, "13:30"), rules, NOW, full_monday_afternoon, limit=3)
    assert [s.start for s in found] == [
        at(tuesday, "9:00"),
        at(tuesday, "9:30"),
        at(tuesday, "10:00"),
    ]


def test_next_free_slots_skip_closures_and_closed_weekdays(rules):
    tuesday, thursday = MONDAY + datetime.timedelta(days=1), MONDAY + datetime.timedelta(days=3)
    found = next_free_slots(at(tuesday, "16:30"), rules, NOW, [], limit=2)
    assert [s.start for s in found] == [at(thursday, "9:00"), at(thursday, "9:30")]


def test_next_free_slots_are_strictly_after_the_moment_and_respect_the_limit(rules):
    found = next_free_slots(at(MONDAY, "10:00"), rules, NOW, [])
    assert len(found) == 5
    assert wall_times(found) == ["10:30", "11:00", "11:30", "12:00", "12:30"]


def test_next_free_slots_stop_at_the_horizon(rules):
    last_day = rules.last_bookable_day(NOW)  # a Wednesday: 30 days after a Monday
    found = next_free_slots(at(last_day, "15:00"), rules, NOW, [], limit=10)
    assert [s.start for s in found] == [
        at(last_day, "15:30"),
        at(last_day, "16:00"),
        at(last_day, "16:30"),
    ]


def test_next_free_slots_start_after_the_notice(rules):
    found = next_free_slots(NOW, rules, NOW, [], limit=1)
    assert [s.start for s in found] == [at(MONDAY, "10:00")]


# -- daylight saving time ----------------------------------------------------------------------


def night_hours(**options) -> Schedule:
    return schedule("0:00-6:00", slot_minutes=30, horizon_days=60, **options)


def a_week_before(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day - datetime.timedelta(days=7), datetime.time(), tzinfo=UTC)


def test_spring_forward_night_has_no_times_in_the_missing_hour():
    slots = available_slots(SPRING_FORWARD, night_hours(), a_week_before(SPRING_FORWARD), [])
    assert wall_times(slots) == [
        "00:00", "00:30", "01:00", "01:30", "03:00", "03:30", "04:00", "04:30", "05:00", "05:30",
    ]  # fmt: skip
    assert all(slot.end - slot.start == datetime.timedelta(minutes=30) for slot in slots)
    assert len({slot.start for slot in slots}) == len(slots)


def test_spring_forward_slot_before_the_gap_ends_when_the_clock_jumps():
    slots = available_slots(SPRING_FORWARD, night_hours(), a_week_before(SPRING_FORWARD), [])
    one_thirty = slots[3]
    assert one_thirty.start == datetime.datetime(2027, 3, 14, 6, 30, tzinfo=UTC)  # 1:30 EST
    assert one_thirty.end == datetime.datetime(2027, 3, 14, 7, 0, tzinfo=UTC)  # 3:00 EDT


def test_fall_back_night_offers_each_wall_clock_time_once():
    slots = available_slots(FALL_BACK, night_hours(), a_week_before(FALL_BACK), [])
    assert wall_times(slots) == [f"{h:02d}:{m:02d}" for h in range(6) for m in (0, 30)]
    assert len({slot.start for slot in slots}) == len(slots)
    assert [s.start for s in slots] == sorted(s.start for s in slots)


def test_fall_back_night_slots_last_the_slot_length_in_real_time():
    slots = available_slots(FALL_BACK, night_hours(), a_week_before(FALL_BACK), [])
    durations = {f"{s.start.astimezone(TZ):%H:%M}": s.end - s.start for s in slots}
    assert durations == dict.fromkeys(durations, datetime.timedelta(minutes=30))


@pytest.mark.parametrize(
    ("before", "after", "offsets"),
    [
        (datetime.date(2027, 3, 13), datetime.date(2027, 3, 15), (-5, -4)),
        (datetime.date(2026, 10, 31), datetime.date(2026, 11, 2), (-4, -5)),
    ],
)
def test_normal_hours_start_at_nine_local_on_both_sides_of_a_change(before, after, offsets):
    hours = schedule(slot_minutes=30, horizon_days=30)
    for day, offset in zip((before, after), offsets, strict=True):
        slots = available_slots(day, hours, a_week_before(before), [])
        first = slots[0].start.astimezone(TZ)
        assert (first.date(), first.time()) == (day, t("9:00"))
        assert first.utcoffset() == datetime.timedelta(hours=offset)
        assert slots[0].start.hour == 9 - offset
        assert len(slots) == 16


@pytest.mark.parametrize(("day", "hours"), [(SPRING_FORWARD, 23), (FALL_BACK, 25)])
def test_the_clock_change_days_are_23_and_25_hours_long(day, hours):
    start, end = schedule().day_bounds(day)
    assert end - start == datetime.timedelta(hours=hours)
    assert start.astimezone(TZ).time() == end.astimezone(TZ).time() == t("0:00")


@pytest.mark.parametrize("day", [SPRING_FORWARD, FALL_BACK])
def test_daytime_hours_on_a_clock_change_day_are_unaffected(day):
    slots = available_slots(day, schedule(slot_minutes=30), a_week_before(day), [])
    assert wall_times(slots) == [f"{h:02d}:{m:02d}" for h in range(9, 17) for m in (0, 30)]
    assert all(slot.end - slot.start == datetime.timedelta(minutes=30) for slot in slots)
