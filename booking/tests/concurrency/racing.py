"""What the race tests share: threads released together, each on its own connection; the
clinic's diary they race for; and the check that no practitioner ever holds more visits at
once than they see."""

import datetime
import threading
from collections import Counter

from django.db import connection
from django.db.models import Count, F, OuterRef, Subquery

from booking.models import AppointmentRequest, BookingSettings, TreatmentType, WorkingHours
from booking.tests.factories import PractitionerDiaryFactory
from clinic.models import OpeningHours, Practitioner

THREADS = 20


def race(work, threads: int = THREADS) -> tuple[list, list[Exception | None]]:
    """Run work(i) in `threads` threads released together; each thread's result or error."""
    barrier = threading.Barrier(threads)
    results: list = [None] * threads
    errors: list[Exception | None] = [None] * threads

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as error:
            errors[i] = error
        finally:
            connection.close()  # this thread's own connection

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert not any(worker.is_alive() for worker in workers), "a thread is stuck (deadlock?)"
    return results, errors


def kinds(errors) -> Counter:
    return Counter(type(error).__name__ for error in errors if error is not None)


def reasons(errors) -> Counter:
    """Why the refused places were refused (SlotUnavailable's reason)."""
    return Counter(error.reason for error in errors if hasattr(error, "reason"))


def weekday_clinic(grid_minutes: int = 15) -> BookingSettings:
    """Open Monday to Friday, 9:00 to 17:00, with no practitioner yet (the settings' own
    notice, horizon and cut-off)."""
    OpeningHours.objects.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(weekday=day, opens=datetime.time(9), closes=datetime.time(17))
        for day in range(5)
    )
    row = BookingSettings.load()
    row.grid_minutes = grid_minutes
    row.save()
    return row


def practitioner_offering(
    treatment: TreatmentType, *, patients_at_once: int = 1, position: int = 0
) -> Practitioner:
    """A practitioner taking bookings for this treatment, working the clinic's hours."""
    diary = PractitionerDiaryFactory(patients_at_once=patients_at_once, position=position)
    diary.treatment_types.add(treatment)
    WorkingHours.objects.bulk_create(
        WorkingHours(diary=diary, weekday=day, starts=datetime.time(9), ends=datetime.time(17))
        for day in range(5)
    )
    return diary.practitioner


def overbooked() -> list[tuple[str, datetime.datetime, int]]:
    """Every active visit at whose start its practitioner holds more active visits (buffers
    included) than they see at once, with that number: one query over all active requests.
    The most visits at once always begin at some visit's start, so checking starts is
    enough."""
    at_that_start = (
        AppointmentRequest.objects.active()
        .filter(
            practitioner=OuterRef("practitioner"),
            starts_at__lte=OuterRef("starts_at"),
            blocks_until__gt=OuterRef("starts_at"),
        )
        .order_by()
        .values("practitioner")
        .annotate(held=Count("pk"))
        .values("held")
    )
    rows = (
        AppointmentRequest.objects.active()
        .annotate(held=Subquery(at_that_start))
        .filter(held__gt=F("practitioner__diary__patients_at_once"))
    )
    return list(rows.values_list("reference", "starts_at", "held"))
