"""Test data for booking: settings, patients' details, requests and their e-mails, and the
clinic times the tests book."""

import datetime
from zoneinfo import ZoneInfo

import factory
from django.conf import settings
from django.core import signing
from django.utils import timezone

from booking.forms import FORM_STARTED_SALT
from booking.models import (
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    AppointmentRequest,
    BookingSettings,
    Notification,
    NotificationKind,
    PractitionerDiary,
    Status,
    TreatmentType,
)
from booking.services import PatientDetails
from clinic.models import OpeningHours
from clinic.tests.factories import PractitionerFactory


def clinic_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def at(day: datetime.date, hh_mm: str) -> datetime.datetime:
    """A wall-clock time on a day in the clinic's time zone, e.g. at(monday, "9:30")."""
    hours, minutes = (int(part) for part in hh_mm.split(":"))
    return datetime.datetime.combine(day, datetime.time(hours, minutes), tzinfo=clinic_tz())


def next_monday() -> datetime.date:
    """The first Monday after today (clinic time): a week of future weekdays to book."""
    today = timezone.localdate()
    return today + datetime.timedelta(days=7 - today.weekday())


def open_weekdays(**booking_settings) -> BookingSettings:
    """Monday to Friday from 9:00 to 17:00, and the booking settings (30-minute slots, one patient
    each, 2 hours' notice, 30 days ahead unless given)."""
    OpeningHours.objects.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(weekday=day, opens=datetime.time(9), closes=datetime.time(17))
        for day in range(5)
    )
    return BookingSettingsFactory(**booking_settings)


def _reference(n: int) -> str:
    """A unique reference per sequence number, in the patients' alphabet."""
    letters = []
    for _ in range(REFERENCE_LENGTH):
        n, digit = divmod(n, len(REFERENCE_ALPHABET))
        letters.append(REFERENCE_ALPHABET[digit])
    return "".join(reversed(letters))


class BookingSettingsFactory(factory.django.DjangoModelFactory):
    """The one settings row: creating it again updates the row that exists."""

    class Meta:
        model = BookingSettings

    slot_minutes = 30
    capacity = 1
    min_notice_hours = 2
    horizon_days = 30
    cancellation_cutoff_hours = 24
    retention_days = 365

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        row = model_class.load()
        for name, value in kwargs.items():
            setattr(row, name, value)
        row.save()
        return row


class PatientDetailsFactory(factory.Factory):
    class Meta:
        model = PatientDetails

    first_name = "Maria"
    last_name = "Lopez"
    email = factory.Sequence(lambda n: f"patient{n}@example.com")
    phone = factory.Sequence(lambda n: f"+1202555{n % 10_000:04d}")
    is_new_patient = True
    note = ""


class AppointmentRequestFactory(factory.django.DjangoModelFactory):
    """A stored request, as the service would store it (but in any status, at any time)."""

    class Meta:
        model = AppointmentRequest

    reference = factory.Sequence(_reference)
    status = Status.REQUESTED
    starts_at = factory.LazyFunction(lambda: at(next_monday(), "10:00"))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(minutes=30))
    condition = None
    first_name = "Maria"
    last_name = "Lopez"
    email = factory.Sequence(lambda n: f"patient{n}@example.com")
    phone = "+12025550143"
    is_new_patient = True
    note = ""
    consent_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        appointment = model_class(*args, **kwargs)
        appointment.start_new_manage_token()
        appointment.save()
        return appointment


class TreatmentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TreatmentType

    name = factory.Sequence(lambda n: f"Treatment {n}")
    minutes = 45
    buffer_minutes = 15


class PractitionerDiaryFactory(factory.django.DjangoModelFactory):
    """A practitioner's diary (the practitioner made with it), with no hours yet."""

    class Meta:
        model = PractitionerDiary

    practitioner = factory.SubFactory(PractitionerFactory)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    appointment = factory.SubFactory(AppointmentRequestFactory)
    kind = NotificationKind.REQUEST_RECEIVED


def started_seconds_ago(seconds: int) -> str:
    """The booking form's signed start time, as if it was opened `seconds` ago."""
    return signing.dumps(timezone.now().timestamp() - seconds, salt=FORM_STARTED_SALT)
