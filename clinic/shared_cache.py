"""The cache every process of one machine shares, for a clinic that runs without Redis.

Django's file-based cache, with `add` and `incr` made atomic across processes (an exclusive
lock on one file in the cache folder), so gunicorn's workers agree on the content version
and count rate limits together. With several app servers, use Redis instead (REDIS_URL).
"""

import os
import pickle
import tempfile
import zlib
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks
from django.core.files.move import file_move_safe


class MachineWideFileCache(FileBasedCache):
    @contextmanager
    def _exclusive(self):
        self._createdir()
        with open(os.path.join(self._dir, ".lock"), "ab") as lock_file:
            locks.lock(lock_file, locks.LOCK_EX)
            try:
                yield
            finally:
                locks.unlock(lock_file)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        with self._exclusive():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None) -> int:
        """Like Redis's INCR: atomic, and the key keeps the expiry it was added with (the
        base class's incr would reset it to the default timeout)."""
        path = self._key_to_file(key, version)
        with self._exclusive():
            try:
                with open(path, "rb") as stored:
                    if self._is_expired(stored):
                        raise ValueError(f"Key '{key}' not found")
                    stored.seek(0)
                    expiry = pickle.load(stored)  # noqa: S301 - our own cache files
                    value = pickle.loads(zlib.decompress(stored.read()))  # noqa: S301
            except FileNotFoundError:
                raise ValueError(f"Key '{key}' not found") from None
            value += delta
            self._replace(path, expiry, value)
            return value

    def _replace(self, path: str, expiry: float | None, value) -> None:
        descriptor, temporary = tempfile.mkstemp(dir=self._dir)
        with open(descriptor, "wb") as new:
            new.write(pickle.dumps(expiry, self.pickle_protocol))
            new.write(zlib.compress(pickle.dumps(value, self.pickle_protocol)))
        file_move_safe(temporary, path, allow_overwrite=True)
