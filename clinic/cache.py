"""Whole-page caching of the public content pages, and the site's details for every page.

Everything cached here is keyed by a content version. Saving anything the public pages
show (in the admin, or through `load_clinic_content`) calls `public_pages_changed()`,
which moves to a new version: from then on every app server renders fresh pages. With
Redis as Django's cache the version is shared, so no server serves a stale page.
"""

import hashlib
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from clinic.models import ClinicProfile, DaySchedule, OpeningHours

VERSION_KEY = "public-pages:version"
PAGE_TIMEOUT = 24 * 60 * 60  # a day; a new version makes old pages unreachable sooner


def content_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY, version)
    return version


def public_pages_changed() -> None:
    """Staff changed something the public pages show: every cached page is now stale."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def site_details() -> tuple[ClinicProfile, list[DaySchedule]]:
    """The clinic's profile and week of opening hours (header, footer, structured data)."""
    key = f"site-details:{content_version()}"
    details = cache.get(key)
    if details is None:
        details = (ClinicProfile.load(), OpeningHours.objects.week())
        cache.set(key, details, PAGE_TIMEOUT)
    return details


def _is_cacheable(request: HttpRequest) -> bool:
    """Only what every visitor sees alike: a plain GET with no query string, from someone
    without a session (staff, and patients in the middle of a booking, have one)."""
    return (
        settings.PUBLIC_PAGE_CACHE
        and request.method in {"GET", "HEAD"}
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def cache_public_page(view):
    """Serve the whole page from the cache for anonymous visitors, with an ETag so a
    browser's revalidation is answered with 304 Not Modified."""

    @wraps(view)
    def cached_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _is_cacheable(request):
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.path.encode()).hexdigest()
        # The day is part of the key: "coming closures" and the like change at midnight.
        key = f"page:{content_version()}:{timezone.localdate().isoformat()}:{path}"
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        if response.status_code == 200 and not response.cookies:
            response["ETag"] = f'"{hashlib.md5(response.content).hexdigest()}"'  # noqa: S324
            patch_cache_control(response, no_cache=True, public=True)
            headers = {name: response[name] for name in ("Content-Type", "ETag", "Cache-Control")}
            cache.set(key, (response.content, headers), PAGE_TIMEOUT)
        return response

    return cached_view
