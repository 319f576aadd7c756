"""What the quality checks visit: every public page, and the data that puts the booking
pages in each state a patient can see. Shared by the browser suite and the HTML check."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from booking import services
from booking.models import AppointmentRequest, Status
from booking.tests.factories import at, place_at
from clinic import starting_content
from conditions.models import Condition

# The published condition pages of the starting content; the tests check it is all of them.
CONDITION_SLUGS = [condition["slug"] for condition in starting_content.CONDITIONS]
MANAGE_STATES = [Status.REQUESTED, Status.CONFIRMED, Status.CANCELLED]
STAFF_USERNAME = "frontdesk"
STAFF_PASSWORD = "a-long-test-password-for-staff"
MISSING_PATH = "/no-such-page/"

PATIENT = {
    "first_name": "Maria",
    "last_name": "Lopez",
    "email": "maria@example.com",
    "phone": "(202) 555-0143",
}


def visit_day() -> datetime.date:
    """A day inside the booking horizon with every hour free (see `open_every_day`)."""
    return timezone.localdate() + datetime.timedelta(days=3)


def staff_user():
    model = get_user_model()
    return model.objects.filter(username=STAFF_USERNAME).first() or model.objects.create_superuser(
        STAFF_USERNAME, "", STAFF_PASSWORD
    )


def appointment_in(status: str, hh_mm: str) -> AppointmentRequest:
    """A request for `hh_mm` on the visit day, taken through the services to `status`; each
    from a patient of its own (one patient may hold only a few upcoming requests)."""
    hours, minutes = hh_mm.split(":")
    patient = {**PATIENT, "email": f"maria.{hours}{minutes}@example.com"}
    patient["phone"] = f"+1202555{hours}{minutes}"
    appointment = services.appointment_request_create(
        place=place_at(at(visit_day(), hh_mm)),
        condition=Condition.objects.get(slug="arthritis"),
        patient=services.PatientDetails(is_new_patient=True, **patient),
        consent_at=timezone.now(),
    )
    if status in (Status.CONFIRMED, Status.CANCELLED):
        appointment = services.appointment_confirm(appointment=appointment, by=staff_user())
    if status == Status.CANCELLED:
        appointment = services.appointment_cancel(appointment=appointment)
    assert appointment.status == status
    return appointment
