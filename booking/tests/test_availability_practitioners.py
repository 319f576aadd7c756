"""Which times patients may request for a treatment, and with whom: the pure functions on
hand-built schedules and practitioners' plans (no DB)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from booking.availability import (
    Booking,
    ClosedPeriod,
    PractitionerPlan,
    Schedule,
    Treatment,
    Unavailable,
    choose_practitioner,
    free_practitioners,
    free_times,
    next_free_times,
    why_not_free,
)

TZ = ZoneInfo("America/New_York")
UTC = datetime.UTC
MONDAY = datetime.date(2026, 6, 1)
TUESDAY = MONDAY + datetime.timedelta(days=1)
SPRING_FORWARD = datetime.date(2026, 3, 8)  # a Sunday: 2:00 becomes 3:00
FALL_BACK = datetime.date(2026, 11, 1)  # a Sunday: 2:00 becomes 1:00 again
MASSAGE = Treatment(id=1, minutes=60)
SHORT = Treatment(id=1, minutes=30)


def t(hh_mm: str) -> datetime.time:
    hours, minutes = (int(part) for part in hh_mm.split(":"))
    return datetime.time(hours, minutes)


def at(day: datetime.date, hh_mm: str) -> datetime.datetime:
    return datetime.datetime.combine(day, t(hh_mm), tzinfo=TZ)


def week(*ranges: str) -> dict:
    """The same ranges ("9:00-12:00") every day of the week."""
    parsed = [tuple(t(part) for part in text.split("-")) for text in ranges]
    return {day: list(parsed) for day in range(7)}


def plan(pid: int, *ranges: str, position: int = 0, **options) -> PractitionerPlan:
    options.setdefault("treatment_ids", frozenset({1}))
    return PractitionerPlan(id=pid, position=position, hours=week(*ranges), **options)


def clinic(*ranges: str, staff=(), **options) -> Schedule:
    options.setdefault("min_notice", datetime.timedelta(0))
    hours = week(*(ranges or ("9:00-17:00",)))
    return Schedule(tz=TZ, hours=hours, practitioners=tuple(staff), **options)


def visit(day, hh_mm: str, minutes: int, practitioner_id: int | None = 1) -> Booking:
    start = at(day, hh_mm)
    return Booking(start, start + datetime.timedelta(minutes=minutes), practitioner_id)


def wall_times(times) -> list[str]:
    return [f"{free.start.astimezone(TZ):%H:%M}" for free in times]


def every(first: str, last: str, minutes: int = 15) -> list[str]:
    """Wall times from `first` to `last` inclusive, `minutes` apart."""
    start, end = at(MONDAY, first), at(MONDAY, last)
    count = int((end - start) / datetime.timedelta(minutes=minutes)) + 1
    return [f"{start + datetime.timedelta(minutes=minutes * n):%H:%M}" for n in range(count)]


A_WEEK_BEFORE = at(MONDAY - datetime.timedelta(days=7), "8:00")


# -- who works when ----------------------------------------------------------------------------


def test_two_practitioners_with_different_hours_each_offer_their_own_times():
    hours = clinic("8:00-18:00", staff=[plan(1, "9:00-12:00"), plan(2, "13:00-17:00")])
    found = free_times(TUESDAY, hours, A_WEEK_BEFORE, [], MASSAGE)
    assert wall_times(found) == every("9:00", "11:00") + every("13:00", "16:00")
    assert {free.practitioner_ids for free in found if free.start < at(TUESDAY, "12:00")} == {(1,)}
    assert {free.practitioner_ids for free in found if free.start > at(TUESDAY, "12:00")} == {(2,)}
    assert all(free.end - free.start == datetime.timedelta(hours=1) for free in found)


def test_a_time_both_can_take_names_both_in_staff_order():
    staff = [plan(5, "9:00-10:00", position=2), plan(7, "9:00-10:00", position=1)]
    found = free_times(TUESDAY, clinic(staff=staff), A_WEEK_BEFORE, [], MASSAGE)
    assert [(f"{f.start.astimezone(TZ):%H:%M}", f.practitioner_ids) for f in found] == [
        ("09:00", (7, 5))
    ]


def test_a_part_day_off_removes_exactly_the_starts_that_overlap_it():
    afternoon_off = ((at(TUESDAY, "14:00"), at(TUESDAY, "16:00")),)
    hours = clinic(staff=[plan(1, "9:00-17:00", time_off=afternoon_off)])
    with_time_off = wall_times(free_times(TUESDAY, hours, A_WEEK_BEFORE, [], SHORT))
    assert with_time_off == every("9:00", "13:30") + every("16:00", "16:30")
    next_tuesday = TUESDAY + datetime.timedelta(days=7)
    assert wall_times(free_times(next_tuesday, hours, A_WEEK_BEFORE, [], SHORT)) == every(
        "9:00", "16:30"
    )
    assert why_not_free(at(TUESDAY, "13:45"), hours, A_WEEK_BEFORE, [], SHORT) is (
        Unavailable.NOT_WORKING
    )


def test_a_practitioners_hours_wider_than_the_clinics_are_cut_to_the_clinics():
    hours = clinic("9:00-12:00", staff=[plan(1, "7:00-20:00")])
    found = free_times(TUESDAY, hours, A_WEEK_BEFORE, [], MASSAGE)
    assert wall_times(found) == every("9:00", "11:00")
    assert why_not_free(at(TUESDAY, "11:15"), hours, A_WEEK_BEFORE, [], MASSAGE) is (
        Unavailable.OFF_GRID
    )


# -- treatments --------------------------------------------------------------------------------


def test_the_buffer_after_a_booking_blocks_a_start_inside_it_but_not_one_after_it():
    treatment = Treatment(id=1, minutes=45, buffer_minutes=15)
    hours = clinic(staff=[plan(1, "9:00-17:00")])
    at_ten = [visit(TUESDAY, "10:00", 60)]  # 45 minutes and 15 of buffer
    offered = wall_times(free_times(TUESDAY, hours, A_WEEK_BEFORE, at_ten, treatment))
    assert "10:45" not in offered
    assert "11:00" in offered
    assert "09:00" in offered and "09:15" not in offered  # 9:15 + 60 minutes runs into 10:00
    assert why_not_free(at(TUESDAY, "10:45"), hours, A_WEEK_BEFORE, at_ten, treatment) is (
        Unavailable.TAKEN
    )


def test_the_patient_sees_the_visit_end_without_the_buffer():
    treatment = Treatment(id=1, minutes=45, buffer_minutes=15)
    hours = clinic("9:00-10:00", staff=[plan(1, "9:00-10:00")])
    found = free_times(TUESDAY, hours, A_WEEK_BEFORE, [], treatment)
    assert [(free.start, free.end) for free in found] == [
        (at(TUESDAY, "9:00"), at(TUESDAY, "9:45"))
    ]  # 9:15 would block the practitioner until 10:15, after closing


def test_a_practitioner_seeing_two_at_once_takes_a_second_overlapping_booking_not_a_third():
    hours = clinic(staff=[plan(1, "9:00-17:00", patients_at_once=2)])
    one = [visit(TUESDAY, "10:00", 60)]
    two = [*one, visit(TUESDAY, "10:30", 60)]
    assert "10:00" in wall_times(free_times(TUESDAY, hours, A_WEEK_BEFORE, one, MASSAGE))
    assert "10:00" not in wall_times(free_times(TUESDAY, hours, A_WEEK_BEFORE, two, MASSAGE))
    assert "09:00" in wall_times(free_times(TUESDAY, hours, A_WEEK_BEFORE, two, MASSAGE))


def test_another_practitioners_bookings_leave_a_practitioner_free():
    hours = clinic(staff=[plan(1, "9:00-17:00"), plan(2, "9:00-17:00")])
    taken_by_two = [visit(TUESDAY, "10:00", 60, practitioner_id=2)]
    found = free_times(TUESDAY, hours, A_WEEK_BEFORE, taken_by_two, MASSAGE)
    at_ten = next(free for free in found if free.start == at(TUESDAY, "10:00"))
    assert at_ten.practitioner_ids == (1,)
    assert why_not_free(at(TUESDAY, "10:00"), hours, A_WEEK_BEFORE, taken_by_two, MASSAGE, 2) is (
        Unavailable.TAKEN
    )


def test_a_practitioner_who_does_not_offer_the_treatment_offers_no_time_for_it():
    hours = clinic(
        staff=[plan(1, "9:00-17:00", treatment_ids=frozenset({2})), plan(2, "9:00-12:00")]
    )
    assert free_times(TUESDAY, hours, A_WEEK_BEFORE, [], MASSAGE, practitioner_id=1) == []
    assert {f.practitioner_ids for f in free_times(TUESDAY, hours, A_WEEK_BEFORE, [], MASSAGE)} == {
        (2,)
    }
    assert why_not_free(at(TUESDAY, "10:00"), hours, A_WEEK_BEFORE, [], MASSAGE, 1) is (
        Unavailable.NOT_OFFERED
    )
    assert "not offered" in Unavailable.NOT_OFFERED.message(hours)


# -- the grid and the calendar -----------------------------------------------------------------


def test_starts_are_fifteen_minutes_apart_by_default_and_follow_the_grid_setting():
    staff = [plan(1, "9:00-10:00")]
    fifteen = Treatment(id=1, minutes=15)
    assert wall_times(free_times(TUESDAY, clinic(staff=staff), A_WEEK_BEFORE, [], fifteen)) == [
        "09:00",
        "09:15",
        "09:30",
        "09:45",
    ]
    twenty = clinic(staff=staff, grid_minutes=20)
    assert wall_times(free_times(TUESDAY, twenty, A_WEEK_BEFORE, [], fifteen)) == [
        "09:00",
        "09:20",
        "09:40",
    ]
    assert why_not_free(at(TUESDAY, "9:10"), twenty, A_WEEK_BEFORE, [], fifteen) is (
        Unavailable.OFF_GRID
    )


def test_each_opening_range_starts_its_own_grid():
    hours = clinic("9:00-10:00", "12:10-13:00", staff=[plan(1, "0:00-23:00")])
    found = free_times(TUESDAY, hours, A_WEEK_BEFORE, [], SHORT)
    assert wall_times(found) == ["09:00", "09:15", "09:30", "12:10", "12:25"]


@pytest.mark.parametrize(
    ("start", "reason"),
    [
        (at(MONDAY, "8:00"), Unavailable.PAST),
        (at(MONDAY, "9:30"), Unavailable.TOO_SOON),
        (at(MONDAY + datetime.timedelta(days=31), "10:00"), Unavailable.TOO_FAR),
        (at(MONDAY + datetime.timedelta(days=2), "10:00"), Unavailable.CLOSED),
        (at(MONDAY, "10:05"), Unavailable.OFF_GRID),
        (at(MONDAY, "16:30"), Unavailable.OFF_GRID),  # a 60-minute visit would end at 17:30
        (at(MONDAY, "13:00"), Unavailable.NOT_WORKING),
        (at(MONDAY, "11:00"), Unavailable.TAKEN),
        (at(MONDAY, "10:00"), None),
    ],
)
def test_why_not_free_names_the_first_rule_a_time_breaks(start, reason):
    wednesday = MONDAY + datetime.timedelta(days=2)
    hours = clinic(
        staff=[plan(1, "9:00-12:00", "14:00-17:00")],
        min_notice=datetime.timedelta(hours=2),
        horizon_days=30,
        closures=[ClosedPeriod(wednesday, wednesday, "Holiday")],
    )
    taken = [visit(MONDAY, "11:00", 60)]
    assert why_not_free(start, hours, at(MONDAY, "8:00"), taken, MASSAGE) is reason


def test_choose_practitioner_prefers_the_fewest_bookings_then_position_then_id():
    staff = [plan(1, position=2), plan(2, position=1), plan(3, position=1), plan(4, position=0)]
    hours = clinic(staff=staff)
    day = [visit(TUESDAY, "9:00", 60, 4), visit(TUESDAY, "11:00", 60, 1)]
    assert choose_practitioner([1, 2, 3, 4], hours, day) == 2  # 2 and 3 have none; 2 is first
    assert choose_practitioner([3, 2], hours, day) == 2  # same position: the lower id
    assert choose_practitioner([1, 4], hours, day) == 4  # one each: the lower position
    assert choose_practitioner([1, 4], hours, [*day, visit(TUESDAY, "13:00", 60, 4)]) == 1


def test_next_free_times_continue_on_the_following_days():
    hours = clinic(staff=[plan(1, "9:00-17:00")], closures=[ClosedPeriod(TUESDAY, TUESDAY)])
    wednesday = TUESDAY + datetime.timedelta(days=1)
    full_afternoon = [visit(MONDAY, "15:00", 120)]
    found = next_free_times(at(MONDAY, "14:00"), hours, A_WEEK_BEFORE, full_afternoon, MASSAGE, 1)
    assert [free.start for free in found] == [
        at(wednesday, "9:00"),
        at(wednesday, "9:15"),
        at(wednesday, "9:30"),
        at(wednesday, "9:45"),
        at(wednesday, "10:00"),
    ]
    assert (
        len(next_free_times(at(MONDAY, "14:00"), hours, A_WEEK_BEFORE, [], MASSAGE, limit=2)) == 2
    )


def test_next_free_times_stop_at_the_horizon():
    hours = clinic(staff=[plan(1, "9:00-17:00")], horizon_days=7)
    last_day = hours.last_bookable_day(A_WEEK_BEFORE)
    found = next_free_times(at(last_day, "15:30"), hours, A_WEEK_BEFORE, [], MASSAGE, limit=9)
    assert wall_times(found) == ["15:45", "16:00"]


# -- daylight saving time ----------------------------------------------------------------------


def a_week_before(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day - datetime.timedelta(days=7), datetime.time(), tzinfo=UTC)


def night(*staff_hours: str, **options) -> Schedule:
    return clinic("0:00-6:00", staff=[plan(1, *(staff_hours or ("0:00-6:00",)))], **options)


def test_spring_forward_offers_no_start_in_the_missing_hour_and_visits_last_real_time():
    found = free_times(
        SPRING_FORWARD, night(grid_minutes=30), a_week_before(SPRING_FORWARD), [], MASSAGE
    )
    assert wall_times(found) == ["00:00", "00:30", "01:00", "01:30", "03:00", "03:30", "04:00",
                                 "04:30", "05:00"]  # fmt: skip
    assert all(free.end - free.start == datetime.timedelta(hours=1) for free in found)
    one_thirty = found[3]
    assert one_thirty.start == datetime.datetime(2026, 3, 8, 6, 30, tzinfo=UTC)  # 1:30 EST
    assert f"{one_thirty.end.astimezone(TZ):%H:%M}" == "03:30"  # EDT, an hour later


def test_spring_forward_a_range_ending_in_the_missing_hour_ends_by_the_wall_clock_too():
    found = free_times(
        SPRING_FORWARD,
        night("0:00-2:30", grid_minutes=30),
        a_week_before(SPRING_FORWARD),
        [],
        SHORT,
    )
    # 1:30 EST + 30 minutes is 3:00 EDT: before 2:30 EST in real time, after 2:30 on the wall
    assert wall_times(found) == ["00:00", "00:30", "01:00"]


def test_fall_back_offers_each_wall_time_once_and_visits_last_real_time():
    found = free_times(FALL_BACK, night(grid_minutes=30), a_week_before(FALL_BACK), [], MASSAGE)
    assert wall_times(found) == [f"{h:02d}:{m:02d}" for h in range(6) for m in (0, 30)][:11]
    assert all(free.end - free.start == datetime.timedelta(hours=1) for free in found)
    assert [free.start for free in found] == sorted({free.start for free in found})


def test_fall_back_a_visit_into_the_repeated_hour_must_end_before_the_range_in_real_time():
    hours = night("0:00-1:30", grid_minutes=30)
    found = free_times(FALL_BACK, hours, a_week_before(FALL_BACK), [], MASSAGE)
    # 1:00 EDT + 60 minutes is 1:00 EST: before 1:30 on the wall, after 1:30 EDT in real time
    assert wall_times(found) == ["00:00", "00:30"]


# -- properties over random practitioners, treatments and bookings -----------------------------

FIVE_MINUTES = range(0, 24 * 60, 5)
# Times anywhere in the day, but often in the small hours, and around 2:00, where the
# clocks change.
BOUNDARIES = st.one_of(
    st.sampled_from(FIVE_MINUTES),
    st.sampled_from(range(0, 4 * 60, 5)),
    st.sampled_from(range(60, 3 * 60, 5)),
)
DST_DAYS = [SPRING_FORWARD, FALL_BACK]
ONCE_IN_A_WHILE = st.sampled_from(range(12)).map(lambda n: n == 11)  # integers() favour 0


def minutes_to_time(minutes: int) -> datetime.time:
    return datetime.time(minutes // 60, minutes % 60)


def wall(day: datetime.date, minutes: int) -> datetime.datetime:
    """An instant by the day's wall clock; a time that does not exist moves on by the jump."""
    return datetime.datetime.combine(day, minutes_to_time(minutes), tzinfo=TZ).astimezone(UTC)


