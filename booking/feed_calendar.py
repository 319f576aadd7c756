"""A practitioner's calendar feed as iCalendar: when, how long, the reference, the treatment
and the patient's first name and last initial. No contact details, reason or notes."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Calendar, Event, vDuration

from booking.feeds import CalendarFeed
from booking.models import AppointmentRequest, Status
from clinic.models import ClinicProfile

# What the feed covers: the recent past (for notes after a visit) and the year ahead.
FEED_PAST = datetime.timedelta(days=30)
FEED_AHEAD = datetime.timedelta(days=365)
REFRESH = datetime.timedelta(minutes=15)
# Visits that take the practitioner's time, and how a calendar shows each. Cancelled and
# declined ones are left out: a subscribed calendar drops an event the feed no longer has.
EVENT_STATUS = {
    Status.REQUESTED: "TENTATIVE",
    Status.CONFIRMED: "CONFIRMED",
    Status.ARRIVED: "CONFIRMED",
    Status.COMPLETED: "CONFIRMED",
    Status.NO_SHOW: "CONFIRMED",
}


def feed_visits(feed: CalendarFeed, now: datetime.datetime) -> list[AppointmentRequest]:
    """The feed's practitioner's visits in its window, read with their treatment in one query,
    only the fields the feed shows."""
    return list(
        AppointmentRequest.objects.filter(
            practitioner_id=feed.practitioner_id,
            status__in=list(EVENT_STATUS),
            starts_at__gte=now - FEED_PAST,
            starts_at__lt=now + FEED_AHEAD,
        )
        .select_related("treatment_type")
        .only(
            "reference",
            "status",
            "starts_at",
            "ends_at",
            "sequence",
            "updated_at",
            "first_name",
            "last_name",
            "treatment_type__name",
        )
        .order_by("starts_at", "pk")
    )


def short_name(appointment: AppointmentRequest) -> str:
    """ "Maria L.": the first name and the last name's initial."""
    initial = f"{appointment.last_name.strip()[:1].upper()}." if appointment.last_name else ""
    name = " ".join(part for part in (appointment.first_name.strip(), initial) if part)
    return name or gettext("(erased)")


def feed_uid(appointment: AppointmentRequest) -> str:
    """The visit's UID in the practitioner's feed: stable across moves, and not the patient's
    calendar file's UID, so a patient who is also on the staff sees two events, not one."""
    return f"{appointment.reference}-practitioner@{urlsplit(settings.SITE_URL).hostname}"


def feed_ics(
    feed: CalendarFeed, clinic: ClinicProfile, now: datetime.datetime | None = None
) -> bytes:
    """The feed in the active language, times in UTC."""
    now = now or timezone.now()
    calendar = Calendar()
    calendar.add("prodid", f"-//{clinic.name}//Practitioner feed//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{clinic.name} — {feed.practitioner}")
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for appointment in feed_visits(feed, now):
        calendar.add_component(_event(appointment))
    return calendar.to_ical()


def _event(appointment: AppointmentRequest) -> Event:
    event = Event()
    event.add("uid", feed_uid(appointment))
    event.add("sequence", appointment.sequence)  # higher after each move
    # The visit's last change, not the time of the fetch: an unchanged visit reads the same.
    event.add("dtstamp", appointment.updated_at.astimezone(datetime.UTC))
    event.add("dtstart", appointment.starts_at.astimezone(datetime.UTC))
    event.add("dtend", appointment.ends_at.astimezone(datetime.UTC))
    event.add(
        "summary",
        gettext("%(treatment)s — %(patient)s")
        % {"treatment": appointment.treatment_type.name, "patient": short_name(appointment)},
    )
    event.add(
        "description",
        gettext("Reference %(reference)s, %(minutes)d minutes.")
        % {"reference": appointment.reference, "minutes": appointment.length_minutes},
    )
    event.add("status", EVENT_STATUS[appointment.status])
    event.add("class", "PRIVATE")
    event.add("transp", "OPAQUE")
    return event
