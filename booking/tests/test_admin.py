"""The front desk's workflow in the admin: what staff see, what they may do, what is stored."""

import csv
import datetime
import io
import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone

from booking import emails, services
from booking.display import local_time
from booking.models import (
    AppointmentRequest,
    BookingSettings,
    NotificationKind,
    NotificationStatus,
    Status,
)
from booking.tests.factories import (
    AppointmentRequestFactory,
    BookingSettingsFactory,
    NotificationFactory,
    at,
    the_practitioner,
    treatment_of,
)
from clinic.models import OpeningHours
from clinic.roles import FRONT_DESK
from conditions.models import Condition

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/booking/appointmentrequest/"


@pytest.fixture(autouse=True)
def open_every_day_8_to_8(starting_content):
    """The clinic's content and groups; open 8:00 to 20:00 every day in 30-minute slots, one
    patient each, no minimum notice, so the services accept any future time."""
    OpeningHours.objects.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(weekday=day, opens=datetime.time(8), closes=datetime.time(20))
        for day in range(7)
    )
    BookingSettingsFactory(slot_minutes=30, capacity=1, min_notice_hours=0)


@pytest.fixture
def front_desk_user(django_user_model):
    user = django_user_model.objects.create_user(
        "desk", is_staff=True, first_name="Fran", last_name="Okafor"
    )
    user.groups.add(Group.objects.get(name=FRONT_DESK))
    return user


@pytest.fixture
def front_desk_client(client, front_desk_user):
    client.force_login(front_desk_user)
    return client


def day(offset: int) -> datetime.date:
    """A day counted from today on the clinic's calendar."""
    return timezone.localdate() + datetime.timedelta(days=offset)


def waiting(**fields) -> AppointmentRequest:
    """A request waiting for confirmation, two days from now unless told otherwise."""
    return AppointmentRequestFactory(**{"starts_at": at(day(2), "10:00"), **fields})


def begun(status=Status.CONFIRMED, **fields) -> AppointmentRequest:
    """A visit that started an hour ago."""
    return AppointmentRequestFactory(
        status=status, starts_at=timezone.now() - datetime.timedelta(hours=1), **fields
    )


def url(view: str, *args, model: str = "appointmentrequest") -> str:
    return reverse(f"admin:booking_{model}_{view}", args=args)


def run_action(client, action: str, *appointments, follow=True, **data):
    """Choose an action for some rows on the changelist, as the admin's form sends it."""
    chosen = {"action": action, ACTION_CHECKBOX_NAME: [a.pk for a in appointments], "index": 0}
    return client.post(CHANGELIST, {**chosen, **data}, follow=follow)


def confirm_with_message(client, action, *appointments, message: str = ""):
    """Send the decline (or cancel) page's form: the message and the same selection."""
    data = {
        "action": action,
        ACTION_CHECKBOX_NAME: [a.pk for a in appointments],
        "post": "yes",
        "message": message,
    }
    return client.post(CHANGELIST, data, follow=True)


def shown_messages(response, level: str) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level_tag == level]


def references(response) -> list[str]:
    return [appointment.reference for appointment in response.context["cl"].result_list]


# The requests list


def test_requests_list_shows_local_visit_time_reason_and_status(admin_client):
    arthritis = Condition.objects.get(slug="arthritis")
    waiting(starts_at=at(datetime.date(2030, 12, 2), "9:00"), condition=arthritis)
    waiting(starts_at=at(datetime.date(2030, 12, 3), "14:30"), first_name="Ana", last_name="Ruiz")

    page = admin_client.get(CHANGELIST).content.decode()

    assert "Mon, Dec 2, 2030, 9:00 AM" in page
    assert "Tue, Dec 3, 2030, 2:30 PM" in page
    assert "Arthritis" in page
    assert "Something else" in page
    assert "Ana Ruiz" in page
    assert "Waiting for confirmation" in page


def test_waiting_requests_come_first_then_by_visit_time(admin_client):
    later = waiting(starts_at=at(day(3), "9:00"))
    sooner = waiting(starts_at=at(day(2), "9:00"))
    confirmed = AppointmentRequestFactory(status=Status.CONFIRMED, starts_at=at(day(1), "9:00"))
    declined = AppointmentRequestFactory(status=Status.DECLINED, starts_at=at(day(1), "8:00"))

    response = admin_client.get(CHANGELIST)

    assert references(response) == [r.reference for r in (sooner, later, declined, confirmed)]


def test_clicking_a_column_header_sorts_by_that_column_instead(admin_client):
    later = waiting(starts_at=at(day(3), "9:00"))
    sooner = waiting(starts_at=at(day(2), "9:00"))
    confirmed = AppointmentRequestFactory(status=Status.CONFIRMED, starts_at=at(day(1), "9:00"))

    response = admin_client.get(CHANGELIST, {"o": "-3"})  # visit time, latest first

    assert references(response) == [r.reference for r in (later, sooner, confirmed)]


