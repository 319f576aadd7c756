import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from booking.availability import Schedule, Treatment
from booking.forms import AppointmentRequestForm
from booking.schedule import BookingWindow, Diary, TreatmentChoice

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
    days_ahead = (day - timezone.localdate()).days + 1
    follow_up = TreatmentChoice(1, "Follow-up", "", Treatment(1, 45), True, False)
    rules = Schedule(tz=NEW_YORK, hours={}, horizon_days=days_ahead)
    window = BookingWindow(Diary(rules, (follow_up,), ()), timezone.now())
    return AppointmentRequestForm(data, window=window)


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


REAL_NAMES = [
    "José", "Nguyễn", "O’Brien", "O'Neil", "Jean-Luc", "St. John", "Zoë", "李", "Мария",
    "निधि", "محمد", "Mary Ann", "Ng",
]  # fmt: skip
JUNK_NAMES = [
    "<script>alert(1)</script>", "'; DROP TABLE x; --", "[]", "0", "null", "NULL",
    "undefined", "1e309", "1" * 41, "{}", "Maria2", "@maria", "-", "'", "Ma\x00ria",
    "Ma\tria", "😀",
]  # fmt: skip


def details(**changes) -> AppointmentRequestForm:
    day = datetime.date.today() + datetime.timedelta(days=1)
    form = form_for(day, "10:00")
    form.data = {**form.data, **changes}
    return form


@pytest.mark.parametrize("name", REAL_NAMES)
def test_names_of_any_script_are_accepted(name):
    form = details(first_name=name, last_name=name)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["first_name"] == name


@pytest.mark.parametrize("junk", JUNK_NAMES)
@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_names_refuse_anything_but_letters_spaces_apostrophes_hyphens_and_dots(field, junk):
    form = details(**{field: junk})
    assert not form.is_valid()
    assert set(form.errors[field]) & {
        "Please use letters only, with spaces, apostrophes (’), hyphens (-) or dots (.) "
        "where your name has them.",
        "Please enter your real name.",
    }


def test_a_note_keeps_its_line_breaks():
    form = details(note="Side entrance, please.\nI use a wheelchair.")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["note"] == "Side entrance, please.\nI use a wheelchair."


@pytest.mark.parametrize("hidden", ["\x00", "\x1b[31m", "\x7f", "\u202e", "\u200b"])
def test_a_note_refuses_control_and_hidden_characters(hidden):
    form = details(note=f"Side entrance{hidden}please")
    assert not form.is_valid()
    assert (
        "Your note contains a hidden character we cannot store. Please retype it."
        in (form.errors["note"])
    )
