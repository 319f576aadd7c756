"""The workflow's e-mails: sent by the task worker after the commit, saying only what they
should, and never lost when the mail server fails. (These run tasks in the test's process, the
immediate backend; test_email_worker.py runs the real worker.)"""

import datetime
import email
import smtplib

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django_tasks_db.models import DBTaskResult
from icalendar import Calendar

from booking import emails, services
from booking.models import Notification, NotificationKind, NotificationStatus, Status
from booking.tests.factories import (
    AppointmentRequestFactory,
    BookingSettingsFactory,
    NotificationFactory,
    PatientDetailsFactory,
    at,
    next_monday,
    open_weekdays,
    place_at,
)
from clinic.tests.factories import ClinicProfileFactory
from conditions.tests.factories import ConditionFactory

pytestmark = pytest.mark.django_db

SITE_URL = "https://www.balancedhealth.example"
CLINIC_EMAIL = "hello@balancedhealth.example"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
PATIENT = {
    "first_name": "Ana",
    "last_name": "Quintero",
    "email": "ana.quintero@example.com",
    "phone": "+12025550143",
    "note": "Please use the side entrance.",
}


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPException("Connection refused by mail.example")


@pytest.fixture(autouse=True)
def clinic(db, settings):
    settings.SITE_URL = SITE_URL
    settings.EMAIL_BACKEND = LOCMEM
    profile = ClinicProfileFactory(email=CLINIC_EMAIL, phone="+1 555-0100")
    open_weekdays()  # the booking settings start with the clinic's e-mail as theirs
    return profile


@pytest.fixture
def now() -> datetime.datetime:
    return at(next_monday(), "0:00")


@pytest.fixture
def visit_time() -> datetime.datetime:
    return at(next_monday() + datetime.timedelta(days=2), "10:00")


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("frontdesk", is_staff=True)


@pytest.fixture
def sciatica():
    return ConditionFactory(name="Sciatica")


@pytest.fixture
def send_after_commit(django_capture_on_commit_callbacks):
    """Run a change the way a request does: its e-mails go out when it commits."""

    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


def request_visit(visit_time, now, condition=None):
    return services.appointment_request_create(
        place=place_at(visit_time),
        condition=condition,
        patient=PatientDetailsFactory(**PATIENT),
        consent_at=now,
        now=now,
    )


def texts(message) -> list[str]:
    """The subject, plain text and HTML of an e-mail."""
    return [message.subject, message.body, *(content for content, _ in message.alternatives)]


def sent_to(mailoutbox, address):
    (message,) = [m for m in mailoutbox if m.to == [address]]
    return message


def local_time_words(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local:%A, %B} {local.day}, {local.year} at {local:%I:%M %p}".replace(" 0", " ")


def calendar_event(message):
    """The event in the e-mail's calendar attachment, as a calendar app reads it."""
    parsed = email.message_from_bytes(message.message().as_bytes())
    (part,) = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    (event,) = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
    return part, event


# -- when e-mails go out -----------------------------------------------------------------------


