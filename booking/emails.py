"""The e-mails of the booking workflow, kept in an outbox until they are sent.

An e-mail is queued in the same transaction as the change it reports, sent right after
the commit, and, if the mail server fails, retried by `manage.py send_pending_emails`
(cron). A failed send never loses or blocks a request.
"""

import datetime
import logging
from collections import Counter
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from booking.calendar import appointment_ics
from booking.models import (
    AppointmentRequest,
    BookingSettings,
    Notification,
    NotificationKind,
    NotificationStatus,
    Status,
)
from clinic.models import ClinicProfile

logger = logging.getLogger(__name__)

NO_STAFF_ADDRESS = _("Not sent: no address for staff notices is set in Booking settings.")
MAX_ATTEMPTS = 8
SENDING_LEASE = datetime.timedelta(minutes=5)
SUBJECTS = {
    NotificationKind.REQUEST_RECEIVED: _("We received your appointment request (%(reference)s)"),
    NotificationKind.CONFIRMED: _("Your appointment is confirmed (%(reference)s)"),
    NotificationKind.DECLINED: _("We could not confirm your appointment request (%(reference)s)"),
    NotificationKind.CANCELLED: _("Your appointment is cancelled (%(reference)s)"),
    NotificationKind.CANCELLED_BY_CLINIC: _(
        "We have had to cancel your appointment (%(reference)s)"
    ),
    NotificationKind.REMINDER: _("Reminder: your appointment tomorrow (%(reference)s)"),
    NotificationKind.STAFF_NEW_REQUEST: _("A new appointment request is waiting"),
}
# Only send an e-mail while it is still true: a confirmation retried after the patient
# cancelled would mislead.
STILL_TRUE = {
    NotificationKind.REQUEST_RECEIVED: None,
    NotificationKind.CONFIRMED: {Status.CONFIRMED},
    NotificationKind.DECLINED: {Status.DECLINED},
    NotificationKind.CANCELLED: {Status.CANCELLED},
    NotificationKind.CANCELLED_BY_CLINIC: {Status.CANCELLED_BY_CLINIC},
    NotificationKind.REMINDER: {Status.CONFIRMED},
    NotificationKind.STAFF_NEW_REQUEST: None,
}


def queue_email(appointment: AppointmentRequest, kind: str, message: str = "") -> Notification:
    """Record that an e-mail is owed, and send it once the current transaction commits."""
    notification = Notification.objects.create(appointment=appointment, kind=kind, message=message)
    transaction.on_commit(lambda: send_email(notification.pk))
    return notification


def send_email(notification_id: int, now: datetime.datetime | None = None) -> str | None:
    """Send one queued e-mail now. Failures are recorded for a later retry, never raised.

    Returns the e-mail's status afterwards (None if it was not ours to send). The e-mail is
    first claimed for a few minutes with one UPDATE, so two workers never
    send it twice, and no transaction stays open while the mail server answers.
    """
    now = now or timezone.now()
    claimed = (
        Notification.objects.due(now)
        .filter(pk=notification_id)
        .update(next_attempt_at=now + SENDING_LEASE)
    )
    if not claimed:
        return None  # sent or being sent by another worker, given up, or not yet due
    notification = Notification.objects.select_related("appointment__condition").get(
        pk=notification_id
    )
    return _deliver(notification, now)


def send_due_emails(now: datetime.datetime | None = None) -> Counter:
    """Send every queued e-mail whose next attempt is due; count the outcomes by status."""
    now = now or timezone.now()
    due = list(Notification.objects.due(now).values_list("pk", flat=True))
    return Counter(send_email(notification_id, now) for notification_id in due)


def _deliver(notification: Notification, now: datetime.datetime) -> str:
    appointment = notification.appointment
    still_true = STILL_TRUE[notification.kind]
    if still_true is not None and appointment.status not in still_true:
        notification.status = NotificationStatus.SKIPPED
        notification.save(update_fields=["status"])
        return notification.status
    with translation.override(language_of(notification)):
        email = build_email(notification)
    if not email.to:
        notification.status = NotificationStatus.SKIPPED
        notification.last_error = str(NO_STAFF_ADDRESS)
        notification.save(update_fields=["status", "last_error"])
        return notification.status
    try:
        email.send()
    except Exception as error:
        notification.attempts += 1
        notification.last_error = f"{type(error).__name__}: {error}"[:300]
        if notification.attempts >= MAX_ATTEMPTS:
            notification.status = NotificationStatus.FAILED
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
    notification.status = NotificationStatus.SENT
    notification.sent_at = now
    notification.attempts += 1
    notification.last_error = ""
    notification.save(update_fields=["status", "sent_at", "attempts", "last_error"])
    return notification.status


def language_of(notification: Notification) -> str:
    """Patients read their e-mails in the language they used on the site; staff in the
    clinic's."""
    if notification.kind == NotificationKind.STAFF_NEW_REQUEST:
        return settings.LANGUAGE_CODE
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
    if kind == NotificationKind.STAFF_NEW_REQUEST:
        recipient = booking_settings.staff_email
    else:
        recipient = appointment.email
    email = EmailMultiAlternatives(
        subject=SUBJECTS[kind] % {"reference": appointment.reference},
        body=render_to_string(f"emails/{kind}.txt", context),
        from_email=sender(clinic),
        to=[recipient] if recipient else [],
        reply_to=[booking_settings.reply_to_email] if booking_settings.reply_to_email else None,
    )
    email.attach_alternative(render_to_string(f"emails/{kind}.html", context), "text/html")
    if kind in {NotificationKind.CONFIRMED, NotificationKind.REMINDER}:
        email.attach(
            f"appointment-{appointment.reference}.ics",
            appointment_ics(appointment, clinic),
            "text/calendar; method=PUBLISH",
        )
    return email
