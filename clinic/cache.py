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
"""

import hashlib
import logging
import uuid
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control

from clinic.models import ClinicProfile, DaySchedule, OpeningHours

logger = logging.getLogger(__name__)

VERSION_KEY = "public-pages:version"
# Within a request, the version as the request first read it: one cache read per request,
# not one per use. Outside requests (commands, shells) it is read every time.
_request_memo: ContextVar[dict | None] = ContextVar("content_version_memo", default=None)
PAGE_TIMEOUT = 24 * 60 * 60  # a day; a new version makes old pages unreachable sooner


def _cache_call(method: str, *args, default=None):
    """A cache operation that never breaks a page: with the cache down, pages are simply
    rendered every time (and /healthz says so)."""
    try:
        return getattr(cache, method)(*args)
    except Exception as error:
        logger.warning("Cache unavailable (%s): rendering without it", type(error).__name__)
        return default


def content_version() -> str:
    memo = _request_memo.get()
    if memo and "version" in memo:
        return memo["version"]
    version = _cache_call("get", VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not _cache_call("add", VERSION_KEY, version, None, default=True):
            version = _cache_call("get", VERSION_KEY, default=version) or version
    if memo is not None:
        memo["version"] = version
    return version


def public_pages_changed() -> None:
    """Staff changed something the public pages show: once the change is committed, every
    cached page is stale (at once, outside a transaction)."""
    transaction.on_commit(_move_to_a_new_version)


def _move_to_a_new_version() -> None:
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, timeout=None)  # a failure here must be seen
    memo = _request_memo.get()
    if memo is not None:
        memo["version"] = version


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
    if it was rendered for the current content version, read from the shared cache (one
    small read from Redis). Pages get there by `cache_public_page`."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request_memo.set({})  # each request reads the version afresh, once
        try:
            if _is_cacheable(request):
                stored = caches["pages"].get(_page_key(request))
                if stored is not None and stored[0] == content_version():
                    _version, content, headers = stored
                    response = HttpResponse(content)
                    for name, value in headers.items():
                        response[name] = value
                    return response
            return self.get_response(request)
        finally:
            _request_memo.reset(token)


def cache_public_page(view):
    """Keep the whole page for anonymous visitors (PublicPageCacheMiddleware serves it),
    with an ETag so a browser's revalidation is answered with 304 Not Modified."""

    @wraps(view)
    def caching_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        version = content_version()  # before rendering: a save meanwhile makes this stale
        response = view(request, *args, **kwargs)
        if not _is_cacheable(request) or response.status_code != 200:
            return response
        if hasattr(response, "render"):
            response.render()
        if not response.cookies:
            response["ETag"] = f'"{hashlib.md5(response.content).hexdigest()}"'  # noqa: S324
            patch_cache_control(response, no_cache=True, public=True)
            headers = {name: response[name] for name in ("Content-Type", "ETag", "Cache-Control")}
            stored = (version, response.content, headers)
            caches["pages"].set(_page_key(request), stored, PAGE_TIMEOUT)
        return response

    return caching_view


def cached_for_this_version(name: str, compute):
    """A value derived from public content, computed once per content version."""
    key = f"{name}:{content_version()}"
    value = _cache_call("get", key)
    if value is None:
        value = compute()
        _cache_call("set", key, value, PAGE_TIMEOUT)
    return value
