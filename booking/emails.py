"""The e-mails of the booking workflow, kept in an outbox until they are sent.

No request waits on the mail server: a change writes its e-mails' outbox rows and a task
to send them (`deliver_emails`) in its own transaction, and the task worker (`manage.py
db_worker`, docs/deploy.md) sends them once that commits. The outbox row is the truth: a
task finds its e-mail by id and claims it, so a task run twice, a retry pressed twice or two
workers send it once; a failed send is retried by a new task after a back-off, and
`manage.py send_pending_emails` (cron) sends whatever is due that no task got to (a worker
killed mid-send). With the worker or the mail server down, nothing is lost: the rows wait.
"""

import datetime
import logging
from collections import Counter
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks import task
from django_tasks_db import DatabaseBackend

from booking.calendar import appointment_ics, visits_ics
from booking.models import (
    AppointmentRequest,
    BookingSettings,
    Notification,
    NotificationKind,
    NotificationStatus,
)
from booking.reminders import send_reminder
from booking.returning import LINK_MINUTES
from booking.transitions import email_still_true
from clinic.models import ClinicProfile

logger = logging.getLogger(__name__)

NO_STAFF_ADDRESS = _("Not sent: no address for staff notices is set in Booking settings.")
MAX_ATTEMPTS = 8
# How long a claimed e-mail is left to its sender before another may take it (the sender
# died). Far longer than a send can take: every wait on the mail server ends at EMAIL_TIMEOUT.
SENDING_LEASE = datetime.timedelta(minutes=5)
# An e-mail due for longer than this without a worker taking it: the outbox says so.
WORKER_LATE = datetime.timedelta(minutes=2)
SUBJECTS = {
    NotificationKind.REQUEST_RECEIVED: _("We received your appointment request (%(reference)s)"),
    NotificationKind.CONFIRMED: _("Your appointment is confirmed (%(reference)s)"),
    NotificationKind.DECLINED: _("We could not confirm your appointment request (%(reference)s)"),
    NotificationKind.CANCELLED: _("Your appointment is cancelled (%(reference)s)"),
    NotificationKind.CANCELLED_BY_CLINIC: _(
        "We have had to cancel your appointment (%(reference)s)"
    ),
    NotificationKind.REMINDER: _(
        "Reminder: your appointment on %(day)s at %(time)s (%(reference)s)"
    ),
    NotificationKind.MOVED: _("Your appointment has moved (%(reference)s)"),
    NotificationKind.CHANGE_RECEIVED: _("We have your new time (%(reference)s)"),
    NotificationKind.STAFF_NEW_REQUEST: _("A new appointment request is waiting"),
    NotificationKind.SIGN_IN_LINK: _("Your link to book again"),
    NotificationKind.WAITLIST_OFFER: _("A place has come free for you (%(reference)s)"),
}


CARRY_THE_CALENDAR_FILE = {
    NotificationKind.CONFIRMED,
    NotificationKind.REMINDER,
    NotificationKind.MOVED,
}


def queue_email(
    appointment: AppointmentRequest, kind: str, message: str = "", *, lead_hours: int = 0
) -> Notification:
    """Record that an e-mail is owed and have the worker send it once the current transaction
    commits. Call it inside the change's transaction. A reminder says its lead (hours before
    the visit): one of each per visit time."""
    (notification,) = queue_emails(appointment, [kind], message, lead_hours=lead_hours)
    return notification


def queue_emails(
    appointment: AppointmentRequest, kinds: list[str], message: str = "", *, lead_hours: int = 0
) -> list[Notification]:
    """The same for several e-mails about one change, in two queries: their rows, one task."""
    notifications = Notification.objects.bulk_create(
        Notification(
            appointment=appointment,
            kind=kind,
            message=message,
            visit_sequence=appointment.sequence,
            lead_hours=lead_hours,
        )
        for kind in kinds
    )
    enqueue_delivery([notification.pk for notification in notifications])
    return notifications


def enqueue_delivery(
    notification_ids: list[int], run_after: datetime.datetime | None = None
) -> None:
    """Ask the task worker to send e-mails (at `run_after`, or as soon as it can).

    The database backend writes its task in the caller's transaction: committed together with
    the outbox rows or not at all, and invisible to the worker until then. Any other backend
    (the tests' immediate one) runs the task after the commit, never inside the transaction.
    """
    delivery = deliver_emails if run_after is None else deliver_emails.using(run_after=run_after)
    if isinstance(delivery.get_backend(), DatabaseBackend):
        delivery.enqueue(notification_ids)
    else:
        transaction.on_commit(lambda: delivery.enqueue(notification_ids))


@task()
def deliver_emails(notification_ids: list[int]) -> list[str | None]:
    """The worker's task: send the e-mails, one after the other; for each the mail server
    failed, enqueue its next attempt for when its back-off ends (send_pending_emails does so
    under a backend that cannot wait). Returns each one's status afterwards."""
    statuses = []
    for notification_id in notification_ids:
        status = send_email(notification_id)
        if status == NotificationStatus.PENDING and deliver_emails.get_backend().supports_defer:
            retry_at = Notification.objects.values_list("next_attempt_at", flat=True).get(
                pk=notification_id
            )
            enqueue_delivery([notification_id], run_after=retry_at)
        statuses.append(status)
    return statuses


