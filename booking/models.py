"""Appointment requests, the booking settings staff control, and the e-mail outbox (the
diary's models, in booking.diary, are imported at the end)."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from booking.display import phone_for_people
from booking.validators import validate_person_name, validate_plain_text
from clinic.models import ClinicProfile
from conditions.models import Condition

# Short references patients read out on the phone: no 0/O, 1/I/L, 5/S, 2/Z look-alikes.
REFERENCE_ALPHABET = "346789ABCDEFGHJKMNPQRTUVWXY"
REFERENCE_LENGTH = 6
# No visit lasts longer than the longest slot: finding a time's overlapping bookings then
# reads only the requests that start up to this long before it, however many years exist.
LONGEST_SLOT_MINUTES = 240
LONGEST_VISIT = datetime.timedelta(minutes=LONGEST_SLOT_MINUTES)
# The steps free times are offered on, in minutes.
GRID_MINUTES = (5, 10, 15, 20, 30, 60)
# When reminders may go, in hours before the visit (real elapsed time, whatever the clocks do),
# and the words staff choose them by.
REMINDER_LEADS = {
    168: _("1 week before"),
    72: _("3 days before"),
    48: _("48 hours before"),
    24: _("24 hours before (the day before)"),
    4: _("4 hours before"),
    2: _("2 hours before"),
    1: _("1 hour before"),
}
# The alarm the patient's calendar file may carry, in minutes before the visit (0: none).
CALENDAR_ALARMS = [
    (0, _("No alarm")),
    (15, _("15 minutes before")),
    (30, _("30 minutes before")),
    (60, _("1 hour before")),
    (120, _("2 hours before")),
    (24 * 60, _("1 day before")),
]


def the_day_before() -> list[int]:
    """The reminders a clinic starts with: one, 24 hours before the visit."""
    return [24]


def validate_reminder_leads(value) -> None:
    """A list of distinct lead times from REMINDER_LEADS (empty: no reminders)."""
    if not isinstance(value, list) or any(
        type(hours) is not int or hours not in REMINDER_LEADS for hours in value
    ):
        raise ValidationError(_("Choose reminder times from the list."), code="invalid_choice")
    if len(set(value)) != len(value):
        raise ValidationError(_("Each reminder time can be chosen once."), code="duplicate")


def lead_words(hours: int) -> str:
    """How long before the visit a reminder goes, in staff's words."""
    if hours in REMINDER_LEADS:
        return str(REMINDER_LEADS[hours])
    return ngettext("%(hours)d hour before", "%(hours)d hours before", hours) % {"hours": hours}


