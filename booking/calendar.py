"""The .ics file for a confirmed visit: time, place and how to manage it, nothing medical."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Alarm, Calendar, Event, vText

from booking.models import AppointmentRequest
from clinic.models import ClinicProfile


def appointment_ics(
    appointment: AppointmentRequest, clinic: ClinicProfile, *, alarm_minutes: int = 0
) -> bytes:
    """The visit in the patient's language (the caller activates it), with a UID that stays
    the same when the visit moves, so calendars move the event instead of adding one; with
    an alarm that many minutes before the visit when the clinic chose one (booking
    settings)."""
    return visits_ics([appointment], clinic, alarm_minutes=alarm_minutes)


def visits_ics(
    visits: list[AppointmentRequest], clinic: ClinicProfile, *, alarm_minutes: int = 0
) -> bytes:
    """One calendar file with one event per visit (a course's confirmed visits), each with
    the UID and sequence of its own file."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{clinic.name}//Appointments//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    for appointment in visits:
        calendar.add_component(_event(appointment, clinic, alarm_minutes))
    return calendar.to_ical()


def _event(appointment: AppointmentRequest, clinic: ClinicProfile, alarm_minutes: int) -> Event:
    event = Event()
    event.add("uid", f"{appointment.reference}@{urlsplit(settings.SITE_URL).hostname}")
    event.add("sequence", appointment.sequence)  # higher after each move
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    summary = gettext("Appointment at %(clinic)s with %(practitioner)s") % {
        "clinic": clinic.name,
        "practitioner": appointment.practitioner,
    }
    if appointment.course_id:
        summary = f"{summary} ({appointment.course_visit})"
    event.add("summary", summary)
    event.add("location", vText(", ".join([clinic.name, *clinic.address_lines])))
    event.add(
        "description",
        gettext(
            "Reference %(reference)s with %(practitioner)s, %(minutes)d minutes. To cancel or "
            "see the details: %(url)s — or call %(phone)s."
        )
        % {
            "reference": appointment.reference,
            "minutes": appointment.length_minutes,
            "practitioner": appointment.practitioner,
            "url": appointment.get_absolute_manage_url(),
            "phone": clinic.phone,
        },
    )
    event.add("status", "CONFIRMED")
    if alarm_minutes:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add(
            "description",
            gettext("Your appointment at %(clinic)s") % {"clinic": clinic.name},
        )
        alarm.add("trigger", -datetime.timedelta(minutes=alarm_minutes))
        event.add_component(alarm)
    return event
