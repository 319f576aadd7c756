"""The locks that make double-booking impossible: every path that takes a place takes them,
always in one fixed order, so two paths can neither both win nor wait for each other."""

import datetime
import hashlib

from django.db import connection

from booking.models import BookingSettings

# Advisory-lock namespaces on PostgreSQL: "the bookings of one day", "one patient's requests".
BOOKING_DAY_LOCK = 4_201_107
PATIENT_LOCK = 4_201_108


def _take_advisory_locks(*keys: tuple[int, int]) -> None:
    """PostgreSQL: transaction-level advisory locks, taken one after the other in the order
    given, in one round trip (psycopg2 sends one query string; its statements run in order)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "; ".join(["SELECT pg_advisory_xact_lock(%s, %s)"] * len(keys)),
            [number for key in keys for number in key],
        )


def _day_keys(days: tuple[datetime.date, ...]) -> list[tuple[int, int]]:
    """The days' keys in date order (each once): the fixed order that prevents deadlocks."""
    return [(BOOKING_DAY_LOCK, day.toordinal()) for day in sorted(set(days))]


def _patient_keys(email: str, phone: str) -> list[tuple[int, int]]:
    """Both of a patient's keys (e-mail address, phone number), in ascending order."""
    return [
        (PATIENT_LOCK, key)
        for key in sorted(
            int.from_bytes(hashlib.sha256(value.encode()).digest()[:4], "big", signed=True)
            for value in (f"email:{email.lower()}", f"phone:{phone}")
        )
    ]


def lock_bookings_of_days(*days: datetime.date) -> None:
    """Serialise the bookings of one or more days across every app server, in date order.

    PostgreSQL: a transaction-level advisory lock per day. SQLite: the transaction itself
    already holds the database's write lock (transaction_mode IMMEDIATE).
    """
    if connection.vendor == "postgresql":
        _take_advisory_locks(*_day_keys(days))
    elif connection.vendor != "sqlite":
        BookingSettings.objects.select_for_update().first()


def lock_requests_of_patient_and_day(*, email: str, phone: str, day: datetime.date) -> None:
    """Serialise the requests made with one e-mail address or phone number, so that two at
    once cannot both pass the cap on upcoming requests, and the bookings of the day.
    One fixed order: the patient's keys (ascending), then the day."""
    if connection.vendor == "postgresql":
        _take_advisory_locks(*_patient_keys(email, phone), *_day_keys((day,)))
    else:  # SQLite: the IMMEDIATE transaction already holds the write lock
        lock_bookings_of_days(day)


def lock_requests_of_patient_and_days(*, email: str, phone: str, days: list[datetime.date]) -> None:
    """The same for a course of visits: the patient's keys, then every day, in date order."""
    if connection.vendor == "postgresql":
        _take_advisory_locks(*_patient_keys(email, phone), *_day_keys(tuple(days)))
    else:  # SQLite: the IMMEDIATE transaction already holds the write lock
        lock_bookings_of_days(*days)
