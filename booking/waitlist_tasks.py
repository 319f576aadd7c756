"""The waiting list's work for the task worker: offering a freed place once the change that
freed it has committed, and ending holds when their time is up (booking.services.waitlist).
Like the e-mails (booking/emails.py), the database backend writes each task in the caller's
transaction; another backend (the tests' immediate one) runs it after the commit."""

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db import DatabaseBackend


@task()
def offer_freed_place(start: str, practitioner_id: int) -> str | None:
    """Offer the freed place (an ISO start and its practitioner) to the waiting list; the
    reference of the place held, if any."""
    from booking.services.waitlist import offer_freed_place as offer

    held = offer(start=datetime.datetime.fromisoformat(start), practitioner_id=practitioner_id)
    return held.reference if held else None


@task()
def lapse_expired_holds() -> int:
    """End the holds whose time is up and offer their places to the next patients."""
    from booking.services.waitlist import lapse_expired_holds as lapse

    return lapse()


def _enqueue(bound_task, *args) -> None:
    if isinstance(bound_task.get_backend(), DatabaseBackend):
        bound_task.enqueue(*args)
    else:
        transaction.on_commit(lambda: bound_task.enqueue(*args))


def queue_offer_of_freed_place(start: datetime.datetime, practitioner_id: int) -> None:
    """A practitioner's place at `start` was freed in the current transaction (a cancel, a
    decline, a move): offer it to the waiting list once that commits."""
    if start > timezone.now():
        _enqueue(offer_freed_place, start.isoformat(), practitioner_id)


def queue_hold_expiry(held_until: datetime.datetime) -> None:
    """Have the worker end the hold at its time (a backend that cannot wait leaves it to
    `manage.py expire_waitlist_holds`, which cron runs every few minutes)."""
    if lapse_expired_holds.get_backend().supports_defer:
        _enqueue(lapse_expired_holds.using(run_after=held_until))
