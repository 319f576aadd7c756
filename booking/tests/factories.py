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
    WorkingHours,
)
from booking.services import PatientDetails, Place
from clinic.models import OpeningHours, Practitioner
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
    """Monday to Friday from 9:00 to 17:00 with one practitioner, and the booking settings
    (30-minute visits on a 30-minute grid, one patient at a time, 2 hours' notice, 30 days
    ahead unless given)."""
    OpeningHours.objects.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(weekday=day, opens=datetime.time(9), closes=datetime.time(17))
        for day in range(5)
    )
    return BookingSettingsFactory(**booking_settings)


def the_practitioner() -> Practitioner:
    """The practitioner of a one-room clinic: the first with a diary, or a new one."""
    diary = PractitionerDiary.objects.select_related("practitioner").order_by("position").first()
    if diary:
        return diary.practitioner
    practitioner = Practitioner.objects.create(name="Alex Chen", credentials="L.Ac.")
    PractitionerDiary.objects.create(practitioner=practitioner)
    return practitioner


def treatment_of(minutes: int, buffer_minutes: int = 0) -> TreatmentType:
    """A treatment type of this length (and buffer), made if there is none."""
    treatment, _ = TreatmentType.objects.get_or_create(
        minutes=minutes,
        buffer_minutes=buffer_minutes,
        defaults={"name": f"Visit of {minutes}+{buffer_minutes} minutes"},
    )
    return treatment


def place_at(start: datetime.datetime, practitioner: Practitioner | None = None) -> Place:
    """A place at this start for the clinic's first online treatment (a one-room clinic's
    only one), with a practitioner or the first available."""
    treatment = (
        TreatmentType.objects.bookable_online().order_by("position", "pk").first()
        or one_room_clinic()
    )
    return Place.of(start, treatment, practitioner)


def one_room_clinic(slot_minutes: int = 30, capacity: int = 1) -> TreatmentType:
    """The clinic of the first release: one practitioner working the clinic's hours, seeing
    `capacity` patients at once, one treatment of `slot_minutes` on a grid of as many
    minutes (any other practitioner and type put aside)."""
    practitioner = the_practitioner()
    treatment = treatment_of(slot_minutes)
    TreatmentType.objects.exclude(pk=treatment.pk).update(is_active=False)
    treatment.is_active, treatment.bookable_online = True, True
    treatment.save()
    PractitionerDiary.objects.exclude(pk=practitioner.pk).update(takes_bookings=False)
    diary = practitioner.diary
    diary.takes_bookings, diary.patients_at_once = True, capacity
    diary.save()
    diary.treatment_types.set([treatment])
    diary.working_hours.all().delete()
    WorkingHours.objects.bulk_create(
        WorkingHours(diary=diary, weekday=h.weekday, starts=h.opens, ends=h.closes)
        for h in OpeningHours.objects.all()
    )
    return treatment


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

    min_notice_hours = 2
    horizon_days = 30
    cancellation_cutoff_hours = 24
    retention_days = 365

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """`slot_minutes` and `capacity` make a one-room clinic (one_room_clinic)."""
        slot_minutes, capacity = kwargs.pop("slot_minutes", 30), kwargs.pop("capacity", 1)
        row = model_class.load()
        for name, value in kwargs.items():
            setattr(row, name, value)
        row.grid_minutes = slot_minutes
        row.save()
        one_room_clinic(slot_minutes, capacity)
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
    blocks_until = factory.LazyAttribute(lambda o: o.ends_at)
    practitioner = factory.LazyFunction(the_practitioner)
    treatment_type = factory.LazyAttribute(
        lambda o: treatment_of(round((o.ends_at - o.starts_at).total_seconds() / 60))
    )
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
