import datetime
import pickle

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from clinic.models import ClinicProfile, Closure, OpeningHours, Page
from clinic.tests.factories import (
    ClinicProfileFactory,
    ClosureFactory,
    OpeningHoursFactory,
    PageFactory,
)

pytestmark = pytest.mark.django_db


def hours(weekday: int, opens: int, closes: int) -> OpeningHours:
    return OpeningHours(weekday=weekday, opens=datetime.time(opens), closes=datetime.time(closes))


def test_opening_hours_must_close_after_they_open():
    with pytest.raises(ValidationError) as error:
        hours(0, 14, 9).full_clean()
    assert error.value.message_dict["closes"] == ["Closing time must be after opening time."]


def test_opening_hours_may_not_overlap_on_the_same_day():
    OpeningHoursFactory(weekday=1, opens=datetime.time(9), closes=datetime.time(13))
    with pytest.raises(ValidationError) as error:
        hours(1, 12, 18).full_clean()
    assert "overlap Tuesday 9:00 AM–1:00 PM" in str(error.value)


def test_adjacent_ranges_and_other_days_are_fine():
    OpeningHoursFactory(weekday=1, opens=datetime.time(9), closes=datetime.time(13))
    hours(1, 13, 18).full_clean()
    hours(2, 9, 13).full_clean()


def test_editing_a_range_does_not_overlap_itself():
    existing = OpeningHoursFactory(weekday=1, opens=datetime.time(9), closes=datetime.time(13))
    existing.closes = datetime.time(14)
    existing.full_clean()


def test_database_refuses_hours_that_close_before_they_open():
    with pytest.raises(IntegrityError):
        hours(0, 17, 9).save()


def test_week_lists_every_day_with_its_ranges_in_order():
    OpeningHoursFactory(weekday=0, opens=datetime.time(14), closes=datetime.time(18))
    OpeningHoursFactory(weekday=0, opens=datetime.time(9), closes=datetime.time(13))
    week = OpeningHours.objects.week()
    assert [day.name for day in week][:2] == ["Monday", "Tuesday"]
    assert len(week) == 7
    assert [str(r) for r in week[0].ranges] == ["Monday 9:00 AM–1:00 PM", "Monday 2:00 PM–6:00 PM"]
    assert week[6].ranges == []


def test_the_week_keeps_in_the_cache_without_lazy_translations():
    """Every page unpickles it with the site's details; a lazy string builds a class when
    unpickled, which once cost an uncached page an eighth of its time."""
    OpeningHoursFactory(weekday=0, opens=datetime.time(9), closes=datetime.time(13))
    stored = pickle.dumps(OpeningHours.objects.week())
    assert b"lazy" not in stored
    with translation.override("es"):
        assert pickle.loads(stored)[0].name == "lunes"  # translated when shown  # noqa: S301


def test_closure_cannot_end_before_it_starts():
    closure = Closure(
        start_date=datetime.date(2026, 12, 24), end_date=datetime.date(2026, 12, 20), reason="Hol"
    )
    with pytest.raises(ValidationError) as error:
        closure.full_clean()
    assert "end_date" in error.value.message_dict
    with pytest.raises(IntegrityError):
        closure.save()


def test_upcoming_closures_leave_out_past_ones():
    today = datetime.date(2026, 12, 1)
    ClosureFactory(start_date=datetime.date(2026, 11, 1), end_date=datetime.date(2026, 11, 2))
    current = ClosureFactory(start_date=datetime.date(2026, 11, 30), end_date=today)
    later = ClosureFactory(start_date=datetime.date(2026, 12, 24))
    assert list(Closure.objects.upcoming(today)) == [current, later]
    assert list(Closure.objects.covering(today)) == [current]


def test_closure_reads_as_its_dates():
    thanksgiving = datetime.date(2026, 11, 26)
    one_day = Closure(reason="Thanksgiving", start_date=thanksgiving, end_date=thanksgiving)
    assert str(one_day) == "Thanksgiving: Thursday, November 26, 2026"
    several = Closure(
        reason="Holidays",
        start_date=datetime.date(2026, 12, 24),
        end_date=datetime.date(2027, 1, 1),
    )
    assert str(several) == "Holidays: Thursday, December 24, 2026 – Friday, January 1, 2027"


def test_profile_loads_the_one_row_or_a_blank_before_setup():
    assert ClinicProfile.load().pk is None
    profile = ClinicProfileFactory(phone="+1 (555) 010-0123")
    assert ClinicProfile.load() == profile
    assert profile.phone_href == "tel:+15550100123"
    assert profile.address_lines == ["100 Example Avenue", "Springfield, MD 21000"]


def test_only_published_pages_are_public():
    shown = PageFactory(is_published=True)
    PageFactory(is_published=False)
    assert list(Page.objects.published()) == [shown]
    assert shown.get_absolute_url() == f"/{shown.slug}/"
