"""One line per request in the log, with nothing private in it."""

import logging
import time

from django.http import HttpRequest, HttpResponse

from clinic.logs import redact_path

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
