"""A practitioner's calendar feed: only their visits, only what a lock screen may show, the
same event after a move, and nothing for a token that is not live."""

import datetime
import io
import logging

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from booking.feed_calendar import FEED_AHEAD, FEED_PAST
from booking.feeds import (
    FETCH_NOTED_EVERY,
    CalendarFeed,
    feed_for_token,
    feed_issue,
    feed_revoke,
)
from booking.models import Status
from booking.services import appointment_move
from booking.tests.factories import AppointmentRequestFactory, at
from booking.tests.patient_diary import three_practitioners
from clinic.logs import RedactingFilter, redact
from conditions.models import Condition

pytestmark = pytest.mark.django_db


@pytest.fixture
def trio(open_every_day):
    return three_practitioners()


@pytest.fixture
def boss(django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-123456789")


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def visit(trio, practitioner, when: datetime.datetime, **fields):
    """An hour's follow-up with this practitioner."""
    return AppointmentRequestFactory(
        practitioner=practitioner,
        treatment_type=trio.follow_up,
        starts_at=when,
        ends_at=when + datetime.timedelta(hours=1),
        **fields,
    )


def feed_path(token: str) -> str:
    return reverse("booking:calendar_feed", kwargs={"token": token})


def events(response) -> dict[str, dict]:
    """The feed's events by UID, as a calendar reads them."""
    calendar = Calendar.from_ical(response.content)
    return {
        str(event["UID"]): {
            "summary": str(event["SUMMARY"]),
            "description": str(event["DESCRIPTION"]),
            "start": event.decoded("DTSTART"),
            "end": event.decoded("DTEND"),
            "sequence": int(event["SEQUENCE"]),
            "status": str(event["STATUS"]),
        }
        for event in calendar.walk("VEVENT")
    }


def summaries(response) -> list[str]:
    return sorted(event["summary"] for event in events(response).values())


def test_a_token_shows_only_its_practitioners_visits(client, trio, boss):
    visit(trio, trio.ana, at(day(3), "10:00"), first_name="Maria", last_name="Lopez")
    visit(trio, trio.ana, at(day(4), "11:00"), first_name="Tom", last_name="Berg")
    visit(trio, trio.ben, at(day(3), "10:00"), first_name="Zoe", last_name="Quinn")
    token = feed_issue(practitioner=trio.ana, by=boss)

    response = client.get(feed_path(token))

    assert response.status_code == 200
    assert summaries(response) == ["Follow-up — Maria L.", "Follow-up — Tom B."]
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]).endswith("— Ana Diaz")


def test_each_event_has_the_time_length_reference_and_treatment(client, trio, boss):
    start = at(day(3), "10:00")
    appointment = visit(trio, trio.ana, start, status=Status.CONFIRMED)
    token = feed_issue(practitioner=trio.ana, by=boss)

    (event,) = events(client.get(feed_path(token))).values()

    assert event["start"] == start and event["end"] == start + datetime.timedelta(hours=1)
    assert event["description"] == f"Reference {appointment.reference}, 60 minutes."
    assert event["status"] == "CONFIRMED"


def test_waiting_requests_are_tentative_arrived_ones_confirmed_and_cancelled_ones_left_out(
    client, trio, boss
):
    visit(trio, trio.ana, at(day(3), "10:00"), first_name="Wait", status=Status.REQUESTED)
    for status in (Status.CANCELLED, Status.CANCELLED_BY_CLINIC, Status.DECLINED):
        visit(trio, trio.ana, at(day(4), "10:00"), first_name="Gone", status=status)
    visit(trio, trio.ana, at(day(-2), "10:00"), first_name="Done", status=Status.COMPLETED)
    visit(trio, trio.ana, at(day(0), "00:00"), first_name="Here", status=Status.ARRIVED)
    token = feed_issue(practitioner=trio.ana, by=boss)

    shown = {e["summary"]: e["status"] for e in events(client.get(feed_path(token))).values()}

    assert shown == {
        "Follow-up — Wait L.": "TENTATIVE",
        "Follow-up — Done L.": "CONFIRMED",
        "Follow-up — Here L.": "CONFIRMED",  # checked in: still their visit
    }