@pytest.mark.parametrize(
    ("when", "shown", "hidden"),
    [
        ("today", {"today"}, {"long ago", "far ahead"}),
        ("week", {"today"}, {"long ago", "far ahead"}),
        ("upcoming", {"far ahead"}, {"long ago"}),
        ("past", {"long ago"}, {"far ahead"}),
    ],
)
def test_time_filter_uses_the_clinic_calendar(admin_client, when, shown, hidden):
    visits = {
        "long ago": waiting(starts_at=at(day(-10), "9:00")),
        "today": waiting(starts_at=at(day(0), "12:00")),
        "far ahead": waiting(starts_at=at(day(10), "9:00")),
    }

    listed = set(references(admin_client.get(CHANGELIST, {"visit": when})))

    assert {visits[name].reference for name in shown} <= listed
    assert not {visits[name].reference for name in hidden} & listed


def test_reason_filter_lists_conditions_and_something_else(admin_client):
    arthritis = Condition.objects.get(slug="arthritis")
    with_reason = waiting(condition=arthritis)
    without = waiting()

    page = admin_client.get(CHANGELIST).content.decode()
    by_condition = admin_client.get(CHANGELIST, {"condition__id__exact": arthritis.pk})
    by_nothing = admin_client.get(CHANGELIST, {"condition__isnull": "True"})

    assert "Something else" in page
    assert references(by_condition) == [with_reason.reference]
    assert references(by_nothing) == [without.reference]


@pytest.mark.parametrize(
    "typed",
    ["K7MX4P", "k7mx4p", "Lopez", "maria@example", "+12025550143", "(202) 555-0143", "555-0143"],
)
def test_search_finds_a_request_by_reference_name_email_or_phone(admin_client, typed):
    maria = waiting(
        reference="K7MX4P", last_name="Lopez", email="maria@example.com", phone="+12025550143"
    )
    waiting(reference="HJ3QTV", last_name="Ruiz", email="ana@example.com", phone="+13015550199")

    assert references(admin_client.get(CHANGELIST, {"q": typed})) == [maria.reference]


def test_the_visit_time_drill_down_lists_every_year_from_the_first_visit_to_the_last(
    admin_client, django_assert_max_num_queries
):
    for offset in (-800, -700, 2):
        AppointmentRequestFactory(status=Status.COMPLETED, starts_at=at(day(offset), "10:00"))
    first, last = day(-800).year, day(2).year

    with django_assert_max_num_queries(9):
        page = admin_client.get(CHANGELIST).content.decode()
    year = admin_client.get(CHANGELIST, {"starts_at__year": first}).content.decode()

    shown = [int(found) for found in re.findall(r"\?starts_at__year=(\d{4})\"", page)]
    assert shown == list(range(first, last + 1))
    assert f"starts_at__month={day(-800).month}&amp;starts_at__year={first}" in year


def test_the_visit_time_drill_down_of_one_year_offers_that_year(front_desk_client):
    AppointmentRequestFactory(starts_at=at(day(2), "10:00"))

    page = front_desk_client.get(CHANGELIST).content.decode()

    assert re.findall(r"\?starts_at__year=(\d{4})\"", page) == [str(day(2).year)]


@pytest.mark.parametrize("query", ["", "?status__exact=requested&visit=upcoming&q=Lopez", "?o=-3"])
def test_requests_list_of_2000_runs_at_most_10_queries(
    admin_client, django_assert_max_num_queries, query
):
    conditions = [*Condition.objects.all(), None]
    start = at(day(1), "8:00")
    practitioner, visit = the_practitioner(), treatment_of(30)
    rows = []
    for n in range(2000):
        starts_at = start + datetime.timedelta(minutes=30 * n)
        row = AppointmentRequest(
            reference=f"Q{n:05d}",
            status=Status.REQUESTED if n % 3 else Status.CONFIRMED,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(minutes=30),
            blocks_until=starts_at + datetime.timedelta(minutes=30),
            practitioner=practitioner,
            treatment_type=visit,
            condition=conditions[n % len(conditions)],
            first_name="Maria",
            last_name="Lopez",
            email=f"patient{n}@example.com",
            phone="+12025550143",
            is_new_patient=bool(n % 2),
            consent_at=timezone.now(),
        )
        row.start_new_manage_token()
        rows.append(row)
    AppointmentRequest.objects.bulk_create(rows)

    with django_assert_max_num_queries(10):
        response = admin_client.get(CHANGELIST + query)

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 100


# Status changes through actions