@st.composite
def ranges(draw, most: int = 2) -> list[tuple[datetime.time, datetime.time]]:
    """One to `most` non-overlapping ranges on 5-minute boundaries."""
    count = draw(st.integers(1, most))
    bounds = sorted(draw(st.sets(BOUNDARIES, min_size=2 * count, max_size=2 * count)))
    return [
        (minutes_to_time(a), minutes_to_time(b))
        for a, b in zip(bounds[::2], bounds[1::2], strict=True)
    ]


@st.composite
def plans(draw, pid: int, day: datetime.date, clinic_hours: list) -> PractitionerPlan:
    """Working hours like the clinic's, inside them, or anywhere; some time off that day."""
    hours = draw(st.one_of(st.just(clinic_hours), ranges(3)))
    time_off = []
    for minute, length in draw(
        st.lists(st.tuples(st.sampled_from(FIVE_MINUTES), st.integers(1, 48)), max_size=2)
    ):
        start = wall(day, minute)
        time_off.append((start, start + datetime.timedelta(minutes=5 * length)))
    if draw(ONCE_IN_A_WHILE):
        time_off.append(Schedule(tz=TZ, hours={}).day_bounds(day))  # the whole day
    return PractitionerPlan(
        id=pid,
        position=draw(st.integers(0, 2)),
        hours={day.weekday(): hours},
        time_off=tuple(time_off),
        patients_at_once=draw(st.integers(1, 3)),
        treatment_ids=frozenset(draw(st.sets(st.integers(1, 3), min_size=1))),
    )


