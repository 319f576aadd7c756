"""The front desk books a course of visits for a patient who phoned, on the admin's *Book a
visit…* page: every date shown first (no JavaScript), then every visit stored confirmed at
once with one e-mail and one calendar file, or nothing when a place was taken meanwhile."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from icalendar import Calendar

from booking import services
from booking.admin.course_booking import asked_key
from booking.models import AppointmentEvent, AppointmentRequest, Course, Source, Status
from booking.tests.course_helpers import course_clinic
from booking.tests.factories import AppointmentRequestFactory, at, next_monday, the_practitioner
from clinic.roles import CONTENT_EDITORS, FRONT_DESK

pytestmark = pytest.mark.django_db
BOOK = "/admin/booking/appointmentrequest/book/"
UTC = datetime.UTC
WEEK = datetime.timedelta(days=7)


@pytest.fixture
def follow_up(starting_content):
    return course_clinic()


@pytest.fixture
def monday() -> datetime.date:
    return next_monday()


def signed_in(client, django_user_model, group: str):
    user = django_user_model.objects.create_user(group.split()[0].lower(), is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return client


@pytest.fixture
def desk(client, django_user_model, starting_content):
    return signed_in(client, django_user_model, FRONT_DESK)


def page_data(treatment, start: datetime.datetime, **fields) -> dict:
    """The whole book page as sent, the course ticked: 4 weekly visits."""
    return {
        "treatment": treatment.pk,
        "practitioner": the_practitioner().pk,
        "day": start.date().isoformat(),
        "time": start.astimezone(UTC).isoformat(),
        "course": "on",
        "course_visits": "4",
        "course_frequency": "weekly",
        "course_weekday": "",
        "course_time": "",
        "first_name": "Maria",
        "last_name": "Lopez",
        "phone": "(202) 555-0143",
        "email": "maria@example.com",
        "patient_type": "returning",
        "consent": "on",
        "staff_notes": "",
        **fields,
    }


def show_dates(desk, data):
    return desk.post(BOOK, {**data, "course_dates": "Show the dates"})


def book(desk, data, shown):
    course = shown.context["course"]
    sent = {**data, "course_starts": course.starts, "course_first": course.key}
    return desk.post(BOOK, {**sent, "book": "Book the course"})


def shown_starts(response) -> list[datetime.datetime]:
    return [visit.start for visit in response.context["course"].proposal.visits]


def test_show_the_dates_lists_every_visit_and_stores_nothing(desk, follow_up, monday):
    data = page_data(follow_up, at(monday, "10:00"))

    response = show_dates(desk, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "The 4 dates of the course" in page
    assert page.count("<time datetime=") == 4
    assert 'value="Book the course"' in page
    assert 'value="Lopez"' in page  # what was typed is kept
    assert shown_starts(response) == [at(monday + n * WEEK, "10:00") for n in range(4)]
    assert not AppointmentRequest.objects.exists() and not Course.objects.exists()


def test_a_clash_mid_course_is_shown_with_its_alternative(desk, follow_up, monday):
    AppointmentRequestFactory(starts_at=at(monday + 2 * WEEK, "10:00"), status=Status.CONFIRMED)

    response = show_dates(desk, page_data(follow_up, at(monday, "10:00")))

    page = response.content.decode()
    assert "1 visit is at another time than the one asked for" in page
    assert "is not free." in page
    assert shown_starts(response)[2] == at(monday + 2 * WEEK, "9:30")


def test_the_course_is_stored_confirmed_with_one_email_and_one_calendar_file(
    desk, follow_up, monday, mailoutbox, django_capture_on_commit_callbacks
):
    data = page_data(follow_up, at(monday, "10:00"), staff_notes="Phoned in")
    shown = show_dates(desk, data)
    with django_capture_on_commit_callbacks(execute=True):
        response = book(desk, data, shown)

    course = Course.objects.get()
    visits = list(course.visits.order_by("course_position"))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:booking_appointmentrequest_change", args=[visits[0].pk]
    )
    assert [v.starts_at for v in visits] == [at(monday + n * WEEK, "10:00") for n in range(4)]
    assert {(v.status, v.source, v.staff_notes) for v in visits} == {
        (Status.CONFIRMED, Source.FRONT_DESK, "Phoned in")
    }
    assert course.visit_count == 4 and course.practitioner == the_practitioner()
    events = AppointmentEvent.objects.filter(appointment__course=course)
    assert events.count() == 4 and {e.actor.username for e in events} == {"front"}
    (confirmation,) = mailoutbox
    assert confirmation.to == ["maria@example.com"]
    assert confirmation.body.count("(confirmed)") == 4
    (ics,) = [a for a in confirmation.attachments if a[0].endswith(".ics")]
    starts = [e.decoded("dtstart") for e in Calendar.from_ical(ics[1]).walk("VEVENT")]
    assert sorted(starts) == [v.starts_at for v in visits]
    told = desk.get(response["Location"]).content.decode()
    assert "A course of 4 visits (every week) booked and confirmed" in told
    assert "Visit 1 of 4" in told


def test_a_place_taken_after_the_dates_were_shown_stores_nothing(desk, follow_up, monday):
    data = page_data(follow_up, at(monday, "10:00"))
    shown = show_dates(desk, data)
    AppointmentRequestFactory(starts_at=at(monday + 3 * WEEK, "10:00"), status=Status.CONFIRMED)

    response = book(desk, data, shown)

    assert response.status_code == 409
    assert "The diary changed since the dates were shown, so nothing was stored" in (
        response.content.decode()
    )
    assert shown_starts(response)[3] == at(monday + 3 * WEEK, "9:30")  # the updated dates
    assert not Course.objects.exists() and AppointmentRequest.objects.count() == 1


def test_a_place_taken_inside_the_booking_stores_nothing_and_shows_the_dates_now(
    desk, follow_up, monday, monkeypatch
):
    """The race itself: another booking takes visit 3's place after the page's last check,
    while the course is being stored (the service's claim() under the locks refuses it)."""
    data = page_data(follow_up, at(monday, "10:00"))
    shown = show_dates(desk, data)
    real = services.course_book_by_staff
    taken = at(monday + 2 * WEEK, "10:00")

    def someone_is_quicker(**kwargs):
        AppointmentRequestFactory(starts_at=taken, status=Status.CONFIRMED)
        return real(**kwargs)

    monkeypatch.setattr(services, "course_book_by_staff", someone_is_quicker)
    response = book(desk, data, shown)

    assert response.status_code == 409
    page = response.content.decode()
    assert "Visit 3 of the course was taken a moment ago, so nothing was stored" in page
    assert shown_starts(response)[2] == at(monday + 2 * WEEK, "9:30")
    assert not Course.objects.exists()
    assert list(AppointmentRequest.objects.values_list("starts_at", flat=True)) == [taken]


def test_a_course_is_never_overbooked(desk, follow_up, monday):
    data = page_data(follow_up, at(monday, "10:00"), overbook="on", overbook_reason="Urgent")

    response = show_dates(desk, data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "A course is never overbooked" in page and "Please correct the errors below." in page
    assert response.context["course"].proposal is None
    assert not AppointmentRequest.objects.exists()


def test_changed_course_fields_show_the_new_dates_before_booking(desk, follow_up, monday):
    data = page_data(follow_up, at(monday, "10:00"))
    shown = show_dates(desk, data)

    response = book(desk, {**data, "course_visits": "5"}, shown)

    assert response.status_code == 400
    assert "Here are the course&#x27;s dates: check them, then book." in response.content.decode()
    assert len(shown_starts(response)) == 5
    assert not Course.objects.exists()


def test_too_many_visits_is_said_beside_the_field(desk, follow_up, monday):
    response = show_dates(desk, page_data(follow_up, at(monday, "10:00"), course_visits="13"))

    assert response.status_code == 400
    assert "A course has at most 12 visits." in response.content.decode()
    assert 'value="13"' in response.content.decode()  # what was typed is kept


def test_a_first_visit_treatment_cannot_be_a_course(desk, follow_up, monday):
    follow_up.for_new_patients = True
    follow_up.save()

    response = show_dates(desk, page_data(follow_up, at(monday, "10:00")))

    assert response.status_code == 400
    assert "A course is for a follow-up treatment" in response.content.decode()


def test_content_editors_may_not_book_a_course(client, django_user_model, follow_up, monday):
    editor = signed_in(client, django_user_model, CONTENT_EDITORS)
    data = page_data(follow_up, at(monday, "10:00"))

    assert show_dates(editor, data).status_code == 403
    assert editor.post(BOOK, {**data, "book": "Book the course"}).status_code == 403
    assert not AppointmentRequest.objects.exists()


def test_showing_and_booking_take_a_bounded_number_of_queries(
    desk, follow_up, monday, django_assert_max_num_queries
):
    data = page_data(follow_up, at(monday, "10:00"), course_visits="12")
    with django_assert_max_num_queries(12):
        shown = show_dates(desk, data)
    with django_assert_max_num_queries(12 * 7 + 20):  # per visit: a day's check and its rows
        response = book(desk, data, shown)
    assert response.status_code == 302
    assert Course.objects.get().visits.count() == 12


def test_the_key_names_what_the_dates_were_proposed_for(follow_up, monday):
    from booking.tests.course_helpers import asked

    assert asked_key(asked(at(monday, "10:00"), count=4)) != asked_key(
        asked(at(monday, "10:00"), count=5)
    )


def test_a_course_with_the_first_available_practitioner(
    desk, follow_up, monday, mailoutbox, django_capture_on_commit_callbacks
):
    data = page_data(follow_up, at(monday, "10:00"), practitioner="")
    shown = show_dates(desk, data)
    assert "First available" in shown.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = book(desk, data, shown)

    assert response.status_code == 302
    course = Course.objects.get()
    assert course.practitioner is None  # asked for: the first available
    assert {v.practitioner for v in course.visits.all()} == {the_practitioner()}
    assert len(mailoutbox) == 1


def test_a_single_visit_with_the_first_available_practitioner(desk, follow_up, monday):
    data = page_data(follow_up, at(monday, "10:00"), practitioner="")
    del data["course"]

    response = desk.post(BOOK, {**data, "book": "Book the visit"})

    assert response.status_code == 302
    visit = AppointmentRequest.objects.get()
    assert (visit.practitioner, visit.status) == (the_practitioner(), Status.CONFIRMED)
    assert visit.course is None


def test_an_overbooking_needs_a_chosen_practitioner(desk, follow_up, monday):
    data = page_data(follow_up, at(monday, "10:00"), practitioner="", overbook="on")
    del data["course"]

    response = desk.post(BOOK, {**data, "overbook_reason": "Urgent", "book": "Book the visit"})

    assert response.status_code == 400
    assert "To overbook, choose the practitioner above." in response.content.decode()
    assert not AppointmentRequest.objects.exists()


def test_the_book_page_opens_on_a_practitioner_with_first_available_offered(desk, follow_up):
    page = desk.get(BOOK).content.decode()

    assert f'<option value="{the_practitioner().pk}" selected>' in page
    assert '<option value="">First available</option>' in page