def test_the_feed_covers_the_last_30_days_and_the_year_ahead(client, trio, boss):
    now = timezone.now()
    for name, when in [
        ("Old", now - FEED_PAST - datetime.timedelta(hours=1)),
        ("Recent", now - FEED_PAST + datetime.timedelta(hours=1)),
        ("Far", now + FEED_AHEAD - datetime.timedelta(hours=1)),
        ("Beyond", now + FEED_AHEAD + datetime.timedelta(hours=1)),
    ]:
        visit(trio, trio.ana, when, first_name=name, status=Status.CONFIRMED)
    token = feed_issue(practitioner=trio.ana, by=boss)

    assert summaries(client.get(feed_path(token))) == [
        "Follow-up — Far L.",
        "Follow-up — Recent L.",
    ]


def test_the_feed_carries_no_contact_details_reason_note_or_last_name(client, trio, boss):
    visit(
        trio,
        trio.ana,
        at(day(3), "10:00"),
        first_name="Maria",
        last_name="Lopez-Hartmann",
        email="maria.private@example.com",
        phone="+12025550143",
        note="Sciatica down the left leg",
        staff_notes="Bring the MRI report",
    )
    with_reason = visit(trio, trio.ana, at(day(4), "10:00"), last_name="Zebulon")
    with_reason.condition = Condition.objects.get(slug="arthritis")
    with_reason.save()
    token = feed_issue(practitioner=trio.ana, by=boss)

    body = client.get(feed_path(token)).content.decode()

    # The phone in any format (a bare "555" could be a timestamp's seconds).
    for private in (
        "maria.private", "example.com", "2025550143", "555-0143", "5550143", "Sciatica",
        "MRI", "Lopez", "Hartmann", "Zebulon", "rthritis", "Something else",
    ):  # fmt: skip
        assert private not in body
    assert "Maria L." in body


def test_a_visit_whose_details_were_erased_shows_no_name(client, trio, boss):
    visit(trio, trio.ana, at(day(-20), "10:00"), first_name="", last_name="")
    token = feed_issue(practitioner=trio.ana, by=boss)

    assert summaries(client.get(feed_path(token))) == ["Follow-up — (erased)"]


def test_a_moved_visit_keeps_its_uid_with_a_higher_sequence_and_the_new_time(client, trio, boss):
    appointment = visit(trio, trio.ana, at(day(3), "10:00"), status=Status.CONFIRMED)
    token = feed_issue(practitioner=trio.ana, by=boss)
    ((uid_before, before),) = events(client.get(feed_path(token))).items()

    appointment_move(
        appointment=appointment, start=at(day(5), "14:00"), practitioner=trio.ana, by=boss
    )
    ((uid_after, after),) = events(client.get(feed_path(token))).items()

    assert uid_after == uid_before
    assert uid_before.startswith(f"{appointment.reference}-practitioner@")
    assert after["sequence"] > before["sequence"]
    assert after["start"] == at(day(5), "14:00")


def test_the_feeds_uid_is_not_the_patients_calendar_files(client, trio, boss):
    appointment = visit(trio, trio.ana, at(day(3), "10:00"), status=Status.CONFIRMED)
    token = feed_issue(practitioner=trio.ana, by=boss)
    patients = Calendar.from_ical(client.get(appointment.get_manage_url() + "calendar.ics").content)

    (feed_uid,) = events(client.get(feed_path(token)))

    assert feed_uid != str(next(iter(patients.walk("VEVENT")))["UID"])


def test_a_visit_moved_to_another_practitioner_leaves_the_old_feed_for_the_new(client, trio, boss):
    appointment = visit(trio, trio.ana, at(day(3), "10:00"), status=Status.CONFIRMED)
    ana_token = feed_issue(practitioner=trio.ana, by=boss)
    ben_token = feed_issue(practitioner=trio.ben, by=boss)

    appointment_move(
        appointment=appointment, start=at(day(3), "10:00"), practitioner=trio.ben, by=boss
    )

    assert events(client.get(feed_path(ana_token))) == {}
    assert len(events(client.get(feed_path(ben_token)))) == 1


