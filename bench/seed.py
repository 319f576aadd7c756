"""Bench data: the starting content, a wide-open diary (three practitioners working 8:00 to
20:00 every day, ten patients at once each, every starting treatment type), a staff login and a
backlog of requests the way a clinic accumulates them, each with its practitioner, treatment
type and the end of the practitioner's time.

Run inside Django (`manage.py shell -c "$(cat bench/seed.py)"`) with BENCH_SEED=small (2,000
upcoming requests: a clinic's next two months) or BENCH_SEED=large (run after small: up to
50,000 requests, years of past visits, most of them closed and the oldest erased, and a
busier future). BENCH_STAFF_PASSWORD is the password of the front-desk login "bench-desk".
Prints, as JSON, the free times the booking stream may use (a returning patient's suggested
treatment, with the first available practitioner: what its POSTs ask for), a busy day for the
booking form and a patient's phone number for the admin's search.
"""

import datetime
import json
import os
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from booking.models import (
    AppointmentEvent,
    AppointmentRequest,
    BookingSettings,
    EventAction,
    Notification,
    NotificationKind,
    NotificationStatus,
    PractitionerDiary,
    Status,
    TreatmentType,
    WorkingHours,
)
from booking.schedule import BookingWindow
from clinic.models import OpeningHours, Practitioner
from clinic.roles import FRONT_DESK, ensure_groups

SMALL, LARGE = 2000, 50_000
BENCH_PRACTITIONERS = ["Sam Okafor", "Lena Vogel"]  # beside the starting content's sample one
PATIENTS = 12_000  # returning patients come back: about four requests each over the years
FIRST = ["Ana", "Ben", "Chloé", "David", "Emma", "Femi", "Grace", "Hiro", "Ines", "Jonas"]
LAST = ["Alvarez", "Brown", "Chen", "Dubois", "Evans", "Fischer", "Garcia", "Haddad", "Ito"]
PAST_STATUSES = {  # a clinic that closes its visits: few old ones are left open
    Status.COMPLETED: 72, Status.NO_SHOW: 5, Status.CANCELLED: 10, Status.DECLINED: 5,
    Status.CANCELLED_BY_CLINIC: 2, Status.CONFIRMED: 5, Status.REQUESTED: 1,
}  # fmt: skip
FUTURE_STATUSES = {Status.REQUESTED: 25, Status.CONFIRMED: 65, Status.CANCELLED: 10}

size = os.environ.get("BENCH_SEED", "small")
randomizer = random.Random(42 if size == "small" else 43)  # noqa: S311 - repeatable, not secret
now = timezone.now()

if size == "small":
    call_command("load_clinic_content", verbosity=0)
    OpeningHours.objects.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(weekday=day, opens=datetime.time(8), closes=datetime.time(20))
        for day in range(7)
    )
    BookingSettings.load()  # the row exists from here on
    BookingSettings.objects.update(
        grid_minutes=30,
        min_notice_hours=0,
        horizon_days=365,
        cancellation_cutoff_hours=0,
    )
    ensure_groups()
    desk, _created = get_user_model().objects.get_or_create(
        username="bench-desk", defaults={"is_staff": True}
    )
    desk.set_password(os.environ["BENCH_STAFF_PASSWORD"])
    desk.save()
    desk.groups.add(Group.objects.get(name=FRONT_DESK))
    for position, name in enumerate(BENCH_PRACTITIONERS, start=1):
        person = Practitioner.objects.create(name=name, credentials="L.Ac.", order=position)
        PractitionerDiary.objects.create(practitioner=person, position=position)
    for diary in PractitionerDiary.objects.all():
        diary.patients_at_once, diary.takes_bookings = 10, True
        diary.save()
        diary.treatment_types.set(TreatmentType.objects.filter(is_active=True))
        diary.working_hours.all().delete()
        WorkingHours.objects.bulk_create(
            WorkingHours(diary=diary, weekday=day, starts=datetime.time(8), ends=datetime.time(20))
            for day in range(7)
        )

window = BookingWindow.load(now)
schedule = window.schedule
practitioners = list(
    PractitionerDiary.objects.filter(takes_bookings=True).values_list("pk", flat=True)
)
types = list(TreatmentType.objects.filter(is_active=True).order_by("position", "pk"))
first_visits = [t for t in types if t.for_new_patients]
follow_ups = [t for t in types if not t.for_new_patients]


def patient(number: int) -> dict:
    first, last = FIRST[number % len(FIRST)], LAST[number // len(FIRST) % len(LAST)]
    area = (202, 301, 571, 703, 240)[number % 5]
    return {
        "first_name": first,
        "last_name": last,
        "email": f"{first.lower()}.{last.lower()}{number}@example.org",
        "phone": f"+1{area}555{number:04d}",
        "is_new_patient": number % 4 == 0,
    }


def start_on(day: datetime.date, treatment: TreatmentType) -> datetime.datetime:
    """A start on the half-hour grid from 8:00 that ends the visit and its buffer by 20:00."""
    blocked = treatment.minutes + treatment.buffer_minutes
    minutes = randomizer.randrange(8 * 60, 20 * 60 - blocked + 1, 30)
    return datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60), schedule.tz)


