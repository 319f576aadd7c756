"""The patient changes the time of their own visit from the manage page: what they see, what
is stored, and what happens when the time is taken meanwhile or the cut-off has passed."""

import re

import pytest
from django.utils import timezone

from booking import services
from booking.display import local_time
from booking.models import AppointmentRequest, BookingSettings, Status
from booking.tests.factories import PatientDetailsFactory, at
from booking.tests.patient_diary import three_practitioners

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic(open_every_day):
    return three_practitioners()


def book(clinic, day, hh_mm: str, practitioner=None, treatment=None) -> AppointmentRequest:
    """A request as a patient sends it, through the service."""
    place = services.Place.of(at(day, hh_mm), treatment or clinic.first_visit, practitioner)
    return services.appointment_request_create(
        place=place, condition=None, patient=PatientDetailsFactory(), consent_at=timezone.now()
    )


@pytest.fixture
def visit(clinic, booking_day) -> AppointmentRequest:
    return book(clinic, booking_day, "10:00", clinic.ana)


def page(response) -> str:
    return response.content.decode()


def change_url(visit) -> str:
    return f"{visit.get_manage_url()}change/"


def times_offered(text: str) -> list[str]:
    return re.findall(r'name="time" value="(\d\d:\d\d)"', text)


def change(client, visit, day, hh_mm: str, practitioner) -> object:
    data = {"action": "change", "date": day.isoformat(), "time": hh_mm}
    data["practitioner"] = practitioner if practitioner == "any" else practitioner.pk
    return client.post(change_url(visit), data)


def test_the_manage_page_offers_to_change_the_time(client, visit):
    text = page(client.get(visit.get_manage_url()))
    assert f'href="{change_url(visit)}"' in text
    assert "Change the time" in text
    assert "anyone with it can see, change and cancel this appointment" in text


def test_following_the_change_link_changes_nothing_and_shows_the_free_times(
    client, clinic, visit, booking_day
):
    book(clinic, booking_day, "14:00", clinic.ana)  # another patient's visit with Ana
    response = client.get(change_url(visit))
    text = page(response)
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "strict-origin"
    assert "no-store" in response["Cache-Control"]
    assert re.search(rf'value="{clinic.ana.pk}"[^>]*checked', text)  # the same practitioner
    assert "First available" in text
    offered = times_offered(text)
    assert "09:00" in offered and "11:00" in offered
    assert "10:00" not in offered  # the visit's own time
    assert "14:00" not in offered  # taken by another patient
    assert re.search(r"<dt>With</dt>\s*<dd>Ana Diaz</dd>", text)
    visit.refresh_from_db()
    assert (visit.sequence, visit.status) == (0, Status.REQUESTED)


def test_the_visits_own_place_does_not_block_a_time_overlapping_it(
    client, clinic, booking_day, settings
):
    BookingSettings.objects.update(grid_minutes=30)
    visit = book(clinic, booking_day, "10:00", clinic.ana)
    offered = times_offered(page(client.get(change_url(visit))))
    assert "10:30" in offered  # overlaps the visit itself, which moves away
    assert "10:00" not in offered


def test_a_change_moves_the_visit_and_frees_the_old_place(client, clinic, visit, booking_day):
    response = change(client, visit, booking_day, "12:00", clinic.ana)
    assert response.status_code == 302
    assert response["Location"] == visit.get_manage_url()
    visit.refresh_from_db()
    assert timezone.localtime(visit.starts_at).hour == 12
    assert (visit.practitioner, visit.treatment_type) == (clinic.ana, clinic.first_visit)
    assert visit.sequence == 1
    text = page(client.get(response["Location"]))
    assert f"Your visit is now on {local_time(visit.starts_at)} with Ana Diaz." in text
    assert "It is waiting for our confirmation" in text
    taken = book(clinic, booking_day, "10:00", clinic.ana)  # the old place is free again
    assert taken.practitioner == clinic.ana


def test_first_available_gives_the_change_to_whoever_has_fewer_bookings(
    client, clinic, visit, booking_day
):
    book(clinic, booking_day, "15:00", clinic.ben)
    book(clinic, booking_day, "16:00", clinic.ben)
    response = change(client, visit, booking_day, "12:00", "any")
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.practitioner == clinic.ana  # Ana's own visit moves away: none left that day
    assert "with Ana Diaz" in page(client.get(response["Location"]))


