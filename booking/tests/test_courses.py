"""Courses of visits: the proposal of every date (with same-week alternatives), storing a
course whole or not at all, and its e-mail."""

import datetime

import pytest

from booking import services
from booking.course_plan import NO_TIME_THAT_WEEK, propose_in, wanted_days
from booking.courses import Course, Frequency, visit_of
from booking.models import AppointmentEvent, AppointmentRequest, Notification, NotificationKind
from booking.schedule import BookingWindow
from booking.tests.course_helpers import asked, course_clinic, store_course
from booking.tests.factories import AppointmentRequestFactory, at, next_monday
from clinic.models import Closure

pytestmark = pytest.mark.django_db
WEEK = datetime.timedelta(days=7)


@pytest.fixture
def monday() -> datetime.date:
    return next_monday()


@pytest.fixture
def now(monday) -> datetime.datetime:
    return at(monday - datetime.timedelta(days=3), "12:00")


@pytest.fixture
def follow_up(db):
    return course_clinic()


def test_the_rhythms_place_the_visits_in_the_weeks_after_the_first():
    monday = datetime.date(2027, 3, 1)
    weekly = wanted_days(monday, count=4, frequency=Frequency.WEEKLY, weekday=2)
    assert weekly == [monday + n * WEEK + datetime.timedelta(days=2) for n in (1, 2, 3)]
    fortnightly = wanted_days(monday, count=3, frequency=Frequency.EVERY_OTHER_WEEK, weekday=0)
    assert fortnightly == [monday + 2 * WEEK, monday + 4 * WEEK]
    twice = wanted_days(monday, count=4, frequency=Frequency.TWICE_WEEKLY, weekday=1)
    tuesday = monday + WEEK + datetime.timedelta(days=1)
    assert twice == [tuesday, tuesday + datetime.timedelta(days=3), tuesday + WEEK]


def test_a_free_course_is_proposed_at_the_preferred_time_every_week(follow_up, monday, now):
    proposal = propose_in(BookingWindow.load(now), asked(count=6))

    assert [visit.start for visit in proposal.visits] == [
        at(monday + n * WEEK, "10:00") for n in range(6)
    ]
    assert proposal.is_complete and proposal.alternatives == 0


def test_a_taken_time_gets_its_nearest_free_time_that_week(follow_up, monday, now):
    AppointmentRequestFactory(starts_at=at(monday + 2 * WEEK, "10:00"))

    proposal = propose_in(BookingWindow.load(now), asked(count=6))

    third = proposal.visits[2]
    assert third.is_alternative
    assert third.wanted == at(monday + 2 * WEEK, "10:00")
    assert third.start == at(monday + 2 * WEEK, "9:30")  # as near as 10:30, and sooner
    assert proposal.alternatives == 1 and proposal.is_complete


def test_a_closed_day_moves_the_visit_within_its_week(follow_up, monday, now):
    Closure.objects.create(
        start_date=monday + 3 * WEEK, end_date=monday + 3 * WEEK, reason="Training"
    )
    fourth = propose_in(BookingWindow.load(now), asked(count=6)).visits[3]

    assert fourth.start == at(monday + 3 * WEEK + datetime.timedelta(days=1), "10:00")


def test_a_week_without_a_free_time_says_so(follow_up, monday, now):
    Closure.objects.create(
        start_date=monday + WEEK, end_date=monday + WEEK + datetime.timedelta(days=6), reason="Away"
    )
    proposal = propose_in(BookingWindow.load(now), asked(count=3))

    assert not proposal.visits[1].has_time
    assert not proposal.is_complete
    assert str(NO_TIME_THAT_WEEK) == "No free time that week"


def test_twice_weekly_visits_never_share_a_day(follow_up, monday, now):
    # Thursday of the second week is closed: its visit must not move onto Tuesday's day.
    thursday = monday + WEEK + datetime.timedelta(days=3)
    Closure.objects.create(start_date=thursday, end_date=thursday, reason="Training")
    proposal = propose_in(
        BookingWindow.load(now),
        asked(count=5, frequency=Frequency.TWICE_WEEKLY, weekday=0),
    )
    days = [visit.start.date() for visit in proposal.visits]
    assert len(set(days)) == 5
    assert proposal.visits[2].start == at(thursday - datetime.timedelta(days=1), "10:00")


