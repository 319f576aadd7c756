"""A frozen Redis (it accepts connections and never answers) costs a request milliseconds:
each call waits at most the short timeout, then Redis is not asked for a few seconds, and
pages, the booking form and a booking go on without it."""

import json
import socket
import time

import pytest

from clinic import redis_cache
from clinic.redis_cache import CacheUnavailable, FailFastRedisCache
from clinic.tests.processes import database_url, run_python

TIMEOUT = 0.25


@pytest.fixture
def frozen_redis():
    """A port where something accepts connections and never says a word."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)  # the kernel completes the handshakes; nobody ever reads
        yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"


class Clock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def frozen_cache(location: str) -> FailFastRedisCache:
    options = {"socket_connect_timeout": TIMEOUT, "socket_timeout": TIMEOUT}
    return FailFastRedisCache(location, {"OPTIONS": options})


def timed(call) -> tuple[type[BaseException] | None, float]:
    started = time.monotonic()
    try:
        call()
    except Exception as error:
        return type(error), time.monotonic() - started
    return None, time.monotonic() - started


def test_a_frozen_redis_costs_one_short_timeout_then_nothing_until_retried(
    frozen_redis, monkeypatch
):
    clock = Clock()
    monkeypatch.setattr(redis_cache, "clock", clock)
    cache = frozen_cache(frozen_redis)
    error, waited = timed(lambda: cache.get("public-pages:version"))
    assert error is not None and waited < 4 * TIMEOUT  # not redis-py's 5 s
    for call in (lambda: cache.get("x"), lambda: cache.add("y", 0, 60), lambda: cache.incr("y")):
        error, waited = timed(call)
        assert error is CacheUnavailable and waited < 0.01
    clock.now += redis_cache.RETRY_AFTER_SECONDS
    error, waited = timed(lambda: cache.set("x", 1))
    assert error is not CacheUnavailable and error is not None  # asked again, and timed out
    assert waited >= TIMEOUT * 0.9


def test_the_redis_cache_has_short_timeouts_by_default():
    result = run_python(
        "-c",
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default']['OPTIONS'])",
        DJANGO_SETTINGS_MODULE="clinic.settings",
        DJANGO_SECRET_KEY="x" * 50,
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "clinic.redis_cache.FailFastRedisCache "
        "{'socket_connect_timeout': 0.25, 'socket_timeout': 0.25}"
    )


VISIT_WITH_REDIS_FROZEN = """
import json, sys, time
import django
django.setup()
from django.test import Client
from booking.safety_check import CHECKED_COOKIE, checked_cookie_value
from booking.models import AppointmentRequest

booking = json.loads(sys.argv[1])
client = Client()
client.cookies[CHECKED_COOKIE] = checked_cookie_value()  # past the red-flag check
answers = []
started = time.monotonic()
for method, path in [("get", "/conditions/arthritis/"), ("get", "/conditions/arthritis/"),
                     ("get", "/"), ("get", "/book/"), ("post", "/book/"), ("get", "/healthz")]:
    begun = time.monotonic()
    if method == "post":
        response = client.post(path, booking)
    else:
        response = client.get(path, HTTP_ACCEPT_ENCODING="br")
    answers.append([path, response.status_code, round(time.monotonic() - begun, 3),
                    response.get("Content-Encoding", ""), response.content.decode("latin-1")])
print(json.dumps({"total": time.monotonic() - started, "answers": answers,
                  "stored": AppointmentRequest.objects.count()}))
"""


@pytest.mark.django_db(transaction=True)
def test_pages_and_booking_answer_fast_with_redis_frozen(
    frozen_redis, open_every_day, request_data, settings
):
    """In a fresh process of the production settings, pointed at the frozen Redis."""
    result = run_python(
        "-c",
        VISIT_WITH_REDIS_FROZEN,
        json.dumps(request_data),
        DJANGO_SETTINGS_MODULE="clinic.settings",
        DJANGO_SECRET_KEY=settings.SECRET_KEY,  # the form's signed start time is ours
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        DATABASE_URL=database_url(),
        REDIS_URL=frozen_redis,
        REDIS_TIMEOUT_SECONDS=str(TIMEOUT),
        BOOKING_MIN_FILL_SECONDS="0",
    )
    assert result.returncode == 0, result.stderr
    visit = json.loads(result.stdout.strip().splitlines()[-1])
    answers = {(path, status) for path, status, *_ in visit["answers"]}
    assert answers == {
        ("/conditions/arthritis/", 200),
        ("/", 200),
        ("/book/", 200),
        ("/book/", 302),  # booked
        ("/healthz", 503),
    }
    pages = {path: text for path, status, _, _, text in visit["answers"] if status == 200}
    assert "Arthritis" in pages["/conditions/arthritis/"]
    assert {encoding for *_, encoding, _ in visit["answers"]} == {""}  # rendered, not kept
    assert "Request an appointment" in pages["/book/"]
    assert visit["answers"][-1][4] == "database: ok\ncache: unavailable\n"
    assert visit["stored"] == 1
    timings = [(path, seconds) for path, _, seconds, *_ in visit["answers"]]
    assert visit["total"] < 2.0, timings  # redis-py's default: 5 s for each call
