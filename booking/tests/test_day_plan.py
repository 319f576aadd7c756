"""The calendar's layout (booking.day_plan, booking.calendar_plan): a seeded day's visits in
the right column and rows, time off and closures shaded, free times where the booking form
offers them, and rows that are neither duplicated nor missing on the days the clocks change."""

import datetime
import itertools
from types import SimpleNamespace

import pytest

from booking.availability import Booking, free_times
from booking.calendar_plan import plan_day, plan_week, summarise_week
from booking.models import BookingSettings, Status, TimeOff
from booking.schedule import for_staff, load_diary
from booking.tests.factories import at
from booking.tests.patient_diary import three_practitioners
from clinic.models import Closure, OpeningHours

pytestmark = pytest.mark.django_db

DAY = datetime.date(2027, 1, 12)  # a Tuesday, far from any change of the clocks
SPRING_FORWARD = datetime.date(2027, 3, 14)  # America/New_York: 2:00 becomes 3:00
FALL_BACK = datetime.date(2026, 11, 1)  # 2:00 becomes 1:00 again
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def clinic(open_every_day):
    """Open 9:00–17:00 every day on an hour's grid; Ana, Ben and Cleo work all of it."""
    return three_practitioners()


def the_diary(day: datetime.date):
    """The diary as the front desk books it, read the day before (staff see free times)."""
    diary = load_diary(at(day, "0:00") - HOUR)
    return diary.__class__(for_staff(diary.schedule), diary.treatments, diary.practitioners)


def visit(practitioner, start, minutes=60, status=Status.CONFIRMED, **fields):
    return SimpleNamespace(
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=minutes),
        blocks_until=start + datetime.timedelta(minutes=minutes),
        practitioner_id=practitioner.pk,
        practitioner=practitioner,
        status=status,
        **fields,
    )


def active(visits) -> list[Booking]:
    return [Booking(v.starts_at, v.blocks_until, v.practitioner_id) for v in visits]


def day_plan(day, visits, **kwargs):
    now = at(day, "0:00") - HOUR
    return plan_day(
        day=day, diary=the_diary(day), now=now, visits=visits, bookings=active(visits), **kwargs
    )


def cell_at(plan, row: int, column: int):
    """The cell drawn in a column at a row: the one that starts there or spans over it."""
    for index in range(row, -1, -1):
        cell = plan.rows[index].cells[column]
        if cell is not None:
            assert index + cell.rowspan > row, "no cell covers that row"
            return cell
    raise AssertionError("no cell")


def labels(plan) -> list[str]:
    return [f"{row.label:%H:%M}{row.zone and ' ' + row.zone}" for row in plan.rows]


def test_a_seeded_day_puts_each_visit_in_its_practitioners_column_and_rows(clinic):
    ana_visit = visit(clinic.ana, at(DAY, "10:00"))
    long_visit = visit(clinic.ben, at(DAY, "14:00"), minutes=90)

    plan = day_plan(DAY, [ana_visit, long_visit])

    assert [c.name for c in plan.columns] == ["Ana Diaz", "Ben Okafor", "Cleo Park"]
    assert labels(plan) == [f"{hour:02d}:00" for hour in range(9, 17)]
    ten, two = plan.rows[1].cells[0], plan.rows[5].cells[1]
    assert (ten.kind, ten.rowspan, ten.visits) == ("visits", 1, [ana_visit])
    assert (two.kind, two.rowspan, two.visits) == ("visits", 2, [long_visit])
    assert plan.rows[6].cells[1] is None  # under the 90 minutes' block
    assert plan.rows[1].cells[1].kind == "free"  # Ben at 10:00
    assert plan.rows[6].cells[0].free_start == at(DAY, "15:00")


