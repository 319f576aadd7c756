"""The queries that grow with years of requests are answered from indexes on PostgreSQL.

Sequential scans are switched off for each plan, so a query no index can serve still shows
one (at a prohibitive cost) and the test fails; `make bench` times the same pages on 50,000
requests (docs/benchmarks.md). A day's bookings also find the longest visit that may
overlap a time.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from booking.admin.appointments import AppointmentRequestAdmin
from booking.models import LONGEST_SLOT_MINUTES, AppointmentRequest, Status
from booking.schedule import active_bookings
from booking.templatetags.front_desk import front_desk_today
from booking.tests.factories import AppointmentRequestFactory, at, next_monday
from clinic.admin_site import ClinicAdminSite

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="query plans are checked on PostgreSQL"
)

PHONE_INDEX = re.compile(r"booking_request_phone(?!_trigram)")


def plan(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


@postgresql_only
def test_a_days_bookings_read_only_that_day_from_the_index():
    monday = next_monday()
    start, end = at(monday, "0:00"), at(monday + datetime.timedelta(days=1), "0:00")

    shown = plan(AppointmentRequest.objects.active().overlapping(start, end))

    index_condition = shown.split("Index Cond:", 1)[1].split("\n", 1)[0]
    assert "starts_at >" in index_condition and "starts_at <" in index_condition


@postgresql_only
def test_the_admin_list_reads_its_first_page_in_waiting_first_order_from_an_index():
    shown = plan(
        AppointmentRequest.objects.waiting_first().order_by("waiting", "starts_at", "-pk")[:100]
    )

    assert "booking_request_waiting_first" in shown
    assert "Sort" not in shown.split("booking_request_waiting_first")[0]


@postgresql_only
def test_a_patients_upcoming_requests_are_found_by_email_or_phone_index():
    queryset = AppointmentRequest.objects.active().upcoming(timezone.now()).filter(
        email__iexact="Maria@Example.com"
    ) | AppointmentRequest.objects.filter(phone="+12025550143")

    shown = plan(queryset)

    assert "booking_request_email_upper" in shown
    assert PHONE_INDEX.search(shown)


def searched(admin_user, typed: str):
    request = RequestFactory().get("/", {"q": typed})
    request.user = admin_user
    admin = AppointmentRequestAdmin(AppointmentRequest, ClinicAdminSite())
    found, _ = admin.get_search_results(request, AppointmentRequest.objects.all(), typed)
    return found


@postgresql_only
def test_a_search_by_a_whole_phone_number_looks_it_up_as_stored(admin_user):
    assert PHONE_INDEX.search(plan(searched(admin_user, "(202) 555-0143")))


@postgresql_only
def test_a_search_by_part_of_a_phone_number_uses_the_trigram_index(admin_user):
    assert "booking_request_phone_trigram" in plan(searched(admin_user, "555-0143"))


@postgresql_only
def test_the_start_page_reads_todays_visits_by_time_range(admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user

    visits = front_desk_today({"request": request})["visits"]

    index_condition = plan(visits).split("Index Cond:", 1)[1].split("\n", 1)[0]
    assert "starts_at >=" in index_condition and "starts_at <" in index_condition


def test_the_longest_visit_still_counts_against_a_time_it_overlaps():
    monday = next_monday()
    start = at(monday, "9:00")
    longest = datetime.timedelta(minutes=LONGEST_SLOT_MINUTES)
    AppointmentRequestFactory(status=Status.CONFIRMED, starts_at=start, ends_at=start + longest)
    AppointmentRequestFactory(
        status=Status.CONFIRMED, starts_at=start - longest, ends_at=start
    )  # ended as the first began

    last_half_hour = start + longest - datetime.timedelta(minutes=30)
    overlapping = active_bookings(last_half_hour, start + longest)
    at_the_start = active_bookings(start, start + datetime.timedelta(minutes=30))

    assert [booking.start for booking in overlapping] == [start]
    assert [booking.start for booking in at_the_start] == [start]
