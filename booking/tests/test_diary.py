"""The diary's rules: treatment types, practitioners' working hours inside the clinic's, and
time off as the practitioner's real hours away."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from booking.models import (
    AppointmentRequest,
    PractitionerDiary,
    Source,
    TimeOff,
    TreatmentType,
    WorkingHours,
)
from booking.tests.factories import (
    AppointmentRequestFactory,
    PractitionerDiaryFactory,
    TreatmentTypeFactory,
    clinic_tz,
)
from clinic.models import OpeningHours

pytestmark = pytest.mark.django_db

MONDAY, TUESDAY, SUNDAY = 0, 1, 6
# The first Sunday of November 2026: the clocks go back, the day lasts 25 hours.
CLOCKS_GO_BACK = datetime.date(2026, 11, 1)
# The second Sunday of March 2027: the clocks go forward, the day lasts 23 hours.
CLOCKS_GO_FORWARD = datetime.date(2027, 3, 14)


@pytest.fixture
def clinic_hours():
    """Monday 9–1 and 2–6 (a lunch break), Tuesday 10–7, closed on Sunday."""
    OpeningHours.objects.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(weekday=day, opens=datetime.time(opens), closes=datetime.time(closes))
        for day, opens, closes in ((MONDAY, 9, 13), (MONDAY, 14, 18), (TUESDAY, 10, 19))
    )


@pytest.fixture
def diary(clinic_hours) -> PractitionerDiary:
    return PractitionerDiaryFactory(practitioner__name="Dana Wu", practitioner__credentials="")


def hours(diary, weekday: int, starts: int, ends: int) -> WorkingHours:
    return WorkingHours(
        diary=diary, weekday=weekday, starts=datetime.time(starts), ends=datetime.time(ends)
    )


def messages(error: ValidationError) -> list[str]:
    return [message for messages in error.message_dict.values() for message in messages]


# Treatment types


def test_a_treatment_type_blocks_its_length_and_the_time_after_it():
    follow_up = TreatmentTypeFactory(minutes=45, buffer_minutes=15)

    assert follow_up.length == datetime.timedelta(minutes=45)
    assert follow_up.blocked == datetime.timedelta(hours=1)


def test_a_visit_and_its_buffer_cannot_outlast_the_longest_slot():
    too_long = TreatmentType(name="Marathon", minutes=200, buffer_minutes=60)

    with pytest.raises(ValidationError) as refused:
        too_long.full_clean()
    assert "at most 240 minutes" in str(refused.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        too_long.save()


def test_new_patients_are_offered_the_first_visit_and_returning_ones_the_follow_ups():
    first = TreatmentTypeFactory(name="First visit", for_new_patients=True, position=1)
    follow_up = TreatmentTypeFactory(name="Follow-up", position=2)
    TreatmentTypeFactory(name="Front desk only", bookable_online=False)
    TreatmentTypeFactory(name="Retired", is_active=False)

    online = TreatmentType.objects.bookable_online()

    assert list(online.for_patient(is_new=True)) == [first]
    assert list(online.for_patient(is_new=False)) == [follow_up]


# Diaries


def test_a_diary_reads_as_its_practitioner_and_a_closed_one_takes_no_bookings(clinic_hours):
    open_diary = PractitionerDiaryFactory(practitioner__name="Dana Wu")
    PractitionerDiaryFactory(takes_bookings=False)

    assert str(open_diary) == "Dana Wu, L.Ac."
    assert open_diary.pk == open_diary.practitioner.pk
    assert list(PractitionerDiary.objects.taking_bookings()) == [open_diary]


def test_requests_default_to_online_and_not_overbooked():
    request = AppointmentRequestFactory()

    assert (request.source, request.is_overbooked) == (Source.ONLINE, False)
    assert AppointmentRequest.objects.get().get_source_display() == "booked online"


# Working hours


def test_working_hours_within_the_clinics_hours_are_accepted(diary):
    morning, afternoon = hours(diary, MONDAY, 9, 13), hours(diary, MONDAY, 14, 17)

    morning.full_clean()
    morning.save()
    afternoon.full_clean()  # several ranges a day
    afternoon.save()

    assert [str(h) for h in diary.working_hours.all()] == [
        "Monday 9:00 AM–1:00 PM",
        "Monday 2:00 PM–5:00 PM",
    ]


def test_working_hours_outside_the_clinics_hours_are_refused_naming_them(diary):
    over_lunch = hours(diary, MONDAY, 12, 15)

    with pytest.raises(ValidationError) as refused:
        over_lunch.full_clean()

    assert messages(refused.value) == [
        "The clinic is open 9:00 AM–1:00 PM, 2:00 PM–6:00 PM on Monday: working hours must "
        "lie within them."
    ]


def test_working_hours_on_a_day_the_clinic_is_closed_are_refused(diary):
    with pytest.raises(ValidationError) as refused:
        hours(diary, SUNDAY, 10, 12).full_clean()

    assert messages(refused.value) == ["The clinic is closed on Sunday."]


def test_working_hours_that_overlap_the_practitioners_others_are_refused(diary):
    hours(diary, TUESDAY, 10, 14).save()

    with pytest.raises(ValidationError) as refused:
        hours(diary, TUESDAY, 13, 17).full_clean()

    assert "overlap Tuesday 10:00 AM–2:00 PM" in messages(refused.value)[0]
    hours(diary, TUESDAY, 14, 17).full_clean()  # end to end is no overlap
    other = PractitionerDiaryFactory()
    hours(other, TUESDAY, 13, 17).full_clean()  # nor is someone else's range


def test_working_hours_must_end_after_they_start(diary):
    with pytest.raises(ValidationError) as refused:
        hours(diary, TUESDAY, 15, 11).full_clean()

    assert refused.value.message_dict == {"ends": ["The end must be after the start."]}
    with pytest.raises(IntegrityError), transaction.atomic():
        hours(diary, TUESDAY, 15, 11).save()


# Time off


def test_time_off_without_a_last_day_is_one_day(diary):
    day = datetime.date(2027, 1, 12)
    time_off = TimeOff(diary=diary, first_day=day)

    time_off.full_clean()
    time_off.save()

    time_off.refresh_from_db()
    assert time_off.last_day == day
    assert time_off.interval(clinic_tz()) == (
        datetime.datetime(2027, 1, 12, tzinfo=clinic_tz()),
        datetime.datetime(2027, 1, 13, tzinfo=clinic_tz()),
    )


def test_an_afternoon_off_is_from_its_start_until_its_end(diary):
    tuesday = datetime.date(2027, 1, 12)
    time_off = TimeOff(
        diary=diary,
        first_day=tuesday,
        last_day=tuesday,
        from_time=datetime.time(14),
        until_time=datetime.time(16),
    )

    start, end = time_off.interval(clinic_tz())

    assert (start.hour, end.hour, end - start) == (14, 16, datetime.timedelta(hours=2))


@pytest.mark.parametrize(
    ("day", "hours_off"), [(CLOCKS_GO_FORWARD, 23), (CLOCKS_GO_BACK, 25)], ids=["spring", "fall"]
)
def test_a_whole_day_off_when_the_clocks_change_lasts_the_days_real_hours(diary, day, hours_off):
    start, end = TimeOff(diary=diary, first_day=day, last_day=day).interval(clinic_tz())

    # Python subtracts times of one zone on the wall clock: the real length is in UTC.
    assert end.astimezone(datetime.UTC) - start.astimezone(datetime.UTC) == datetime.timedelta(
        hours=hours_off
    )
    assert (start.date(), end.date(), end.hour) == (day, day + datetime.timedelta(days=1), 0)


def test_days_off_from_an_afternoon_until_a_morning(diary):
    time_off = TimeOff(
        diary=diary,
        first_day=datetime.date(2027, 1, 11),
        last_day=datetime.date(2027, 1, 13),
        from_time=datetime.time(12),
        until_time=datetime.time(10),
    )

    time_off.full_clean()  # a later day: ending earlier in the day than it started is fine
    start, end = time_off.interval(clinic_tz())

    assert end - start == datetime.timedelta(days=1, hours=22)


def test_time_off_must_not_end_before_it_starts(diary):
    backwards = TimeOff(
        diary=diary, first_day=datetime.date(2027, 1, 12), last_day=datetime.date(2027, 1, 11)
    )
    one_day_backwards = TimeOff(
        diary=diary,
        first_day=datetime.date(2027, 1, 12),
        from_time=datetime.time(16),
        until_time=datetime.time(14),
    )

    with pytest.raises(ValidationError) as refused_days:
        backwards.full_clean()
    with pytest.raises(ValidationError) as refused_times:
        one_day_backwards.full_clean()

    assert refused_days.value.message_dict == {
        "last_day": ["The last day cannot be before the first."]
    }
    assert refused_times.value.message_dict == {"until_time": ["The end must be after the start."]}


def test_time_off_still_to_come_is_what_ends_on_or_after_a_day(diary):
    past = TimeOff.objects.create(diary=diary, first_day=datetime.date(2027, 1, 4))
    ongoing = TimeOff.objects.create(
        diary=diary, first_day=datetime.date(2027, 1, 8), last_day=datetime.date(2027, 1, 12)
    )

    assert past.last_day == datetime.date(2027, 1, 4)
    assert list(TimeOff.objects.ending_on_or_after(datetime.date(2027, 1, 10))) == [ongoing]
