"""Reminders the clinic sets: which lead times, and an alarm in the calendar file.

The reminders sent so far were the day before's: they become the 24-hour ones, which is what
a clinic keeps until it chooses otherwise, so none is sent twice."""

from django.db import migrations, models

import booking.models


def reminders_so_far_were_the_day_before(apps, schema_editor):
    Notification = apps.get_model("booking", "Notification")
    Notification.objects.filter(kind="reminder").update(lead_hours=24)


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0013_calendar_feed"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="notification",
            name="one_email_of_each_kind_per_visit_time",
        ),
        migrations.AddField(
            model_name="bookingsettings",
            name="calendar_alarm_minutes",
            field=models.PositiveIntegerField(
                choices=[
                    (0, "No alarm"),
                    (15, "15 minutes before"),
                    (30, "30 minutes before"),
                    (60, "1 hour before"),
                    (120, "2 hours before"),
                    (1440, "1 day before"),
                ],
                default=0,
                help_text="The calendar file attached to the confirmation, the reminder and the news of a move can ask the patient's calendar to alert them before the visit.",
                verbose_name="alarm in the patient's calendar file",
            ),
        ),
        migrations.AddField(
            model_name="bookingsettings",
            name="reminder_lead_hours",
            field=models.JSONField(
                blank=True,
                default=booking.models.the_day_before,
                help_text="Each chosen time sends one reminder e-mail, counted back from the visit's start. A visit booked or moved later than a time gets no reminder for it, and only the nearest time that has come is sent (no late 48-hour reminder 2 hours before). None chosen: no reminders.",
                validators=[booking.models.validate_reminder_leads],
                verbose_name="send reminders",
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="lead_hours",
            field=models.PositiveSmallIntegerField(
                default=0, verbose_name="hours before the visit"
            ),
        ),
        migrations.RunPython(reminders_so_far_were_the_day_before, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(
                choices=[
                    ("request_received", "Request received (to patient)"),
                    ("confirmed", "Visit confirmed (to patient)"),
                    ("declined", "Request declined (to patient)"),
                    ("cancelled", "Cancellation (to patient)"),
                    ("clinic_cancelled", "Visit cancelled by the clinic (to patient)"),
                    ("reminder", "Visit reminder (to patient)"),
                    ("moved", "Visit moved (to patient)"),
                    ("change_received", "Change waiting for confirmation (to patient)"),
                    ("staff_new_request", "New request waiting (to staff)"),
                ],
                max_length=30,
                verbose_name="e-mail",
            ),
        ),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(
                fields=("appointment", "kind", "visit_sequence", "lead_hours"),
                name="one_email_of_each_kind_per_visit_time_and_lead",
            ),
        ),
    ]
