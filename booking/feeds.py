"""Practitioners' private calendar feeds: a long random link a phone's calendar subscribes to.

Only the token's SHA-256 is stored; the token itself is shown once, to the superuser who
issues it. Each practitioner has at most one live feed: issuing a new one revokes the old.
Imported at the end of booking.models, so Django finds the model there too.
"""

import datetime
import re
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booking.models import hash_token
from clinic.models import Practitioner

# secrets.token_urlsafe(32): 32 random bytes (256 bits) as 43 URL-safe characters.
TOKEN_BYTES = 32
TOKEN_FORMAT = re.compile(r"[A-Za-z0-9_-]{43}")
# A fetch is written down at most this often: phones poll every few minutes.
FETCH_NOTED_EVERY = datetime.timedelta(minutes=15)


class CalendarFeedQuerySet(models.QuerySet):
    def live(self) -> "CalendarFeedQuerySet":
        """Feeds whose link still works: not revoked."""
        return self.filter(revoked_at__isnull=True)


class CalendarFeed(models.Model):
    """One practitioner's feed link. Revoked feeds stay as a record of who did what."""

    practitioner = models.ForeignKey(
        Practitioner,
        verbose_name=_("practitioner"),
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_fetched_at = models.DateTimeField(_("last fetched"), null=True, blank=True, editable=False)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["practitioner"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_calendar_feed_per_practitioner",
            )
        ]

    def __str__(self) -> str:
        return str(_("Calendar feed of %(practitioner)s") % {"practitioner": self.practitioner})

    def note_fetch(self, now: datetime.datetime) -> None:
        """Remember when a phone last read the feed, without a write on every poll."""
        if self.last_fetched_at is None or now - self.last_fetched_at >= FETCH_NOTED_EVERY:
            CalendarFeed.objects.filter(pk=self.pk).update(last_fetched_at=now)
            self.last_fetched_at = now


def feed_url(token: str) -> str:
    """The feed's full address (https in production, as SITE_URL says)."""
    return settings.SITE_URL + reverse("booking:calendar_feed", kwargs={"token": token})


def webcal_url(token: str) -> str:
    """The same address as a webcal:// link, which phones open as "subscribe"."""
    return "webcal://" + feed_url(token).split("://", 1)[1]


def live_feed(practitioner: Practitioner) -> CalendarFeed | None:
    return CalendarFeed.objects.live().filter(practitioner=practitioner).first()


def latest_feed(practitioner: Practitioner) -> CalendarFeed | None:
    """The practitioner's newest feed, live or revoked (for the admin's status line)."""
    return (
        CalendarFeed.objects.filter(practitioner=practitioner)
        .select_related("created_by", "revoked_by")
        .first()
    )


def feed_issue(*, practitioner: Practitioner, by: AbstractBaseUser) -> str:
    """A new feed link for the practitioner, the old one (if any) revoked in the same
    transaction: returns the token, which is stored nowhere. Two at once (a double click)
    take turns on the practitioner's row, so the second revokes the first's link instead of
    breaking the one-live-feed rule."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        Practitioner.objects.select_for_update().filter(pk=practitioner.pk).first()
        now = timezone.now()  # after the wait: the live feed is the newest
        _revoke_live(practitioner, by, now)
        CalendarFeed.objects.create(
            practitioner=practitioner, token_hash=hash_token(token), created_at=now, created_by=by
        )
    return token


def feed_revoke(*, practitioner: Practitioner, by: AbstractBaseUser) -> bool:
    """The practitioner's feed link stops working at once. False if there was none."""
    return _revoke_live(practitioner, by, timezone.now()) > 0


def _revoke_live(practitioner: Practitioner, by: AbstractBaseUser, now: datetime.datetime) -> int:
    return (
        CalendarFeed.objects.live()
        .filter(practitioner=practitioner)
        .update(revoked_at=now, revoked_by=by)
    )


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed of this token, or None (unknown, revoked or not a token at all). Looked
    up by the token's hash, so how long the lookup takes says nothing about the token."""
    if not TOKEN_FORMAT.fullmatch(token):
        return None
    return (
        CalendarFeed.objects.live()
        .select_related("practitioner")
        .filter(token_hash=hash_token(token))
        .first()
    )