def test_a_confirmed_visit_goes_back_to_waiting_after_a_change(
    client, clinic, visit, booking_day, admin_user
):
    services.appointment_confirm(appointment=visit, by=admin_user)
    text = page(client.get(change_url(visit)))
    assert "After a change, we confirm the new time by e-mail" in text
    change(client, visit, booking_day, "12:00", clinic.ana)
    visit.refresh_from_db()
    assert visit.status == Status.REQUESTED


def test_a_confirmed_visit_stays_confirmed_when_the_clinic_says_so(
    client, clinic, visit, booking_day, admin_user
):
    BookingSettings.objects.update(patient_changes_confirmed=True)
    services.appointment_confirm(appointment=visit, by=admin_user)
    response = change(client, visit, booking_day, "12:00", clinic.ana)
    visit.refresh_from_db()
    assert visit.status == Status.CONFIRMED
    assert "and it is confirmed" in page(client.get(response["Location"]))


def test_a_time_taken_meanwhile_changes_nothing_and_offers_the_next_free_times(
    client, clinic, visit, booking_day
):
    assert "12:00" in times_offered(page(client.get(change_url(visit))))
    book(clinic, booking_day, "12:00", clinic.ana)  # another patient is quicker
    response = change(client, visit, booking_day, "12:00", clinic.ana)
    text = page(response)
    assert response.status_code == 409
    assert "Sorry, that time has just been taken." in text
    assert "The next free times" in text
    assert f'name="pick" value="{booking_day.isoformat()}T13:00:00' in text
    visit.refresh_from_db()
    assert timezone.localtime(visit.starts_at).hour == 10
    assert (visit.sequence, visit.status) == (0, Status.REQUESTED)


def test_picking_one_of_the_next_free_times_chooses_it(client, clinic, visit, booking_day):
    pick = at(booking_day, "13:00").isoformat()
    data = {"action": "", "pick": pick, "practitioner": clinic.ana.pk}
    text = page(client.post(change_url(visit), data))
    assert re.search(r'name="time" value="13:00"[^>]*checked', text)
    visit.refresh_from_db()
    assert timezone.localtime(visit.starts_at).hour == 10


def test_without_javascript_show_free_times_shows_another_day(client, clinic, visit, booking_day):
    other_day = booking_day + timezone.timedelta(days=1)
    data = {"action": "times", "date": other_day.isoformat(), "practitioner": "any"}
    text = page(client.post(change_url(visit), data))
    assert f"Free times on {other_day:%A, %B} {other_day.day}" in text
    assert "10:00" in times_offered(text)  # another day: the visit's own time is free there
    assert re.search(r'value="any"[^>]*checked', text)


def test_the_visits_current_time_cannot_be_chosen_again(client, clinic, visit, booking_day):
    response = change(client, visit, booking_day, "10:00", clinic.ana)
    assert response.status_code == 400
    assert "That is the time your visit has now." in page(response)
    visit.refresh_from_db()
    assert visit.sequence == 0


def test_after_the_cut_off_the_change_is_refused(client, clinic, visit, booking_day):
    BookingSettings.objects.update(cancellation_cutoff_hours=24 * 10)
    assert "Change the time" not in page(client.get(visit.get_manage_url()))
    response = client.get(change_url(visit), follow=True)
    assert "Online changes close 240 hours before the visit." in page(response)
    response = change(client, visit, booking_day, "12:00", clinic.ana)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert timezone.localtime(visit.starts_at).hour == 10


def test_a_cancelled_visit_cannot_be_changed(client, clinic, visit, booking_day):
    services.appointment_cancel(appointment=visit)
    assert "Change the time" not in page(client.get(visit.get_manage_url()))
    response = change(client, visit, booking_day, "12:00", clinic.ana)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == Status.CANCELLED


def test_the_change_page_never_shows_the_reason_or_the_note(client, clinic, booking_day):
    patient = PatientDetailsFactory(note="Side door, please")
    place = services.Place.of(at(booking_day, "10:00"), clinic.first_visit, clinic.ana)
    visit = services.appointment_request_create(
        place=place, condition=None, patient=patient, consent_at=timezone.now()
    )
    for url in (change_url(visit), visit.get_manage_url(), f"{visit.get_manage_url()}cancel/"):
        text = page(client.get(url))
        assert "Side door" not in text
        assert "First visit, about 60 minutes" in text
