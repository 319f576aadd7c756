"""gunicorn.conf.py recycles workers far apart: not by request count unless asked, and a
worker only once its memory grows past the limit (a worker restart costs every request
queued behind it; recycling all workers at once cost p99 seconds under load)."""

import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def load(monkeypatch, **env: str) -> dict:
    for name in ("GUNICORN_MAX_REQUESTS", "GUNICORN_MAX_WORKER_MB"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def serve_requests(conf: dict, worker, count: int) -> None:
    for _ in range(count):
        conf["post_request"](worker, None, {}, None)


def a_worker() -> SimpleNamespace:
    return SimpleNamespace(alive=True, pid=1234, log=SimpleNamespace(info=lambda *args: None))


def test_workers_are_not_recycled_by_count_unless_asked(monkeypatch):
    conf = load(monkeypatch)

    assert conf["max_requests"] == 0


def test_a_count_when_asked_for_comes_with_half_of_it_as_jitter(monkeypatch):
    conf = load(monkeypatch, GUNICORN_MAX_REQUESTS="100000")

    assert (conf["max_requests"], conf["max_requests_jitter"]) == (100_000, 50_000)


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads Linux's /proc")
def test_a_worker_past_the_memory_limit_is_replaced_after_its_request(monkeypatch):
    conf = load(monkeypatch, GUNICORN_MAX_WORKER_MB="1")  # this process uses far more
    worker = a_worker()

    serve_requests(conf, worker, conf["MEMORY_CHECK_EVERY"] - 1)
    still_alive_before_the_check = worker.alive
    serve_requests(conf, worker, 1)

    assert still_alive_before_the_check
    assert worker.alive is False


def test_a_worker_within_the_memory_limit_keeps_serving(monkeypatch):
    conf = load(monkeypatch, GUNICORN_MAX_WORKER_MB="100000")
    worker = a_worker()

    serve_requests(conf, worker, 3 * conf["MEMORY_CHECK_EVERY"])

    assert worker.alive is True
