"""Whole-page caching of the public content pages, and the site's details for every page.

Everything cached here is keyed by a content version. Saving anything the public pages
show (in the admin, or through `load_clinic_content`) calls `public_pages_changed()`,
which moves to a new version once the save is committed: from then on every app server
renders fresh pages. The version lives in Django's default cache, which every process
shares (Redis with several app servers, a folder of files on one machine), so no process
serves a stale page.

Why after the commit: a page is rendered from rows read *after* it read the version. A
version moved before the commit could be read by a request that then still sees the old
rows, and that page would be kept under the new version until the next save. Moved after
the commit, whoever reads the new version reads the new rows.

Each process trusts the version it last read for CLINIC_CONTENT_VERSION_TRUST_SECONDS (1 s)
instead of asking Redis on every request: a cached page then costs no network round trip.
The price is a bound, stated in the README: a request that starts that long after a save is
committed gets the fresh page on every server (the process that saved moves its own copy at
once). The copy counts from just before it was read, so it is never trusted longer than the
bound after a save that it may have missed. A version that could not be read (cache down) is
never trusted: pages are then rendered on every request.

Cached pages are kept with their brotli and gzip copies (clinic.compression) and served in
the encoding the browser asks for, each with its own ETag.
"""

import hashlib
import logging
import time
import uuid
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers

from clinic.compression import chosen_encoding, encoded_copies, etag_for
from clinic.models import ClinicProfile, DaySchedule, OpeningHours

logger = logging.getLogger(__name__)

VERSION_KEY = "public-pages:version"
# Within a request, the version as the request first read it: one cache read per request,
# not one per use. Outside requests (commands, shells) it is read every time.
_request_memo: ContextVar[dict | None] = ContextVar("content_version_memo", default=None)
PAGE_TIMEOUT = 24 * 60 * 60  # a day; a new version makes old pages unreachable sooner


UNAVAILABLE = object()  # what a cache call returns when the cache did not answer
# This process's copy of the version, and when it was read (on `clock()`).
_process_copy: tuple[str, float] | None = None


def clock() -> float:
    """Seconds on a clock that never goes back (a function of its own, so tests can move
    time on)."""
    return time.monotonic()


def _cache_call(method: str, *args, default=None):
    """A cache operation that never breaks a page: with the cache down, pages are simply
    rendered every time (and /healthz says so)."""
    try:
        return getattr(cache, method)(*args)
    except Exception as error:
        logger.warning("Cache unavailable (%s): rendering without it", type(error).__name__)
        return default


def content_version() -> str:
    return _settled_version()[0]


def _settled_version() -> tuple[str, bool]:
    """This request's version, and whether the shared cache gave it. If not (the cache did
    not answer), the version is this request's own: nothing is kept under it."""
    memo = _request_memo.get()
    if memo and "version" in memo:
        return memo["version"], memo["shared"]
    version = _trusted_copy() or _read_shared_version()
    settled = (version, True) if version else (uuid.uuid4().hex, False)
    if memo is not None:
        memo["version"], memo["shared"] = settled
    return settled


def _trusted_copy() -> str | None:
    copy = _process_copy
    if copy and clock() - copy[1] < settings.CLINIC_CONTENT_VERSION_TRUST_SECONDS:
        return copy[0]
    return None


def _read_shared_version() -> str | None:
    global _process_copy
    read_at = clock()  # before the read: the copy may be stale from this moment on
    version = _cache_call("get", VERSION_KEY, default=UNAVAILABLE)
    if version is None:  # the first request ever, or the cache was emptied
        new = uuid.uuid4().hex
        added = _cache_call("add", VERSION_KEY, new, None, default=UNAVAILABLE)
        version = new if added is True else _cache_call("get", VERSION_KEY, default=UNAVAILABLE)
    if not isinstance(version, str):  # no answer
        return None
    if _process_copy is None or read_at >= _process_copy[1]:  # never over a newer copy
        _process_copy = (version, read_at)
    return version


def forget_content_version() -> None:
    """Drop this process's copy of the version and what it kept under it, so the next request
    reads the version (the tests call it when they empty the cache)."""
    global _process_copy
    _process_copy = None
    _kept_in_this_process.clear()


def public_pages_changed() -> None:
    """Staff changed something the public pages show: once the change is committed, every
    cached page is stale (at once in this process and outside a transaction; on every other
    server within CLINIC_CONTENT_VERSION_TRUST_SECONDS)."""
    transaction.on_commit(_move_to_a_new_version)


def _move_to_a_new_version() -> None:
    global _process_copy
    version = uuid.uuid4().hex
    moved_at = clock()
    cache.set(VERSION_KEY, version, timeout=None)  # a failure here must be seen
    _process_copy = (version, moved_at)
    memo = _request_memo.get()
    if memo is not None:
        memo["version"], memo["shared"] = version, True


LAST_KNOWN_SITE_DETAILS_KEY = "site-details:last-known"


