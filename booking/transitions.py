"""Every change a request's status can go through, in one table.

For each change: who makes it, the states it is allowed from, the state it leads to, its
time rule, the e-mail it sends and the words staff see. The services guard on it, the admin
builds its buttons, actions and URLs from it, and the outbox asks it whether an e-mail is
still true; templates read the request's properties, never status strings.
"""

import datetime
import enum
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from booking.models import AppointmentRequest, EventAction, NotificationKind, Status


class Who(enum.Enum):
    STAFF = "staff"
    PATIENT = "patient"
    SYSTEM = "system"  # the task worker or a timed job, on nobody's click


class Timing(enum.Enum):
    """When, against the visit's start, a change makes sense."""

    ANY_TIME = "any time"
    BEFORE_START = "before the visit starts"
    AFTER_START = "once the visit has started"
    BEFORE_CUTOFF = "until the cancellation cut-off"
    ON_THE_DAY = "on the visit's day (clinic time), until the visit ends"
    WHILE_HELD = "while the waiting list's hold lasts, before the visit starts"
    HOLD_ENDED = "once the waiting list's hold has ended"


class TransitionNotAllowed(Exception):
    """The request is not in a state (or at a time) where this change makes sense."""


@dataclass(frozen=True)
class MessagePage:
    """The page that asks staff for words to the patient before the change."""

    title: str
    explains: str
    submit: str


@dataclass(frozen=True)
class Transition:
    name: str
    who: Who
    allowed_from: tuple[Status, ...]  # empty: the change creates the request
    to: Status | None  # None: the status stays as it was (a move)
    timing: Timing
    action: EventAction
    emails: tuple[NotificationKind, ...] = ()
    label: str = ""  # the staff's button
    bulk_label: str = ""  # the staff's action on the list's selected requests
    done: str = ""  # "%(count)d requests confirmed…", ngettext_lazy(…, "count")
    message_page: MessagePage | None = None
    is_status_step: bool = True  # a button on the change page and an action on the list

    def is_allowed(
        self, appointment: AppointmentRequest, now: datetime.datetime, cutoff_hours: int = 0
    ) -> bool:
        return appointment.status in self.allowed_from and self.timing_holds(
            appointment, now, cutoff_hours
        )

    def timing_holds(
        self, appointment: AppointmentRequest, now: datetime.datetime, cutoff_hours: int = 0
    ) -> bool:
        started = appointment.starts_at <= now
        if self.timing is Timing.BEFORE_START:
            return not started
        if self.timing is Timing.AFTER_START:
            return started
        if self.timing is Timing.BEFORE_CUTOFF:
            return appointment.starts_at - now >= datetime.timedelta(hours=cutoff_hours)
        if self.timing is Timing.ON_THE_DAY:
            return _clinic_day(now) == _clinic_day(appointment.starts_at) and (
                now < appointment.ends_at
            )
        if self.timing is Timing.WHILE_HELD:
            held_until = appointment.held_until
            return not started and held_until is not None and now < held_until
        if self.timing is Timing.HOLD_ENDED:
            return appointment.held_until is None or now >= appointment.held_until
        return True

    def check(
        self, appointment: AppointmentRequest, now: datetime.datetime, cutoff_hours: int = 0
    ) -> None:
        """Raise TransitionNotAllowed, in words for whoever asked, unless the change is
        allowed now."""
        if appointment.status not in self.allowed_from:
            raise TransitionNotAllowed(
                gettext("%(reference)s is “%(status)s”: it cannot be %(action)s.")
                % {
                    "reference": appointment.reference,
                    "status": appointment.get_status_display(),
                    "action": self.action.label,
                }
            )
        if not self.timing_holds(appointment, now, cutoff_hours):
            raise TransitionNotAllowed(self.timing_refusal(appointment, now, cutoff_hours))

    def timing_refusal(
        self, appointment: AppointmentRequest, now: datetime.datetime, cutoff_hours: int
    ) -> str:
        words = {"reference": appointment.reference, "action": self.action.label}
        if self.timing is Timing.BEFORE_CUTOFF:
            return ngettext(
                "Online cancellation closes %(hours)d hour before the visit. Please call us.",
                "Online cancellation closes %(hours)d hours before the visit. Please call us.",
                cutoff_hours,
            ) % {"hours": cutoff_hours}
        if self.timing is Timing.AFTER_START:
            return (
                gettext("%(reference)s: the visit has not started yet, so it cannot be %(action)s.")
                % words
            )
        if self.timing is Timing.ON_THE_DAY:
            if appointment.starts_at > now:
                return (
                    gettext("%(reference)s: the visit is not today; check in on the day.") % words
                )
            return (
                gettext("%(reference)s: the visit has ended; mark it completed or no-show.") % words
            )
        if self.timing is Timing.WHILE_HELD:
            return gettext(
                "Sorry, the time held for you has run out, so this place has gone to the next "
                "person waiting. You are still on the waiting list."
            )
        if self.timing is Timing.HOLD_ENDED:
            return gettext("%(reference)s: the place is still held.") % words
        if self.to == Status.CONFIRMED:
            return (
                gettext("%(reference)s: the visit time has passed, so it cannot be confirmed.")
                % words
            )
        return gettext("%(reference)s: the visit has begun; mark it completed or no-show.") % words


