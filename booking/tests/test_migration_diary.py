"""The diary's migrations give every existing request to one practitioner's diary, with a
treatment type of the request's length, on the real database; after the last of them the
clinic books from that diary around the visits it already had."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from booking.models import AppointmentRequest, BookingSettings, PractitionerDiary
from booking.schedule import BookingWindow

DIARY = ("booking", "0011_diary")
CLINIC_TZ = ZoneInfo(settings.TIME_ZONE)
TUESDAY = datetime.date(2027, 1, 12)
START = datetime.datetime(2027, 1, 12, 10, tzinfo=datetime.UTC)


def migrate(targets: list[tuple[str, str]]):
    """Migrate the test database to the targets; the apps (historical models) there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before_the_diary():
    """The database just before the diary's migration; afterwards, back to the latest."""
    executor = MigrationExecutor(connection)
    before = list(executor.loader.get_migration(*DIARY).dependencies)
    yield migrate(before)
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def add_request(apps, number: int, minutes: int, starts_at=None, **fields):
    starts_at = starts_at or START + datetime.timedelta(days=number)
    return apps.get_model("booking", "AppointmentRequest").objects.create(
        **fields,
        reference=f"REF{number:03d}",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=minutes),
        first_name="Maria",
        last_name="Lopez",
        email=f"patient{number}@example.com",
        phone="+12025550143",
        is_new_patient=True,
        consent_at=timezone.now(),
        manage_token_salt=f"salt{number}",
        manage_token_hash=f"hash{number}",
    )


@pytest.mark.django_db(transaction=True)
def test_requests_go_to_the_sample_practitioner_with_a_type_of_their_length(before_the_diary):
    old = before_the_diary
    practitioners = old.get_model("clinic", "Practitioner").objects
    practitioners.create(name="Real Person", order=0)
    sample = practitioners.create(name="Sample Practitioner", is_sample=True, order=1)
    old.get_model("booking", "BookingSettings").objects.create(capacity=2)
    old.get_model("clinic", "OpeningHours").objects.create(
        weekday=1, opens=datetime.time(10), closes=datetime.time(19)
    )
    lengths = {add_request(old, n, minutes).pk: minutes for n, minutes in enumerate([30, 45, 30])}

    new = migrate([DIARY])

    diary = new.get_model("booking", "PractitionerDiary").objects.get()
    assert diary.pk == sample.pk
    assert diary.patients_at_once == 2
    hours = diary.working_hours.values_list("weekday", "starts", "ends")
    assert list(hours) == [(1, datetime.time(10), datetime.time(19))]
    types = new.get_model("booking", "TreatmentType").objects.order_by("minutes")
    assert [(t.name, t.minutes, t.buffer_minutes) for t in types] == [
        ("Appointment (30 min)", 30, 0),
        ("Appointment (45 min)", 45, 0),
    ]
    assert set(diary.treatment_types.all()) == set(types)
    for request in new.get_model("booking", "AppointmentRequest").objects.all():
        assert request.practitioner_id == sample.pk
        assert request.treatment_type.minutes == lengths[request.pk]
        assert request.blocks_until == request.ends_at


@pytest.mark.django_db(transaction=True)
def test_without_practitioners_or_settings_a_sample_practitioner_is_made(before_the_diary):
    add_request(before_the_diary, 1, 45)

    new = migrate([DIARY])

    diary = new.get_model("booking", "PractitionerDiary").objects.select_related().get()
    assert (diary.practitioner.name, diary.practitioner.credentials) == (
        "Sample Practitioner",
        "L.Ac.",
    )
    assert diary.practitioner.is_sample
    assert diary.patients_at_once == 1
    request = new.get_model("booking", "AppointmentRequest").objects.get()
    assert request.practitioner_id == diary.pk


@pytest.mark.django_db(transaction=True)
def test_a_site_without_requests_gets_no_diary_from_the_migration(before_the_diary):
    new = migrate([DIARY])

    assert not new.get_model("booking", "PractitionerDiary").objects.exists()
    assert not new.get_model("clinic", "Practitioner").objects.exists()


def local(hh_mm: str) -> datetime.datetime:
    hours, minutes = (int(part) for part in hh_mm.split(":"))
    return datetime.datetime.combine(TUESDAY, datetime.time(hours, minutes), tzinfo=CLINIC_TZ)


def columns(model) -> dict[str, bool]:
    """The table's columns as the database has them, each with whether it may be null."""
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, model._meta.db_table)
    return {column.name: column.null_ok for column in description}


@pytest.mark.django_db(transaction=True)
def test_years_of_requests_move_over_to_the_latest_schema_and_are_booked_around(
    before_the_diary,
):
    old = before_the_diary
    old.get_model("booking", "BookingSettings").objects.create(
        capacity=2, slot_minutes=30, min_notice_hours=2, horizon_days=30
    )
    old.get_model("clinic", "OpeningHours").objects.create(
        weekday=TUESDAY.weekday(), opens=datetime.time(10), closes=datetime.time(17)
    )
    lengths = {
        add_request(old, 1, 30, local("10:00")).pk: 30,
        add_request(old, 2, 30, local("10:00"), status="confirmed").pk: 30,
        add_request(old, 3, 45, local("11:00")).pk: 45,
        add_request(old, 4, 45, local("15:00"), status="cancelled").pk: 45,
    }
    lengths |= {add_request(old, n, 45 - 15 * (n % 2)).pk: 45 - 15 * (n % 2) for n in range(5, 40)}

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    (diary,) = PractitionerDiary.objects.all()
    assert diary.patients_at_once == 2
    for request in AppointmentRequest.objects.select_related("treatment_type"):
        assert request.practitioner_id == diary.pk
        assert request.treatment_type.minutes == lengths[request.pk]
        assert request.blocks_until == request.ends_at
    stored = columns(AppointmentRequest)
    assert not any(
        stored[name] for name in ("practitioner_id", "treatment_type_id", "blocks_until")
    )
    assert not {"capacity", "slot_minutes"} & set(columns(BookingSettings))
    assert BookingSettings.objects.get().grid_minutes == 30  # times start where they did

    window = BookingWindow.load(local("0:00") - datetime.timedelta(days=7))
    (half_hour,) = [t.treatment for t in window.diary.treatments if t.treatment.minutes == 30]
    offer = window.day_offer(TUESDAY, half_hour, diary.pk)
    starts = [timezone.localtime(free.start, CLINIC_TZ).strftime("%H:%M") for free in offer.slots]
    assert starts[0] == "10:30"  # 10:00 holds two already; 11:00 one of two
    assert "10:45" not in starts  # on the clinic's half-hour grid
    assert "11:00" in starts and "15:00" in starts  # the cancelled visit holds nothing
    assert all(free.practitioner_ids == (diary.pk,) for free in offer.slots)