def test_emails_go_out_only_after_the_request_is_committed(
    django_capture_on_commit_callbacks, mailoutbox, visit_time, now
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        request_visit(visit_time, now)
        assert mailoutbox == []
    assert len(callbacks) == 1  # one task sends both
    assert sorted(m.to[0] for m in mailoutbox) == sorted([PATIENT["email"], CLINIC_EMAIL])
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_no_email_goes_out_when_the_change_is_rolled_back(
    django_capture_on_commit_callbacks, mailoutbox, visit_time, now
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        request_visit(visit_time, now)
        raise RuntimeError("the page crashed before the commit")
    assert mailoutbox == []
    assert not Notification.objects.exists()


# -- what each e-mail says ---------------------------------------------------------------------


def test_request_received_email_has_the_manage_link_reference_and_local_time(
    send_after_commit, mailoutbox, visit_time, now, sciatica
):
    appointment = send_after_commit(request_visit, visit_time, now, sciatica)
    message = sent_to(mailoutbox, PATIENT["email"])
    manage_url = f"{SITE_URL}/appointments/{appointment.manage_token}/"
    assert message.subject == f"We received your appointment request ({appointment.reference})"
    for text in texts(message)[1:]:
        assert manage_url in text
        assert appointment.reference in text
        assert local_time_words(visit_time) in text
        assert "10:00 AM" in text
    assert message.reply_to == [CLINIC_EMAIL]


def test_request_received_email_names_no_condition_note_or_reason(
    send_after_commit, mailoutbox, visit_time, now, sciatica
):
    appointment = send_after_commit(request_visit, visit_time, now, sciatica)
    for text in texts(sent_to(mailoutbox, PATIENT["email"])):
        assert "Sciatica" not in text
        assert appointment.reason not in text
        assert PATIENT["note"] not in text


def test_staff_notice_goes_to_the_booking_address_without_patient_details(
    send_after_commit, mailoutbox, visit_time, now, sciatica
):
    appointment = send_after_commit(request_visit, visit_time, now, sciatica)
    notice = sent_to(mailoutbox, CLINIC_EMAIL)
    assert notice.subject == "A new appointment request is waiting"
    admin_link = SITE_URL + reverse(
        "admin:booking_appointmentrequest_change", args=[appointment.pk]
    )
    for text in texts(notice)[1:]:
        assert appointment.reference in text
        assert admin_link in text
    for text in texts(notice):
        for private in (*PATIENT.values(), "2025550143", "Sciatica"):
            assert private not in text


def test_staff_notice_goes_to_the_address_staff_chose(
    send_after_commit, mailoutbox, visit_time, now
):
    BookingSettingsFactory(staff_email="frontdesk@balancedhealth.example")
    send_after_commit(request_visit, visit_time, now)
    assert sorted(m.to[0] for m in mailoutbox) == [
        PATIENT["email"],
        "frontdesk@balancedhealth.example",
    ]


def test_confirmed_email_carries_the_visit_as_a_calendar_file(
    send_after_commit, mailoutbox, visit_time, now, staff, sciatica
):
    appointment = request_visit(visit_time, now, sciatica)
    send_after_commit(services.appointment_confirm, appointment=appointment, by=staff, now=now)
    (message,) = mailoutbox
    assert message.subject == f"Your appointment is confirmed ({appointment.reference})"
    assert message.to == [PATIENT["email"]]
    assert [a.filename for a in message.attachments] == [f"appointment-{appointment.reference}.ics"]
    part, event = calendar_event(message)
    assert part.get_filename() == f"appointment-{appointment.reference}.ics"
    assert event.decoded("dtstart") == visit_time
    assert event.decoded("dtend") == visit_time + datetime.timedelta(minutes=30)
    assert str(event["status"]) == "CONFIRMED"
    for field in ("summary", "description", "location"):
        assert "Sciatica" not in str(event[field])
        assert PATIENT["note"] not in str(event[field])
    assert appointment.manage_token in str(event["description"])
    for text in texts(message)[1:]:
        assert local_time_words(visit_time) in text
        assert "Sciatica" not in text


def test_calendar_attachment_names_its_charset_once(
    send_after_commit, mailoutbox, visit_time, now, staff
):
    """Naming a media type parameter twice is an error (RFC 6838, 4.3): clients may take
    either value or reject the part."""
    appointment = request_visit(visit_time, now)
    send_after_commit(services.appointment_confirm, appointment=appointment, by=staff, now=now)
    part, _ = calendar_event(mailoutbox[0])
    names = [name for name, _ in part.get_params()]
    assert names.count("charset") == 1
    assert part.get_param("method") == "PUBLISH"


def test_reminder_email_carries_the_calendar_file_too(
    send_after_commit, mailoutbox, visit_time, sciatica
):
    appointment = AppointmentRequestFactory(
        starts_at=visit_time, status=Status.CONFIRMED, condition=sciatica, **PATIENT
    )
    day_before = visit_time - datetime.timedelta(hours=20)
    assert send_after_commit(services.queue_visit_reminders, now=day_before) == 1
    (message,) = mailoutbox
    day = formats.date_format(visit_time, "DATE_FORMAT")  # "Wednesday, December 9, 2026"
    assert day.startswith("Wednesday, ")
    assert message.subject == (
        f"Reminder: your appointment on {day} at 10:00 AM ({appointment.reference})"
    )
    _, event = calendar_event(message)
    assert event.decoded("dtstart") == visit_time
    assert "Sciatica" not in str(event["summary"]) + str(event["description"])


def test_declined_email_has_staffs_message_and_the_booking_link(
    send_after_commit, mailoutbox, visit_time, now, staff
):
    appointment = request_visit(visit_time, now)
    send_after_commit(
        services.appointment_decline,
        appointment=appointment,
        by=staff,
        message="Dr Lee is away that week. Thursday works.",
    )
    (message,) = mailoutbox
    assert message.subject == (
        f"We could not confirm your appointment request ({appointment.reference})"
    )
    for text in texts(message)[1:]:
        assert "Dr Lee is away that week. Thursday works." in text
        assert f"{SITE_URL}/book/" in text
    assert not message.attachments


def test_cancelled_email_confirms_the_cancellation(send_after_commit, mailoutbox, visit_time, now):
    appointment = request_visit(visit_time, now)
    send_after_commit(services.appointment_cancel, appointment=appointment, now=now)
    (message,) = mailoutbox
    assert message.subject == f"Your appointment is cancelled ({appointment.reference})"
    assert "we have cancelled this appointment" in message.body


STATUS_FOR_KIND = {
    NotificationKind.REQUEST_RECEIVED: Status.REQUESTED,
    NotificationKind.STAFF_NEW_REQUEST: Status.REQUESTED,
    NotificationKind.CONFIRMED: Status.CONFIRMED,
    NotificationKind.REMINDER: Status.CONFIRMED,
    NotificationKind.DECLINED: Status.DECLINED,
    NotificationKind.CANCELLED: Status.CANCELLED,
    NotificationKind.CANCELLED_BY_CLINIC: Status.CANCELLED_BY_CLINIC,
    NotificationKind.MOVED: Status.CONFIRMED,
    NotificationKind.CHANGE_RECEIVED: Status.REQUESTED,
    NotificationKind.WAITLIST_OFFER: Status.HELD,
}


# The e-mails about a request (a returning patient's sign-in link: test_returning.py).
ABOUT_A_REQUEST = [
    kind for kind in NotificationKind.values if kind != NotificationKind.SIGN_IN_LINK
]


@pytest.mark.parametrize("kind", ABOUT_A_REQUEST)
def test_every_email_has_a_plain_text_and_an_html_version(kind, mailoutbox, visit_time):
    held_until = timezone.now() + datetime.timedelta(hours=2)  # for the waiting list's offer
    appointment = AppointmentRequestFactory(
        starts_at=visit_time, status=STATUS_FOR_KIND[kind], held_until=held_until
    )
    notification = NotificationFactory(appointment=appointment, kind=kind)
    assert emails.send_email(notification.pk) == NotificationStatus.SENT
    (message,) = mailoutbox
    assert appointment.reference in message.body
    assert "<html" not in message.body
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert html.startswith("<!doctype html>")
    assert appointment.reference in html


# -- when the mail server fails ----------------------------------------------------------------


def test_a_failing_mail_server_loses_no_request(send_after_commit, settings, visit_time, now):
    settings.EMAIL_BACKEND = "booking.tests.test_emails.FailingBackend"
    appointment = send_after_commit(request_visit, visit_time, now)
    assert appointment.status == Status.REQUESTED
    assert appointment.events.count() == 1
    for notification in appointment.notifications.all():
        assert notification.status == NotificationStatus.PENDING
        assert notification.attempts == 1
        assert notification.last_error == "SMTPException: Connection refused by mail.example"
        assert notification.next_attempt_at > timezone.now()


def test_a_failed_email_is_sent_by_a_later_retry(
    send_after_commit, settings, mailoutbox, visit_time, now
):
    settings.EMAIL_BACKEND = "booking.tests.test_emails.FailingBackend"
    appointment = send_after_commit(request_visit, visit_time, now)
    settings.EMAIL_BACKEND = LOCMEM
    assert sum(emails.send_due_emails(now=timezone.now()).values()) == 0  # not yet due
    later = timezone.now() + datetime.timedelta(minutes=3)
    assert emails.send_due_emails(now=later) == {NotificationStatus.SENT: 2}
    assert len(mailoutbox) == 2
    for notification in appointment.notifications.all():
        assert (notification.status, notification.attempts) == (NotificationStatus.SENT, 2)
        assert (notification.sent_at, notification.last_error) == (later, "")


def test_an_email_that_keeps_failing_is_given_up_after_the_last_attempt(settings, visit_time):
    settings.EMAIL_BACKEND = "booking.tests.test_emails.FailingBackend"
    notification = NotificationFactory(appointment__starts_at=visit_time)
    moment, waits = timezone.now(), []
    for _ in range(emails.MAX_ATTEMPTS):
        emails.send_due_emails(now=moment)
        notification.refresh_from_db()
        waits.append(notification.next_attempt_at - moment)
        moment = notification.next_attempt_at
    assert notification.status == NotificationStatus.FAILED
    assert notification.attempts == emails.MAX_ATTEMPTS
    assert waits[:3] == [datetime.timedelta(minutes=m) for m in (2, 4, 8)]  # backing off
    settings.EMAIL_BACKEND = LOCMEM
    assert emails.send_due_emails(now=moment + datetime.timedelta(days=30)) == {}


def test_an_email_no_longer_true_is_skipped_on_retry(
    send_after_commit, settings, mailoutbox, visit_time, now, staff
):
    settings.EMAIL_BACKEND = "booking.tests.test_emails.FailingBackend"
    appointment = request_visit(visit_time, now)
    send_after_commit(services.appointment_confirm, appointment=appointment, by=staff, now=now)
    settings.EMAIL_BACKEND = LOCMEM
    send_after_commit(services.appointment_cancel, appointment=appointment, now=now)
    outcomes = emails.send_due_emails(now=timezone.now() + datetime.timedelta(minutes=3))
    confirmed = appointment.notifications.get(kind=NotificationKind.CONFIRMED)
    assert confirmed.status == NotificationStatus.SKIPPED
    assert outcomes[NotificationStatus.SKIPPED] == 1
    assert sorted(m.subject for m in mailoutbox) == [
        "A new appointment request is waiting",
        f"We received your appointment request ({appointment.reference})",
        f"Your appointment is cancelled ({appointment.reference})",
    ]


def test_one_email_is_sent_once_however_often_it_is_claimed(mailoutbox, visit_time):
    notification = NotificationFactory(appointment__starts_at=visit_time)
    moment = timezone.now()
    assert emails.send_email(notification.pk, now=moment) == NotificationStatus.SENT
    assert emails.send_email(notification.pk, now=moment) is None
    assert emails.send_email(notification.pk, now=moment + datetime.timedelta(days=1)) is None
    assert len(mailoutbox) == 1


def test_an_email_claimed_by_another_worker_waits_for_its_lease(mailoutbox, visit_time):
    notification = NotificationFactory(appointment__starts_at=visit_time)
    moment = timezone.now()
    Notification.objects.filter(pk=notification.pk).update(  # another worker claimed it...
        status=NotificationStatus.SENDING, next_attempt_at=moment + emails.SENDING_LEASE
    )
    assert emails.send_email(notification.pk, now=moment + datetime.timedelta(minutes=1)) is None
    assert mailoutbox == []
    after_the_lease = moment + emails.SENDING_LEASE  # ...and died while sending
    assert emails.send_email(notification.pk, now=after_the_lease) == NotificationStatus.SENT
    assert len(mailoutbox) == 1


def test_a_staff_notice_with_nowhere_to_go_is_not_recorded_as_sent(mailoutbox, visit_time):
    """With no address for staff notices, the notice says why it was not sent (Django would
    send nothing to an empty recipient list and report success)."""
    BookingSettingsFactory(staff_email="")
    notification = NotificationFactory(
        appointment__starts_at=visit_time, kind=NotificationKind.STAFF_NEW_REQUEST
    )
    emails.send_email(notification.pk)
    notification.refresh_from_db()
    assert mailoutbox == []
    assert notification.status == NotificationStatus.SKIPPED
    assert "no address for staff notices" in notification.last_error


def test_a_content_editor_changing_the_clinic_email_redirects_no_booking_email(
    send_after_commit, mailoutbox, visit_time, now, clinic
):
    clinic.email = "attacker@evil.example"  # what an editor may change on the website
    clinic.save()
    send_after_commit(request_visit, visit_time, now)
    patient_email = sent_to(mailoutbox, PATIENT["email"])
    assert patient_email.reply_to == [CLINIC_EMAIL]
    assert sorted(m.to[0] for m in mailoutbox) == sorted([PATIENT["email"], CLINIC_EMAIL])
    assert "attacker@evil.example" not in str([m.message() for m in mailoutbox])


def test_emails_come_from_the_clinic_by_its_full_name(
    send_after_commit, mailoutbox, visit_time, now, clinic, settings
):
    settings.DEFAULT_FROM_EMAIL = "Balanced Health <appointments@balancedhealth.example>"
    clinic.name = "Acupuncture Balanced Health"
    clinic.save()
    send_after_commit(request_visit, visit_time, now)
    for message in mailoutbox:
        assert message.from_email == (
            "Acupuncture Balanced Health <appointments@balancedhealth.example>"
        )


# -- the task queue (the database backend, as production runs it) ------------------------------


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_change_and_its_emails_task_are_committed_together_or_not_at_all(
    database_queue, mailoutbox, visit_time, now
):
    with pytest.raises(RuntimeError), transaction.atomic():
        request_visit(visit_time, now)
        raise RuntimeError("the change fails after queueing its e-mails")
    assert not DBTaskResult.objects.exists()
    assert not Notification.objects.exists()

    appointment = request_visit(visit_time, now)

    (queued,) = DBTaskResult.objects.all()
    owed = sorted(appointment.notifications.values_list("pk", flat=True))
    assert queued.status == "READY"
    assert queued.task_path == "booking.emails.deliver_emails"
    assert sorted(queued.args_kwargs["args"][0]) == owed  # one task for the request's two
    assert mailoutbox == []  # nothing is sent by the change itself


def test_a_failed_send_queues_its_next_attempt_for_the_end_of_its_back_off(
    database_queue, settings, mailoutbox, visit_time
):
    settings.EMAIL_BACKEND = "booking.tests.test_emails.FailingBackend"
    notification = NotificationFactory(appointment__starts_at=visit_time)

    assert emails.deliver_emails.call([notification.pk]) == [NotificationStatus.PENDING]

    notification.refresh_from_db()
    (retry,) = DBTaskResult.objects.all()
    assert retry.args_kwargs["args"] == [[notification.pk]]
    assert retry.run_after == notification.next_attempt_at > timezone.now()
    assert emails.progress(notification).startswith(
        "The mail server failed: SMTPException: Connection refused by mail.example. Next attempt"
    )
    settings.EMAIL_BACKEND = LOCMEM
    assert emails.deliver_emails.call([notification.pk]) == [None]  # not due before then
    assert mailoutbox == []