TRANSITIONS: dict[str, Transition] = {
    transition.name: transition
    for transition in (
        Transition(
            "confirm",
            Who.STAFF,
            allowed_from=(Status.REQUESTED,),
            to=Status.CONFIRMED,
            timing=Timing.BEFORE_START,
            action=EventAction.CONFIRMED,
            emails=(NotificationKind.CONFIRMED,),
            label=_("Confirm"),
            bulk_label=_("Confirm selected requests"),
            done=ngettext_lazy(
                "%(count)d request confirmed. An e-mail goes to the patient.",
                "%(count)d requests confirmed. An e-mail goes to each patient.",
                "count",
            ),
        ),
        Transition(
            "decline",
            Who.STAFF,
            allowed_from=(Status.REQUESTED,),  # a request the clinic cannot take
            to=Status.DECLINED,
            timing=Timing.ANY_TIME,
            action=EventAction.DECLINED,
            emails=(NotificationKind.DECLINED,),
            label=_("Decline…"),
            bulk_label=_("Decline selected requests…"),
            done=ngettext_lazy(
                "%(count)d request declined. An e-mail offering another time goes to the patient.",
                "%(count)d requests declined. An e-mail offering another time goes to each "
                "patient.",
                "count",
            ),
            message_page=MessagePage(
                _("Decline requests"),
                _(
                    "Each patient gets an e-mail saying we cannot see them at that time, with a "
                    "link to choose another."
                ),
                _("Decline and e-mail the patients"),
            ),
        ),
        Transition(
            "arrive",
            Who.STAFF,
            allowed_from=(Status.CONFIRMED,),
            to=Status.ARRIVED,
            timing=Timing.ON_THE_DAY,  # early or late, but not on another day
            action=EventAction.ARRIVED,
            label=_("Mark arrived"),
            bulk_label=_("Mark selected visits arrived (checked in)"),
            done=ngettext_lazy(
                "%(count)d patient checked in.", "%(count)d patients checked in.", "count"
            ),
        ),
        Transition(
            "cancel_by_clinic",
            Who.STAFF,
            allowed_from=(Status.CONFIRMED,),  # a confirmed visit the clinic cannot keep
            to=Status.CANCELLED_BY_CLINIC,
            timing=Timing.BEFORE_START,
            action=EventAction.CANCELLED_BY_CLINIC,
            emails=(NotificationKind.CANCELLED_BY_CLINIC,),
            label=_("Cancel visit…"),
            bulk_label=_("Cancel selected visits (the clinic cannot keep them)…"),
            done=ngettext_lazy(
                "%(count)d visit cancelled by the clinic. An e-mail offering another time goes "
                "to the patient.",
                "%(count)d visits cancelled by the clinic. An e-mail offering another time goes "
                "to each patient.",
                "count",
            ),
            message_page=MessagePage(
                _("Cancel confirmed visits"),
                _(
                    "These visits were confirmed. Each patient gets an e-mail saying that we "
                    "have had to cancel, with a link to choose another time."
                ),
                _("Cancel the visits and e-mail the patients"),
            ),
        ),
        Transition(
            "complete",
            Who.STAFF,
            # Straight from confirmed too: not every front desk checks patients in. Once the
            # visit has started, whenever staff get to it (a patient seen early waits).
            allowed_from=(Status.CONFIRMED, Status.ARRIVED),
            to=Status.COMPLETED,
            timing=Timing.AFTER_START,
            action=EventAction.COMPLETED,
            label=_("Mark completed"),
            bulk_label=_("Mark selected visits completed"),
            done=ngettext_lazy(
                "%(count)d visit marked completed.", "%(count)d visits marked completed.", "count"
            ),
        ),
        Transition(
            "no_show",
            Who.STAFF,
            allowed_from=(Status.CONFIRMED, Status.ARRIVED),  # from arrived: a correction
            to=Status.NO_SHOW,
            timing=Timing.AFTER_START,
            action=EventAction.NO_SHOW,
            label=_("Mark no-show"),
            bulk_label=_("Mark selected visits no-show"),
            done=ngettext_lazy(
                "%(count)d visit marked no-show.", "%(count)d visits marked no-show.", "count"
            ),
        ),
        Transition(
            "request",
            Who.PATIENT,
            allowed_from=(),
            to=Status.REQUESTED,
            timing=Timing.ANY_TIME,  # the notice and horizon rules are availability's
            action=EventAction.REQUESTED,
            emails=(NotificationKind.REQUEST_RECEIVED, NotificationKind.STAFF_NEW_REQUEST),
        ),
        Transition(
            "book",
            Who.STAFF,
            allowed_from=(),  # a visit the front desk books for a patient who phoned
            to=Status.CONFIRMED,
            timing=Timing.ANY_TIME,
            action=EventAction.BOOKED,
            emails=(NotificationKind.CONFIRMED,),  # when an e-mail address was given
            is_status_step=False,
        ),
        Transition(
            "move",
            Who.STAFF,
            allowed_from=(Status.REQUESTED, Status.CONFIRMED),
            to=None,
            timing=Timing.BEFORE_START,
            action=EventAction.MOVED,
            emails=(NotificationKind.MOVED,),  # when staff choose to tell the patient
            label=_("Move…"),
            is_status_step=False,
        ),
        Transition(
            "change",
            Who.PATIENT,
            allowed_from=(Status.REQUESTED, Status.CONFIRMED),
            # Back to waiting for confirmation, unless the booking settings say a patient's
            # change of a confirmed visit is confirmed at once (then it sends MOVED instead).
            to=Status.REQUESTED,
            timing=Timing.BEFORE_CUTOFF,
            action=EventAction.CHANGED,
            emails=(NotificationKind.CHANGE_RECEIVED, NotificationKind.STAFF_NEW_REQUEST),
        ),
        Transition(
            "cancel",
            Who.PATIENT,
            allowed_from=(Status.REQUESTED, Status.CONFIRMED),
            to=Status.CANCELLED,
            timing=Timing.BEFORE_CUTOFF,
            action=EventAction.CANCELLED,
            emails=(NotificationKind.CANCELLED,),
        ),
        # The waiting list (booking.services.waitlist): a freed place held for the first
        # matching patient, who takes it (confirmed: the clinic offered it) or lets it go.
        Transition(
            "offer",
            Who.SYSTEM,
            allowed_from=(),
            to=Status.HELD,
            timing=Timing.ANY_TIME,
            action=EventAction.OFFERED,
            emails=(NotificationKind.WAITLIST_OFFER,),
            is_status_step=False,
        ),
        Transition(
            "claim",
            Who.PATIENT,
            allowed_from=(Status.HELD,),
            to=Status.CONFIRMED,
            timing=Timing.WHILE_HELD,
            action=EventAction.CLAIMED,
            emails=(NotificationKind.CONFIRMED,),
            is_status_step=False,
        ),
        Transition(
            "turn_down",
            Who.PATIENT,
            allowed_from=(Status.HELD,),
            to=Status.OFFER_NOT_TAKEN,
            timing=Timing.ANY_TIME,
            action=EventAction.OFFER_REFUSED,
            is_status_step=False,
        ),
        Transition(
            "lapse",
            Who.SYSTEM,
            allowed_from=(Status.HELD,),
            to=Status.OFFER_NOT_TAKEN,
            timing=Timing.HOLD_ENDED,
            action=EventAction.OFFER_LAPSED,
            is_status_step=False,
        ),
    )
}
# The status changes staff make from the request list and the change page.
STAFF_TRANSITIONS = {
    name: t for name, t in TRANSITIONS.items() if t.who is Who.STAFF and t.is_status_step
}