def not_found_body(client, token: str) -> str:
    response = client.get(feed_path(token))
    assert response.status_code == 404
    return response.content.decode().replace(token, "TOKEN")  # the page names its address


def test_unknown_malformed_and_revoked_tokens_get_the_same_404(client, trio, boss):
    revoked = feed_issue(practitioner=trio.ana, by=boss)
    feed_revoke(practitioner=trio.ana, by=boss)
    unknown = "A" * 43

    bodies = {
        not_found_body(client, token)
        for token in (unknown, "tooShort42", "x" * 80, "not!a~token", revoked)
    }

    assert len(bodies) == 1
    assert "We can’t find that page" in bodies.pop()


def test_renewing_stops_the_old_link_and_the_new_one_works(client, trio, boss):
    visit(trio, trio.ana, at(day(3), "10:00"))
    old = feed_issue(practitioner=trio.ana, by=boss)

    new = feed_issue(practitioner=trio.ana, by=boss)

    assert client.get(feed_path(old)).status_code == 404
    assert len(events(client.get(feed_path(new)))) == 1
    assert CalendarFeed.objects.live().count() == 1
    assert CalendarFeed.objects.count() == 2  # the revoked one is kept, with who and when


def test_the_token_is_long_random_and_stored_nowhere(trio, boss):
    token = feed_issue(practitioner=trio.ana, by=boss)
    dump = io.StringIO()

    call_command("dumpdata", stdout=dump)  # every row of every table

    assert len(token) >= 43 and feed_for_token(token).practitioner == trio.ana
    assert token not in dump.getvalue()
    assert CalendarFeed.objects.get().token_hash in dump.getvalue()


def test_the_feed_is_private_never_cached_nor_indexed(client, trio, boss):
    token = feed_issue(practitioner=trio.ana, by=boss)

    response = client.get(feed_path(token))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert client.post(feed_path(token)).status_code == 405


def test_the_feed_is_read_with_the_same_few_queries_however_many_visits(
    client, trio, boss, django_assert_num_queries
):
    token = feed_issue(practitioner=trio.ana, by=boss)
    client.get(feed_path(token))  # the first fetch is noted: later ones within 15 min are not
    visit(trio, trio.ana, at(day(3), "10:00"))
    with django_assert_num_queries(3):  # the feed, the clinic's name, the visits
        assert len(events(client.get(feed_path(token)))) == 1
    for offset in range(4, 30):
        visit(trio, trio.ana, at(day(offset), "10:00"))
    with django_assert_num_queries(3):
        assert len(events(client.get(feed_path(token)))) == 27


def test_a_fetch_is_noted_at_most_every_15_minutes(client, trio, boss):
    token = feed_issue(practitioner=trio.ana, by=boss)
    client.get(feed_path(token))
    feed = CalendarFeed.objects.get()
    first = feed.last_fetched_at
    assert first is not None

    CalendarFeed.objects.update(last_fetched_at=first - FETCH_NOTED_EVERY)
    client.get(feed_path(token))

    assert CalendarFeed.objects.get().last_fetched_at > first - FETCH_NOTED_EVERY


def test_the_token_never_reaches_a_log_line(client, trio, boss, caplog):
    token = feed_issue(practitioner=trio.ana, by=boss)
    caplog.set_level(logging.INFO, logger="clinic.requests")
    client.get(feed_path(token))
    client.get(feed_path("B" * 43))  # Django also logs "Not Found: <path>"

    lines = [RedactingFilter().filter(record) and record.getMessage() for record in caplog.records]

    assert any("/calendar/…" in line for line in lines)
    assert not any(token in line or "B" * 43 in line for line in lines)
    assert redact(f'"GET /calendar/{token}.ics HTTP/1.1" 200') == '"GET /calendar/… HTTP/1.1" 200'
    assert redact(f"https://clinic.example/calendar/{token}.ics") == (
        "https://clinic.example/calendar/…"
    )
