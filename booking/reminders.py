"""Reminders of a visit: which one a visit is owed now, and the one way a reminder is sent.

The clinic chooses the lead times (BookingSettings.reminder_lead_hours); the job
(housekeeping.queue_visit_reminders, every 10 minutes) writes each owed reminder to the
outbox once per visit time and lead; the outbox's delivery calls `send_reminder` for each.
"""

import datetime
from collections.abc import Iterable

from booking.models import Notification


def lead_due(
    *,
    starts_at: datetime.datetime,
    leads: Iterable[int],
    now: datetime.datetime,
    told_at: datetime.datetime | None = None,
) -> int | None:
    """The lead (hours) of the reminder a visit is owed now, or None.

    A lead's moment is the visit's start less that many hours of real time (a night the
    clocks change is an hour shorter or longer on the wall, never in the lead). Of the leads
    whose moment has come, the shortest: a visit booked 3 hours ahead with 48- and 2-hour
    reminders gets the 2-hour one, never a 48-hour one sent late. A lead whose moment came
    before the patient was told this time (`told_at`, their confirmation or the news of the
    move) is no reminder: that e-mail did its job. Nothing once the visit has begun.
    """
    # In UTC: arithmetic on a local time would count wall-clock hours.
    starts_at = starts_at.astimezone(datetime.UTC)
    if starts_at <= now:
        return None
    due = [
        lead
        for lead in leads
        if (moment := starts_at - datetime.timedelta(hours=lead)) <= now
        and (told_at is None or moment >= told_at)
    ]
    return min(due, default=None)


def send_reminder(notification: Notification) -> bool:
    """Send one reminder now; the outbox's delivery calls this for every reminder.

    This is the reminder's channel, in one place. Today a reminder is an e-mail, rendered and
    sent by the outbox's own e-mail path. A text-message backend would be chosen here (by a
    setting, or the patient's choice) and keep the contract: return False when there is no
    one to send it to (the outbox marks it skipped), raise when the channel fails (the
    outbox records the error and retries after a back-off).
    """
    from booking.emails import send_as_email  # here: booking.emails imports this module

    return send_as_email(notification)
