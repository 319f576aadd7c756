"""What the logs may say: nothing that opens a patient's appointment.

A manage link's token is the key to a patient's appointment, a sign-in link's to a returning
patient's page, a calendar feed's token to a practitioner's visits, and query strings can
carry what a patient typed. Every log handler the site and gunicorn configure (the console in
debug and in production, gunicorn's error and access logs, the error e-mails to ADMINS)
passes each line through `RedactingFilter`; the e-mails also leave out the request and
the values of the code's variables.

gunicorn's master process imports this module before Django is set up: nothing here reads
the settings at import.
"""

import logging
import re

from django.utils.log import AdminEmailHandler
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

# A path under /appointments/ is a manage link; any 64-hex string may be its token (or the
# token's hash); a query string is whatever follows "?" up to a space or a quote.
MANAGE_PATH = re.compile(r"(/appointments/)[^/?#\s\"']+")
# A path under /book/link/ is a returning patient's sign-in link.
SIGN_IN_PATH = re.compile(r"(/book/link/)[^/?#\s\"']+")
# A path under the site's /calendar/ (a path of its own or a whole address) is a
# practitioner's calendar feed, whose token opens their diary.
FEED_PATH = re.compile(r"((?:^|[\s\"'(<])(?:[a-z]+://[^/\s\"']+)?/calendar/)[^/?#\s\"']+")
TOKEN_LIKE = re.compile(r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{64}(?![0-9A-Fa-f])")
QUERY_STRING = re.compile(r"\?[^\s\"']+")
HIDDEN = "…"


def redact(text: str) -> str:
    """`text` without manage-link or calendar-feed tokens, token-like strings or query
    strings."""
    text = MANAGE_PATH.sub(rf"\1{HIDDEN}", text)
    text = SIGN_IN_PATH.sub(rf"\1{HIDDEN}", text)
    text = FEED_PATH.sub(rf"\1{HIDDEN}", text)
    text = TOKEN_LIKE.sub(HIDDEN, text)
    return QUERY_STRING.sub("", text)


def redact_path(path: str) -> str:
    """A request path fit for the log."""
    return redact(path.split("?", 1)[0])


class RedactingFilter(logging.Filter):
    """Rewrites a record's message, traceback and stack in place, before any handler
    formats it: attached to every handler, it covers records from every logger."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # arguments that do not fit: keep the words only
            message = str(record.msg)
        record.msg = redact(message)
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class PrivateReportFilter(SafeExceptionReporterFilter):
    """Error reports show where the code failed, never the values it was working on (a
    token, a patient's name): every variable of every frame is hidden."""

    def get_traceback_frame_variables(self, request, tb_frame):
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]


class PrivateExceptionReporter(ExceptionReporter):
    """The report of an error without the request: no address, query string, headers,
    cookies or form data (the log line above it names the method and the redacted path)."""

    def __init__(self, request, exc_type, exc_value, tb, is_email=False):
        super().__init__(None, exc_type, exc_value, tb, is_email)
        self.filter = PrivateReportFilter()


class PrivateAdminEmailHandler(AdminEmailHandler):
    """mail_admins, with the private report, in plain text, and every word redacted."""

    def __init__(self, email_backend=None):
        super().__init__(
            include_html=False,
            email_backend=email_backend,
            reporter_class="clinic.logs.PrivateExceptionReporter",
        )

    def send_mail(self, subject, message, *args, **kwargs):
        super().send_mail(redact(subject), redact(message), *args, **kwargs)
