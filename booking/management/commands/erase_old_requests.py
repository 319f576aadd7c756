"""Cron, once a day: erase patients' details a set time after their visit."""

from django.core.management.base import BaseCommand

from booking.services import erase_old_requests


class Command(BaseCommand):
    help = "Erase names, contact details and notes of requests older than the retention period."

    def handle(self, *args, **options) -> None:
        erased = erase_old_requests()
        self.stdout.write(f"Erased the personal details of {erased} old request(s).")