def test_free_cells_are_exactly_the_times_the_booking_form_offers(clinic):
    booked = [visit(clinic.ana, at(DAY, "11:00"))]
    plan = day_plan(DAY, booked)
    diary = the_diary(DAY)
    now = at(DAY, "0:00") - HOUR
    offered = {
        free.start
        for treatment in (clinic.first_visit, clinic.follow_up)
        for free in free_times(
            DAY, diary.schedule, now, active(booked), treatment.as_treatment(), clinic.ana.pk
        )
    }

    shown = {
        row.cells[0].free_start for row in plan.rows if row.cells[0] and row.cells[0].free_start
    }

    assert shown == offered
    assert at(DAY, "11:00") not in shown and at(DAY, "16:00") in shown


def test_a_part_day_off_is_shaded_with_its_word_and_other_hours_stay_free(clinic):
    TimeOff.objects.create(
        diary=clinic.ana.diary,
        first_day=DAY,
        from_time=datetime.time(12),
        until_time=datetime.time(14),
        reason="Dentist",
    )

    plan = day_plan(DAY, [])

    off = plan.rows[3].cells[0]  # 12:00, both hours in one cell
    assert (off.kind, off.rowspan, str(off.off.word)) == ("off", 2, "Time off")
    assert plan.rows[4].cells[0] is None
    assert plan.rows[2].cells[0].kind == "free" and plan.rows[5].cells[0].kind == "free"
    assert plan.rows[3].cells[1].kind == "free"  # Ben works on


def test_hours_outside_work_and_a_closed_day_say_why(clinic):
    clinic.cleo.diary.working_hours.filter(weekday=DAY.weekday()).update(starts=datetime.time(13))
    closed_on = DAY + datetime.timedelta(days=1)
    Closure.objects.create(start_date=closed_on, end_date=closed_on, reason="Training day")

    plan = day_plan(DAY, [])
    closed = day_plan(closed_on, [])

    morning = plan.rows[0].cells[2]
    assert (morning.kind, str(morning.off.word), morning.rowspan) == ("off", "Not working", 4)
    assert plan.rows[4].cells[2].kind == "free"
    whole_day = closed.rows[0].cells[0]
    assert (str(whole_day.off.word), whole_day.off.detail, whole_day.rowspan) == (
        "Closed",
        "Training day",
        8,
    )
    assert closed.closure.reason == "Training day"


def test_visits_at_once_share_one_cell_and_a_visit_outside_the_hours_adds_rows(clinic):
    first, second = visit(clinic.cleo, at(DAY, "11:00")), visit(clinic.cleo, at(DAY, "11:30"))
    early = visit(clinic.ben, at(DAY, "7:00"), is_overbooked=True)

    plan = day_plan(DAY, [second, first, early])

    assert labels(plan)[:2] == ["07:00", "08:00"]
    together = plan.rows[4].cells[2]  # 11:00
    assert (together.visits, together.rowspan, together.at_once) == ([first, second], 2, True)
    assert plan.rows[0].cells[1].visits == [early]
    assert str(plan.rows[0].cells[0].off.word) == "Closed"


def test_cancelled_visits_are_shown_only_when_passed_and_free_times_ignore_them(clinic):
    cancelled = visit(clinic.ana, at(DAY, "10:00"), status=Status.CANCELLED)

    plan = plan_day(
        day=DAY, diary=the_diary(DAY), now=at(DAY, "0:00"), visits=[cancelled], bookings=[]
    )

    assert plan.rows[1].cells[0].visits == [cancelled]
    assert plan.rows[2].cells[0].kind == "free"


def test_one_practitioner_chosen_gets_the_only_column(clinic):
    plan = day_plan(DAY, [visit(clinic.ana, at(DAY, "10:00"))], practitioner_id=clinic.ben.pk)

    assert [c.name for c in plan.columns] == ["Ben Okafor"]
    assert all(row.cells[0].kind == "free" for row in plan.rows)


