"""What the waiting-list tests share: a one-room clinic open on weekdays, patients waiting,
and visits that free a place when cancelled."""

import datetime

from django.utils import timezone

from booking.models import AppointmentRequest, Status, TreatmentType
from booking.schedule import BookingWindow
from booking.services.waitlist import WaitlistWishes, waitlist_join
from booking.tests.factories import AppointmentRequestFactory, at, one_room_clinic, open_weekdays
from booking.waitlist import PartOfDay, WaitlistEntry


def weekday_clinic() -> TreatmentType:
    """Monday to Friday 9:00–17:00, one practitioner, 30-minute visits, 2 hours' notice."""
    open_weekdays(grid_minutes=30, min_notice_hours=2, horizon_days=30)
    return one_room_clinic(slot_minutes=30)


def waiting(
    treatment: TreatmentType,
    *,
    name: str = "Ana",
    practitioner=None,
    weekdays=None,
    parts=None,
    until: datetime.date | None = None,
) -> WaitlistEntry:
    """A patient joins the waiting list (any day, any time, for 30 days unless given)."""
    wishes = WaitlistWishes(
        treatment_type=treatment,
        practitioner=practitioner,
        weekdays=list(range(7)) if weekdays is None else weekdays,
        parts_of_day=list(PartOfDay.values) if parts is None else parts,
        until=until or timezone.localdate() + datetime.timedelta(days=30),
    )
    return waitlist_join(
        wishes=wishes,
        first_name=name,
        last_name="Waiting",
        email=f"{name.lower()}@example.com",
        phone="+12025550199",
        consent_at=timezone.now(),
    )


def confirmed_visit(start: datetime.datetime) -> AppointmentRequest:
    return AppointmentRequestFactory(status=Status.CONFIRMED, starts_at=start)


def full_day(day: datetime.date) -> list[AppointmentRequest]:
    """Every 30-minute place of the day taken by a confirmed visit."""
    return [
        confirmed_visit(at(day, f"{hour}:{minute:02d}"))
        for hour in range(9, 17)
        for minute in (0, 30)
    ]


def free_starts(day: datetime.date, treatment: TreatmentType) -> list[datetime.datetime]:
    """The times the booking form offers on the day."""
    window = BookingWindow.load()
    return [slot.start for slot in window.day_offer(day, treatment.as_treatment(), None).slots]


def held() -> list[AppointmentRequest]:
    return list(AppointmentRequest.objects.filter(status=Status.HELD))