def past_day() -> datetime.date:
    """One of the last three years' days."""
    return timezone.localdate(now) - datetime.timedelta(days=randomizer.randint(1, 3 * 365))


def coming_day() -> datetime.date:
    """One of the next two months' days."""
    return timezone.localdate(now) + datetime.timedelta(days=randomizer.randint(1, 60))


def request(number: int, day: datetime.date, status: str) -> AppointmentRequest:
    """A new patient's first visit or a returning patient's follow-up, with any practitioner
    (ten patients at once each: the random backlog never fills a time)."""
    details = patient(randomizer.randrange(PATIENTS))
    treatment = randomizer.choice(first_visits if details["is_new_patient"] else follow_ups)
    starts_at = start_on(day, treatment)
    appointment = AppointmentRequest(
        reference=f"B{size[0].upper()}{number:06d}",
        status=status,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=treatment.minutes),
        blocks_until=starts_at + treatment.as_treatment().blocked,
        practitioner_id=randomizer.choice(practitioners),
        treatment_type=treatment,
        consent_at=starts_at - datetime.timedelta(days=3),
        note="Knee pain after running" if number % 5 == 0 else "",
        **details,
    )
    if starts_at < now - datetime.timedelta(days=365):  # erased by the retention job
        appointment.first_name = appointment.last_name = appointment.email = ""
        appointment.phone = appointment.note = ""
        appointment.anonymised_at = now
    appointment.start_new_manage_token()
    return appointment


def weighted(statuses: dict) -> str:
    return randomizer.choices(list(statuses), weights=list(statuses.values()))[0]


backlog = []
have = AppointmentRequest.objects.count()
target = SMALL if size == "small" else LARGE
for number in range(have, target):
    if size == "small" or randomizer.random() < 0.15:  # large: 15 % still to come
        backlog.append(request(number, coming_day(), weighted(FUTURE_STATUSES)))
    else:
        backlog.append(request(number, past_day(), weighted(PAST_STATUSES)))
AppointmentRequest.objects.bulk_create(backlog, batch_size=2000)
AppointmentRequest.objects.filter(reference__startswith=f"B{size[0].upper()}").update(
    created_at=F("consent_at")
)

# Each request's audit trail and its e-mails, as the workflow leaves them.
stored = AppointmentRequest.objects.filter(reference__startswith=f"B{size[0].upper()}")
events, emails = [], []
for pk, status, starts_at in stored.values_list("pk", "status", "starts_at"):
    asked = starts_at - datetime.timedelta(days=3)
    events.append(
        AppointmentEvent(
            appointment_id=pk, at=asked, action=EventAction.REQUESTED, to_status=Status.REQUESTED
        )
    )
    emails.append(
        Notification(
            appointment_id=pk,
            kind=NotificationKind.REQUEST_RECEIVED,
            status=NotificationStatus.SENT,
            attempts=1,
            sent_at=asked,
        )
    )
    if status != Status.REQUESTED:
        action = {Status.COMPLETED: EventAction.COMPLETED, Status.NO_SHOW: EventAction.NO_SHOW}
        events.append(
            AppointmentEvent(
                appointment_id=pk,
                at=asked + datetime.timedelta(hours=2),
                action=action.get(status, EventAction.CONFIRMED),
                from_status=Status.REQUESTED,
                to_status=status,
            )
        )
AppointmentEvent.objects.bulk_create(events, batch_size=5000)
Notification.objects.bulk_create(emails, batch_size=5000)

# The busy day: the one with the most active requests among the next fortnight's, unless
# BENCH_FORM_DAY names the day measured on the small data set.
active = AppointmentRequest.objects.active()
fortnight = [schedule.local_date(now) + datetime.timedelta(days=d) for d in range(1, 15)]
busy_day = (
    datetime.date.fromisoformat(os.environ["BENCH_FORM_DAY"])
    if os.environ.get("BENCH_FORM_DAY")
    else max(fortnight, key=lambda day: active.overlapping(*schedule.day_bounds(day)).count())
)
searched = (
    AppointmentRequest.objects.exclude(phone="").order_by("-starts_at").values("phone").first()
)
suggested = next(  # what the booking form suggests to a returning patient
    t.treatment for t in window.diary.treatments if t.bookable_online and not t.for_new_patients
)
stream = window.next_free_times(now + datetime.timedelta(days=100), suggested, limit=2400)
print(
    json.dumps(
        {
            "form_day": busy_day.isoformat(),
            "busy_day_requests": active.overlapping(*schedule.day_bounds(busy_day)).count(),
            "phone": searched["phone"],
            "slots": [
                [f"{local:%Y-%m-%d}", f"{local:%H:%M}"]
                for local in (slot.start.astimezone(schedule.tz) for slot in stream)
            ],
            "requests": AppointmentRequest.objects.count(),
        }
    )
)
