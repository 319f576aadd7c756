"""The waiting list in the admin: the front desk sees the entries (filters, search by
reference or name) and each one's offers with their audit trail; held places show in the
request list; content editors see none of it; nobody edits an entry by hand."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from booking.models import AppointmentRequest, Status
from booking.services import waitlist
from booking.tests.factories import at, next_monday
from booking.tests.waitlist_helpers import full_day, waiting, weekday_clinic
from clinic.roles import FRONT_DESK

pytestmark = pytest.mark.django_db

LIST = reverse("admin:booking_waitlistentry_changelist")


@pytest.fixture
def treatment(starting_content):
    return weekday_clinic()


@pytest.fixture
def desk(client, django_user_model, starting_content):
    user = django_user_model.objects.create_user("desk", is_staff=True)
    user.groups.add(Group.objects.get(name=FRONT_DESK))
    client.force_login(user)
    return client


def an_offer(treatment):
    monday = next_monday()
    full_day(monday)
    AppointmentRequest.objects.filter(starts_at=at(monday, "10:00")).update(status=Status.CANCELLED)
    entry = waiting(treatment, name="Ana")
    practitioner_id = AppointmentRequest.objects.values_list("practitioner", flat=True)[0]
    return entry, waitlist.offer_freed_place(
        start=at(monday, "10:00"), practitioner_id=practitioner_id
    )


def test_the_front_desk_sees_the_list_filtered_and_searched(desk, treatment):
    ana, ben = waiting(treatment, name="Ana"), waiting(treatment, name="Ben")

    page = desk.get(LIST).content.decode()
    assert ana.reference in page and ben.reference in page
    assert "Waiting for a place" in page
    found = desk.get(LIST, {"q": "Ben"}).content.decode()
    assert ben.reference in found and ana.reference not in found
    by_reference = desk.get(LIST, {"q": ana.reference}).content.decode()
    assert ana.reference in by_reference and ben.reference not in by_reference
    filtered = desk.get(LIST, {"status__exact": "booked"}).content.decode()
    assert ana.reference not in filtered


def test_an_entry_shows_its_offers_and_their_audit_trail(desk, treatment):
    entry, offer = an_offer(treatment)
    waitlist.waitlist_claim(appointment=offer)

    page = desk.get(reverse("admin:booking_waitlistentry_change", args=[entry.pk])).content.decode()

    assert offer.reference in page
    assert "offered from the waiting list" in page and "taken from the waiting list" in page
    assert reverse("admin:booking_appointmentrequest_change", args=[offer.pk]) in page
    assert 'name="_save"' not in page  # read-only


def test_a_held_place_shows_in_the_request_list(desk, treatment):
    _entry, offer = an_offer(treatment)

    page = desk.get(reverse("admin:booking_appointmentrequest_changelist")).content.decode()

    assert offer.reference in page and "Held for the waiting list until" in page


def test_content_editors_do_not_see_the_waiting_list(editor_client, treatment):
    waiting(treatment)

    assert editor_client.get(LIST).status_code == 403