def site_details() -> tuple[ClinicProfile, list[DaySchedule]]:
    """The clinic's profile and week of opening hours (header, footer, structured data)."""

    def load() -> tuple[ClinicProfile, list[DaySchedule]]:
        details = (ClinicProfile.load(), OpeningHours.objects.week())
        # Kept without the version too, for the page that says the database is down.
        _cache_call("set", LAST_KNOWN_SITE_DETAILS_KEY, details, None)
        return details

    return cached_for_this_version("site-details", load)


def last_known_site_details() -> tuple[ClinicProfile, list[DaySchedule]] | None:
    """The site's details as last read from the database, or None; never asks the database
    (for the 503 page: its phone number when the database cannot give it)."""
    return _cache_call("get", LAST_KNOWN_SITE_DETAILS_KEY)


def _is_cacheable(request: HttpRequest) -> bool:
    """Only what every visitor sees alike: a plain GET with no query string, from someone
    without a session (staff, and patients in the middle of a booking, have one)."""
    return (
        settings.PUBLIC_PAGE_CACHE
        and request.method in {"GET", "HEAD"}
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _page_key(request: HttpRequest) -> str:
    path = hashlib.sha256(request.path.encode()).hexdigest()
    # The day is part of the key: "coming closures" and the like change at midnight; and the
    # language the visitor reads (LocaleMiddleware has chosen it by then).
    return f"page:{translation.get_language()}:{timezone.localdate().isoformat()}:{path}"


class PublicPageCacheMiddleware:
    """Answers from the page cache before sessions, CSRF, authentication or URL routing
    run. The page itself is kept in this process's memory ("pages" cache); it counts only
    if it was rendered for the current content version (see `content_version`). Pages get
    there by `cache_public_page`."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request_memo.set({})  # each request settles on one version, once
        try:
            if _is_cacheable(request):
                stored = caches["pages"].get(_page_key(request))
                if stored is not None and stored[0] == content_version():
                    return _cached_response(request, stored)
            return self.get_response(request)
        finally:
            _request_memo.reset(token)


def cache_public_page(view):
    """Keep the whole page for anonymous visitors (PublicPageCacheMiddleware serves it),
    compressed, with an ETag per encoding so a browser's revalidation is answered with 304
    Not Modified. The visitor who made it gets it just as the next ones will."""

    @wraps(view)
    def caching_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # Before rendering: a save meanwhile makes this page stale.
        version, shared = _settled_version()
        response = view(request, *args, **kwargs)
        if not (shared and _is_cacheable(request)) or response.status_code != 200:
            return response
        if hasattr(response, "render"):
            response.render()
        if not _carries_no_secret(request, response):
            return response
        patch_cache_control(response, no_cache=True, public=True)
        etag = f'"{hashlib.md5(response.content).hexdigest()}"'  # noqa: S324
        headers = {name: response[name] for name in ("Content-Type", "Cache-Control")}
        stored = (version, etag, encoded_copies(response.content), headers)
        caches["pages"].set(_page_key(request), stored, PAGE_TIMEOUT)
        return _cached_response(request, stored)

    return caching_view


def _carries_no_secret(request: HttpRequest, response: HttpResponse) -> bool:
    """The same for every visitor, so it may be kept and compressed (BREACH): no cookie, no
    CSRF token in the page, nothing put in a session. (The CSRF and session cookies are set
    later, on the way out, so the token and the session are checked here themselves.)"""
    session = getattr(request, "session", None)
    return not (
        response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or (session is not None and session.modified)
    )


def _cached_response(request: HttpRequest, stored: tuple) -> HttpResponse:
    """The kept page in the encoding the browser accepts best, with that encoding's ETag
    (ConditionalGetMiddleware, outside, turns a matching If-None-Match into a 304)."""
    _version, etag, copies, headers = stored
    encoding = chosen_encoding(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    body = copies[encoding]
    response = HttpResponse(body)
    for name, value in headers.items():
        response[name] = value
    response["ETag"] = etag_for(etag, encoding)
    response["Content-Length"] = str(len(body))
    if encoding != "identity":
        response["Content-Encoding"] = encoding
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


# What `cached_for_this_version` holds in this process, per name and language: the version
# it belongs to and the value itself (no round trip to the shared cache, no unpickling).
_kept_in_this_process: dict[tuple[str, str], tuple[str, object]] = {}


def cached_for_this_version(name: str, compute):
    """A value derived from public content, computed once per content version (by whichever
    process needs it first, shared through the cache) and then kept in each process's memory
    until the version moves. Every request of the process gets the same object: read it,
    never change it."""
    version, shared = _settled_version()
    here = (name, translation.get_language())
    kept = _kept_in_this_process.get(here)
    if kept is not None and kept[0] == version:
        return kept[1]
    key = f"{name}:{version}"
    value = _cache_call("get", key)
    if value is None:
        value = compute()
        _cache_call("set", key, value, PAGE_TIMEOUT)
    if shared:  # a version of this request's own (cache down) would never be asked for again
        _kept_in_this_process[here] = (version, value)
    return value