class BookingSettings(models.Model):
    """How online booking works: one row, edited by the front desk."""

    grid_minutes = models.PositiveSmallIntegerField(
        _("offer times every (minutes)"),
        choices=[(minutes, minutes) for minutes in GRID_MINUTES],
        default=15,
        help_text=_("Free times start on this grid from each practitioner's working hours."),
    )
    patient_changes_confirmed = models.BooleanField(
        _("patient changes are confirmed at once"),
        default=False,
        help_text=_(
            "Otherwise a confirmed visit the patient moves goes back to waiting for confirmation."
        ),
    )
    min_notice_hours = models.PositiveSmallIntegerField(
        _("minimum notice (hours)"),
        default=12,
        validators=[MaxValueValidator(24 * 14)],
        help_text=_("Patients cannot request a time sooner than this from now."),
    )
    horizon_days = models.PositiveSmallIntegerField(
        _("book up to (days ahead)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    cancellation_cutoff_hours = models.PositiveSmallIntegerField(
        _("online cancellation until (hours before)"),
        default=24,
        validators=[MaxValueValidator(24 * 14)],
        help_text=_("After this, patients are asked to call to cancel."),
    )
    retention_days = models.PositiveSmallIntegerField(
        _("keep patient details for (days after the visit)"),
        default=365,
        validators=[MinValueValidator(30), MaxValueValidator(3650)],
        help_text=_("Then names, contact details and notes are erased; the counts remain."),
    )
    staff_email = models.EmailField(
        _("send staff notices to"),
        blank=True,
        help_text=_("Where “a new request is waiting” notices go. Blank: no notices are sent."),
    )
    reply_to_email = models.EmailField(
        _("patients' replies go to"),
        blank=True,
        help_text=_(
            "The reply address of every e-mail to patients. Blank: replies go to the "
            "sender address the site sends from."
        ),
    )
    reminder_lead_hours = models.JSONField(
        _("send reminders"),
        default=the_day_before,
        blank=True,
        validators=[validate_reminder_leads],
        help_text=_(
            "Each chosen time sends one reminder e-mail, counted back from the visit's start. "
            "A visit booked or moved later than a time gets no reminder for it, and only the "
            "nearest time that has come is sent (no late 48-hour reminder 2 hours before). "
            "None chosen: no reminders."
        ),
    )
    calendar_alarm_minutes = models.PositiveIntegerField(
        _("alarm in the patient's calendar file"),
        choices=CALENDAR_ALARMS,
        default=0,
        help_text=_(
            "The calendar file attached to the confirmation, the reminder and the news of a "
            "move can ask the patient's calendar to alert them before the visit."
        ),
    )
    waitlist_hold_minutes = models.PositiveSmallIntegerField(
        _("hold a freed place for the waiting list (minutes)"),
        default=120,
        validators=[MinValueValidator(15), MaxValueValidator(48 * 60)],
        help_text=_(
            "A freed place is offered by e-mail to the first matching patient on the waiting "
            "list and shown to nobody else for this long; then the next patient is offered it."
        ),
    )

    class Meta:
        verbose_name = _("booking settings")
        verbose_name_plural = _("booking settings")

    def __str__(self) -> str:
        return str(_("Booking settings"))

    @classmethod
    def load(cls) -> "BookingSettings":
        """The one settings row, created with the defaults the first time it is needed.

        Where booking e-mail goes starts as the clinic's public e-mail address, copied once:
        from then on only the front desk or a superuser changes it here, never a content
        editor editing the clinic's profile."""
        settings_row = cls.objects.order_by("pk").first()
        if settings_row:
            return settings_row
        clinic_email = ClinicProfile.load().email
        try:
            with transaction.atomic():
                return cls.objects.create(
                    pk=1, staff_email=clinic_email, reply_to_email=clinic_email
                )
        except IntegrityError:  # created meanwhile by a concurrent request
            return cls.objects.get(pk=1)


class Status(models.TextChoices):
    REQUESTED = "requested", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    ARRIVED = "arrived", _("Arrived")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled by patient")
    CANCELLED_BY_CLINIC = "clinic_cancelled", _("Cancelled by the clinic")
    COMPLETED = "completed", _("Completed")
    NO_SHOW = "no_show", _("No-show")
    # The waiting list (booking.waitlist): a freed place held for one patient until they
    # take it or the hold ends.
    HELD = "held", _("Held for the waiting list")
    OFFER_NOT_TAKEN = "offer_not_taken", _("Waiting-list offer not taken")


# The requests that hold a place in the diary: waiting, confirmed, the patient is here, or
# held for someone on the waiting list.
ACTIVE_STATUSES = (Status.REQUESTED, Status.CONFIRMED, Status.ARRIVED, Status.HELD)
# A confirmed place: confirmed, or confirmed and the patient has checked in.
CONFIRMED_STATUSES = (Status.CONFIRMED, Status.ARRIVED)
# 0 for a waiting request, 1 for any other: the admin's list sorts by it (and is indexed so).
WAITING_FIRST = Case(
    When(status=Status.REQUESTED, then=Value(0)), default=Value(1), output_field=IntegerField()
)


class EventAction(models.TextChoices):
    """What a change in the audit trail was (stored as the words of the first release)."""

    REQUESTED = "requested", _("requested")
    CONFIRMED = "confirmed", _("confirmed")
    DECLINED = "declined", _("declined")
    CANCELLED = "cancelled", _("cancelled")
    CANCELLED_BY_CLINIC = "cancelled by the clinic", _("cancelled by the clinic")
    COMPLETED = "marked completed", _("marked completed")
    NO_SHOW = "marked no-show", _("marked no-show")
    BOOKED = "booked by the front desk", _("booked by the front desk")
    MOVED = "moved", _("moved")
    CHANGED = "changed by the patient", _("changed by the patient")
    OVERBOOKED = "overbooked deliberately", _("overbooked deliberately")
    ARRIVED = "checked in", _("checked in")
    OFFERED = "offered from the waiting list", _("offered from the waiting list")
    CLAIMED = "taken from the waiting list", _("taken from the waiting list")
    OFFER_LAPSED = "offer lapsed", _("offer lapsed")
    OFFER_REFUSED = "offer turned down", _("offer turned down")


class Source(models.TextChoices):
    ONLINE = "online", _("booked online")
    FRONT_DESK = "front_desk", _("booked by the front desk")


class AppointmentRequestQuerySet(models.QuerySet):
    def active(self) -> "AppointmentRequestQuerySet":
        """Requests that hold a place in their slot: waiting, confirmed or arrived."""
        return self.filter(status__in=ACTIVE_STATUSES)

    def overlapping(
        self, start: datetime.datetime, end: datetime.datetime
    ) -> "AppointmentRequestQuerySet":
        """Requests whose practitioner's time (the visit and its buffer) shares part of
        [start, end). None blocks longer than LONGEST_VISIT, so the lower bound on starts_at
        changes nothing but what the index has to read."""
        return self.filter(
            starts_at__gt=start - LONGEST_VISIT, starts_at__lt=end, blocks_until__gt=start
        )

    def upcoming(self, now: datetime.datetime | None = None) -> "AppointmentRequestQuerySet":
        return self.filter(starts_at__gte=now or timezone.now())

    def waiting_first(self) -> "AppointmentRequestQuerySet":
        """Waiting requests on top (the front desk's to-do), then by visit time."""
        return self.annotate(waiting=WAITING_FIRST).order_by("waiting", "starts_at")

    def for_manage_token(self, token: str) -> "AppointmentRequestQuerySet":
        return self.filter(manage_token_hash=hash_token(token))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _position in range(REFERENCE_LENGTH))


