"""How the booking pages and the admin write times and counts."""

import datetime

import phonenumbers
from django.conf import settings
from django.utils import formats, timezone


def local_time(moment: datetime.datetime | None) -> str:
    """A moment as the clinic's clocks show it, in the format the admin uses for every date
    and time (DATETIME_FORMAT: “Tue, Dec 1, 2026, 9:00 AM” in English)."""
    if moment is None:
        return "—"
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def stored_phone(typed: str) -> str:
    """A whole phone number as bookings store it (E.164, +12025550143), or "" for part of
    one or anything else."""
    try:
        number = phonenumbers.parse(typed, settings.CLINIC_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_for_people(number: str) -> str:
    """A stored phone number (+12025550143) as people read it: the clinic's national format
    for its own country's numbers, (202) 555-0143; the international one for others."""
    try:
        parsed = phonenumbers.parse(number, settings.CLINIC_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return number
    region = phonenumbers.region_code_for_number(parsed)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if region == settings.CLINIC_PHONE_REGION
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(parsed, style)
