"""Cron, once a day (e.g. at 10:00): remind patients of tomorrow's confirmed visits."""

from django.core.management.base import BaseCommand

from booking.services import queue_visit_reminders


class Command(BaseCommand):
    help = "E-mail a reminder for each confirmed visit tomorrow (each reminder is sent once)."

    def handle(self, *args, **options) -> None:
        queued = queue_visit_reminders()
        self.stdout.write(f"Queued {queued} reminder(s); the task worker sends them.")
