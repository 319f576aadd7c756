"""Every write to booking that has rules, by what it is about: a request's life
(`appointments`), the timed housekeeping jobs (`housekeeping`) and the locks they take
(`locks`). Callers import from here."""

from booking.services.appointments import (
    PatientDetails,
    SlotUnavailable,
    TooManyUpcomingRequests,
    appointment_cancel,
    appointment_cancel_by_clinic,
    appointment_complete,
    appointment_confirm,
    appointment_decline,
    appointment_mark_no_show,
    appointment_request_create,
)
from booking.services.housekeeping import erase_old_requests, queue_visit_reminders
from booking.transitions import TransitionNotAllowed

__all__ = [
    "PatientDetails",
    "SlotUnavailable",
    "TooManyUpcomingRequests",
    "TransitionNotAllowed",
    "appointment_cancel",
    "appointment_cancel_by_clinic",
    "appointment_complete",
    "appointment_confirm",
    "appointment_decline",
    "appointment_mark_no_show",
    "appointment_request_create",
    "erase_old_requests",
    "queue_visit_reminders",
]