def test_the_proposal_reads_the_bookings_once(follow_up, now, django_assert_num_queries):
    window = BookingWindow.load(now)
    course_asked = asked(count=12)
    with django_assert_num_queries(1):
        propose_in(window, course_asked)


def test_a_course_is_stored_with_every_visit_in_its_place(follow_up, monday, now):
    course = store_course(asked(count=6), now)

    visits = list(course.visits.order_by("course_position"))
    assert [v.course_position for v in visits] == [1, 2, 3, 4, 5, 6]
    assert [v.starts_at for v in visits] == [at(monday + n * WEEK, "10:00") for n in range(6)]
    assert {v.status for v in visits} == {"requested"}
    assert visits[2].course_visit == "visit 3 of 6"
    assert course.visit_count == 6 and course.frequency == Frequency.WEEKLY
    assert AppointmentEvent.objects.filter(appointment__course=course).count() == 6
    # One "request received" and one staff notice for the whole course.
    kinds = sorted(Notification.objects.values_list("kind", flat=True))
    assert kinds == sorted([NotificationKind.REQUEST_RECEIVED, NotificationKind.STAFF_NEW_REQUEST])


def test_a_clash_at_the_fifth_visit_stores_nothing(follow_up, monday, now):
    course_asked = asked(count=6)
    window = BookingWindow.load(now)
    starts = [visit.start for visit in propose_in(window, course_asked).visits]
    AppointmentRequestFactory(starts_at=starts[4])  # taken meanwhile

    with pytest.raises(services.CourseVisitUnavailable) as refused:
        services.course_request_create(
            asked=course_asked,
            starts=starts,
            condition=None,
            patient=asked_patient(),
            consent_at=now,
            schedule=window.schedule,
            treatment_type_id=course_asked.treatment.id,
            now=now,
        )
    assert refused.value.position == 5
    assert "Visit 5 of your course was taken" in str(refused.value)
    assert not Course.objects.exists()
    assert AppointmentRequest.objects.count() == 1  # only the other patient's
    assert not Notification.objects.exists()


def test_a_course_counts_once_against_the_cap_on_upcoming_requests(
    follow_up, monday, now, settings
):
    settings.BOOKING_MAX_UPCOMING_PER_PATIENT = 2
    store_course(asked(count=4), now, email="pat@example.com")
    store_course(asked(at(monday, "14:00"), count=4, time="14:00"), now, email="pat@example.com")

    with pytest.raises(services.TooManyUpcomingRequests):
        store_course(
            asked(at(monday, "16:00"), count=4, time="16:00"), now, email="pat@example.com"
        )
    assert Course.objects.count() == 2


def test_the_request_received_email_lists_every_visit(
    follow_up, monday, now, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        store_course(asked(count=3), now, email="pat@example.com")

    (to_patient,) = [m for m in mailoutbox if m.to == ["pat@example.com"]]
    assert "visit 1 of 3" in to_patient.body
    assert "Every visit of your course" in to_patient.body
    assert to_patient.body.count("(waiting for confirmation)") == 3


def test_visit_of_words():
    assert visit_of(3, 8) == "visit 3 of 8"
    assert visit_of(None, None) == ""


def asked_patient():
    from booking.tests.factories import PatientDetailsFactory

    return PatientDetailsFactory(is_new_patient=False)


def test_the_staff_notice_says_it_is_a_course_and_names_no_patient(
    follow_up, now, mailoutbox, django_capture_on_commit_callbacks, settings
):
    from booking.models import BookingSettings

    BookingSettings.objects.update(staff_email="desk@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        store_course(asked(count=4), now, email="pat@example.com")

    (notice,) = [m for m in mailoutbox if m.to == ["desk@example.com"]]
    assert "It is a course of 4 visits" in notice.body
    assert "pat@example.com" not in notice.body and "Lopez" not in notice.body


def test_the_retention_purge_erases_a_course_s_visits_and_keeps_the_course(follow_up, now):
    course = store_course(asked(count=3), now)
    later = now + datetime.timedelta(days=3 * 365)

    assert services.erase_old_requests(now=later) == 3
    assert set(course.visits.values_list("email", flat=True)) == {""}
    assert Course.objects.filter(pk=course.pk).exists()  # no personal details on it
