"""A patient asks for a course of visits on the booking form: every date shown before
anything is stored (without JavaScript), the course stored as shown, the dates as they are
now when something changed (409), and the confirmation page listing every visit."""

import datetime

import pytest

from booking.models import AppointmentRequest, BookingSettings, Course, TreatmentType
from booking.tests.factories import AppointmentRequestFactory, at

pytestmark = pytest.mark.django_db
WEEK = datetime.timedelta(days=7)


@pytest.fixture
def course_data(open_every_day, request_data) -> dict:
    BookingSettings.objects.update(horizon_days=90)
    return {
        **request_data,
        "patient_type": "returning",
        "course": "on",
        "course_visits": "6",
        "course_frequency": "weekly",
        "course_weekday": "",
        "course_time": "",
    }


def show_dates(client, data):
    return client.post("/book/", {**data, "action": "course_dates"})


def starts_shown(response) -> dict:
    """The hidden fields the page sends back with the dates it showed."""
    return {
        "course_starts": response.context["proposal_starts"],
        "course_first": response.context["proposal_first"],
    }


def test_show_the_dates_lists_every_visit_and_stores_nothing(client, course_data, booking_day):
    response = show_dates(client, course_data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "The 6 dates of your course" in page
    assert page.count('class="course-proposal__visit"') == 6
    assert 'value="Lopez"' in page  # what was typed is kept
    assert not AppointmentRequest.objects.exists() and not Course.objects.exists()
    visits = response.context["proposal"].visits
    assert [v.start for v in visits] == [at(booking_day + n * WEEK, "10:00") for n in range(6)]


def test_a_taken_date_is_shown_with_its_alternative(client, course_data, booking_day):
    AppointmentRequestFactory(
        starts_at=at(booking_day + 2 * WEEK, "10:00"),
        ends_at=at(booking_day + 2 * WEEK, "11:00"),
    )
    page = show_dates(client, course_data).content.decode()

    assert page.count("course-proposal__visit--other") == 1
    assert "1 visit is at another time than the one you asked for" in page
    assert "is not free." in page


def test_sending_stores_the_course_shown_and_the_confirmation_lists_it(
    client, course_data, booking_day, mailoutbox, django_capture_on_commit_callbacks
):
    shown = starts_shown(show_dates(client, course_data))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/book/", {**course_data, **shown})

    assert response.status_code == 302
    course = Course.objects.get()
    assert course.visits.count() == 6
    assert len([m for m in mailoutbox if m.to == ["maria@example.com"]]) == 1
    page = client.get(response["Location"]).content.decode()
    assert "Your course: 6 visits" in page
    assert page.count("<li") >= 6
    assert "Visit 1 of 6" in page


def test_sending_without_having_seen_the_dates_shows_them_first(client, course_data):
    response = client.post("/book/", course_data)

    assert response.status_code == 400
    assert "Please check the dates of your course" in response.content.decode()
    assert response.context["proposal_starts"]
    assert not Course.objects.exists()


def test_a_place_taken_since_shows_the_updated_dates_with_409(client, course_data, booking_day):
    shown = starts_shown(show_dates(client, course_data))
    AppointmentRequestFactory(
        starts_at=at(booking_day + 4 * WEEK, "10:00"),
        ends_at=at(booking_day + 4 * WEEK, "11:00"),
    )
    response = client.post("/book/", {**course_data, **shown})

    assert response.status_code == 409
    page = response.content.decode()
    assert "The free times changed since you looked" in page
    assert "course-proposal__visit--other" in page
    assert not Course.objects.exists()
    assert AppointmentRequest.objects.count() == 1


def test_a_course_needs_a_follow_up_visit(client, course_data):
    TreatmentType.objects.update(for_new_patients=True)  # the only type: a first visit
    response = show_dates(client, {**course_data, "patient_type": "new"})

    assert response.status_code == 400
    assert "A course is for follow-up visits" in response.content.decode()
    assert response.context["proposal"] is None


def test_bad_course_input_is_kept_and_explained(client, course_data):
    response = show_dates(client, {**course_data, "course_visits": "20"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "A course has at most 12 visits" in page
    assert 'value="20"' in page


def test_the_honeypot_refuses_a_course_too(client, course_data):
    shown = starts_shown(show_dates(client, course_data))
    response = client.post("/book/", {**course_data, **shown, "website": "http://spam"})
    assert response.status_code == 400
    assert not Course.objects.exists()


def test_showing_and_sending_a_course_read_a_bounded_number_of_queries(
    client, course_data, django_assert_max_num_queries
):
    # The diary once, the weeks' bookings once, the day's times: however many visits.
    with django_assert_max_num_queries(8):
        shown = starts_shown(show_dates(client, {**course_data, "course_visits": "12"}))
    # Storing: the locks, the cap, then per visit its day's bookings, its row and its
    # audit line; the e-mails once.
    with django_assert_max_num_queries(12 + 3 * 12):
        response = client.post("/book/", {**course_data, "course_visits": "12", **shown})
    assert response.status_code == 302


def test_choosing_another_first_time_after_seeing_the_dates_shows_them_again(client, course_data):
    shown = starts_shown(show_dates(client, course_data))
    response = client.post("/book/", {**course_data, "time": "11:00", **shown})

    assert response.status_code == 400
    assert "Here are the dates for the visit you chose now" in response.content.decode()
    assert not Course.objects.exists()
