"""The diary in the admin: the front desk keeps treatment types and practitioners' diaries,
with their working hours checked against the clinic's; a closed diary shows the visits still
booked in it; content editors never see any of it."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from booking.display import local_time
from booking.models import PractitionerDiary, Status, TreatmentType, WorkingHours
from booking.tests.factories import AppointmentRequestFactory, PractitionerDiaryFactory
from clinic.models import Practitioner
from clinic.roles import CONTENT_EDITORS, FRONT_DESK
from clinic.tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db

MONDAY, TUESDAY, SUNDAY = 0, 1, 6


@pytest.fixture(autouse=True)
def clinic(starting_content):
    """The starting content: the clinic's hours (Tuesday 10–7), groups, the sample diary."""


def staff_client(client, django_user_model, group: str):
    user = django_user_model.objects.create_user(f"{group}-user", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return client


@pytest.fixture
def front_desk_client(client, django_user_model):
    return staff_client(client, django_user_model, FRONT_DESK)


def url(model: str, view: str, *args) -> str:
    return reverse(f"admin:booking_{model}_{view}", args=args)


def inline_rows(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    """An inline formset's fields as the admin's form sends them."""
    data = {
        f"{prefix}-TOTAL_FORMS": len(rows),
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    for number, row in enumerate(rows):
        data |= {f"{prefix}-{number}-{field}": value for field, value in row.items()}
    return data


def hours_row(weekday: int, starts: str, ends: str, **fields) -> dict:
    return {"weekday": weekday, "starts": starts, "ends": ends, **fields}


def diary_form(hours: list[dict], initial_hours: int = 0, **fields) -> dict:
    return (
        {"takes_bookings": "on", "patients_at_once": 1, "position": 0, **fields}
        | inline_rows("working_hours", hours, initial_hours)
        | inline_rows("time_off", [])
    )


def page_errors(response) -> str:
    assert response.status_code == 200, "saved, but the form should have been refused"
    return response.content.decode()


# Treatment types


def test_the_front_desk_adds_a_treatment_type_but_cannot_delete_one(front_desk_client):
    response = front_desk_client.post(
        url("treatmenttype", "add"),
        {
            "name": "Cupping",
            "description": "Glass cups on the back to ease tight muscles.",
            "minutes": 30,
            "buffer_minutes": 10,
            "bookable_online": "on",
            "position": 4,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    cupping = TreatmentType.objects.get(name="Cupping")
    assert (cupping.minutes, cupping.buffer_minutes, cupping.for_new_patients) == (30, 10, False)
    assert front_desk_client.get(url("treatmenttype", "delete", cupping.pk)).status_code == 403


def test_the_treatment_types_list_shows_length_buffer_and_who_books_them(front_desk_client):
    page = front_desk_client.get(url("treatmenttype", "changelist")).content.decode()

    assert "First consultation and treatment" in page
    assert "Short follow-up" in page
    assert "time after the visit (minutes)" in page.lower()
    assert "new patients only" in page.lower()


# Diaries and their working hours


def test_the_front_desk_adds_a_diary_with_working_hours(front_desk_client):
    newcomer = PractitionerFactory(name="Sam Ortiz")
    follow_up = TreatmentType.objects.get(name="Follow-up treatment")

    response = front_desk_client.post(
        url("practitionerdiary", "add"),
        diary_form(
            [hours_row(TUESDAY, "10:00", "14:00"), hours_row(TUESDAY, "15:00", "19:00")],
            practitioner=newcomer.pk,
            treatment_types=[follow_up.pk],
        ),
    )

    assert response.status_code == 302
    diary = PractitionerDiary.objects.get(practitioner=newcomer)
    assert list(diary.treatment_types.all()) == [follow_up]
    assert [str(hours) for hours in diary.working_hours.all()] == [
        "Tuesday 10:00 AM–2:00 PM",
        "Tuesday 3:00 PM–7:00 PM",
    ]


def test_the_add_page_offers_only_practitioners_without_a_diary(front_desk_client):
    PractitionerFactory(name="Sam Ortiz")

    page = front_desk_client.get(url("practitionerdiary", "add")).content.decode()

    assert "Sam Ortiz" in page
    assert "Sample Practitioner" not in page  # has the starting content's diary


def test_working_hours_outside_the_clinics_are_refused_on_the_diary_page(front_desk_client):
    newcomer = PractitionerFactory()

    response = front_desk_client.post(
        url("practitionerdiary", "add"),
        diary_form([hours_row(SUNDAY, "10:00", "12:00")], practitioner=newcomer.pk),
    )

    assert "The clinic is closed on Sunday." in page_errors(response)
    assert not PractitionerDiary.objects.filter(practitioner=newcomer).exists()


def test_overlapping_rows_saved_together_are_refused(front_desk_client):
    newcomer = PractitionerFactory()

    response = front_desk_client.post(
        url("practitionerdiary", "add"),
        diary_form(
            [hours_row(TUESDAY, "10:00", "14:00"), hours_row(TUESDAY, "13:00", "16:00")],
            practitioner=newcomer.pk,
        ),
    )

    assert "Two ranges overlap on Tuesday: 10:00 AM–2:00 PM and 1:00 PM–4:00 PM." in page_errors(
        response
    )


def test_ranges_moved_past_each_other_in_one_save_are_accepted(front_desk_client):
    diary = PractitionerDiaryFactory()
    morning = WorkingHours.objects.create(
        diary=diary, weekday=TUESDAY, starts=datetime.time(10), ends=datetime.time(14)
    )
    evening = WorkingHours.objects.create(
        diary=diary, weekday=TUESDAY, starts=datetime.time(14), ends=datetime.time(19)
    )

    response = front_desk_client.post(
        url("practitionerdiary", "change", diary.pk),
        diary_form(
            [
                hours_row(TUESDAY, "10:00", "16:00", id=morning.pk, diary=diary.pk),
                hours_row(TUESDAY, "16:00", "19:00", id=evening.pk, diary=diary.pk),
            ],
            initial_hours=2,
        ),
    )

    assert response.status_code == 302
    morning.refresh_from_db()
    evening.refresh_from_db()
    assert (morning.ends, evening.starts) == (datetime.time(16), datetime.time(16))


def test_the_diaries_list_shows_who_takes_bookings_and_what_they_offer(front_desk_client):
    page = front_desk_client.get(url("practitionerdiary", "changelist")).content.decode()

    assert "Sample Practitioner, L.Ac." in page
    assert "First consultation and treatment, Follow-up treatment, Short follow-up" in page


# A practitioner who leaves


def test_a_closed_diary_lists_its_future_visits_to_move_not_its_past_ones(front_desk_client):
    sample = Practitioner.objects.get(is_sample=True)
    PractitionerDiary.objects.filter(pk=sample.pk).update(takes_bookings=False)
    soon = timezone.now() + datetime.timedelta(days=2)
    waiting = AppointmentRequestFactory(practitioner=sample, starts_at=soon, first_name="Ana")
    confirmed = AppointmentRequestFactory(
        practitioner=sample, starts_at=soon + datetime.timedelta(days=1), status=Status.CONFIRMED
    )
    past = AppointmentRequestFactory(
        practitioner=sample,
        starts_at=timezone.now() - datetime.timedelta(days=3),
        status=Status.COMPLETED,
    )
    cancelled = AppointmentRequestFactory(
        practitioner=sample, starts_at=soon, status=Status.CANCELLED
    )
    someone_elses = AppointmentRequestFactory(
        practitioner=PractitionerDiaryFactory().practitioner, starts_at=soon
    )

    page = front_desk_client.get(url("practitionerdiary", "change", sample.pk)).content.decode()

    assert "Visits still booked with this practitioner: move them to someone else" in page
    for visit in (waiting, confirmed):
        assert url("appointmentrequest", "change", visit.pk) in page
        assert visit.reference in page
    assert local_time(waiting.starts_at) in page
    assert "Ana Lopez" in page
    for visit in (past, cancelled, someone_elses):
        assert visit.reference not in page
    past.refresh_from_db()
    assert str(past.practitioner) == "Sample Practitioner, L.Ac."  # kept for the record


def test_a_diary_taking_bookings_shows_no_list_of_visits_to_move(front_desk_client):
    sample = Practitioner.objects.get(is_sample=True)
    AppointmentRequestFactory(practitioner=sample, starts_at=timezone.now() + datetime.timedelta(1))

    page = front_desk_client.get(url("practitionerdiary", "change", sample.pk)).content.decode()

    assert "move them to someone else" not in page


# Who may see it


def test_content_editors_cannot_see_diaries_or_treatment_types(client, django_user_model):
    editor_client = staff_client(client, django_user_model, CONTENT_EDITORS)

    assert editor_client.get(url("practitionerdiary", "changelist")).status_code == 403
    assert editor_client.get(url("treatmenttype", "changelist")).status_code == 403
    assert "diaries" not in editor_client.get(reverse("admin:index")).content.decode()


def test_the_front_desk_keeps_types_and_diaries_but_never_deletes_them():
    codenames = set(
        Group.objects.get(name=FRONT_DESK).permissions.values_list("codename", flat=True)
    )

    assert {"add_treatmenttype", "change_treatmenttype", "add_practitionerdiary"} <= codenames
    assert {"add_workinghours", "delete_workinghours", "delete_timeoff"} <= codenames
    assert not {"delete_treatmenttype", "delete_practitionerdiary"} & codenames
    editors = Group.objects.get(name=CONTENT_EDITORS).permissions
    assert not editors.filter(codename__endswith="diary").exists()