@st.composite
def situations(draw):
    """A clinic with one to three practitioners, a treatment, a day, `now`, and bookings."""
    day = draw(
        st.one_of(
            st.sampled_from(DST_DAYS),
            st.dates(datetime.date(2026, 1, 1), datetime.date(2027, 12, 31)),
        )
    )
    clinic_hours = draw(ranges())
    staff = [draw(plans(pid, day, clinic_hours)) for pid in range(1, draw(st.integers(1, 3)) + 1)]
    closures = [ClosedPeriod(day, day)] if draw(ONCE_IN_A_WHILE) else []
    hours = Schedule(
        tz=TZ,
        hours={day.weekday(): clinic_hours},
        closures=closures,
        min_notice=datetime.timedelta(hours=draw(st.integers(0, 48))),
        horizon_days=draw(st.integers(1, 60)),
        grid_minutes=draw(st.sampled_from([5, 10, 15, 20, 30, 45])),
        practitioners=tuple(staff),
    )
    treatment = Treatment(
        id=draw(st.integers(1, 3)),
        minutes=draw(st.sampled_from(range(10, 121, 5))),
        buffer_minutes=draw(st.integers(0, 30)),
    )
    day_start, _ = hours.day_bounds(day)
    notice = int(hours.min_notice.total_seconds())
    ahead = draw(  # how long before the day `now` is: mostly just over the notice
        st.one_of(
            st.integers(notice, notice + 3 * 86400),
            st.integers(-86400, (hours.horizon_days + 2) * 86400),
        )
    )
    now = day_start - datetime.timedelta(seconds=ahead - ahead % 300)
    ids = st.one_of(st.integers(1, len(staff)), st.none())  # a booking's, or the one chosen
    bookings = [
        Booking(wall(day, minute), wall(day, minute) + datetime.timedelta(minutes=length), pid)
        for minute, length, pid in draw(
            st.lists(st.tuples(st.sampled_from(FIVE_MINUTES), st.integers(5, 180), ids), max_size=8)
        )
    ]
    grid = grid_by_hand(day, hours)
    if grid:  # and visits of this treatment at offered times, to fill some practitioners up
        for start, pid in draw(st.lists(st.tuples(st.sampled_from(grid), ids), max_size=12)):
            bookings.append(Booking(start, start + treatment.blocked, pid))
    return hours, day, now, bookings, treatment, draw(ids)