class AppointmentRequest(models.Model):
    """A patient's request for a visit. Its status changes only through booking.services."""

    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.REQUESTED,
        editable=False,
    )
    starts_at = models.DateTimeField(_("visit time"))
    ends_at = models.DateTimeField(_("ends at"))
    condition = models.ForeignKey(
        Condition,
        verbose_name=_("reason"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointment_requests",
        help_text=_("Empty means “something else”."),
    )
    # A practitioner who leaves keeps their row (PROTECT): past visits keep their name.
    practitioner = models.ForeignKey(
        "clinic.Practitioner",
        verbose_name=_("practitioner"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    treatment_type = models.ForeignKey(
        "booking.TreatmentType",
        verbose_name=_("treatment"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    blocks_until = models.DateTimeField(
        _("practitioner busy until"),
        help_text=_("The end of the visit and of the time after it."),
    )
    is_overbooked = models.BooleanField(_("overbooked deliberately"), default=False)
    overbooking_reason = models.TextField(_("why it is overbooked"), blank=True)
    source = models.CharField(
        _("how it was booked"), max_length=12, choices=Source.choices, default=Source.ONLINE
    )
    first_name = models.CharField(
        _("first name"), max_length=100, validators=[validate_person_name]
    )
    last_name = models.CharField(_("last name"), max_length=100, validators=[validate_person_name])
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(
        _("phone"), max_length=20
    )  # E.164, e.g. +12025550143: see phone_display
    is_new_patient = models.BooleanField(_("new patient"))
    note = models.TextField(
        _("patient's note"), max_length=500, blank=True, validators=[validate_plain_text]
    )
    consent_at = models.DateTimeField(_("privacy consent given at"))
    language = models.CharField(
        _("language"),
        max_length=12,
        default=settings.LANGUAGE_CODE,
        editable=False,
        help_text=_("The language the patient used on the site: e-mails to them use it."),
    )
    staff_notes = models.TextField(
        _("staff notes"),
        blank=True,
        help_text=_("Only staff see these. Keep health details to what is needed."),
    )
    manage_token_salt = models.CharField(max_length=32, editable=False)
    manage_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    anonymised_at = models.DateTimeField(
        _("personal details erased at"), null=True, blank=True, editable=False
    )
    # When the patient first used a link sent to this address (booking.returning).
    email_verified_at = models.DateTimeField(
        _("e-mail verified at"), null=True, blank=True, editable=False
    )
    # A place held for someone on the waiting list (status HELD): whose, and until when.
    waitlist_entry = models.ForeignKey(
        "booking.WaitlistEntry",
        verbose_name=_("waiting-list entry"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="offers",
    )
    held_until = models.DateTimeField(_("held until"), null=True, blank=True, editable=False)
    # Counts the visit's moves: its e-mails about the time are keyed by it, and its calendar
    # file carries it as SEQUENCE, so a calendar moves the event instead of adding one.
    sequence = models.PositiveIntegerField(_("times moved"), default=0, editable=False)
    # A visit of a course (booking.courses): which course, and which visit of it (from 1).
    course = models.ForeignKey(
        "booking.Course",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="visits",
    )
    course_position = models.PositiveSmallIntegerField(
        _("visit of the course"), null=True, blank=True, editable=False
    )

    objects = AppointmentRequestQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("appointment request")
        verbose_name_plural = _("appointment requests")
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["starts_at"]),
            # Years of requests: the admin's list (waiting first, then by visit time, then
            # newest row, as the changelist adds) reads its first page from this index ...
            models.Index(
                WAITING_FIRST, F("starts_at"), F("id").desc(), name="booking_request_waiting_first"
            ),
            # ... and a patient's upcoming requests are counted by e-mail or phone.
            models.Index(Upper("email"), name="booking_request_email_upper"),
            models.Index(fields=["phone"], name="booking_request_phone"),
            # A practitioner's bookings overlapping a time (starts_at bounded by LONGEST_VISIT).
            models.Index(fields=["practitioner", "starts_at"], name="booking_request_diary"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="appointment_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(blocks_until__gte=models.F("ends_at")),
                name="appointment_buffer_after_the_visit",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="appointment_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}"

    @property
    def patient_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or str(_("(erased)"))

    @property
    def reason(self) -> str:
        return self.condition.name if self.condition_id else str(_("Something else"))

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_waiting(self) -> bool:
        return self.status == Status.REQUESTED

    @property
    def is_confirmed(self) -> bool:
        return self.status == Status.CONFIRMED

    @property
    def has_arrived(self) -> bool:
        """Checked in at the front desk: the visit is under way, no longer changed online."""
        return self.status == Status.ARRIVED

    @property
    def is_held(self) -> bool:
        """Held for someone on the waiting list, until they take it or the hold ends."""
        return self.status == Status.HELD

    @property
    def is_offer_not_taken_up(self) -> bool:
        """A waiting-list offer still held, or ended without being taken (it lapsed or the
        patient let it go): its page is the offer's, not a visit's."""
        return self.status in (Status.HELD, Status.OFFER_NOT_TAKEN)

    @property
    def was_declined(self) -> bool:
        return self.status == Status.DECLINED

    @property
    def was_cancelled_by_patient(self) -> bool:
        return self.status == Status.CANCELLED

    @property
    def phone_display(self) -> str:
        return phone_for_people(self.phone) if self.phone else ""

    @property
    def length_minutes(self) -> int:
        return round((self.ends_at - self.starts_at).total_seconds() / 60)

    @property
    def was_turned_down(self) -> bool:
        """Declined as a request, or cancelled by the clinic after it was confirmed."""
        return self.status in (Status.DECLINED, Status.CANCELLED_BY_CLINIC)

    @property
    def clinic_message(self) -> str:
        """Staff's words to the patient when the clinic declined or cancelled, if any."""
        if not self.was_turned_down:
            return ""
        words = (
            self.events.filter(to_status=self.status)
            .exclude(message="")
            .order_by("-at", "-pk")
            .values_list("message", flat=True)
            .first()
        )
        return words or ""

    def rebooking_details(self) -> dict[str, str]:
        """What the booking form starts with when this patient asks for another time."""
        return {
            "reason": self.condition.slug if self.condition_id else "other",
            "first_name": self.first_name,
            "last_name": self.last_name,
            "email": self.email,
            "phone": self.phone,
            "patient_type": "new" if self.is_new_patient else "returning",
            "treatment": str(self.treatment_type_id),
            "practitioner": str(self.practitioner_id),
        }

    def start_new_manage_token(self) -> None:
        """Choose the secret behind the manage link; only its hash is stored."""
        self.manage_token_salt = secrets.token_hex(16)
        self.manage_token_hash = hash_token(self.manage_token)

    @property
    def manage_token(self) -> str:
        """The manage link's token, derived from the site's secret key and this request's salt,
        so e-mails can carry it without the token itself being stored."""
        return salted_hmac(
            "booking.manage-link", f"{self.reference}:{self.manage_token_salt}", algorithm="sha256"
        ).hexdigest()

    @property
    def course_visit(self) -> str:
        """“visit 3 of 8” for a visit of a course, else "" (reads the course once)."""
        if not self.course_id:
            return ""
        return visit_of(self.course_position, self.course.visit_count)

    def get_manage_url(self) -> str:
        return reverse("booking:manage", kwargs={"token": self.manage_token})

    def get_absolute_manage_url(self) -> str:
        return settings.SITE_URL + self.get_manage_url()


class AppointmentEvent(models.Model):
    """The audit trail: who changed a request, from what to what, and when."""

    appointment = models.ForeignKey(
        AppointmentRequest,
        verbose_name=_("appointment request"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text=_("Empty when the patient or the system did it."),
    )
    action = models.CharField(_("action"), max_length=30, choices=EventAction.choices)
    from_status = models.CharField(
        _("from status"), max_length=20, choices=Status.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=20, choices=Status.choices, blank=True)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("change")
        verbose_name_plural = _("audit trail")

    def __str__(self) -> str:
        return gettext("%(action)s at %(when)s") % {
            "action": self.get_action_display(),
            "when": formats.date_format(timezone.localtime(self.at), "DATETIME_FORMAT"),
        }

    @property
    def actor_name(self) -> str:
        if self.actor_id:
            return self.actor.get_full_name() or self.actor.get_username()
        by_patient = self.action in {
            EventAction.REQUESTED,
            EventAction.CANCELLED,
            EventAction.CHANGED,
            EventAction.CLAIMED,
            EventAction.OFFER_REFUSED,
        }
        return str(_("Patient") if by_patient else _("System"))


class NotificationKind(models.TextChoices):
    REQUEST_RECEIVED = "request_received", _("Request received (to patient)")
    CONFIRMED = "confirmed", _("Visit confirmed (to patient)")
    DECLINED = "declined", _("Request declined (to patient)")
    CANCELLED = "cancelled", _("Cancellation (to patient)")
    CANCELLED_BY_CLINIC = "clinic_cancelled", _("Visit cancelled by the clinic (to patient)")
    REMINDER = "reminder", _("Visit reminder (to patient)")
    MOVED = "moved", _("Visit moved (to patient)")
    CHANGE_RECEIVED = "change_received", _("Change waiting for confirmation (to patient)")
    STAFF_NEW_REQUEST = "staff_new_request", _("New request waiting (to staff)")
    SIGN_IN_LINK = "sign_in_link", _("Sign-in link (to a returning patient)")
    WAITLIST_OFFER = "waitlist_offer", _("A place from the waiting list (to patient)")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed: gave up after retries")
    SKIPPED = "skipped", _("Not sent: no longer relevant")


class NotificationQuerySet(models.QuerySet):
    def due(self, now: datetime.datetime) -> "NotificationQuerySet":
        """E-mails a sender may claim now: waiting ones whose next attempt is due, and those
        whose sender's lease ran out (it died while sending)."""
        return self.filter(
            status__in=[NotificationStatus.PENDING, NotificationStatus.SENDING],
            next_attempt_at__lte=now,
        )


class Notification(models.Model):
    """One e-mail the site owes someone. Written in the same transaction as the change it
    reports, with the task that sends it; sent by the task worker after the commit, retried
    until it goes out (booking/emails.py). While it is being sent, next_attempt_at is the end
    of its sender's lease. The text is rendered when sending, so nothing personal is stored
    here twice."""

    appointment = models.ForeignKey(
        AppointmentRequest,
        verbose_name=_("appointment request"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("e-mail"), max_length=30, choices=NotificationKind.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
    )
    message = models.TextField(blank=True, help_text=_("Staff's words to the patient, if any."))
    # Which time of the visit the e-mail is about (the request's `sequence` when queued): a
    # moved visit is owed a new confirmation and reminder, each still sent once.
    visit_sequence = models.PositiveIntegerField(_("for the visit's time no."), default=0)
    # A reminder: how many hours before the visit it goes (one of each per visit time). 0 for
    # every other e-mail.
    lead_hours = models.PositiveSmallIntegerField(_("hours before the visit"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        constraints = [
            # A returning patient's sign-in links go with their latest request: any number.
            models.UniqueConstraint(
                fields=["appointment", "kind", "visit_sequence", "lead_hours"],
                condition=~Q(kind="sign_in_link"),
                name="one_email_of_each_kind_per_visit_time_and_lead",
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return gettext("%(email)s for %(reference)s") % {
            "email": self.label,
            "reference": self.appointment.reference,
        }

    @property
    def label(self) -> str:
        """Which e-mail it is, in staff's words; a reminder says when it goes."""
        if self.kind == NotificationKind.REMINDER and self.lead_hours:
            return gettext("Reminder %(lead)s") % {"lead": lead_words(self.lead_hours)}
        return self.get_kind_display()


# The diary's models: importing them here is how Django finds them.
from booking.courses import Course, visit_of  # noqa: E402, F401
from booking.diary import (  # noqa: E402, F401
    PractitionerDiary,
    TimeOff,
    TreatmentType,
    WorkingHours,
)
from booking.feeds import CalendarFeed  # noqa: E402, F401
from booking.returning import SignInLink  # noqa: E402, F401
from booking.waitlist import WaitlistEntry  # noqa: E402, F401
