"""The front desk's admin: appointment requests, the e-mail outbox, the booking settings."""

from booking.admin import appointments, booking_settings, outbox  # noqa: F401 - registers them
