import datetime
from zoneinfo import ZoneInfo

import pytest

from booking.forms import AppointmentRequestForm

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")


def form_for(day: datetime.date, time: str) -> AppointmentRequestForm:
    data = {
        "reason": "other",
        "date": day.isoformat(),
        "time": time,
        "first_name": "Maria",
        "last_name": "Lopez",
        "email": "maria@example.com",
        "phone": "(202) 555-0143",
        "patient_type": "returning",
        "consent": "on",
    }
    return AppointmentRequestForm(data, tz=NEW_YORK, horizon=day + datetime.timedelta(days=1))


def test_a_wall_clock_time_skipped_by_daylight_saving_is_refused():
    spring_forward = datetime.date(2027, 3, 14)  # New York: 2:00 jumps to 3:00
    form = form_for(spring_forward, "02:30")
    assert not form.is_valid()
    assert form.errors["time"] == ["That time does not exist on that day: the clocks change."]


def test_phone_numbers_are_stored_in_international_form():
    form = form_for(datetime.date.today() + datetime.timedelta(days=1), "10:00")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "+12025550143"
    assert form.patient_details().is_new_patient is False
    assert form.condition() is None
