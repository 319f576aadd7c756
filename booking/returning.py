"""Patients who come back: the one-time sign-in link a returning patient asks for by e-mail,
their upcoming things, and a patient's history for staff (imported at the end of
booking.models, so Django finds the model).

An address is verified once its owner used a link that went to it: a sign-in link (every
request with that address is then marked), or a request's manage link (that request is
marked when its page is first opened). Staff's history matches requests by verified
address, and bookings staff entered by phone number.
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from booking.models import (
    ACTIVE_STATUSES,
    AppointmentRequest,
    Notification,
    Source,
    Status,
    hash_token,
)
from booking.waitlist import WaitlistEntry, WaitlistStatus

LINK_LIFETIME = datetime.timedelta(minutes=30)
LINK_MINUTES = int(LINK_LIFETIME.total_seconds() // 60)
# How long "your page" stays open after the link was used (then the patient asks again).
PAGE_LIFETIME = datetime.timedelta(minutes=30)
# The purge deletes links older than this: none is of any use after PAGE_LIFETIME.
LINKS_KEPT = datetime.timedelta(days=1)
# Staff's history shows at most this many requests (the newest).
HISTORY_ROWS = 200


class SignInLinkQuerySet(models.QuerySet):
    def usable(self, now: datetime.datetime) -> "SignInLinkQuerySet":
        return self.filter(used_at__isnull=True, expires_at__gt=now)

    def for_token(self, token: str) -> "SignInLinkQuerySet":
        return self.filter(token_hash=hash_token(token))


class SignInLink(models.Model):
    """A link to a returning patient's own page, sent to the address they typed: valid for
    LINK_LIFETIME, used once. Only the token's hash is stored; the token is derived from the
    site's secret key and the row's salt, so the worker can put it in the e-mail."""

    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=12, default=settings.LANGUAGE_CODE)
    token_salt = models.CharField(max_length=32, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("asked for at"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    # The outbox row of its e-mail, once the worker found the address known.
    notification = models.OneToOneField(
        Notification,
        verbose_name=_("e-mail"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sign_in_link",
    )

    objects = SignInLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")
        indexes = [models.Index(fields=["created_at"], name="booking_sign_in_link_created")]

    def __str__(self) -> str:
        return str(_("Sign-in link %(pk)s") % {"pk": self.pk})

    @classmethod
    def new(cls, *, email: str, language: str, now: datetime.datetime) -> "SignInLink":
        link = cls(email=email, language=language, created_at=now, expires_at=now + LINK_LIFETIME)
        link.token_salt = secrets.token_hex(16)
        link.token_hash = hash_token(link.token)
        return link

    @property
    def token(self) -> str:
        return salted_hmac("booking.sign-in-link", self.token_salt, algorithm="sha256").hexdigest()

    def sign_in_url(self) -> str:
        """The whole address the e-mail carries."""
        return settings.SITE_URL + reverse("booking:sign_in", kwargs={"token": self.token})

    def is_usable(self, now: datetime.datetime) -> bool:
        return self.used_at is None and self.expires_at > now

    def page_is_open(self, now: datetime.datetime) -> bool:
        """The patient's page, after they used the link: open for PAGE_LIFETIME."""
        return self.used_at is not None and now < self.used_at + PAGE_LIFETIME


def requests_of_address(email: str) -> models.QuerySet:
    """Every request with this address (case-insensitive, on the e-mail index), not erased."""
    return AppointmentRequest.objects.filter(email__iexact=email, anonymised_at__isnull=True)


def patient_upcoming(*, email: str, now: datetime.datetime) -> dict[str, list]:
    """This patient's upcoming things, by kind, for their page: the visits still ahead that
    hold a place (each shown with its manage link), and their waiting-list entries still
    waiting or with a place held for them (each with its own page)."""
    visits = (
        requests_of_address(email)
        .filter(status__in=ACTIVE_STATUSES, starts_at__gte=now)
        .select_related("treatment_type", "practitioner")
        .order_by("starts_at", "pk")
    )
    entries = (
        WaitlistEntry.objects.filter(
            email__iexact=email,
            anonymised_at__isnull=True,
            status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED],
            until__gte=timezone.localdate(now),
        )
        .select_related("treatment_type", "practitioner")
        .order_by("created_at", "pk")
    )
    return {"visits": list(visits), "waitlist": list(entries)}


def returning_details(email: str) -> dict[str, str]:
    """What "Book again" fills in: the name and phone of the patient's latest request."""
    latest = requests_of_address(email).order_by("-created_at", "-pk").first()
    if latest is None:
        return {"email": email, "patient_type": "returning"}
    return {
        "first_name": latest.first_name,
        "last_name": latest.last_name,
        "email": latest.email,
        "phone": latest.phone,
        "patient_type": "returning",
    }


def same_patient(appointment: AppointmentRequest) -> Q:
    """The requests staff see as this patient's: this one; those with the same address
    (case-insensitive) when this one's and theirs were verified; and the bookings staff
    entered with the same phone number."""
    others = Q()
    if appointment.email and appointment.email_verified_at:
        others |= Q(email__iexact=appointment.email, email_verified_at__isnull=False)
    if appointment.phone:
        others |= Q(phone=appointment.phone, source=Source.FRONT_DESK)
    if not others:
        return Q(pk=appointment.pk)
    return Q(pk=appointment.pk) | (others & Q(anonymised_at__isnull=True))


# How the history counts a request's status.
NO_SHOWS = (Status.NO_SHOW,)
CANCELLATIONS = (Status.CANCELLED, Status.CANCELLED_BY_CLINIC)
VISITS = (Status.COMPLETED, Status.ARRIVED)


def patient_history(appointment: AppointmentRequest) -> dict:
    """The patient's requests, newest first (at most HISTORY_ROWS), and their counts (of
    visits, no-shows, cancellations, declines and courses): one query, however long the
    history."""
    rows = list(
        AppointmentRequest.objects.filter(same_patient(appointment))
        .select_related("treatment_type", "practitioner", "course")
        .order_by("-starts_at", "-pk")[: HISTORY_ROWS + 1]
    )
    shown = rows[:HISTORY_ROWS]
    return {
        "rows": shown,
        "more": len(rows) > HISTORY_ROWS,
        "visits": sum(row.status in VISITS for row in shown),
        "upcoming": sum(row.status in (Status.REQUESTED, Status.CONFIRMED) for row in shown),
        "no_shows": sum(row.status in NO_SHOWS for row in shown),
        "cancellations": sum(row.status in CANCELLATIONS for row in shown),
        "declined": sum(row.status == Status.DECLINED for row in shown),
        "courses": len({row.course_id for row in shown if row.course_id}),
    }
