"""A returning patient's sign-in link: asked for, sent (by the task worker), used once.

Asking does the same work whatever the address: one link row and one task, written in one
transaction. Whether the address is known is found out by the worker, after the patient's
page has answered: a known address gets the e-mail (through the outbox), an unknown one's
link is deleted. So neither the page, its status nor its timing tells anyone which
addresses are known.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db import DatabaseBackend

from booking.emails import enqueue_delivery
from booking.models import AppointmentRequest, Notification, NotificationKind
from booking.returning import SignInLink, requests_of_address


def sign_in_link_request(*, email: str, language: str, now: datetime.datetime) -> None:
    """Store a new link for this address and hand it to the worker (after the commit).
    Nothing is read about the address here: two INSERTs, known or not."""
    with transaction.atomic():
        link = SignInLink.new(email=email, language=language, now=now)
        link.save()
        _enqueue(link.pk)


def _enqueue(link_id: int) -> None:
    """As emails.enqueue_delivery: the database backend's task row is written in this
    transaction; any other backend (the tests' immediate one) runs it after the commit."""
    if isinstance(send_sign_in_link.get_backend(), DatabaseBackend):
        send_sign_in_link.enqueue(link_id)
    else:
        transaction.on_commit(lambda: send_sign_in_link.enqueue(link_id))


@task()
def send_sign_in_link(link_id: int) -> str:
    """The worker's task: the link's e-mail goes into the outbox, attached to the patient's
    latest request with that address, and is delivered as every other e-mail (retried until
    it goes out). An address no request has: the link is deleted, nothing is sent. A link
    used, expired or already queued: nothing. Returns what happened."""
    now = timezone.now()
    with transaction.atomic():
        link = (
            SignInLink.objects.select_for_update()
            .usable(now)
            .filter(pk=link_id, notification__isnull=True)
            .first()
        )
        if link is None:
            return "nothing to do"
        latest = requests_of_address(link.email).order_by("-created_at", "-pk").first()
        if latest is None:
            link.delete()
            return "unknown address"
        link.notification = Notification.objects.create(
            appointment=latest,
            kind=NotificationKind.SIGN_IN_LINK,
            visit_sequence=latest.sequence,
        )
        link.save(update_fields=["notification"])
        enqueue_delivery([link.notification.pk])
    return "queued"


def sign_in_link_use(*, token: str, now: datetime.datetime) -> SignInLink | None:
    """Use the link once: one UPDATE that only a link unused and unexpired passes, so of two
    clicks at once exactly one wins. Every request with the address is then verified. None
    for a link used, expired or unknown."""
    with transaction.atomic():
        used = SignInLink.objects.for_token(token).usable(now).update(used_at=now)
        if not used:
            return None
        link = SignInLink.objects.for_token(token).get()
        requests_of_address(link.email).filter(email_verified_at__isnull=True).update(
            email_verified_at=now
        )
    return link


def manage_link_opened(*, appointment: AppointmentRequest, now: datetime.datetime) -> None:
    """The patient opened the manage link sent to the request's address: the address is
    theirs. Recorded once (no write after the first time)."""
    if appointment.email_verified_at is None and appointment.email:
        AppointmentRequest.objects.filter(pk=appointment.pk, email_verified_at__isnull=True).update(
            email_verified_at=now
        )
        appointment.email_verified_at = now
