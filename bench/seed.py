"""Bench data: the starting content, a wide-open schedule, a staff login and a backlog of
requests the way a clinic accumulates them.

Run inside Django (`manage.py shell -c "$(cat bench/seed.py)"`) with BENCH_SEED=small (2,000
upcoming requests: a clinic's next two months) or BENCH_SEED=large (run after small: up to
50,000 requests, years of past visits, most of them closed and the oldest erased, and a
busier future). BENCH_STAFF_PASSWORD is the password of the front-desk login "bench-desk".
Prints, as JSON, the free slots the booking stream may use, a busy day for the booking form
and a patient's phone number for the admin's search.
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
    Status,
)
from booking.schedule import load_schedule, next_free_slots_after
from clinic.models import OpeningHours
from clinic.roles import FRONT_DESK, ensure_groups

SMALL, LARGE = 2000, 50_000
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
        slot_minutes=30,
        capacity=20,
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

schedule = load_schedule(now)
slots = next_free_slots_after(now, schedule, now, limit=24 * 120)
two_months = slots[: 24 * 60]


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


def past_start() -> datetime.datetime:
    """A half-hour slot during opening hours on one of the last three years' days."""
    day = timezone.localdate(now) - datetime.timedelta(days=randomizer.randint(1, 3 * 365))
    moment = datetime.datetime.combine(day, datetime.time(randomizer.randint(8, 19)))
    return moment.replace(minute=randomizer.choice((0, 30)), tzinfo=schedule.tz)


def request(number: int, starts_at: datetime.datetime, status: str) -> AppointmentRequest:
    appointment = AppointmentRequest(
        reference=f"B{size[0].upper()}{number:06d}",
        status=status,
        starts_at=starts_at,
        ends_at=starts_at + schedule.slot_length,
        consent_at=starts_at - datetime.timedelta(days=3),
        note="Knee pain after running" if number % 5 == 0 else "",
        **patient(randomizer.randrange(PATIENTS)),
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
        starts_at = randomizer.choice(two_months).start
        backlog.append(request(number, starts_at, weighted(FUTURE_STATUSES)))
    else:
        backlog.append(request(number, past_start(), weighted(PAST_STATUSES)))
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
stream = next_free_slots_after(now + datetime.timedelta(days=100), schedule, now, limit=2400)
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