def send_email(notification_id: int, now: datetime.datetime | None = None) -> str | None:
    """Send one queued e-mail now. Failures are recorded for a later retry, never raised.

    Returns the e-mail's status afterwards (None if it was not ours to send). The e-mail is
    first claimed with one UPDATE (status "sending", for the lease), so two senders never
    send it twice, nothing else (a retry pressed in the admin) can take it while it is in
    flight, and no transaction stays open while the mail server answers.
    """
    now = now or timezone.now()
    claimed = (
        Notification.objects.due(now)
        .filter(pk=notification_id)
        .update(status=NotificationStatus.SENDING, next_attempt_at=now + SENDING_LEASE)
    )
    if not claimed:
        return None  # sent or being sent by another worker, given up, or not yet due
    notification = Notification.objects.select_related(
        "appointment__condition", "appointment__practitioner", "appointment__treatment_type"
    ).get(pk=notification_id)
    return _deliver(notification, now)


def send_due_emails(now: datetime.datetime | None = None) -> Counter:
    """Send every queued e-mail whose next attempt is due; count the outcomes by status."""
    now = now or timezone.now()
    due = list(Notification.objects.due(now).values_list("pk", flat=True))
    return Counter(send_email(notification_id, now) for notification_id in due)


def _deliver(notification: Notification, now: datetime.datetime) -> str:
    appointment = notification.appointment
    # A reminder the worker gets to only once the visit has begun would arrive too late.
    too_late = notification.kind == NotificationKind.REMINDER and appointment.starts_at <= now
    if too_late or not _still_true(notification, now):
        notification.status = NotificationStatus.SKIPPED
        notification.save(update_fields=["status"])
        return notification.status
    send = send_reminder if notification.kind == NotificationKind.REMINDER else send_as_email
    try:
        with translation.override(language_of(notification)):
            sent = send(notification)
    except Exception as error:
        notification.attempts += 1
        notification.last_error = f"{type(error).__name__}: {error}"[:300]
        notification.status = (
            NotificationStatus.FAILED
            if notification.attempts >= MAX_ATTEMPTS
            else NotificationStatus.PENDING
        )
        notification.next_attempt_at = now + datetime.timedelta(minutes=2**notification.attempts)
        notification.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        logger.warning(
            "E-mail %s (%s) failed, attempt %s: %s",
            notification.pk,
            notification.kind,
            notification.attempts,
            type(error).__name__,
        )
        return notification.status
    if not sent:
        notification.status = NotificationStatus.SKIPPED
        notification.last_error = str(NO_STAFF_ADDRESS)
        notification.save(update_fields=["status", "last_error"])
        return notification.status
    notification.status = NotificationStatus.SENT
    notification.sent_at = now
    notification.attempts += 1
    notification.last_error = ""
    notification.save(update_fields=["status", "sent_at", "attempts", "last_error"])
    return notification.status


def _still_true(notification: Notification, now: datetime.datetime) -> bool:
    """A sign-in link's e-mail only while its link can be used; the others, see
    email_still_true."""
    if notification.kind == NotificationKind.SIGN_IN_LINK:
        link = sign_in_link_of(notification)
        return link is not None and link.is_usable(now)
    return email_still_true(
        notification.kind, notification.appointment, notification.visit_sequence
    )


def sign_in_link_of(notification: Notification):
    """The sign-in link a "sign_in_link" e-mail carries (None once the purge deleted it)."""
    try:
        return notification.sign_in_link
    except ObjectDoesNotExist:
        return None


def send_as_email(notification: Notification) -> bool:
    """Render the e-mail and hand it to the mail server (in the language the caller
    activated). False if it has no one to go to; the mail server's errors are raised."""
    email = build_email(notification)
    if not email.to:
        return False
    email.send()
    return True


def retry_now(notification_ids: list[int]) -> list[int]:
    """Send waiting and failed e-mails as soon as the worker can; a failed one starts a fresh
    set of attempts. An e-mail being sent is left alone: only its sender may finish it (or,
    once its lease has run out, anyone: the sender died). Returns the ids queued."""
    now = timezone.now()
    with transaction.atomic():
        retried = list(
            Notification.objects.select_for_update()
            .filter(pk__in=notification_ids)
            .filter(retryable(now))
            .values_list("pk", flat=True)
        )
        stuck = Notification.objects.filter(pk__in=retried)
        stuck.filter(status=NotificationStatus.FAILED).update(attempts=0)
        stuck.update(status=NotificationStatus.PENDING, next_attempt_at=now)
        if retried:
            enqueue_delivery(retried)
    return retried


def retryable(now: datetime.datetime) -> Q:
    """E-mails a retry may take: waiting, failed, or claimed by a sender whose lease ran out."""
    return Q(status__in=[NotificationStatus.PENDING, NotificationStatus.FAILED]) | Q(
        status=NotificationStatus.SENDING, next_attempt_at__lte=now
    )


