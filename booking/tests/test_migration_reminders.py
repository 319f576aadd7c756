"""The reminder settings' migration keeps what a clinic had: the day-before reminders already
queued become the 24-hour ones (so none goes twice), and the clinic starts with that one
reminder and no calendar alarm."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from booking import services
from booking.models import AppointmentRequest, BookingSettings, Notification, NotificationKind

START = datetime.datetime(2027, 1, 12, 15, tzinfo=datetime.UTC)


def reminder_settings() -> tuple[str, str]:
    """The migration, by its name (whatever number it has)."""
    nodes = MigrationExecutor(connection).loader.graph.nodes
    (key,) = [key for key in nodes if key[0] == "booking" and key[1].endswith("_reminder_settings")]
    return key


def migrate(targets: list[tuple[str, str]]):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before_the_reminder_settings():
    executor = MigrationExecutor(connection)
    yield migrate(list(executor.loader.get_migration(*reminder_settings()).dependencies))
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_reminders_already_queued_become_the_24_hour_ones(before_the_reminder_settings):
    old = before_the_reminder_settings
    practitioner = old.get_model("clinic", "Practitioner").objects.create(name="Ana Ruiz")
    treatment = old.get_model("booking", "TreatmentType").objects.create(
        name="Follow-up", minutes=30
    )
    visit = old.get_model("booking", "AppointmentRequest").objects.create(
        reference="REF001", status="confirmed", starts_at=START,
        ends_at=START + datetime.timedelta(minutes=30),
        blocks_until=START + datetime.timedelta(minutes=30), practitioner=practitioner,
        treatment_type=treatment, first_name="Maria", last_name="Lopez",
        email="patient@example.com", phone="+12025550143", is_new_patient=True,
        consent_at=timezone.now(), manage_token_salt="salt", manage_token_hash="hash",
    )  # fmt: skip
    old.get_model("booking", "BookingSettings").objects.create(pk=1, staff_email="a@example.com")
    notifications = old.get_model("booking", "Notification").objects
    notifications.create(appointment=visit, kind="reminder", status="sent")
    notifications.create(appointment=visit, kind="confirmed", status="sent")

    migrate([reminder_settings()])
    # The current models below need the later migrations too (a field added since).
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    leads = dict(Notification.objects.values_list("kind", "lead_hours"))
    assert leads == {NotificationKind.REMINDER: 24, NotificationKind.CONFIRMED: 0}
    row = BookingSettings.load()
    assert row.staff_email == "a@example.com"  # the clinic's own row, not a new one
    assert (row.reminder_lead_hours, row.calendar_alarm_minutes) == ([24], 0)
    visit = AppointmentRequest.objects.get(reference="REF001")
    assert services.queue_visit_reminders(now=START - datetime.timedelta(hours=20)) == 0
    assert visit.notifications.filter(kind=NotificationKind.REMINDER).count() == 1
