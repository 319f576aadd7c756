"""The patient's pages of the waiting list: joining it from a full day, the offer's page
(nothing is taken by following the link), taking or letting go of the place, leaving."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.models import AppointmentRequest, Status, TreatmentType
from booking.services import waitlist
from booking.tests.factories import at, next_monday, started_seconds_ago, the_practitioner
from booking.tests.waitlist_helpers import full_day, held, waiting, weekday_clinic
from booking.waitlist import WaitlistEntry, WaitlistStatus

pytestmark = pytest.mark.django_db

JOIN = reverse("booking:waitlist_join")


@pytest.fixture
def treatment(starting_content):
    return weekday_clinic()


@pytest.fixture
def join_data(treatment) -> dict:
    return {
        "treatment": str(treatment.pk),
        "practitioner": "any",
        "weekdays": ["0", "2"],
        "parts_of_day": ["morning"],
        "until": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
        "first_name": "Ana",
        "last_name": "Silva",
        "email": "ana@example.com",
        "phone": "(202) 555-0188",
        "consent": "on",
        "website": "",
        "started": started_seconds_ago(60),
    }


def offered_place(treatment) -> AppointmentRequest:
    monday = next_monday()
    full_day(monday)
    AppointmentRequest.objects.filter(starts_at=at(monday, "10:00")).update(status=Status.CANCELLED)
    waiting(treatment)
    practitioner_id = AppointmentRequest.objects.values_list("practitioner", flat=True)[0]
    return waitlist.offer_freed_place(start=at(monday, "10:00"), practitioner_id=practitioner_id)


def test_a_full_day_on_the_form_links_to_the_waiting_list_with_the_visit_chosen(client, treatment):
    monday = next_monday()
    full_day(monday)

    page = client.get(reverse("booking:request"), {"date": monday.isoformat()}).content.decode()

    assert "There are no free times on" in page
    assert f'href="{JOIN}?treatment={treatment.pk}"' in page
    assert "Join the waiting list" in page


def test_the_join_form_starts_with_the_visit_from_the_link(client, treatment):
    follow_up = TreatmentType.objects.create(name="Follow-up", minutes=30, bookable_online=True)
    the_practitioner().diary.treatment_types.add(follow_up)

    page = client.get(JOIN, {"treatment": follow_up.pk}).content.decode()

    checked = re.findall(r'name="treatment" value="(\d+)"\s+id="[^"]+" required checked', page)
    assert checked == [str(follow_up.pk)]
    assert "Which days suit you?" in page and "Morning (before 12:00 PM)" in page


def test_joining_stores_the_entry_and_thanks_the_patient(client, join_data, treatment):
    response = client.post(JOIN, join_data)

    assert response.status_code == 302 and response.url == reverse("booking:waitlist_joined")
    entry = WaitlistEntry.objects.get()
    assert (entry.treatment_type, entry.practitioner) == (treatment, None)
    assert (entry.weekdays, entry.parts_of_day) == ([0, 2], ["morning"])
    assert (entry.email, entry.phone, entry.status) == (
        "ana@example.com",
        "+12025550188",
        WaitlistStatus.WAITING,
    )
    assert entry.consent_at is not None
    thanks = client.get(response.url).content.decode()
    assert "you are on the waiting list" in thanks and entry.reference in thanks
    assert reverse("booking:waitlist_entry", args=[entry.reference, entry.token]) in thanks


def test_bad_input_comes_back_with_what_was_typed_and_what_to_fix(client, join_data):
    join_data.update(weekdays=[], consent="", email="not-an-address")

    response = client.post(JOIN, join_data)

    page = response.content.decode()
    assert response.status_code == 400
    assert "Please choose at least one day." in page
    assert "Please agree to the privacy policy" in page
    assert 'value="not-an-address"' in page and 'value="Ana"' in page
    assert not WaitlistEntry.objects.exists()


def test_the_honeypot_and_a_too_fast_form_store_nothing(client, join_data):
    assert client.post(JOIN, {**join_data, "website": "http://spam"}).status_code == 400
    assert client.post(JOIN, {**join_data, "started": started_seconds_ago(0)}).status_code == 400
    assert not WaitlistEntry.objects.exists()


def test_joining_is_rate_limited_like_the_form(client, join_data, settings):
    settings.BOOKING_RATE_LIMIT_PER_CONTACT = 2
    statuses = [client.post(JOIN, join_data).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]
    assert WaitlistEntry.objects.count() == 2


def test_following_the_offer_link_takes_nothing(client, treatment):
    offer = offered_place(treatment)
    url = reverse("booking:waitlist_offer", args=[offer.manage_token])

    page = client.get(url)

    assert page.status_code == 200 and "Take this place" in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    offer.refresh_from_db()
    assert offer.status == Status.HELD
    # The manage link of a held place leads to the offer too.
    manage = client.get(reverse("booking:manage", args=[offer.manage_token]))
    assert manage.status_code == 302 and manage.url == url


def test_taking_the_place_books_the_visit(client, treatment, django_capture_on_commit_callbacks):
    offer = offered_place(treatment)
    url = reverse("booking:waitlist_offer", args=[offer.manage_token])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "take"}, follow=True)

    page = response.content.decode()
    assert "The place is yours" in page and "Your visit is confirmed" in page
    offer.refresh_from_db()
    assert offer.status == Status.CONFIRMED
    assert offer.waitlist_entry.status == WaitlistStatus.BOOKED


def test_too_late_the_patient_is_told_and_nothing_is_booked(client, treatment):
    offer = offered_place(treatment)
    AppointmentRequest.objects.filter(pk=offer.pk).update(
        held_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    url = reverse("booking:waitlist_offer", args=[offer.manage_token])

    page = client.post(url, {"action": "take"}, follow=True).content.decode()

    assert "the time held for you has run out" in page
    offer.refresh_from_db()
    assert offer.status == Status.HELD  # until the lapse job ends it


def test_not_interested_lets_the_place_go_and_ends_the_wait(client, treatment):
    offer = offered_place(treatment)
    url = reverse("booking:waitlist_offer", args=[offer.manage_token])

    page = client.post(url, {"action": "turn_down"}, follow=True).content.decode()

    assert "This place is no longer held" in page
    offer.refresh_from_db()
    assert offer.status == Status.OFFER_NOT_TAKEN
    assert offer.waitlist_entry.status == WaitlistStatus.ENDED
    assert held() == []


def test_the_entry_page_lets_the_patient_leave_the_list(client, treatment):
    entry = waiting(treatment)
    url = reverse("booking:waitlist_entry", args=[entry.reference, entry.token])

    assert (
        client.get(reverse("booking:waitlist_entry", args=[entry.reference, "0" * 64])).status_code
        == 404
    )
    assert "Take me off the waiting list" in client.get(url).content.decode()
    page = client.post(url, follow=True).content.decode()

    assert "You are off the waiting list." in page
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.ENDED
