"""The clinic's diary: treatment types, practitioners' diaries, working hours and time off;
requests gain a practitioner, a treatment type and the end of the practitioner's time.

Existing requests are given to the sample practitioner (or the first one), whose diary sees
the clinic-wide capacity at once and works the clinic's opening hours, with one treatment type
per length the requests have. In bulk: one update per length, however many years of requests."""

import datetime

import django.core.validators
import django.db.models.deletion
import django.db.models.expressions
from django.db import migrations, models


def diary_practitioner(apps):
    """The sample practitioner, else the first one, else a new sample practitioner."""
    Practitioner = apps.get_model("clinic", "Practitioner")
    in_order = Practitioner.objects.order_by("order", "pk")
    return (
        in_order.filter(is_sample=True).first()
        or in_order.first()
        or Practitioner.objects.create(
            name="Sample Practitioner", credentials="L.Ac.", is_sample=True
        )
    )


def open_diary(apps, practitioner):
    """The practitioner's diary: the clinic-wide capacity at once, the clinic's hours."""
    BookingSettings = apps.get_model("booking", "BookingSettings")
    OpeningHours = apps.get_model("clinic", "OpeningHours")
    PractitionerDiary = apps.get_model("booking", "PractitionerDiary")
    WorkingHours = apps.get_model("booking", "WorkingHours")
    settings_row = BookingSettings.objects.order_by("pk").first()
    capacity = settings_row.capacity if settings_row else 1
    diary, created = PractitionerDiary.objects.get_or_create(
        practitioner=practitioner,
        defaults={"patients_at_once": min(capacity, 10)},  # a diary sees at most 10 at once
    )
    if created:
        WorkingHours.objects.bulk_create(
            WorkingHours(diary=diary, weekday=hours.weekday, starts=hours.opens, ends=hours.closes)
            for hours in OpeningHours.objects.all()
        )
    return diary


GRID_MINUTES = (5, 10, 15, 20, 30, 60)


def keep_the_clinics_grid(apps, schema_editor):
    """Times keep starting where they did: on the clinic's old slot length, where that is
    one of the grid's steps (else the default, every 15 minutes)."""
    BookingSettings = apps.get_model("booking", "BookingSettings")
    BookingSettings.objects.filter(slot_minutes__in=GRID_MINUTES).update(
        grid_minutes=models.F("slot_minutes")
    )