def grid_by_hand(day: datetime.date, hours: Schedule) -> list[datetime.datetime]:
    """Each existing wall time `grid_minutes` apart from an opening time until closing."""
    starts = set()
    for opens, closes in hours.hours.get(day.weekday(), []):
        minute = opens.hour * 60 + opens.minute
        while minute < closes.hour * 60 + closes.minute:
            start = wall(day, minute)
            if start.astimezone(TZ).time() == minutes_to_time(minute):
                starts.add(start)
            minute += hours.grid_minutes
    return sorted(starts)


def inside(start, end, ranges_that_day, day) -> bool:
    """In one range both by local wall times and by real instants."""
    wall_start, wall_end = (m.astimezone(TZ).replace(tzinfo=None) for m in (start, end))
    for opens, closes in ranges_that_day:
        local_opens = datetime.datetime.combine(day, opens)
        local_closes = datetime.datetime.combine(day, closes)
        by_wall = local_opens <= wall_start and wall_end <= local_closes
        real_opens = local_opens.replace(tzinfo=TZ).timestamp()
        real_closes = local_closes.replace(tzinfo=TZ).timestamp()
        if by_wall and real_opens <= start.timestamp() and end.timestamp() <= real_closes:
            return True
    return False


def can_see(plan, start, hours, day, bookings, treatment) -> bool:
    """Every rule for one practitioner and one start, written out."""
    end = start + treatment.blocked
    own = [b for b in bookings if b.practitioner_id == plan.id]
    return (
        treatment.id in plan.treatment_ids
        and inside(start, end, hours.hours[day.weekday()], day)
        and inside(start, end, plan.hours.get(day.weekday(), []), day)
        and not any(off < end and back > start for off, back in plan.time_off)
        and sum(1 for b in own if b.start < end and b.end > start) < plan.patients_at_once
    )


