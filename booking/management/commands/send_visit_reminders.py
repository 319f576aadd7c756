"""Cron, every 10 minutes: queue the reminders whose time has come (booking settings)."""

from django.core.management.base import BaseCommand

from booking.services import queue_visit_reminders


class Command(BaseCommand):
    help = (
        "Queue the reminders due now for confirmed visits, at the lead times the booking "
        "settings choose (each reminder is sent once per visit time)."
    )

    def handle(self, *args, **options) -> None:
        queued = queue_visit_reminders()
        self.stdout.write(f"Queued {queued} reminder(s); the task worker sends them.")