@pytest.mark.parametrize(
    ("day", "rows"),
    [
        (SPRING_FORWARD, ["00:00", "01:00", "03:00"]),
        (FALL_BACK, ["00:00", "01:00 EDT", "01:00 EST", "02:00", "03:00"]),
    ],
)
def test_the_nights_the_clocks_change_have_every_real_hour_once(clinic, day, rows):
    OpeningHours.objects.all().delete()
    OpeningHours.objects.create(
        weekday=day.weekday(), opens=datetime.time(0), closes=datetime.time(4)
    )
    for person in (clinic.ana, clinic.ben, clinic.cleo):
        person.diary.working_hours.update(starts=datetime.time(0), ends=datetime.time(4))

    plan = day_plan(day, [])

    assert labels(plan) == rows
    starts = [row.slot.start for row in plan.rows]
    assert all(later - earlier == HOUR for earlier, later in itertools.pairwise(starts))


def test_on_the_clocks_changing_days_the_daytime_rows_are_the_wall_clock_hours(clinic):
    for day in (SPRING_FORWARD, FALL_BACK):
        late = visit(clinic.ana, at(day, "16:00"))

        plan = day_plan(day, [late])

        assert labels(plan) == [f"{hour:02d}:00" for hour in range(9, 17)]
        assert plan.rows[0].slot.start == at(day, "9:00")
        assert plan.rows[7].cells[0].visits == [late]


def test_a_visit_in_the_repeated_hour_lands_in_the_second_one(clinic):
    OpeningHours.objects.all().delete()
    OpeningHours.objects.create(
        weekday=FALL_BACK.weekday(), opens=datetime.time(0), closes=datetime.time(4)
    )
    second_one = at(FALL_BACK, "1:30").replace(fold=1)
    night = visit(clinic.ana, second_one, minutes=30)

    plan = day_plan(FALL_BACK, [night])

    assert plan.rows[2].cells[0].visits == [night]  # "01:00 EST"
    assert cell_at(plan, 1, 0).kind == "off"  # "01:00 EDT": Ana works from 9:00


def test_one_practitioners_week_has_a_column_per_day(clinic):
    monday = DAY - datetime.timedelta(days=DAY.weekday())
    wednesday_visit = visit(clinic.ben, at(monday + datetime.timedelta(days=2), "10:00"))
    BookingSettings.objects.update(grid_minutes=60)

    week = plan_week(
        first_day=monday,
        diary=the_diary(monday),
        now=at(monday, "0:00") - HOUR,
        visits=[wednesday_visit],
        bookings=active([wednesday_visit]),
        practitioner_id=clinic.ben.pk,
    )

    assert week.column.name == "Ben Okafor"
    assert len(week.days) == 7 and len(week.rows) == 8
    assert week.rows[1].cells[2].visits == [wednesday_visit]
    assert week.rows[1].cells[1].kind == "free"


def test_everyones_week_counts_free_times_and_lists_visits(clinic):
    monday = DAY - datetime.timedelta(days=DAY.weekday())
    monday_visit = visit(clinic.cleo, at(monday, "9:00"))
    TimeOff.objects.create(diary=clinic.ana.diary, first_day=monday)

    summary = summarise_week(
        first_day=monday,
        diary=the_diary(monday),
        now=at(monday, "0:00") - HOUR,
        visits=[monday_visit],
        bookings=active([monday_visit]),
    )

    lines = {column.name: days for column, days in summary.lines}
    assert str(lines["Ana Diaz"][0].off.word) == "Time off"
    assert lines["Ana Diaz"][1].free_count == 8
    assert lines["Cleo Park"][0].visits == [monday_visit]
    assert lines["Cleo Park"][0].free_count == 7


def test_the_row_holding_the_current_time_is_marked(clinic):
    now = at(DAY, "10:30")

    plan = plan_day(day=DAY, diary=the_diary(DAY), now=now, visits=[], bookings=[])

    assert [row.is_now for row in plan.rows] == [False, True] + [False] * 6
    assert plan.rows[1].cells[0].kind == "empty"  # 10:00 has begun: no longer offered
    assert plan.rows[2].cells[0].kind == "free"