def calendar_allows(start, hours, day, now) -> bool:
    return (
        start > now
        and start >= now + hours.min_notice
        and day <= now.astimezone(TZ).date() + datetime.timedelta(days=hours.horizon_days)
        and not any(c.start <= day <= c.end for c in hours.closures)
    )


def expected_ids(start, situation) -> tuple[int, ...]:
    hours, day, now, bookings, treatment, chosen = situation
    if not calendar_allows(start, hours, day, now):
        return ()
    staff = sorted(hours.practitioners, key=lambda plan: (plan.position, plan.id))
    return tuple(
        plan.id
        for plan in staff
        if chosen in (None, plan.id) and can_see(plan, start, hours, day, bookings, treatment)
    )


PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(situations())
def test_every_practitioner_named_for_a_free_time_keeps_every_rule(situation):
    hours, day, now, bookings, treatment, chosen = situation
    found = free_times(day, hours, now, bookings, treatment, chosen)
    grid = set(grid_by_hand(day, hours))
    plans_by_id = {plan.id: plan for plan in hours.practitioners}
    for free in found:
        assert free.start in grid
        assert free.end == free.start + treatment.length
        assert calendar_allows(free.start, hours, day, now)
        assert free.practitioner_ids
        for pid in free.practitioner_ids:
            assert chosen in (None, pid)
            assert can_see(plans_by_id[pid], free.start, hours, day, bookings, treatment)
    starts = [free.start for free in found]
    assert starts == sorted(set(starts))