def test_confirm_action_confirms_and_emails_the_patient(
    admin_client, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    appointment = waiting(email="maria@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(admin_client, "confirm", appointment)

    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED
    event = appointment.events.get()
    assert (event.actor, event.from_status, event.to_status) == (
        admin_user,
        Status.REQUESTED,
        Status.CONFIRMED,
    )
    assert [email.to for email in mailoutbox] == [["maria@example.com"]]
    assert "confirmed" in mailoutbox[0].subject
    assert shown_messages(response, "success") == [
        "1 request confirmed. An e-mail goes to the patient."
    ]


def test_confirm_refuses_a_declined_request_and_changes_nothing(
    admin_client, mailoutbox, django_capture_on_commit_callbacks
):
    appointment = waiting(status=Status.DECLINED, reference="K7MX4P")

    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(admin_client, "confirm", appointment)

    appointment.refresh_from_db()
    assert appointment.status == Status.DECLINED
    assert not appointment.events.exists()
    assert mailoutbox == []
    assert shown_messages(response, "error") == [
        "Not changed: K7MX4P is “Declined”: it cannot be confirmed."
    ]
    assert shown_messages(response, "success") == []


def test_a_mixed_selection_reports_each_refusal_and_counts_the_successes(admin_client):
    first, second = waiting(), waiting(starts_at=at(day(2), "11:00"))
    declined = waiting(status=Status.DECLINED, reference="HJ3QTV")
    passed = waiting(starts_at=at(day(-1), "9:00"), reference="K7MX4P")

    response = run_action(admin_client, "confirm", first, second, declined, passed)

    assert shown_messages(response, "success") == [
        "2 requests confirmed. An e-mail goes to each patient."
    ]
    assert sorted(shown_messages(response, "error")) == [
        "Not changed: HJ3QTV is “Declined”: it cannot be confirmed.",
        "Not changed: K7MX4P: the visit time has passed, so it cannot be confirmed.",
    ]
    statuses = AppointmentRequest.objects.values_list("reference", "status")
    assert dict(statuses)[passed.reference] == Status.REQUESTED


def test_decline_action_first_shows_the_requests_and_asks_for_a_message(admin_client):
    first = waiting(reference="K7MX4P")
    second = waiting(reference="HJ3QTV", status=Status.CONFIRMED)

    response = run_action(admin_client, "decline", first, second, follow=False)

    page = response.content.decode()
    assert response.status_code == 200
    assert "K7MX4P" in page and "HJ3QTV" in page
    assert "Message to the patient (optional)" in page
    assert 'name="post" value="yes"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert f'href="{CHANGELIST}" class="closelink">Cancel' in page
    assert set(AppointmentRequest.objects.values_list("status", flat=True)) == {
        Status.REQUESTED,
        Status.CONFIRMED,
    }


def test_decline_with_a_message_reaches_each_patients_email(
    admin_client, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    first = waiting(email="maria@example.com")
    second = waiting(email="ana@example.com")
    message = "Our practitioner is away that week. Mornings next week are free."

    with django_capture_on_commit_callbacks(execute=True):
        response = confirm_with_message(admin_client, "decline", first, second, message=message)

    assert shown_messages(response, "success") == [
        "2 requests declined. An e-mail offering another time goes to each patient."
    ]
    for appointment in (first, second):
        appointment.refresh_from_db()
        assert appointment.status == Status.DECLINED
        event = appointment.events.get()
        assert (event.actor, event.message) == (admin_user, message)
    assert sorted(email.to[0] for email in mailoutbox) == ["ana@example.com", "maria@example.com"]
    assert all(message in email.body for email in mailoutbox)


def test_a_confirmed_visit_is_cancelled_by_the_clinic_not_declined(
    admin_client, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    confirmed = waiting(status=Status.CONFIRMED, reference="HJ3QTV", email="ana@example.com")

    declined = confirm_with_message(admin_client, "decline", confirmed)
    assert shown_messages(declined, "error") == [
        "Not changed: HJ3QTV is “Confirmed”: it cannot be declined."
    ]
    page = run_action(admin_client, "cancel_by_clinic", confirmed, follow=False)
    assert "Cancel confirmed visits" in page.content.decode()
    assert "HJ3QTV" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm_with_message(
            admin_client, "cancel_by_clinic", confirmed, message="Our practitioner is ill."
        )

    assert shown_messages(response, "success") == [
        "1 visit cancelled by the clinic. An e-mail offering another time goes to the patient."
    ]
    confirmed.refresh_from_db()
    assert confirmed.status == Status.CANCELLED_BY_CLINIC
    event = confirmed.events.get()
    assert (event.action, event.actor, event.message) == (
        "cancelled by the clinic",
        admin_user,
        "Our practitioner is ill.",
    )
    (email,) = mailoutbox
    assert email.to == ["ana@example.com"]
    assert email.subject == "We have had to cancel your appointment (HJ3QTV)"
    assert "Our practitioner is ill." in email.body


def test_cancel_visit_button_asks_for_a_message_then_cancels(
    admin_client, mailoutbox, django_capture_on_commit_callbacks
):
    appointment = waiting(status=Status.CONFIRMED, reference="K7MX4P")
    cancel_url = url("cancel_by_clinic", appointment.pk)
    change = change_page(admin_client, appointment).content.decode()
    assert f'<form method="get" action="{cancel_url}">' in change
    page = admin_client.get(cancel_url).content.decode()
    assert "K7MX4P" in page and "Message to the patient (optional)" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(cancel_url, {"message": "Sorry, the clinic is closed."})
    assert response.url == url("change", appointment.pk)
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED_BY_CLINIC
    assert "Sorry, the clinic is closed." in mailoutbox[0].body


def test_decline_refuses_a_completed_visit(admin_client):
    appointment = begun(status=Status.COMPLETED, reference="K7MX4P")

    response = confirm_with_message(admin_client, "decline", appointment)

    appointment.refresh_from_db()
    assert appointment.status == Status.COMPLETED
    assert shown_messages(response, "error") == [
        "Not changed: K7MX4P is “Completed”: it cannot be declined."
    ]


@pytest.mark.parametrize(
    ("action", "status", "reported"),
    [
        ("complete", Status.COMPLETED, "1 visit marked completed."),
        ("no_show", Status.NO_SHOW, "1 visit marked no-show."),
    ],
)
def test_a_visit_that_has_begun_can_be_marked_completed_or_no_show(
    admin_client, admin_user, action, status, reported
):
    appointment = begun()

    response = run_action(admin_client, action, appointment)

    appointment.refresh_from_db()
    assert appointment.status == status
    assert appointment.events.get().actor == admin_user
    assert shown_messages(response, "success") == [reported]


@pytest.mark.parametrize("action", ["complete", "no_show"])
def test_a_visit_that_has_not_begun_cannot_be_marked_completed_or_no_show(admin_client, action):
    appointment = waiting(status=Status.CONFIRMED, reference="K7MX4P")

    response = run_action(admin_client, action, appointment)

    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED
    assert shown_messages(response, "error") == [
        f"Not changed: K7MX4P: the visit has not started yet, so it cannot be "
        f"{'marked completed' if action == 'complete' else 'marked no-show'}."
    ]


# CSV export


def test_csv_export_lists_the_selection_in_clinic_time_without_notes(admin_client):
    appointment = waiting(
        reference="K7MX4P",
        starts_at=at(datetime.date(2030, 12, 2), "9:00"),
        condition=Condition.objects.get(slug="arthritis"),
        first_name="Maria",
        last_name="Lopez",
        email="maria@example.com",
        is_new_patient=False,
        note="My left side hurts",
        staff_notes="Prefers mornings",
    )
    waiting(reference="HJ3QTV")  # not selected

    response = run_action(admin_client, "export_csv", appointment, follow=False)

    today = timezone.localdate()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="appointment-requests-{today:%Y-%m-%d}.csv"'
    )
    content = response.content.decode()
    received = timezone.localtime(appointment.created_at)
    assert list(csv.reader(io.StringIO(content))) == [
        [
            "reference", "visit date", "visit time", "status", "reason", "first name",
            "last name", "e-mail", "phone", "new patient", "received", "practitioner",
            "treatment", "overbooked",
        ],
        [
            "K7MX4P", "2030-12-02", "09:00", "Waiting for confirmation", "Arthritis", "Maria",
            "Lopez", "maria@example.com", "(202) 555-0143", "no", f"{received:%Y-%m-%d %H:%M}",
            str(appointment.practitioner), appointment.treatment_type.name, "no",
        ],
    ]  # fmt: skip
    assert "My left side hurts" not in content
    assert "Prefers mornings" not in content


def test_csv_export_keeps_spreadsheets_from_running_what_patients_typed(admin_client):
    appointment = waiting(
        first_name='=HYPERLINK("http://evil.example","Click")',
        last_name="@SUM(A1:A9)",
        email="-1+2@example.com",
    )

    response = run_action(admin_client, "export_csv", appointment, follow=False)

    row = list(csv.reader(io.StringIO(response.content.decode())))[1]
    assert row[5:8] == [
        '\'=HYPERLINK("http://evil.example","Click")',
        "'@SUM(A1:A9)",
        "'-1+2@example.com",
    ]


# The change page


def change_page(client, appointment):
    return client.get(url("change", appointment.pk))


@pytest.mark.parametrize(
    ("make", "offered"),
    [
        (lambda: waiting(), ["confirm", "decline", "move"]),
        (lambda: waiting(starts_at=at(day(-1), "9:00")), ["decline"]),
        (lambda: waiting(status=Status.CONFIRMED), ["cancel_by_clinic", "move"]),
        (lambda: begun(), ["complete", "no_show"]),
        (lambda: begun(status=Status.NO_SHOW), []),
        (lambda: waiting(status=Status.DECLINED), []),
    ],
)
def test_change_page_offers_only_the_changes_allowed_now(admin_client, make, offered):
    appointment = make()

    response = change_page(admin_client, appointment)

    page = response.content.decode()
    assert [step["name"] for step in response.context["steps"]] == offered
    for step in ("confirm", "decline", "cancel_by_clinic", "complete", "no_show", "move"):
        assert (f'action="{url(step, appointment.pk)}"' in page) == (step in offered)
    assert f"Status: {appointment.get_status_display()}" in page


def test_confirm_button_confirms_and_returns_to_the_change_page(
    admin_client, mailoutbox, django_capture_on_commit_callbacks
):
    appointment = waiting()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url("confirm", appointment.pk))

    assert response.status_code == 302
    assert response.url == url("change", appointment.pk)
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED
    assert len(mailoutbox) == 1


def test_mark_completed_button_refuses_a_visit_that_has_not_begun(admin_client):
    appointment = waiting(status=Status.CONFIRMED, reference="K7MX4P")

    response = admin_client.post(url("complete", appointment.pk), follow=True)

    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED
    assert shown_messages(response, "error") == [
        "Not changed: K7MX4P: the visit has not started yet, so it cannot be marked completed."
    ]


def test_change_page_buttons_work_only_as_a_post_with_a_csrf_token(admin_user):
    appointment = waiting()
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)

    assert client.get(url("confirm", appointment.pk)).status_code == 405
    assert client.post(url("confirm", appointment.pk)).status_code == 403
    assert client.post(url("decline", appointment.pk), {"message": "x"}).status_code == 403
    appointment.refresh_from_db()
    assert appointment.status == Status.REQUESTED


def test_decline_button_asks_for_a_message_then_declines_with_it(
    admin_client, mailoutbox, django_capture_on_commit_callbacks
):
    appointment = waiting(reference="K7MX4P", email="maria@example.com")
    decline_url = url("decline", appointment.pk)

    page = admin_client.get(decline_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(decline_url, {"message": "Please call us to find a time."})

    assert "K7MX4P" in page and "Message to the patient (optional)" in page
    assert f'href="{url("change", appointment.pk)}" class="closelink">Cancel' in page
    assert response.status_code == 302
    assert response.url == url("change", appointment.pk)
    appointment.refresh_from_db()
    assert appointment.status == Status.DECLINED
    assert "Please call us to find a time." in mailoutbox[0].body


def test_change_page_shows_the_audit_trail_and_the_emails_sent(
    admin_client, admin_user, django_capture_on_commit_callbacks
):
    admin_user.first_name, admin_user.last_name = "Sam", "Rivera"
    admin_user.save()
    appointment = waiting()
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_confirm(appointment=appointment, by=admin_user)
        services.appointment_cancel_by_clinic(
            appointment=appointment, by=admin_user, message="The room is closed."
        )

    page = change_page(admin_client, appointment).content.decode()

    confirmed_at = appointment.events.get(action="confirmed").at
    assert f"<td>{timezone.localtime(confirmed_at):%a, %b %-d, %Y, %-I:%M %p}</td>" in page
    assert "<td>Sam Rivera</td>" in page
    assert "Waiting for confirmation → Confirmed" in page
    assert "Confirmed → Cancelled by the clinic" in page
    assert "The room is closed." in page
    assert "Visit confirmed (to patient)" in page
    assert "Visit cancelled by the clinic (to patient)" in page
    assert "<td>Sent</td>" in page


def test_staff_can_edit_their_notes_but_nothing_the_patient_typed(admin_client):
    appointment = waiting(first_name="Maria", email="maria@example.com", note="Left side hurts")
    tampered = {
        "staff_notes": "Prefers the morning.",
        "first_name": "Mallory",
        "email": "mallory@example.com",
        "note": "Changed",
        "status": Status.CONFIRMED,
        "starts_at": "2030-01-01 09:00",
        "_save": "Save",
    }

    page = change_page(admin_client, appointment).content.decode()
    response = admin_client.post(url("change", appointment.pk), tampered)

    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.staff_notes == "Prefers the morning."
    assert (appointment.first_name, appointment.email, appointment.note) == (
        "Maria",
        "maria@example.com",
        "Left side hurts",
    )
    assert appointment.status == Status.REQUESTED
    assert appointment.starts_at == at(day(2), "10:00")
    assert 'name="staff_notes"' in page
    for typed in ("first_name", "email", "phone", "note", "status", "starts_at", "condition"):
        assert f'name="{typed}"' not in page


def test_requests_cannot_be_added_or_deleted_even_by_a_superuser(admin_client):
    appointment = waiting()

    assert admin_client.get(url("add")).status_code == 403
    assert admin_client.get(url("delete", appointment.pk)).status_code == 403
    page = admin_client.get(CHANGELIST).content.decode()
    assert 'value="delete_selected"' not in page
    assert url("add") not in page


# The e-mail outbox


def test_email_outbox_lists_emails_and_is_read_only(admin_client):
    notification = NotificationFactory(
        appointment=waiting(reference="K7MX4P"),
        kind=NotificationKind.CONFIRMED,
        status=NotificationStatus.FAILED,
        attempts=8,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
    )

    page = admin_client.get(url("changelist", model="notification")).content.decode()
    detail = admin_client.get(url("change", notification.pk, model="notification"))

    assert "K7MX4P" in page
    assert "Visit confirmed (to patient)" in page
    assert "Failed: gave up after retries" in page
    assert "SMTPServerDisconnected" in page
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert admin_client.get(url("add", model="notification")).status_code == 403
    assert admin_client.get(url("delete", notification.pk, model="notification")).status_code == 403


def retry(client, *notifications):
    data = {
        "action": "retry_now",
        ACTION_CHECKBOX_NAME: [n.pk for n in notifications],
        "index": 0,
    }
    return client.post(url("changelist", model="notification"), data, follow=True)


def test_retry_now_hands_a_failed_email_to_the_worker_with_fresh_attempts(
    admin_client, mailoutbox, django_capture_on_commit_callbacks
):
    notification = NotificationFactory(
        appointment=waiting(status=Status.CONFIRMED, email="maria@example.com"),
        kind=NotificationKind.CONFIRMED,
        status=NotificationStatus.FAILED,
        attempts=8,
        next_attempt_at=timezone.now() + datetime.timedelta(days=1),
        last_error="SMTPServerDisconnected",
    )

    with django_capture_on_commit_callbacks(execute=True) as tasks:
        response = retry(admin_client, notification)
        assert mailoutbox == []  # the request only queued it
    assert len(tasks) == 1  # the tests' immediate backend runs the task after the commit

    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert (notification.attempts, notification.last_error) == (1, "")
    assert [email.to for email in mailoutbox] == [["maria@example.com"]]
    assert shown_messages(response, "success") == [
        "1 e-mail handed to the worker: it goes out in a moment."
    ]


def test_the_outbox_says_why_an_email_is_still_waiting(
    admin_client, monkeypatch, django_capture_on_commit_callbacks
):
    def mail_server_down(self, fail_silently=False):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", mail_server_down)
    failing = NotificationFactory(appointment=waiting(), kind=NotificationKind.REQUEST_RECEIVED)
    with django_capture_on_commit_callbacks(execute=True):
        retry(admin_client, failing)
    NotificationFactory(appointment=waiting(), kind=NotificationKind.STAFF_NEW_REQUEST)
    NotificationFactory(
        appointment=waiting(),
        kind=NotificationKind.REQUEST_RECEIVED,
        next_attempt_at=timezone.now() - datetime.timedelta(minutes=30),
    )
    NotificationFactory(
        appointment=waiting(),
        kind=NotificationKind.REQUEST_RECEIVED,
        status=NotificationStatus.SENDING,
        next_attempt_at=timezone.now() + emails.SENDING_LEASE,
    )

    page = admin_client.get(url("changelist", model="notification")).content.decode()

    failing.refresh_from_db()
    assert (failing.status, failing.attempts) == (NotificationStatus.PENDING, 1)
    next_attempt = formats.date_format(
        timezone.localtime(failing.next_attempt_at), "DATETIME_FORMAT"
    )
    assert (
        f"The mail server failed: ConnectionRefusedError: mail server down. "
        f"Next attempt at {next_attempt}." in page
    )
    assert "Waiting for the worker.</td>" in page
    assert "Waiting for the worker since" in page and "is the task worker running?" in page
    assert "Being sent now." in page


def test_retry_now_leaves_an_email_being_sent_to_its_sender(admin_client, mailoutbox):
    lease_ends = timezone.now() + emails.SENDING_LEASE
    notification = NotificationFactory(
        appointment=waiting(), status=NotificationStatus.SENDING, next_attempt_at=lease_ends
    )

    response = retry(admin_client, notification)

    notification.refresh_from_db()
    assert (notification.status, notification.next_attempt_at) == (
        NotificationStatus.SENDING,
        lease_ends,
    )
    assert emails.send_email(notification.pk) is None  # nobody else may claim it
    assert mailoutbox == []
    assert shown_messages(response, "info") == [
        "1 e-mail is being sent right now: it was left alone."
    ]


def test_retry_now_takes_an_email_whose_sender_died_while_sending(
    admin_client, mailoutbox, django_capture_on_commit_callbacks
):
    notification = NotificationFactory(
        appointment=waiting(),
        status=NotificationStatus.SENDING,
        next_attempt_at=timezone.now() - datetime.timedelta(minutes=1),  # the lease ran out
    )
    page = admin_client.get(url("changelist", model="notification")).content.decode()
    assert "The worker stopped while sending it: the next retry sends it again." in page

    with django_capture_on_commit_callbacks(execute=True):
        response = retry(admin_client, notification)

    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert len(mailoutbox) == 1
    assert shown_messages(response, "success") == [
        "1 e-mail handed to the worker: it goes out in a moment."
    ]


def test_retry_now_leaves_sent_emails_alone(admin_client, mailoutbox):
    sent_at = timezone.now() - datetime.timedelta(hours=1)
    notification = NotificationFactory(
        appointment=waiting(), status=NotificationStatus.SENT, attempts=1, sent_at=sent_at
    )

    response = retry(admin_client, notification)

    notification.refresh_from_db()
    assert (notification.status, notification.sent_at) == (NotificationStatus.SENT, sent_at)
    assert mailoutbox == []
    assert shown_messages(response, "warning") == [
        "Nothing to retry: only waiting or failed e-mails."
    ]


# Booking settings


def test_booking_settings_list_opens_the_one_row_creating_it_if_needed(admin_client):
    BookingSettings.objects.all().delete()

    response = admin_client.get(url("changelist", model="bookingsettings"))

    row = BookingSettings.objects.get()
    assert response.status_code == 302
    assert response.url == url("change", row.pk, model="bookingsettings")


def test_booking_settings_cannot_be_added_twice_or_deleted(admin_client):
    row = BookingSettings.load()

    assert admin_client.get(url("add", model="bookingsettings")).status_code == 403
    assert admin_client.get(url("delete", row.pk, model="bookingsettings")).status_code == 403


def test_booking_settings_save_and_refuse_values_out_of_range(admin_client):
    row = BookingSettings.load()
    data = {
        "grid_minutes": 15,
        "min_notice_hours": 12,
        "horizon_days": 60,
        "cancellation_cutoff_hours": 24,
        "retention_days": 365,
        "staff_email": "desk@example.com",
        "reminder_lead_hours": ["2", "48"],
        "calendar_alarm_minutes": 30,
        "waitlist_hold_minutes": 90,
    }
    change_url = url("change", row.pk, model="bookingsettings")

    refused = admin_client.post(change_url, {**data, "horizon_days": 0})
    saved = admin_client.post(change_url, data)

    assert "Ensure this value is greater than or equal to 1." in refused.content.decode()
    assert saved.status_code == 302
    row.refresh_from_db()
    assert (row.grid_minutes, row.horizon_days, row.staff_email) == (15, 60, "desk@example.com")
    assert (row.reminder_lead_hours, row.calendar_alarm_minutes) == ([48, 2], 30)
    assert row.waitlist_hold_minutes == 90


# The start page


def test_start_page_lists_todays_confirmed_visits_and_the_waiting_requests(admin_client):
    visit = AppointmentRequestFactory(
        status=Status.CONFIRMED,
        starts_at=at(day(0), "19:30"),
        reference="K7MX4P",
        first_name="Maria",
        last_name="Lopez",
    )
    AppointmentRequestFactory(
        status=Status.CONFIRMED, starts_at=at(day(1), "9:00"), last_name="Nextday"
    )
    AppointmentRequestFactory(
        status=Status.DECLINED, starts_at=at(day(0), "9:00"), last_name="Gone"
    )
    waiting(), waiting(starts_at=at(day(3), "9:00"))

    page = admin_client.get(reverse("admin:index")).content.decode()

    assert f'<a href="{url("change", visit.pk)}">7:30 PM</a>' in page
    assert "<td>Maria Lopez</td>" in page and "K7MX4P" not in page  # its time links to it
    assert "Nextday" not in page and "Gone" not in page
    assert f'<a href="{CHANGELIST}?status__exact=requested">2 requests waiting' in page


def test_start_page_says_when_there_are_no_visits_today(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()

    assert "No confirmed visits today" in page
    assert "0 requests waiting for confirmation" in page


# Who may do what


def test_front_desk_can_work_through_requests(
    front_desk_client, front_desk_user, django_capture_on_commit_callbacks
):
    appointment = waiting()

    assert front_desk_client.get(CHANGELIST).status_code == 200
    page = change_page(front_desk_client, appointment).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(front_desk_client, "confirm", appointment)

    assert 'name="staff_notes"' in page
    assert f'action="{url("confirm", appointment.pk)}"' in page
    assert shown_messages(response, "success") == [
        "1 request confirmed. An e-mail goes to the patient."
    ]
    assert appointment.events.get().actor == front_desk_user
    assert (
        "No confirmed visits today"
        in front_desk_client.get(reverse("admin:index")).content.decode()
    )


@pytest.mark.parametrize(
    "admin_page",
    [
        "admin:booking_notification_changelist",
        "admin:clinic_openinghours_changelist",
        "admin:clinic_closure_changelist",
    ],
)
def test_front_desk_can_open_emails_hours_and_closures(front_desk_client, admin_page):
    assert front_desk_client.get(reverse(admin_page)).status_code == 200


def test_front_desk_can_retry_emails_and_edit_booking_settings(front_desk_client):
    NotificationFactory(appointment=waiting())
    row = BookingSettings.load()

    outbox = front_desk_client.get(url("changelist", model="notification")).content.decode()
    settings_page = front_desk_client.get(url("change", row.pk, model="bookingsettings"))

    assert 'value="retry_now"' in outbox
    assert 'name="grid_minutes"' in settings_page.content.decode()


@pytest.mark.parametrize(
    "admin_page",
    [
        "admin:auth_user_changelist",
        "admin:auth_group_changelist",
        "admin:conditions_condition_changelist",
        "admin:clinic_page_changelist",
        "admin:clinic_clinicprofile_changelist",
    ],
)
def test_front_desk_cannot_reach_users_or_content(front_desk_client, admin_page):
    assert front_desk_client.get(reverse(admin_page)).status_code == 403


def test_content_editor_cannot_see_or_change_requests(editor_client):
    appointment = waiting()

    assert editor_client.get(CHANGELIST).status_code == 403
    assert change_page(editor_client, appointment).status_code == 403
    assert editor_client.post(url("confirm", appointment.pk)).status_code == 403
    assert editor_client.get(url("changelist", model="notification")).status_code == 403
    appointment.refresh_from_db()
    assert appointment.status == Status.REQUESTED


def test_content_editor_sees_no_today_panel_on_the_start_page(editor_client):
    AppointmentRequestFactory(status=Status.CONFIRMED, starts_at=at(day(0), "19:30"))

    page = editor_client.get(reverse("admin:index")).content.decode()

    assert "Condition pages" in page
    assert "front-desk-today" not in page
    assert "waiting for confirmation" not in page


# Phone numbers as the front desk reads them


@pytest.mark.parametrize(
    ("stored", "shown"),
    [("+12025550143", "(202) 555-0143"), ("+442079460958", "+44 20 7946 0958")],
)
def test_the_change_page_shows_the_phone_as_people_dial_it(admin_client, stored, shown):
    appointment = waiting(phone=stored)
    page = change_page(admin_client, appointment).content.decode()
    assert f'<a href="tel:{stored}">{shown}</a>' in page
    assert "International format" not in page


def test_every_date_and_time_on_a_change_page_is_in_one_format(admin_client, admin_user):
    appointment = waiting(starts_at=at(datetime.date(2030, 12, 2), "9:00"))
    services.appointment_confirm(appointment=appointment, by=admin_user)
    page = change_page(admin_client, appointment).content.decode()
    shown = [
        local_time(moment)
        for moment in (appointment.starts_at, appointment.consent_at, appointment.created_at)
    ]
    for text in shown:
        assert text in page
    assert re.fullmatch(r"\w{3}, \w{3} \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M", shown[0])
    for other_format in ("a.m.", "p.m.", "Dec. "):
        assert other_format not in page


# The start page


def test_confirms_and_declines_appear_under_recent_actions(admin_client, admin_user):
    first = waiting(reference="K7MX4P")
    second = waiting(reference="HJ3QTV")
    run_action(admin_client, "confirm", first)
    confirm_with_message(admin_client, "decline", second, message="Away that week.")

    entries = LogEntry.objects.filter(user=admin_user).order_by("action_time")
    assert [(e.object_repr, e.get_change_message()) for e in entries] == [
        ("K7MX4P", "Status: Waiting for confirmation → Confirmed"),
        ("HJ3QTV", "Status: Waiting for confirmation → Declined"),
    ]
    start = admin_client.get("/admin/").content.decode()
    recent = start.split('id="recent-actions-module"', 1)[1]
    assert "K7MX4P" in recent and "HJ3QTV" in recent


def app_headings(client) -> list[str]:
    page = client.get("/admin/").content.decode()
    return re.findall(r'<caption>\s*<a href="[^"]*" class="section"[^>]*>([^<]+)</a>', page)


def test_the_start_page_puts_the_clinics_work_first_and_login_lockouts_last(admin_client):
    headings = app_headings(admin_client)
    assert headings[:3] == ["Appointments", "Clinic", "Condition pages"]
    assert headings[-1] == "Login lockouts"
    assert "Axes" not in headings


def test_login_lockouts_are_for_superusers_only(front_desk_client, editor_client):
    for client in (front_desk_client, editor_client):
        assert "Login lockouts" not in app_headings(client)
        assert client.get("/admin/axes/accessattempt/").status_code == 403


def test_the_start_page_warns_when_no_one_is_told_of_new_requests(admin_client):
    BookingSettings.objects.update(staff_email="")
    start = admin_client.get("/admin/").content.decode()
    assert "No e-mail tells staff about new requests" in start
    BookingSettings.objects.update(staff_email="desk@example.com")
    assert (
        "No e-mail tells staff about new requests"
        not in admin_client.get("/admin/").content.decode()
    )
