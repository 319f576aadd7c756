"""Cron, every few minutes: the outbox's safety net behind the task worker.

The worker sends every e-mail and its retries; this sends whatever is due that no task got
to: an e-mail whose sender was killed mid-send (its lease ran out), or one whose retry task
could not be written. With the worker running, it usually finds nothing.
"""

from django.core.management.base import BaseCommand

from booking.emails import send_due_emails
from booking.models import NotificationStatus


class Command(BaseCommand):
    help = "Send queued e-mails that are due and that no task worker got to."

    def handle(self, *args, **options) -> None:
        outcomes = send_due_emails()
        self.stdout.write(
            f"Sent {outcomes[NotificationStatus.SENT]}, "
            f"will retry {outcomes[NotificationStatus.PENDING]}, "
            f"gave up on {outcomes[NotificationStatus.FAILED]}, "
            f"skipped {outcomes[NotificationStatus.SKIPPED]}."
        )
