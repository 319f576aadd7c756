"""Cron, every 5 minutes: end the waiting list's holds whose time is up, and offer each place
to the next patient at once (the worker does so too at each hold's end; this catches what it
missed while it was stopped)."""

from django.core.management.base import BaseCommand

from booking.services.waitlist import lapse_expired_holds


class Command(BaseCommand):
    help = (
        "End the waiting-list holds whose time is up and offer the places to the next "
        "patients waiting (entries past their last date leave the list)."
    )

    def handle(self, *args, **options) -> None:
        lapsed = lapse_expired_holds()
        self.stdout.write(f"{lapsed} hold(s) ended; their places were offered on.")