def assign_requests_to_the_diary(apps, schema_editor):
    AppointmentRequest = apps.get_model("booking", "AppointmentRequest")
    TreatmentType = apps.get_model("booking", "TreatmentType")
    unassigned = AppointmentRequest.objects.filter(practitioner__isnull=True).annotate(
        length=models.ExpressionWrapper(
            models.F("ends_at") - models.F("starts_at"), output_field=models.DurationField()
        )
    )
    lengths = set(unassigned.order_by().values_list("length", flat=True).distinct())
    if not lengths:
        return
    practitioner = diary_practitioner(apps)
    diary = open_diary(apps, practitioner)
    for length in sorted(lengths):
        minutes = round(length / datetime.timedelta(minutes=1))
        treatment_type = TreatmentType.objects.filter(minutes=minutes).order_by("pk").first()
        if treatment_type is None:
            treatment_type = TreatmentType.objects.create(
                name=f"Appointment ({minutes} min)", minutes=minutes, buffer_minutes=0
            )
        diary.treatment_types.add(treatment_type)
        unassigned.filter(length=length).update(
            practitioner=practitioner,
            treatment_type=treatment_type,
            blocks_until=models.F("ends_at"),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0010_e_mails_keyed_by_the_visit_time"),
        ("clinic", "0005_seo_length_guidance"),
    ]

    operations = [
        migrations.CreateModel(
            name="PractitionerDiary",
            fields=[
                (
                    "practitioner",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        primary_key=True,
                        related_name="diary",
                        serialize=False,
                        to="clinic.practitioner",
                        verbose_name="practitioner",
                    ),
                ),
                (
                    "takes_bookings",
                    models.BooleanField(
                        default=True,
                        help_text="Untick when a practitioner leaves: no new visits are booked with them, and past visits keep their name.",
                        verbose_name="active",
                    ),
                ),
                (
                    "patients_at_once",
                    models.PositiveSmallIntegerField(
                        default=1,
                        help_text="Some practitioners treat patients in two rooms at once.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(10),
                        ],
                        verbose_name="patients at once",
                    ),
                ),
                (
                    "position",
                    models.PositiveSmallIntegerField(
                        default=0,
                        help_text="Lower numbers come first. When a patient asks for the first available practitioner, a tie goes to the one higher up.",
                        verbose_name="order",
                    ),
                ),
            ],
            options={
                "verbose_name": "practitioner's diary",
                "verbose_name_plural": "practitioners' diaries",
                "ordering": ["position", "practitioner__order", "practitioner__name"],
            },
        ),
        migrations.CreateModel(
            name="WorkingHours",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "weekday",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (0, "Monday"),
                            (1, "Tuesday"),
                            (2, "Wednesday"),
                            (3, "Thursday"),
                            (4, "Friday"),
                            (5, "Saturday"),
                            (6, "Sunday"),
                        ],
                        verbose_name="day",
                    ),
                ),
                ("starts", models.TimeField(verbose_name="starts")),
                ("ends", models.TimeField(verbose_name="ends")),
            ],
            options={
                "verbose_name": "working hours",
                "verbose_name_plural": "working hours",
                "ordering": ["diary", "weekday", "starts"],
            },
        ),
        migrations.AddField(
            model_name="appointmentrequest",
            name="blocks_until",
            field=models.DateTimeField(
                blank=True,
                help_text="The end of the visit and of the time after it.",
                null=True,
                verbose_name="practitioner busy until",
            ),
        ),
        migrations.AddField(
            model_name="appointmentrequest",
            name="is_overbooked",
            field=models.BooleanField(default=False, verbose_name="overbooked deliberately"),
        ),
        migrations.AddField(
            model_name="appointmentrequest",
            name="overbooking_reason",
            field=models.TextField(blank=True, verbose_name="why it is overbooked"),
        ),
        migrations.AddField(
            model_name="appointmentrequest",
            name="practitioner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="appointments",
                to="clinic.practitioner",
                verbose_name="practitioner",
            ),
        ),
        migrations.AddField(
            model_name="appointmentrequest",
            name="source",
            field=models.CharField(
                choices=[("online", "booked online"), ("front_desk", "booked by the front desk")],
                default="online",
                max_length=12,
                verbose_name="how it was booked",
            ),
        ),
        migrations.AddField(
            model_name="bookingsettings",
            name="grid_minutes",
            field=models.PositiveSmallIntegerField(
                choices=[(5, 5), (10, 10), (15, 15), (20, 20), (30, 30), (60, 60)],
                default=15,
                help_text="Free times start on this grid from each practitioner's working hours.",
                verbose_name="offer times every (minutes)",
            ),
        ),
        migrations.AddField(
            model_name="bookingsettings",
            name="patient_changes_confirmed",
            field=models.BooleanField(
                default=False,
                help_text="Otherwise a confirmed visit the patient moves goes back to waiting for confirmation.",
                verbose_name="patient changes are confirmed at once",
            ),
        ),
        migrations.CreateModel(
            name="TimeOff",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("first_day", models.DateField(verbose_name="first day")),
                (
                    "last_day",
                    models.DateField(
                        blank=True,
                        help_text="Leave blank for a single day.",
                        verbose_name="last day",
                    ),
                ),
                (
                    "from_time",
                    models.TimeField(
                        blank=True,
                        help_text="Blank: from the start of the first day.",
                        null=True,
                        verbose_name="from",
                    ),
                ),
                (
                    "until_time",
                    models.TimeField(
                        blank=True,
                        help_text="Blank: until the end of the last day.",
                        null=True,
                        verbose_name="until",
                    ),
                ),
                (
                    "reason",
                    models.CharField(
                        blank=True,
                        help_text="Only staff see this.",
                        max_length=200,
                        verbose_name="reason",
                    ),
                ),
                (
                    "diary",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="time_off",
                        to="booking.practitionerdiary",
                        verbose_name="practitioner's diary",
                    ),
                ),
            ],
            options={
                "verbose_name": "time off",
                "verbose_name_plural": "time off",
                "ordering": ["diary", "first_day", "from_time"],
            },
        ),
        migrations.CreateModel(
            name="TreatmentType",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, unique=True, verbose_name="name")),
                (
                    "description",
                    models.CharField(
                        blank=True,
                        help_text="What patients read about it on the booking form: one plain sentence.",
                        max_length=300,
                        verbose_name="description",
                    ),
                ),
                (
                    "minutes",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(10),
                            django.core.validators.MaxValueValidator(240),
                        ],
                        verbose_name="length (minutes)",
                    ),
                ),
                (
                    "buffer_minutes",
                    models.PositiveSmallIntegerField(
                        default=0,
                        help_text="For notes and getting the room ready: no one else is booked then.",
                        validators=[django.core.validators.MaxValueValidator(60)],
                        verbose_name="time after the visit (minutes)",
                    ),
                ),
                (
                    "bookable_online",
                    models.BooleanField(default=True, verbose_name="patients can book it online"),
                ),
                (
                    "for_new_patients",
                    models.BooleanField(
                        default=False,
                        help_text="A new patient is offered the first-visit types; a returning patient the others.",
                        verbose_name="new patients only",
                    ),
                ),
                (
                    "position",
                    models.PositiveSmallIntegerField(
                        default=0, help_text="Lower numbers come first.", verbose_name="order"
                    ),
                ),
                (
                    "is_active",
                    models.BooleanField(
                        default=True,
                        help_text="Untick to stop offering it; visits already booked keep it.",
                        verbose_name="active",
                    ),
                ),
            ],
            options={
                "verbose_name": "treatment type",
                "verbose_name_plural": "treatment types",
                "ordering": ["position", "name"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("minutes__gt", 0)), name="treatment_type_has_a_length"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "minutes__lte",
                                django.db.models.expressions.CombinedExpression(
                                    models.Value(240), "-", models.F("buffer_minutes")
                                ),
                            )
                        ),
                        name="treatment_type_fits_the_longest_visit",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="practitionerdiary",
            name="treatment_types",
            field=models.ManyToManyField(
                blank=True,
                related_name="diaries",
                to="booking.treatmenttype",
                verbose_name="treatments offered",
            ),
        ),
        migrations.AddField(
            model_name="appointmentrequest",
            name="treatment_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="appointments",
                to="booking.treatmenttype",
                verbose_name="treatment",
            ),
        ),
        migrations.AddIndex(
            model_name="appointmentrequest",
            index=models.Index(fields=["practitioner", "starts_at"], name="booking_request_diary"),
        ),
        migrations.AddField(
            model_name="workinghours",
            name="diary",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="working_hours",
                to="booking.practitionerdiary",
                verbose_name="practitioner's diary",
            ),
        ),
        migrations.AddIndex(
            model_name="timeoff",
            index=models.Index(fields=["diary", "last_day"], name="booking_time_off_diary"),
        ),
        migrations.AddConstraint(
            model_name="timeoff",
            constraint=models.CheckConstraint(
                condition=models.Q(("last_day__gte", models.F("first_day"))),
                name="time_off_ends_after_start",
            ),
        ),
        migrations.AddConstraint(
            model_name="practitionerdiary",
            constraint=models.CheckConstraint(
                condition=models.Q(("patients_at_once__gte", 1)),
                name="diary_sees_at_least_one_patient",
            ),
        ),
        migrations.AddConstraint(
            model_name="workinghours",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends__gt", models.F("starts"))),
                name="working_hours_end_after_start",
            ),
        ),
        migrations.RunPython(keep_the_clinics_grid, migrations.RunPython.noop),
        migrations.RunPython(assign_requests_to_the_diary, migrations.RunPython.noop),
    ]
