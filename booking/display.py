"""How the booking pages and the admin write times and counts."""

import datetime

from django.utils import dateformat, timezone

VISIT_FORMAT = "D M j, g:i A"  # Mon Dec 1, 9:00 AM


def local_time(moment: datetime.datetime | None) -> str:
    """A moment as the clinic's clocks show it, e.g. “Mon Dec 1, 9:00 AM”."""
    return dateformat.format(timezone.localtime(moment), VISIT_FORMAT) if moment else "—"


def count_of(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
