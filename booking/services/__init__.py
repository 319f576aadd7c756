"""Every write to booking that has rules, by what it is about: taking a place in the diary
(`places`: requests and staff bookings), moving a visit (`moves`: staff moves and patients'
changes), a request's status changes (`appointments`), the timed housekeeping jobs
(`housekeeping`) and the locks they all take (`locks`). Callers import from here."""

from booking.services.appointments import (
    appointment_arrive,
    appointment_cancel,
    appointment_cancel_by_clinic,
    appointment_complete,
    appointment_confirm,
    appointment_decline,
    appointment_mark_no_show,
)
from booking.services.courses import (
    CourseVisitUnavailable,
    cancel_transition,
    course_book_by_staff,
    course_cancel_remaining,
    course_confirm,
    course_decline,
    course_request_create,
    course_visits,
    remaining_visits,
)
from booking.services.housekeeping import erase_old_requests, queue_visit_reminders
from booking.services.moves import appointment_change_by_patient, appointment_move
from booking.services.places import (
    PatientDetails,
    Place,
    SlotUnavailable,
    TooManyUpcomingRequests,
    appointment_book_by_staff,
    appointment_request_create,
)
from booking.transitions import TransitionNotAllowed

__all__ = [
    "CourseVisitUnavailable",
    "PatientDetails",
    "Place",
    "SlotUnavailable",
    "TooManyUpcomingRequests",
    "TransitionNotAllowed",
    "appointment_arrive",
    "appointment_book_by_staff",
    "appointment_cancel",
    "appointment_cancel_by_clinic",
    "appointment_change_by_patient",
    "appointment_complete",
    "appointment_confirm",
    "appointment_decline",
    "appointment_mark_no_show",
    "appointment_move",
    "appointment_request_create",
    "cancel_transition",
    "course_book_by_staff",
    "course_cancel_remaining",
    "course_confirm",
    "course_decline",
    "course_request_create",
    "course_visits",
    "erase_old_requests",
    "queue_visit_reminders",
    "remaining_visits",
]