# E-mails that report a request arriving: true whatever happened to it since.
ABOUT_THE_REQUEST = (NotificationKind.REQUEST_RECEIVED, NotificationKind.STAFF_NEW_REQUEST)
# E-mails about the visit's time: true only for the time they were written for (a moved
# visit gets new ones), and only while the visit is confirmed (not once the patient has
# checked in: they are here) ...
ABOUT_THE_VISIT_TIME = (NotificationKind.CONFIRMED, NotificationKind.REMINDER)
# ... or, for the news of a move or a change, still booked and ahead.
ABOUT_A_NEW_TIME = (NotificationKind.MOVED, NotificationKind.CHANGE_RECEIVED)


def _clinic_day(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def transitions_allowed(
    appointment: AppointmentRequest,
    now: datetime.datetime,
    who: Who = Who.STAFF,
    cutoff_hours: int = 0,
) -> list[Transition]:
    """The changes that make sense now, in the table's order. (Room in the diary is
    checked when confirming.)"""
    return [
        t
        for t in TRANSITIONS.values()
        if t.who is who
        and t.allowed_from
        and t.is_status_step
        and t.is_allowed(appointment, now, cutoff_hours)
    ]


def email_still_true(kind: str, appointment: AppointmentRequest, visit_sequence: int) -> bool:
    """Send an e-mail only while what it says holds: a confirmation retried after the patient
    cancelled, or after the visit moved, would mislead."""
    if kind in ABOUT_THE_REQUEST:
        return True
    if kind in ABOUT_THE_VISIT_TIME:
        return appointment.status == Status.CONFIRMED and visit_sequence == appointment.sequence
    if kind == NotificationKind.WAITLIST_OFFER:  # only while the place is held for them
        return appointment.is_held and TRANSITIONS["claim"].timing_holds(
            appointment, timezone.now()
        )
    if kind in ABOUT_A_NEW_TIME:  # not once the patient is here
        still_ahead = appointment.is_active and not appointment.has_arrived
        return still_ahead and visit_sequence == appointment.sequence
    return any(kind in t.emails and appointment.status == t.to for t in TRANSITIONS.values())
