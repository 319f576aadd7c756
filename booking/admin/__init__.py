"""The front desk's admin: appointment requests, the e-mail outbox, the booking settings and
the diary (treatment types, practitioners' diaries) and the waiting list."""

from booking.admin import (  # noqa: F401 - registers them
    appointments,
    booking_settings,
    diary,
    outbox,
    waitlist,
)
