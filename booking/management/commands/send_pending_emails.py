"""Cron, every few minutes: send the e-mails that could not be sent at once."""

from django.core.management.base import BaseCommand

from booking.emails import send_due_emails
from booking.models import NotificationStatus


class Command(BaseCommand):
    help = "Send queued e-mails that are due (first tries that failed, retries with back-off)."

    def handle(self, *args, **options) -> None:
        outcomes = send_due_emails()
        self.stdout.write(
            f"Sent {outcomes[NotificationStatus.SENT]}, "
            f"will retry {outcomes[NotificationStatus.PENDING]}, "
            f"gave up on {outcomes[NotificationStatus.FAILED]}, "
            f"skipped {outcomes[NotificationStatus.SKIPPED]}."
        )
