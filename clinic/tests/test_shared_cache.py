"""The embedded default cache (no Redis): one folder every process of the machine shares,
whose counters count every increment and keep the expiry they were added with."""

import threading
import time

import pytest

from clinic.shared_cache import MachineWideFileCache


@pytest.fixture
def file_cache(tmp_path) -> MachineWideFileCache:
    return MachineWideFileCache(str(tmp_path / "cache"), {})


def test_increments_from_many_threads_are_all_counted(file_cache):
    file_cache.add("attempts", 0, timeout=60)

    def count_fifty() -> None:
        for _ in range(50):
            MachineWideFileCache(file_cache._dir, {}).incr("attempts")  # its own handle

    threads = [threading.Thread(target=count_fifty) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert file_cache.get("attempts") == 200


def test_a_counter_keeps_the_expiry_it_was_added_with(file_cache):
    file_cache.add("attempts", 0, timeout=1)
    assert file_cache.incr("attempts") == 1
    time.sleep(1.1)
    assert file_cache.get("attempts") is None


def test_add_is_refused_while_the_key_exists(file_cache):
    assert file_cache.add("version", "a", timeout=None)
    assert not file_cache.add("version", "b", timeout=None)
    assert file_cache.get("version") == "a"


def test_incrementing_a_missing_key_raises_like_every_django_cache(file_cache):
    with pytest.raises(ValueError):
        file_cache.incr("missing")
