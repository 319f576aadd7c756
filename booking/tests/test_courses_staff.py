"""A stored course afterwards: staff confirm or decline it whole (or one visit), the patient
sees "visit 3 of 8" and the other visits, moves one, cancels the rest, and gets one calendar
file with every confirmed visit."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from icalendar import Calendar

from booking import services
from booking.models import AppointmentEvent, NotificationKind, Status
from booking.tests.course_helpers import asked, course_clinic, store_course
from booking.tests.factories import AppointmentRequestFactory, at, next_monday
from clinic.roles import FRONT_DESK

pytestmark = pytest.mark.django_db
WEEK = datetime.timedelta(days=7)


@pytest.fixture
def course(db, starting_content):
    course_clinic()
    return store_course(asked(count=8), timezone.now(), email="pat@example.com")


@pytest.fixture
def visits(course):
    return list(course.visits.order_by("course_position"))


@pytest.fixture
def desk(client, django_user_model, starting_content):
    user = django_user_model.objects.create_user("desk", is_staff=True)
    user.groups.add(Group.objects.get(name=FRONT_DESK))
    client.force_login(user)
    return client


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("staff", is_staff=True)


def statuses(course) -> list[str]:
    return list(course.visits.order_by("course_position").values_list("status", flat=True))


# -- staff -------------------------------------------------------------------------------------


def test_the_admin_list_and_change_page_say_which_visit(desk, visits):
    listing = desk.get("/admin/booking/appointmentrequest/").content.decode()
    assert "visit 3 of 8" in listing
    page = desk.get(f"/admin/booking/appointmentrequest/{visits[2].pk}/change/").content.decode()
    assert "Visit 3 of 8" in page
    assert "Confirm the whole course" in page
    assert page.count(f"/admin/booking/appointmentrequest/{visits[0].pk}/change/") >= 1


def test_confirm_the_whole_course_from_a_visits_page(
    desk, course, visits, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(f"/admin/booking/appointmentrequest/{visits[3].pk}/confirm-course/")

    assert response.status_code == 302
    assert statuses(course) == [Status.CONFIRMED] * 8
    assert AppointmentEvent.objects.filter(to_status=Status.CONFIRMED).count() == 8
    (confirmation,) = [m for m in mailoutbox if "confirmed" in m.subject]  # one for all
    assert confirmation.to == ["pat@example.com"]
    assert confirmation.body.count("(confirmed)") == 8  # every visit listed
    (ics,) = [a for a in confirmation.attachments if a[0].endswith(".ics")]
    events = Calendar.from_ical(ics[1]).walk("VEVENT")
    assert len(events) == 8
    told = desk.get(response["Location"]).content.decode()
    assert "8 visits confirmed: the patient gets one e-mail per course" in told


def test_confirm_all_is_all_or_nothing(desk, course, visits):
    # Another patient's confirmed visit fills the practitioner at visit 6's time.
    AppointmentRequestFactory(
        starts_at=visits[5].starts_at, ends_at=visits[5].ends_at, status=Status.CONFIRMED
    )
    response = desk.post(
        f"/admin/booking/appointmentrequest/{visits[0].pk}/confirm-course/", follow=True
    )

    assert "Course not changed" in response.content.decode()
    assert statuses(course) == [Status.REQUESTED] * 8


def test_the_list_action_confirms_the_courses_of_the_selected_visits(desk, course, visits):
    response = desk.post(
        "/admin/booking/appointmentrequest/",
        {"action": "confirm_courses", "_selected_action": [visits[1].pk]},
    )
    assert response.status_code == 302
    assert statuses(course) == [Status.CONFIRMED] * 8


def test_decline_the_whole_course_asks_for_words_first(
    desk, course, visits, mailoutbox, django_capture_on_commit_callbacks
):
    url = f"/admin/booking/appointmentrequest/{visits[0].pk}/decline-course/"
    assert desk.get(url).status_code == 200
    assert statuses(course) == [Status.REQUESTED] * 8

    with django_capture_on_commit_callbacks(execute=True):
        desk.post(url, {"message": "We are away that month."})
    assert statuses(course) == [Status.DECLINED] * 8
    (declined,) = [m for m in mailoutbox if "could not confirm" in m.subject]  # one for all
    assert "We are away that month." in declined.body
    assert declined.body.count("(declined)") == 8


def test_one_visit_is_still_confirmed_alone(desk, course, visits):
    desk.post(f"/admin/booking/appointmentrequest/{visits[1].pk}/confirm/")
    assert statuses(course)[:3] == [Status.REQUESTED, Status.CONFIRMED, Status.REQUESTED]


# -- the patient -------------------------------------------------------------------------------


def test_the_manage_page_shows_the_visit_and_the_others(client, visits):
    page = client.get(visits[2].get_manage_url()).content.decode()

    assert "Visit 3 of 8" in page
    assert "Your course: 8 visits" in page
    for other in (visits[0], visits[7]):
        assert other.get_manage_url() in page
    assert "Cancel all 8 remaining visits" in page


def test_moving_one_visit_keeps_its_place_in_the_course(client, course, visits):
    third = visits[2]
    new_day = timezone.localtime(third.starts_at).date() + datetime.timedelta(days=1)
    response = client.post(
        f"{third.get_manage_url()}change/",
        {"action": "change", "date": new_day.isoformat(), "time": "11:00", "practitioner": "any"},
    )
    assert response.status_code == 302
    third.refresh_from_db()
    assert third.starts_at == at(new_day, "11:00")
    assert (third.course_id, third.course_position, third.course_visit) == (
        course.pk,
        3,
        "visit 3 of 8",
    )


def test_cancel_the_rest_asks_first_then_cancels_each_visit(
    client, course, visits, mailoutbox, django_capture_on_commit_callbacks
):
    services.appointment_cancel(appointment=visits[0])  # one already cancelled
    url = f"{visits[1].get_manage_url()}course/cancel/"
    page = client.get(url).content.decode()
    assert "Cancel the 7 remaining visits of your course?" in page
    assert statuses(course)[1:] == [Status.REQUESTED] * 7

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)

    assert "7 visits of your course are cancelled" in response.content.decode()
    assert statuses(course) == [Status.CANCELLED] * 8
    cancelled = AppointmentEvent.objects.filter(to_status=Status.CANCELLED)
    assert cancelled.count() == 8  # each through the per-visit cancel service
    assert len([m for m in mailoutbox if "cancelled" in m.subject]) == 7


def test_a_visit_inside_the_cut_off_is_not_cancelled_with_the_rest(client, course, visits):
    soon = timezone.now() + datetime.timedelta(hours=3)
    type(visits[0]).objects.filter(pk=visits[0].pk).update(
        starts_at=soon,
        ends_at=soon + datetime.timedelta(minutes=30),
        blocks_until=soon + datetime.timedelta(minutes=30),
    )
    client.post(f"{visits[1].get_manage_url()}course/cancel/")
    assert statuses(course) == [Status.REQUESTED] + [Status.CANCELLED] * 7


def test_one_calendar_file_holds_every_confirmed_visit(client, course, visits, staff):
    for visit in visits[:5]:
        services.appointment_confirm(appointment=visit, by=staff)

    page = client.get(visits[0].get_manage_url()).content.decode()
    assert "Add every confirmed visit to my calendar" in page
    response = client.get(f"{visits[0].get_manage_url()}course/calendar.ics")

    assert response["Content-Type"] == "text/calendar"
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [e.decoded("dtstart") for e in events] == [v.starts_at for v in visits[:5]]
    uids = [str(e["uid"]) for e in events]
    assert len(set(uids)) == 5 and uids[0].startswith(visits[0].reference)
    assert "visit 1 of 8" in str(events[0]["summary"])
    # Stable per visit: the single visit's file has the same UID.
    single = Calendar.from_ical(client.get(f"{visits[0].get_manage_url()}calendar.ics").content)
    assert str(single.walk("VEVENT")[0]["uid"]) == uids[0]


def test_no_calendar_file_before_a_visit_is_confirmed(client, visits):
    assert client.get(f"{visits[0].get_manage_url()}course/calendar.ics").status_code == 404


def test_a_single_visit_has_no_course_pages(client, starting_content):
    course_clinic()
    single = AppointmentRequestFactory(starts_at=at(next_monday(), "10:00"))
    assert client.get(f"{single.get_manage_url()}course/cancel/").status_code == 404


def test_the_manage_page_reads_a_few_queries(client, visits, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.get(visits[2].get_manage_url())


def test_the_request_received_email_goes_once(course):
    kinds = list(
        course.visits.values_list("notifications__kind", flat=True).exclude(
            notifications__kind=None
        )
    )
    assert sorted(kinds) == sorted(
        [NotificationKind.REQUEST_RECEIVED, NotificationKind.STAFF_NEW_REQUEST]
    )
