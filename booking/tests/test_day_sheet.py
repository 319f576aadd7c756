"""The printable day sheet: one practitioner's visits of one day, in order, with names, times,
treatments and phones; notes only when chosen; for staff who may see requests."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from booking.models import PractitionerDiary, Status
from booking.tests.factories import (
    AppointmentRequestFactory,
    BookingSettingsFactory,
    TreatmentTypeFactory,
    at,
    the_practitioner,
)
from clinic.models import ClinicProfile, OpeningHours, Practitioner
from clinic.roles import FRONT_DESK

pytestmark = pytest.mark.django_db

SHEET = reverse("admin:booking_appointmentrequest_day_sheet")


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


@pytest.fixture
def dana() -> Practitioner:
    the_practitioner()
    person = Practitioner.objects.create(name="Dana Reyes")
    PractitionerDiary.objects.create(practitioner=person, position=1)
    return person


def the_day() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=2)


def sheet_of(client, practitioner=None, day=None, **more) -> str:
    query = {
        "date": (day or the_day()).isoformat(),
        "practitioner": (practitioner or the_practitioner()).pk,
        **more,
    }
    response = client.get(SHEET, query)
    assert response.status_code == 200
    return response.content.decode()


def sheet_part(page: str) -> str:
    return page.split('class="day-sheet"', 1)[1]


def test_the_sheet_lists_the_practitioners_day_in_order(desk, dana):
    long_visit = TreatmentTypeFactory(name="First visit", minutes=60, buffer_minutes=0)
    start = at(the_day(), "14:00")
    AppointmentRequestFactory(
        status=Status.CONFIRMED,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=60),
        treatment_type=long_visit,
        first_name="Maria",
        last_name="Lopez",
        phone="+12025550143",
        is_new_patient=True,
    )
    AppointmentRequestFactory(
        status=Status.REQUESTED,
        starts_at=at(the_day(), "9:00"),
        first_name="Ana",
        last_name="Ruiz",
        is_new_patient=False,
    )
    AppointmentRequestFactory(
        status=Status.CONFIRMED, starts_at=at(the_day(), "10:00"), practitioner=dana,
        last_name="Danas",
    )  # fmt: skip
    AppointmentRequestFactory(
        status=Status.CONFIRMED,
        starts_at=at(the_day() + datetime.timedelta(days=1), "9:00"),
        last_name="Tomorrow",
    )

    page = sheet_of(desk)

    sheet = sheet_part(page)
    day = the_day()
    assert f"{the_practitioner()}, {day:%A, %B} {day.day}, {day.year}</h2>" in sheet
    assert ClinicProfile.load().name in sheet
    assert re.findall(r"<td>(Ana Ruiz|Maria Lopez)</td>", sheet) == ["Ana Ruiz", "Maria Lopez"]
    assert "2 visits on " in sheet
    maria = sheet.split("Maria Lopez", 1)[1]
    assert ">2:00 PM</time>–3:00 PM</th>" in sheet
    assert "<td>First visit, 60 minutes</td>" in maria
    assert "<td>Confirmed</td>" in maria and "<td>New</td>" in maria
    assert '<a href="tel:+12025550143">(202) 555-0143</a>' in maria
    assert "<td>Waiting for confirmation</td>" in sheet and "<td>Returning</td>" in sheet
    assert "Danas" not in sheet and "Tomorrow" not in sheet


def test_another_practitioners_sheet_has_only_their_visits(desk, dana):
    AppointmentRequestFactory(status=Status.CONFIRMED, starts_at=at(the_day(), "9:00"))
    AppointmentRequestFactory(
        status=Status.CONFIRMED, starts_at=at(the_day(), "10:00"), practitioner=dana,
        first_name="Dee", last_name="Danas",
    )  # fmt: skip

    sheet = sheet_part(sheet_of(desk, dana))

    assert "Dana Reyes" in sheet and "<td>Dee Danas</td>" in sheet
    assert "Maria Lopez" not in sheet


@pytest.mark.parametrize("status", [Status.DECLINED, Status.CANCELLED, Status.CANCELLED_BY_CLINIC])
def test_declined_and_cancelled_visits_are_not_on_the_sheet(desk, status):
    AppointmentRequestFactory(status=status, starts_at=at(the_day(), "9:00"), last_name="Gone")

    sheet = sheet_part(sheet_of(desk))

    assert "Gone" not in sheet and "No visits on this day." in sheet


def test_no_notes_are_on_the_sheet_unless_chosen(desk):
    AppointmentRequestFactory(
        status=Status.CONFIRMED,
        starts_at=at(the_day(), "9:00"),
        note="Left side worse since Monday",
        staff_notes="Prefers the ground-floor room",
    )

    plain = sheet_part(sheet_of(desk))
    with_notes = sheet_part(sheet_of(desk, notes="on"))

    assert "Left side worse" not in plain and "ground-floor" not in plain
    assert ">Notes</th>" not in plain
    assert "<strong>Patient:</strong> Left side worse since Monday" in with_notes
    assert "<strong>Staff:</strong> Prefers the ground-floor room" in with_notes


def test_without_a_choice_the_sheet_is_todays_for_the_first_practitioner(desk, dana):
    AppointmentRequestFactory(
        status=Status.CONFIRMED, starts_at=at(timezone.localdate(), "23:30"), last_name="Late"
    )

    page = desk.get(SHEET).content.decode()

    assert f'<option value="{the_practitioner().pk}" selected>' in page
    assert f'value="{timezone.localdate().isoformat()}"' in page
    assert "<td>Maria Late</td>" in sheet_part(page)


def test_the_sheet_has_its_print_button_and_the_choice_form(desk):
    page = sheet_of(desk)

    assert '<button type="button" class="button" data-print hidden>Print</button>' in page
    assert re.search(r'<script src="/static/js/print\.[0-9a-f]+\.js" defer>', page)
    assert "<script>" not in page
    assert '<form method="get" class="day-sheet-choice"' in page
    assert 'name="notes"' in page and 'type="date"' in page


def test_a_day_that_is_not_a_date_is_an_error_not_a_sheet(desk):
    response = desk.get(SHEET, {"date": "next tuesday", "practitioner": the_practitioner().pk})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid date." in page and 'class="day-sheet"' not in page


def test_content_editors_and_the_public_cannot_open_the_sheet(content_editor):
    editor = Client()
    editor.force_login(content_editor)

    assert editor.get(SHEET).status_code == 403
    assert Client().get(SHEET).status_code == 302  # to the admin's login


def test_staff_who_may_only_look_can_print_the_sheet(django_user_model):
    looker = django_user_model.objects.create_user("looker", is_staff=True)
    looker.user_permissions.add(Permission.objects.get(codename="view_appointmentrequest"))
    client = Client()
    client.force_login(looker)
    AppointmentRequestFactory(status=Status.CONFIRMED, starts_at=at(the_day(), "9:00"))

    assert "<td>Maria Lopez</td>" in sheet_part(sheet_of(client))


def test_the_sheet_costs_the_same_few_queries_for_one_visit_or_twenty(desk):
    practitioner = the_practitioner()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            sheet_of(desk, practitioner, notes="on")
        return len(captured)

    AppointmentRequestFactory(status=Status.CONFIRMED, starts_at=at(the_day(), "8:00"))
    one = queries()
    for n in range(19):
        AppointmentRequestFactory(
            status=Status.CONFIRMED,
            starts_at=at(the_day(), "8:30") + datetime.timedelta(minutes=30 * n),
        )

    assert queries() == one
    assert one <= 7, one  # session, user, permissions (2), clinic, practitioners, visits