@PROPERTY_SETTINGS
@given(situations())
def test_a_grid_start_is_offered_with_exactly_the_practitioners_who_keep_every_rule(situation):
    hours, day, now, bookings, treatment, chosen = situation
    offered = {
        f.start: f.practitioner_ids
        for f in free_times(day, hours, now, bookings, treatment, chosen)
    }
    for start in grid_by_hand(day, hours):
        assert offered.get(start, ()) == expected_ids(start, situation)


@PROPERTY_SETTINGS
@given(situations(), st.sampled_from(FIVE_MINUTES))
def test_why_not_free_is_none_exactly_for_offered_starts(situation, minute):
    hours, day, now, bookings, treatment, chosen = situation
    offered = {f.start for f in free_times(day, hours, now, bookings, treatment, chosen)}
    for start in [*grid_by_hand(day, hours), wall(day, minute)]:
        reason = why_not_free(start, hours, now, bookings, treatment, chosen)
        assert (reason is None) is (start in offered)
        if start in offered:
            assert free_practitioners(start, hours, bookings, treatment, chosen)


@PROPERTY_SETTINGS
@given(situations(), st.integers(1, 8))
def test_next_free_times_are_the_first_free_times_after_the_moment(situation, limit):
    hours, day, now, bookings, treatment, chosen = situation
    after = max(now, datetime.datetime.combine(day, datetime.time(), tzinfo=TZ))
    found = next_free_times(after, hours, now, bookings, treatment, chosen, limit=limit)
    expected = []
    first_day = after.astimezone(TZ).date()
    for offset in range((hours.last_bookable_day(now) - first_day).days + 1):
        each_day = first_day + datetime.timedelta(days=offset)
        times = free_times(each_day, hours, now, bookings, treatment, chosen)
        expected += [free for free in times if free.start > after]
        if len(expected) >= limit:
            break
    assert found == expected[:limit]
