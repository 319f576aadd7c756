"""One line per request in the log, with nothing private in it."""

import logging
import re
import time

from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("clinic.requests")

# A manage link's token is a key to a patient's appointment: never write it down.
PRIVATE_PATH = re.compile(r"(/appointments/)[^/?\s]+")


def redact_path(path: str) -> str:
    """A path fit for the log: no query string, no manage-link token."""
    return PRIVATE_PATH.sub(r"\1…", path.split("?", 1)[0])


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


class PrivatePathsFilter(logging.Filter):
    """Hides manage-link tokens and query strings in any log line (e.g. Django's
    "Not Found: /appointments/<token>/")."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/appointments/" in message or "?" in message:
            record.msg = PRIVATE_PATH.sub(r"\1…", re.sub(r"\?\S*", "", message))
            record.args = ()
        return True
