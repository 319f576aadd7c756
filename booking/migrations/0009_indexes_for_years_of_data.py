"""Indexes for years of requests: the admin's list (waiting first), a patient's upcoming
requests by e-mail or phone, a day's bookings (no slot is longer than 4 hours, so the index
on status and visit time reads one day's requests, not every earlier one), and, on
PostgreSQL, the admin's search by part of a phone number (a trigram index answers "contains
these digits"; pg_trgm is a trusted extension, so the database's owner may create it)."""

import django.db.models.functions.text
from django.db import migrations, models

PHONE_TRIGRAMS = "booking_request_phone_trigram"


def add_phone_trigrams(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {PHONE_TRIGRAMS} ON booking_appointmentrequest "
            "USING gin (phone gin_trgm_ops)"
        )


def drop_phone_trigrams(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {PHONE_TRIGRAMS}")


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0008_outbox_worker"),
        ("conditions", "0003_editor_labels_and_hints"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="appointmentrequest",
            index=models.Index(
                models.Case(
                    models.When(status="requested", then=models.Value(0)),
                    default=models.Value(1),
                    output_field=models.IntegerField(),
                ),
                models.F("starts_at"),
                models.OrderBy(models.F("id"), descending=True),
                name="booking_request_waiting_first",
            ),
        ),
        migrations.AddIndex(
            model_name="appointmentrequest",
            index=models.Index(
                django.db.models.functions.text.Upper("email"), name="booking_request_email_upper"
            ),
        ),
        migrations.AddIndex(
            model_name="appointmentrequest",
            index=models.Index(fields=["phone"], name="booking_request_phone"),
        ),
        migrations.AddConstraint(
            model_name="bookingsettings",
            constraint=models.CheckConstraint(
                condition=models.Q(("slot_minutes__lte", 240)),
                name="booking_slots_at_most_the_longest_visit",
            ),
        ),
        migrations.RunPython(add_phone_trigrams, drop_phone_trigrams, elidable=False),
    ]