def progress(notification: Notification, now: datetime.datetime | None = None) -> str:
    """Where an e-mail stands, in the front desk's words: for the outbox."""
    now = now or timezone.now()
    status = notification.status
    overdue = notification.next_attempt_at < now - WORKER_LATE
    if status == NotificationStatus.SENDING:
        if notification.next_attempt_at > now:
            return gettext("Being sent now.")
        return gettext("The worker stopped while sending it: the next retry sends it again.")
    if status == NotificationStatus.PENDING:
        failed = (
            gettext("The mail server failed: %(error)s.") % {"error": notification.last_error}
            if notification.last_error
            else ""
        )
        if overdue:
            waiting = gettext("Waiting for the worker since %(time)s: is the task worker running?")
        elif failed:
            waiting = gettext("Next attempt at %(time)s.")
        else:
            waiting = gettext("Waiting for the worker.")
        return " ".join(
            filter(None, [failed, waiting % {"time": _local(notification.next_attempt_at)}])
        )
    if status == NotificationStatus.FAILED:
        return gettext(
            "Gave up after %(attempts)d attempts: %(error)s. Retry now starts again."
        ) % {"attempts": notification.attempts, "error": notification.last_error}
    if status == NotificationStatus.SENT:
        return gettext("Sent at %(time)s.") % {"time": _local(notification.sent_at)}
    return notification.last_error or gettext("Not sent: the request has changed since.")


def _local(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def language_of(notification: Notification) -> str:
    """Patients read their e-mails in the language they used on the site; staff in the
    clinic's."""
    if notification.kind == NotificationKind.STAFF_NEW_REQUEST:
        return settings.LANGUAGE_CODE
    if notification.kind == NotificationKind.SIGN_IN_LINK and sign_in_link_of(notification):
        return notification.sign_in_link.language
    return notification.appointment.language


def sender(clinic: ClinicProfile) -> str:
    """The site's sending address (the operator's, DEFAULT_FROM_EMAIL) under the clinic's
    name as patients know it."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL
    return formataddr((clinic.name, address)) if clinic.name else address


def build_email(notification: Notification) -> EmailMultiAlternatives:
    """Render an e-mail from the request as it is now. Patient e-mails carry no condition,
    note or reason; the staff notice carries no patient details at all. Where it goes and
    where replies go are the booking settings' (the front desk's), never the clinic profile's
    (the content editors')."""
    appointment = notification.appointment
    clinic = ClinicProfile.load()
    booking_settings = BookingSettings.load()
    kind = notification.kind
    context = {
        "appointment": appointment,
        "clinic": clinic,
        "message": notification.message,
        "manage_url": appointment.get_absolute_manage_url(),
        "book_url": settings.SITE_URL + reverse("booking:request"),
        "site_url": settings.SITE_URL,
        "admin_url": settings.SITE_URL
        + reverse("admin:booking_appointmentrequest_change", args=[appointment.pk]),
        "cutoff_hours": booking_settings.cancellation_cutoff_hours,
        "LANGUAGE_CODE": translation.get_language(),
    }
    if appointment.course_id:  # every visit of the course, in the e-mail and its calendar file
        context["course_visits"] = list(
            appointment.course.visits.select_related("practitioner", "treatment_type", "course")
        )
    if kind == NotificationKind.SIGN_IN_LINK:
        link = sign_in_link_of(notification)
        context.update(sign_in_url=link.sign_in_url() if link else "", link_minutes=LINK_MINUTES)
    if kind == NotificationKind.STAFF_NEW_REQUEST:
        recipient = booking_settings.staff_email
    else:
        recipient = appointment.email
    starts_at = timezone.localtime(appointment.starts_at)
    email = EmailMultiAlternatives(
        subject=SUBJECTS[kind]
        % {
            "reference": appointment.reference,
            "day": formats.date_format(starts_at, "DATE_FORMAT"),
            "time": formats.time_format(starts_at, "TIME_FORMAT"),
        },
        body=render_to_string(f"emails/{kind}.txt", context),
        from_email=sender(clinic),
        to=[recipient] if recipient else [],
        reply_to=[booking_settings.reply_to_email] if booking_settings.reply_to_email else None,
    )
    email.attach_alternative(render_to_string(f"emails/{kind}.html", context), "text/html")
    if kind in CARRY_THE_CALENDAR_FILE and appointment.is_confirmed and appointment.course_id:
        confirmed = [visit for visit in context["course_visits"] if visit.is_confirmed]
        email.attach(
            f"course-{appointment.reference}.ics",
            visits_ics(confirmed, clinic, alarm_minutes=booking_settings.calendar_alarm_minutes),
            "text/calendar; method=PUBLISH",
        )
    elif kind in CARRY_THE_CALENDAR_FILE and appointment.is_confirmed:
        email.attach(
            f"appointment-{appointment.reference}.ics",
            appointment_ics(
                appointment, clinic, alarm_minutes=booking_settings.calendar_alarm_minutes
            ),
            "text/calendar; method=PUBLISH",
        )
    return email
