"""The front desk's admin: appointment requests, the e-mail outbox, the booking settings and
the diary (treatment types, practitioners' diaries)."""

from booking.admin import appointments, booking_settings, diary, outbox  # noqa: F401 - registers them
