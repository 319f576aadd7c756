"""A per-client limit on booking attempts, counted in Django's cache.

With Redis as the cache, every app server counts against the same number. Client
addresses are hashed before they become cache keys.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from clinic.network import client_ip

logger = logging.getLogger(__name__)


def rate_limit_exceeded(request: HttpRequest, scope: str = "booking") -> bool:
    """Count one attempt for this client; True once it is over the limit for the window."""
    window = settings.BOOKING_RATE_LIMIT_WINDOW_SECONDS
    bucket = int(time.time() // window)
    client = hashlib.sha256(f"{settings.SECRET_KEY}:{client_ip(request)}".encode()).hexdigest()
    key = f"ratelimit:{scope}:{client[:32]}:{bucket}"
    try:
        cache.add(key, 0, timeout=window)
        try:
            attempts = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window)
            attempts = 1
    except Exception as error:
        logger.warning("Rate limit not checked, cache unavailable (%s)", type(error).__name__)
        return False
    return attempts > settings.BOOKING_RATE_LIMIT_REQUESTS
