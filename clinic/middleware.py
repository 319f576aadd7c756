"""The site's own middleware: one line per request in the log, and what is refused before
anything else answers or reads the request."""

import logging
import time

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError

from clinic import views
from clinic.logs import redact_path
from clinic.network import is_admin_path

logger = logging.getLogger("clinic.requests")


class RequestLogMiddleware:
    """Logs method, path, status and duration; never the query string or the body."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.monotonic()
        response = self.get_response(request)
        if request.path == "/healthz":
            return response  # load balancers ask every few seconds: not worth a line
        milliseconds = (time.monotonic() - started) * 1000
        logger.info(
            "%s %s %s %.0fms",
            request.method,
            redact_path(request.path),
            response.status_code,
            milliseconds,
        )
        return response


class AdminNoIndexMiddleware:
    """Keeps every admin response out of search engines, the login page included (listing
    the admin in robots.txt would tell everyone where it is)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_admin_path(request.path_info):
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class HostValidationMiddleware:
    """Refuses a Host that is not in ALLOWED_HOSTS before the page cache can answer it:
    Django itself checks the host only when something asks for it, later."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.get_host()  # DisallowedHost: Django answers with the site's 400 page
        return self.get_response(request)


class RequestBodyMiddleware:
    """Reads a body only as the site can. Refuses, without reading a byte of it, a body that
    says it is larger than the admin's largest form (one photo and its fields). Reads a
    POST form here, first, so that one that cannot be read (a charset other than UTF-8, a
    file outside the admin) gets the site's own page at once, under DEBUG too, rather than
    an error raised again by whatever reads it next (the CSRF check, Django's 400 view)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _declared_length(request) > settings.REQUEST_BODY_MAX_BYTES:
            return views.too_large(request)
        if request.method == "POST":
            try:
                request.POST  # noqa: B018 - parsed now, kept for the rest of the request
            except (BadRequest, MultiPartParserError) as unreadable:
                return views.bad_request(request, unreadable)
        return self.get_response(request)


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django reads no body then
