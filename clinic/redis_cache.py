"""Django's Redis cache, failing fast when Redis is slow or gone.

Every use of the shared cache on a request (the content version, the site's details, the
booking rate limits, /healthz) already carries on without it. What hurts with Redis frozen
is the waiting: redis-py waits 5 s by default for each call, and a page makes several. Here
each call waits at most the short socket timeouts of the settings (REDIS_TIMEOUT_SECONDS),
and once a call has failed, this process stops asking for RETRY_AFTER_SECONDS: every call
fails at once, so pages are rendered without the cache and cost no waiting at all. Then one
call tries again.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5.0
# Per server address: until when (on `clock()`) this process does not ask it.
_unavailable_until: dict[str, float] = {}


def clock() -> float:
    """Seconds on a clock that never goes back (a function of its own, so tests can move
    time on)."""
    return time.monotonic()


class CacheUnavailable(RedisConnectionError):
    """Redis did not answer a moment ago; not asked again yet."""


class FailFastRedisCacheClient(RedisCacheClient):
    def _call(self, method, *args):
        server = ",".join(self._servers)
        if clock() < _unavailable_until.get(server, 0.0):
            raise CacheUnavailable("Redis did not answer a moment ago")
        try:
            return method(*args)
        except (RedisConnectionError, RedisTimeoutError, OSError) as error:
            _unavailable_until[server] = clock() + RETRY_AFTER_SECONDS
            logger.warning(
                "Redis unavailable (%s): not asked again for %.0f s",
                type(error).__name__,
                RETRY_AFTER_SECONDS,
            )
            raise

    def add(self, key, value, timeout):
        return self._call(super().add, key, value, timeout)

    def get(self, key, default):
        return self._call(super().get, key, default)

    def set(self, key, value, timeout):
        return self._call(super().set, key, value, timeout)

    def touch(self, key, timeout):
        return self._call(super().touch, key, timeout)

    def delete(self, key):
        return self._call(super().delete, key)

    def get_many(self, keys):
        return self._call(super().get_many, keys)

    def has_key(self, key):
        return self._call(super().has_key, key)

    def incr(self, key, delta):
        return self._call(super().incr, key, delta)

    def set_many(self, data, timeout):
        return self._call(super().set_many, data, timeout)

    def delete_many(self, keys):
        return self._call(super().delete_many, keys)

    def clear(self):
        return self._call(super().clear)


class FailFastRedisCache(RedisCache):
    """Django's RedisCache with the client above; configured as usual (OPTIONS go to
    redis-py: `socket_connect_timeout`, `socket_timeout`)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = FailFastRedisCacheClient
