"""The admin's start page for the front desk: today's visits in order with their one-click
steps, and the requests still waiting for confirmation, soonest first."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from booking.models import Status
from booking.templatetags.front_desk import WAITING_LISTED
from booking.tests.factories import (
    AppointmentRequestFactory,
    BookingSettingsFactory,
    TreatmentTypeFactory,
    at,
    the_practitioner,
)
from clinic.models import OpeningHours
from clinic.roles import FRONT_DESK

pytestmark = pytest.mark.django_db

START = "/admin/"
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def open_every_day(starting_content):
    OpeningHours.objects.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(weekday=day, opens=datetime.time(8), closes=datetime.time(20))
        for day in range(7)
    )
    BookingSettingsFactory(slot_minutes=30, capacity=1, min_notice_hours=0)


@pytest.fixture
def desk(client, django_user_model):
    user = django_user_model.objects.create_user("desk", is_staff=True)
    user.groups.add(Group.objects.get(name=FRONT_DESK))
    client.force_login(user)
    return client


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def today_panel(client) -> str:
    """The panel's list of today's visits and the day sheets' links (not the waiting ones)."""
    page = client.get(START).content.decode()
    panel = page.split('id="front-desk-today"', 1)[1].split("?status__exact=requested", 1)[0]
    return panel.split('id="waiting-caption"', 1)[0]


def under_way(**fields):
    """A confirmed visit of today that has begun and not ended, whatever the time now."""
    now = timezone.localtime()
    start = max(now.replace(hour=0, minute=0, second=0, microsecond=0), now - 5 * MINUTE)
    return AppointmentRequestFactory(**{"status": Status.CONFIRMED, "starts_at": start, **fields})


def test_the_day_is_listed_in_time_order_with_what_the_desk_needs(desk):
    follow_up = TreatmentTypeFactory(name="Follow-up", minutes=20, buffer_minutes=0)
    AppointmentRequestFactory(
        status=Status.COMPLETED, starts_at=at(day(0), "0:30"), first_name="Ana", last_name="Ruiz"
    )
    AppointmentRequestFactory(
        status=Status.CONFIRMED,
        starts_at=at(day(0), "23:00"),
        first_name="Maria",
        last_name="Lopez",
        treatment_type=follow_up,
        is_new_patient=False,
        phone="+12025550143",
    )
    AppointmentRequestFactory(
        status=Status.NO_SHOW, starts_at=at(day(0), "0:00"), first_name="Noor", last_name="Ali"
    )
    for status in (Status.DECLINED, Status.CANCELLED, Status.CANCELLED_BY_CLINIC):
        AppointmentRequestFactory(status=status, starts_at=at(day(0), "9:00"), last_name="Gone")
    AppointmentRequestFactory(
        status=Status.CONFIRMED, starts_at=at(day(1), "0:10"), last_name="Next"
    )

    panel = today_panel(desk)

    headers = re.findall(r'<th scope="col">([^<]+)</th>', panel)
    assert headers == [
        "Time", "Patient", "Practitioner", "Treatment", "Status", "New or returning", "Phone",
        "Steps",
    ]  # fmt: skip
    names = re.findall(r"<td>(Noor Ali|Ana Ruiz|Maria Lopez)</td>", panel)
    assert names == ["Noor Ali", "Ana Ruiz", "Maria Lopez"]
    assert "Gone" not in panel and "Next" not in panel
    maria = panel.split("Maria Lopez", 1)[1]
    assert f"<td>{the_practitioner()}</td>" in maria and "<td>Follow-up</td>" in maria
    assert '<td class="today-status">Confirmed</td>' in maria
    assert "<td>Returning</td>" in maria
    assert '<a href="tel:+12025550143">(202) 555-0143</a>' in maria
    assert ">11:00 PM</a></th>" in panel
    assert '<td class="today-status">No-show</td>' in panel


def test_a_visit_under_way_has_its_steps_as_buttons_that_come_back_here(desk):
    visit = under_way(first_name="Maria", last_name="Lopez")
    time = timezone.localtime(visit.starts_at).strftime("%-I:%M %p")

    panel = today_panel(desk)

    arrive = reverse("admin:booking_appointmentrequest_arrive", args=[visit.pk])
    form = panel.split(f'action="{arrive}"', 1)[1].split("</form>", 1)[0]
    assert 'name="csrfmiddlewaretoken"' in form
    assert '<input type="hidden" name="next" value="/admin/">' in form
    assert f'Mark arrived<span class="visually-hidden">: {time} Maria Lopez</span></button>' in form
    for step in ("complete", "no_show"):
        assert reverse(f"admin:booking_appointmentrequest_{step}", args=[visit.pk]) in panel
    assert "cancel_by_clinic" not in panel  # a step with a page of its own stays there


def test_checking_in_from_the_start_page_shows_the_visit_arrived(desk):
    visit = under_way()
    arrive = reverse("admin:booking_appointmentrequest_arrive", args=[visit.pk])

    response = desk.post(arrive, {"next": START}, follow=True)

    assert response.redirect_chain == [(START, 302)]
    page = response.content.decode()
    assert '<td class="today-status">Arrived</td>' in page
    assert "1 patient checked in." in page
    assert arrive not in page  # checked in once


def test_staff_who_may_only_look_see_the_day_without_buttons(client, django_user_model):
    looker = django_user_model.objects.create_user("looker", is_staff=True)
    looker.user_permissions.add(Permission.objects.get(codename="view_appointmentrequest"))
    client.force_login(looker)
    under_way(last_name="Lopez")

    panel = today_panel(client)

    assert "Lopez" in panel
    assert "<form" not in panel and ">Steps<" not in panel and "Book a visit" not in panel


def test_the_waiting_requests_are_listed_soonest_first_up_to_a_limit(desk):
    soonest = AppointmentRequestFactory(starts_at=at(day(1), "9:00"), reference="AAAAAA")
    later = [
        AppointmentRequestFactory(starts_at=at(day(2 + n), "9:00"), reference=f"BBBB{n:02d}")
        for n in range(WAITING_LISTED)
    ]
    AppointmentRequestFactory(starts_at=at(day(-1), "9:00"), reference="PASTPA")

    page = desk.get(START).content.decode()

    waiting = page.split('id="waiting-caption"', 1)[1]
    listed = re.findall(r'/change/">([A-Z0-9]{6})</a></th>', waiting)
    assert listed == [soonest.reference, *(r.reference for r in later[: WAITING_LISTED - 1])]
    change = reverse("admin:booking_appointmentrequest_change", args=[soonest.pk])
    assert f'<a href="{change}">AAAAAA</a>' in waiting
    assert "12 requests waiting for confirmation</a>" in waiting


def test_the_start_page_offers_each_practitioners_day_sheet(desk):
    visit = under_way()

    panel = today_panel(desk)

    sheet = reverse("admin:booking_appointmentrequest_day_sheet")
    query = f"?date={day(0).isoformat()}&amp;practitioner={visit.practitioner_id}"
    assert f'<a href="{sheet}{query}">{visit.practitioner}</a>' in panel


def test_the_start_page_costs_the_same_few_queries_for_one_visit_or_thirty(desk):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert desk.get(START).status_code == 200
        return len(captured)

    under_way()
    AppointmentRequestFactory(starts_at=at(day(3), "9:00"))
    one = queries()
    for n in range(29):
        under_way(last_name=f"Patient{n}")
        AppointmentRequestFactory(starts_at=at(day(4), "9:00") + n * MINUTE)

    assert queries() == one
    assert one <= 9, one  # the admin's own, and the panel's four
