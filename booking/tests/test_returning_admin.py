"""A patient's history for staff: matched by verified address and by phone for bookings staff
entered, in a bounded number of queries, for the front desk only; and the retention purge,
which leaves nothing of a patient to match."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from booking import services
from booking.courses import Frequency
from booking.models import AppointmentRequest, Course, Notification, SignInLink, Source, Status
from booking.returning import patient_history
from booking.services.returning import send_sign_in_link
from booking.tests.factories import AppointmentRequestFactory, at
from clinic.roles import CONTENT_EDITORS, FRONT_DESK

pytestmark = pytest.mark.django_db

MARIA = "maria.lopez@example.com"
PHONE = "+12025550143"


@pytest.fixture(autouse=True)
def schedule(open_every_day):
    return open_every_day


def staff(client, django_user_model, group: str):
    user = django_user_model.objects.create_user(f"user-{group}", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return client


@pytest.fixture
def desk(client, django_user_model):
    return staff(client, django_user_model, FRONT_DESK)


def visit(days: int, **fields) -> AppointmentRequest:
    day = timezone.localdate() + datetime.timedelta(days=days)
    fields.setdefault("email", MARIA)
    fields.setdefault("phone", "+12025550999")
    return AppointmentRequestFactory(starts_at=at(day, "10:00"), **fields)


def verified(**fields) -> AppointmentRequest:
    return visit(email_verified_at=timezone.now(), **fields)


def history_url(appointment) -> str:
    return reverse("admin:booking_appointmentrequest_patient_history", args=[appointment.pk])


def references(response) -> list[str]:
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', response.content.decode())


@pytest.fixture
def marias_history():
    """Maria's verified requests under two spellings of her address, a booking staff
    entered by phone, and requests that are not hers to show."""
    this = verified(days=3, status=Status.CONFIRMED)
    return {
        "this": this,
        "past": verified(days=-30, email="Maria.Lopez@Example.COM", status=Status.COMPLETED),
        "no_show": verified(days=-20, status=Status.NO_SHOW),
        "cancelled": verified(days=-10, status=Status.CANCELLED),
        "by_phone": visit(
            days=-40, email="", phone=this.phone, source=Source.FRONT_DESK, status=Status.COMPLETED
        ),
        # Someone typed her address and never opened its link: not hers for sure.
        "unverified": visit(days=5, phone="+12025550101"),
        # Her phone number on an online request: phones are matched only for staff's bookings.
        "online_phone": visit(days=6, email="other@example.com", phone=this.phone),
        "someone_else": verified(days=-5, email="ana@example.com"),
    }


def test_the_history_lists_the_patients_requests_newest_first(desk, marias_history):
    mine = marias_history
    response = desk.get(history_url(mine["this"]))
    assert response.status_code == 200
    expected = [mine[key] for key in ("this", "cancelled", "no_show", "past", "by_phone")]
    assert references(response) == [appointment.reference for appointment in expected]
    page = re.sub(r"\s+", " ", response.content.decode())
    for count in ("2 visits attended", "1 waiting or confirmed", "1 no-show", "1 cancellation"):
        assert count in page
    assert '<th scope="col">Status</th>' in page
    assert "<caption" in page


def test_an_unverified_request_shows_itself_and_staff_bookings_by_phone(desk, marias_history):
    mine = marias_history
    response = desk.get(history_url(mine["unverified"]))
    assert references(response) == [mine["unverified"].reference]
    by_phone = desk.get(history_url(mine["online_phone"]))
    assert references(by_phone) == [mine["online_phone"].reference, mine["by_phone"].reference]
    assert "not verified yet" in by_phone.content.decode()


def test_the_history_takes_the_same_queries_however_long(desk, marias_history):
    url = history_url(marias_history["this"])
    desk.get(url)
    with CaptureQueriesContext(connection) as short:
        desk.get(url)
    for days in range(-200, -100, 5):
        verified(days=days, status=Status.COMPLETED)
    with CaptureQueriesContext(connection) as long:
        response = desk.get(url)
    assert len(references(response)) == 25
    assert len(long) == len(short)


def test_the_change_page_links_the_history_and_says_when_the_address_was_verified(
    desk, marias_history
):
    this = marias_history["this"]
    page = desk.get(reverse("admin:booking_appointmentrequest_change", args=[this.pk]))
    html = page.content.decode()
    assert f'href="{history_url(this)}"' in html
    assert "E-mail verified at" in html


def test_only_the_front_desk_sees_a_history(client, django_user_model, marias_history):
    url = history_url(marias_history["this"])
    assert client.get(url).status_code == 302  # to the login page
    editor = staff(client, django_user_model, CONTENT_EDITORS)
    assert editor.get(url).status_code == 403


def test_an_unknown_request_has_no_history(desk):
    assert desk.get("/admin/booking/appointmentrequest/999999/patient-history/").status_code == 404


# -- the purge ------------------------------------------------------------------------------


def test_the_purge_erases_verification_and_the_history_only_shows_what_is_left(marias_history):
    mine = marias_history
    long_ago = timezone.now() + datetime.timedelta(days=-30 + 365 + 1)
    services.erase_old_requests(now=long_ago)
    for key in ("past", "by_phone"):
        erased = AppointmentRequest.objects.get(pk=mine[key].pk)
        assert erased.anonymised_at and erased.email_verified_at is None and erased.email == ""
    shown = {row.pk for row in patient_history(mine["this"])["rows"]}
    assert shown == {mine["this"].pk, mine["no_show"].pk, mine["cancelled"].pk}


def test_the_purge_deletes_links_a_day_old(marias_history):
    now = timezone.now()
    old = SignInLink.new(
        email=MARIA, language="en", now=now - datetime.timedelta(days=1, minutes=1)
    )
    fresh = SignInLink.new(email=MARIA, language="en", now=now - datetime.timedelta(hours=23))
    SignInLink.objects.bulk_create([old, fresh])
    services.erase_old_requests(now=now)
    assert list(SignInLink.objects.values_list("token_hash", flat=True)) == [fresh.token_hash]


def test_a_purged_link_leaves_its_email_in_the_outbox(desk, marias_history):
    """The outbox row of a deleted link stays (with nothing personal), and its page opens."""
    link = SignInLink.new(email=MARIA, language="en", now=timezone.now())
    link.save()
    send_sign_in_link.call(link.pk)
    services.erase_old_requests(now=timezone.now() + datetime.timedelta(days=2))
    notification = Notification.objects.get(kind="sign_in_link")
    outbox = reverse("admin:booking_notification_change", args=[notification.pk])
    assert desk.get(outbox).status_code == 200
    assert desk.get(reverse("admin:booking_notification_changelist")).status_code == 200


def test_the_history_shows_the_patients_courses(desk, marias_history):
    this = marias_history["this"]
    course = Course.objects.create(
        visit_count=3,
        frequency=Frequency.WEEKLY,
        treatment_type=this.treatment_type,
        preferred_weekday=0,
        preferred_time=datetime.time(10),
    )
    for position, days in enumerate((8, 15, 22), start=1):
        verified(days=days, course=course, course_position=position)
    page = re.sub(r"\s+", " ", desk.get(history_url(this)).content.decode())
    assert "1 course of visits" in page
    assert '<th scope="col">Course</th>' in page
    for position in (1, 2, 3):
        assert f"<td>Visit {position} of 3</td>" in page
