"""The diary's migration gives every existing request to one practitioner's diary, with a
treatment type of the request's length, on the real database."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

DIARY = ("booking", "0011_diary")
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


def add_request(apps, number: int, minutes: int):
    starts_at = START + datetime.timedelta(days=number)
    return apps.get_model("booking", "AppointmentRequest").objects.create(
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
