"""Bench data: the starting content, a wide-open schedule and a realistic backlog of requests.

Run inside Django (`manage.py shell -c "exec(open('bench/seed.py').read())"`); prints, as
JSON, the free slots the booking stream may use and a day to show in the booking form.
"""

import datetime
import json
import random

from django.core.management import call_command
from django.utils import timezone

from booking.models import AppointmentRequest, BookingSettings, Status
from booking.schedule import load_schedule, next_free_slots_after
from clinic.models import OpeningHours

REQUESTS = 2000

call_command("load_clinic_content", verbosity=0)
OpeningHours.objects.all().delete()
OpeningHours.objects.bulk_create(
    OpeningHours(weekday=day, opens=datetime.time(8), closes=datetime.time(20)) for day in range(7)
)
BookingSettings.load()  # the row exists from here on
BookingSettings.objects.update(
    slot_minutes=30, capacity=20, min_notice_hours=0, horizon_days=365, cancellation_cutoff_hours=0
)

now = timezone.now()
schedule = load_schedule(now)
randomizer = random.Random(42)  # noqa: S311 - repeatable bench data, not secrets
slots = next_free_slots_after(now, schedule, now, limit=24 * 120)
backlog = []
for number in range(REQUESTS - AppointmentRequest.objects.count()):
    slot = randomizer.choice(slots[: 24 * 60])  # the next two months, as a clinic sees them
    appointment = AppointmentRequest(
        reference=f"B{number:05d}",
        status=randomizer.choice([Status.REQUESTED, Status.CONFIRMED, Status.CONFIRMED]),
        starts_at=slot.start,
        ends_at=slot.end,
        first_name="Bench",
        last_name=f"Patient {number}",
        email=f"bench{number}@example.com",
        phone="+12025550143",
        is_new_patient=number % 3 == 0,
        consent_at=now,
    )
    appointment.start_new_manage_token()
    backlog.append(appointment)
AppointmentRequest.objects.bulk_create(backlog)

busiest_day = schedule.local_date(slots[0].start) + datetime.timedelta(days=1)
stream = next_free_slots_after(now + datetime.timedelta(days=100), schedule, now, limit=2400)
print(
    json.dumps(
        {
            "form_day": busiest_day.isoformat(),
            "slots": [
                [f"{local:%Y-%m-%d}", f"{local:%H:%M}"]
                for local in (slot.start.astimezone(schedule.tz) for slot in stream)
            ],
            "requests": AppointmentRequest.objects.count(),
        }
    )
)
