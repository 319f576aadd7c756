"""Limits on booking attempts that stop a flood without stopping real patients.

A family, a waiting room's Wi-Fi or a mobile carrier puts many patients behind one address,
so an address is only limited in bursts (and generously per hour); a flood that changes its
address is caught by the limits per e-mail address and per phone number. Every count is kept
in Django's shared cache, so all app servers agree; what is counted is hashed first, so no
address, e-mail or phone number is ever a cache key.
"""

import hashlib
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from clinic.network import client_ip

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    """At most `attempts` per `seconds` for one value of `counted` (an address, an e-mail…)."""

    counted: str
    attempts: int
    seconds: int


def booking_limits() -> list[Limit]:
    return [
        Limit("address", settings.BOOKING_RATE_LIMIT_PER_MINUTE, 60),
        Limit("address", settings.BOOKING_RATE_LIMIT_PER_HOUR, 60 * 60),
        Limit("email", settings.BOOKING_RATE_LIMIT_PER_CONTACT, 60 * 60),
        Limit("phone", settings.BOOKING_RATE_LIMIT_PER_CONTACT, 60 * 60),
    ]


def clock() -> float:
    """Seconds since the epoch (a function of its own, so tests can move time on)."""
    return time.time()


def booking_attempt_refused(request: HttpRequest, *, email: str, phone: str) -> bool:
    """Count one attempt to book against every limit; True once any of them is exceeded."""
    values = {"address": client_ip(request), "email": email.strip().lower(), "phone": phone}
    now = clock()
    over = False
    for limit in booking_limits():
        over |= _count(limit, values[limit.counted], now) > limit.attempts
    return over


def sign_in_link_limits() -> list[Limit]:
    """A returning patient's link: the form's limits per address, and per e-mail address."""
    return [limit for limit in booking_limits() if limit.counted in ("address", "email")]


def sign_in_link_refused(request: HttpRequest, *, email: str) -> bool:
    """Count one request for a sign-in link (counted apart from booking attempts); True once
    any limit is exceeded."""
    values = {"address": client_ip(request), "email": email.strip().lower()}
    now = clock()
    over = False
    for limit in sign_in_link_limits():
        over |= _count(limit, values[limit.counted], now, scope="sign-in") > limit.attempts
    return over


def _count(limit: Limit, value: str, now: float, scope: str = "booking") -> int:
    """One more attempt in this value's current window (fixed windows of `limit.seconds`)."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{limit.counted}:{value}".encode()).hexdigest()
    window = int(now // limit.seconds)
    key = f"ratelimit:{scope}:{limit.counted}:{limit.seconds}:{digest[:32]}:{window}"
    try:
        cache.add(key, 0, timeout=limit.seconds)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=limit.seconds)
            return 1
    except Exception as error:
        logger.warning("Rate limit not checked, cache unavailable (%s)", type(error).__name__)
        return 0
