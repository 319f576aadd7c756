"""The patient's booking flow through the test client: what they see, what is stored."""

import datetime
import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from booking.models import (
    AppointmentRequest,
    BookingSettings,
    Notification,
    Status,
    TreatmentType,
)
from booking.tests.factories import AppointmentRequestFactory, at, started_seconds_ago
from booking.tests.patient_diary import three_practitioners
from clinic.models import Closure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def schedule(open_every_day):
    return open_every_day


def page(response) -> str:
    return response.content.decode()


def submit(client, data, **changes):
    return client.post("/book/", {**data, **changes})


# -- the empty form ---------------------------------------------------------------------------


def test_form_offers_published_conditions_or_something_else(client):
    text = page(client.get("/book/"))
    for name in ("Muscle spasms", "Arthritis", "Spinal stenosis", "Something else"):
        assert name in text
    assert "When back pain needs urgent care" in text
    assert 'type="date"' in text
    assert 'name="csrfmiddlewaretoken"' in text


def test_condition_page_links_to_the_form_with_that_condition_chosen(client):
    assert 'href="/book/?reason=arthritis"' in page(client.get("/conditions/arthritis/"))
    text = page(client.get("/book/?reason=arthritis"))
    assert re.search(r'value="arthritis"[^>]*checked', text)


def test_an_unknown_reason_in_the_address_preselects_nothing(client):
    text = page(client.get("/book/?reason=<script>"))
    assert "checked" not in text.split('name="reason"', 1)[1].split("</fieldset>", 1)[0]
    assert "<script>" not in text


def test_form_shows_the_free_times_of_the_first_day_with_any(client, booking_day):
    text = page(client.get(f"/book/?date={booking_day.isoformat()}"))
    assert f"Free times on {booking_day:%A, %B} {booking_day.day}" in text
    assert 'value="09:00"' in text and 'value="16:00"' in text
    assert 'value="17:00"' not in text  # would end after closing


def test_a_closed_day_says_why_and_offers_the_next_free_day(client, booking_day):
    Closure.objects.create(start_date=booking_day, end_date=booking_day, reason="Staff training")
    text = page(client.get(f"/book/?date={booking_day.isoformat()}"))
    assert "We are closed on" in text
    assert "(Staff training)" in text
    next_day = booking_day + datetime.timedelta(days=1)
    assert f'name="show_day" value="{next_day.isoformat()}"' in text


def test_a_full_day_says_so_and_offers_the_next_free_day(
    client, booking_day, request_data, settings
):
    for hour in range(9, 17):
        phone = f"(202) 555-01{hour:02d}"
        submit(
            client, request_data, time=f"{hour:02d}:00", email=f"p{hour}@example.com", phone=phone
        )
    assert AppointmentRequest.objects.count() == 8
    text = page(client.get(f"/book/?date={booking_day.isoformat()}"))
    assert "There are no free times on" in text
    assert "The next day with free times is" in text


def test_choosing_another_day_without_javascript_keeps_what_was_typed(
    client, booking_day, request_data
):
    other_day = booking_day + datetime.timedelta(days=1)
    response = client.post(
        "/book/", {**request_data, "action": "times", "date": other_day.isoformat()}
    )
    text = page(response)
    assert response.status_code == 200
    assert f"Free times on {other_day:%A, %B} {other_day.day}" in text
    assert 'value="Maria"' in text
    assert 'value="maria@example.com"' in text
    assert "I use a wheelchair." in text
    assert "Please check your request" not in text
    assert AppointmentRequest.objects.count() == 0


def test_the_kept_parts_of_the_form_keep_what_was_chosen(client, booking_day, request_data):
    """The consent box and the day field are kept once rendered: never with another
    patient's choice in them."""
    consent = re.compile(r'name="consent"[^>]*checked')
    assert not consent.search(page(client.get("/book/")))
    other_day = (booking_day + datetime.timedelta(days=1)).isoformat()
    text = page(client.post("/book/", {**request_data, "action": "times", "date": other_day}))
    assert consent.search(text)
    assert f'name="date" value="{other_day}"' in text
    text = page(client.get(f"/book/?date={booking_day.isoformat()}"))
    assert not consent.search(text)
    assert f'name="date" value="{booking_day.isoformat()}"' in text


def test_the_free_times_fragment_for_the_script(client, booking_day):
    response = client.get(f"/book/times/?date={booking_day.isoformat()}")
    assert response.status_code == 200
    assert 'name="time" value="10:00"' in page(response)
    assert "<html" not in page(response)
    assert client.get("/book/times/?date=yesterday").status_code == 400
    too_far = timezone.localdate() + datetime.timedelta(days=90)
    assert client.get(f"/book/times/?date={too_far.isoformat()}").status_code == 400


# -- a successful request ---------------------------------------------------------------------


def test_a_valid_request_is_stored_and_confirmed_on_the_next_page(
    client, request_data, booking_day, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, request_data)
    assert response.status_code == 302
    assert response["Location"] == "/book/requested/"
    appointment = AppointmentRequest.objects.get()
    assert appointment.status == Status.REQUESTED
    assert appointment.condition.slug == "arthritis"
    assert appointment.phone == "+12025550143"
    assert (appointment.first_name, appointment.last_name) == ("Maria", "Lopez")
    assert appointment.is_new_patient
    assert appointment.consent_at is not None
    local_start = timezone.localtime(appointment.starts_at)
    assert (local_start.date(), local_start.hour, local_start.minute) == (booking_day, 10, 0)
    assert appointment.ends_at - appointment.starts_at == datetime.timedelta(hours=1)
    assert len(mailoutbox) == 2

    confirmation = page(client.get(response["Location"]))
    assert appointment.reference in confirmation
    assert "not confirmed yet" in confirmation
    assert "What happens next" in confirmation


def test_the_confirmation_says_how_long_the_visit_is_and_what_to_bring(client, request_data):
    response = submit(client, request_data)
    text = page(client.get(response["Location"]))
    assert "Visit of 60+0 minutes, about 60 minutes" in text
    assert re.search(r"<dt>With</dt>\s*<dd>Sample Practitioner", text)
    assert "Plan for about 60 minutes with us" in text
    assert "What to bring" in text
    assert "A list of the medicines you take" in text
    assert '<a href="/questions/">Read the answers to common questions</a>' in text


def test_something_else_is_stored_without_a_condition(client, request_data):
    submit(client, request_data, reason="other")
    assert AppointmentRequest.objects.get().condition is None


def test_the_confirmation_page_without_a_request_goes_back_to_the_form(client):
    response = Client().get("/book/requested/")
    assert response.status_code == 302
    assert response["Location"] == "/book/"


def test_no_personal_data_appears_in_any_address(client, request_data):
    response = submit(client, request_data)
    for value in ("Maria", "Lopez", "maria", "555", "arthritis"):
        assert value not in response["Location"]


# -- bad input: a clear message, nothing lost, nothing stored -----------------------------------


def assert_refused(response, message: str, status: int = 400):
    text = page(response)
    assert response.status_code == status, text[:500]
    assert message in text
    assert 'value="Lopez"' in text  # what the patient typed is still there
    assert AppointmentRequest.objects.count() == 0


def test_missing_fields_are_listed_in_a_summary_that_links_to_each(client):
    response = client.post("/book/", {"action": "request", "started": started_seconds_ago(60)})
    text = page(response)
    assert response.status_code == 400
    assert "Please check your request" in text
    for anchor, message in [
        ("id_reason_0", "Please choose what you would like help with."),
        ("id_date", "Please choose a day."),
        ("id_first_name", "Please enter your first name."),
        ("id_email", "Please enter your e-mail address."),
        ("id_phone", "Please enter your phone number."),
        ("id_patient_type_0", "Please tell us if you are new or have been here before."),
        ("id_consent", "Please agree to the privacy policy"),
    ]:
        assert re.search(rf'<a href="#{anchor}">{re.escape(message)}', text), anchor
    assert AppointmentRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"phone": "12345"}, "Please enter a phone number we can call"),
        ({"email": "maria@"}, "Please enter an e-mail address like name@example.com."),
        ({"note": "x" * 501}, "Please shorten your note to 500 characters (it has 501)."),
        ({"first_name": "M" * 101}, "Ensure this value has at most 100 characters"),
        ({"reason": "999"}, "Please choose one of the reasons in the list."),
        ({"time": "banana"}, "Please choose one of the times in the list."),
        ({"date": "2026-02-31"}, "Please enter the day as a date"),
        ({"consent": ""}, "Please agree to the privacy policy"),
        ({"patient_type": "vip"}, "Select a valid choice"),
    ],
)
def test_each_bad_field_gets_its_own_message(client, request_data, changes, message):
    assert_refused(submit(client, request_data, **changes), message)


def test_a_past_day_is_refused(client, request_data):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert_refused(submit(client, request_data, date=yesterday.isoformat()), "That day has passed.")


def test_a_day_beyond_the_horizon_is_refused(client, request_data):
    far = timezone.localdate() + datetime.timedelta(days=31)
    assert_refused(submit(client, request_data, date=far.isoformat()), "We take requests up to")


def test_a_time_off_the_grid_is_refused(client, request_data):
    assert_refused(
        submit(client, request_data, time="10:20"),
        "That is not one of our appointment times.",
        status=409,
    )


def test_a_time_outside_opening_hours_is_refused(client, request_data):
    assert_refused(
        submit(client, request_data, time="20:00"),
        "That is not one of our appointment times.",
        status=409,
    )


def test_a_closed_day_is_refused(client, request_data, booking_day):
    Closure.objects.create(start_date=booking_day, end_date=booking_day, reason="Holiday")
    assert_refused(submit(client, request_data), "We are closed on that day.", status=409)


def test_a_time_within_the_minimum_notice_is_refused(client, request_data):
    BookingSettings.objects.update(min_notice_hours=24 * 5)
    assert_refused(submit(client, request_data), "That time is too soon", status=409)


def test_a_taken_slot_keeps_everything_and_offers_the_next_free_times(
    client, request_data, booking_day
):
    submit(Client(), request_data, email="first@example.com")
    response = submit(client, request_data)
    text = page(response)
    assert response.status_code == 409
    assert "Sorry, that time has just been taken." in text
    assert "The next free times" in text
    assert f'name="pick" value="{booking_day.isoformat()}T11:00:00' in text
    assert 'value="Maria"' in text and "I use a wheelchair." in text
    assert AppointmentRequest.objects.count() == 1


def test_picking_an_offered_time_fills_in_day_and_time(client, request_data, booking_day):
    response = client.post(
        "/book/",
        {**request_data, "action": "", "pick": f"{booking_day.isoformat()}T11:00:00-05:00"},
    )
    text = page(response)
    assert re.search(r'name="time" value="11:00"[^>]*checked', text)
    assert 'value="Maria"' in text


def test_a_form_without_its_csrf_token_gets_a_friendly_403(request_data):
    response = Client(enforce_csrf_checks=True).post("/book/", request_data)
    assert response.status_code == 403
    assert "Please send the form again" in page(response)
    assert AppointmentRequest.objects.count() == 0


def test_a_filled_honeypot_stores_nothing(client, request_data):
    response = submit(client, request_data, website="http://spam.example")
    assert response.status_code == 400
    assert "Please check your details" in page(response)
    assert AppointmentRequest.objects.count() == 0


def test_a_form_sent_back_instantly_stores_nothing_but_can_be_sent_again(client, request_data):
    response = submit(client, request_data, started=started_seconds_ago(0))
    assert_refused(response, "press “Send request” again")
    resent = submit(client, request_data, started=started_seconds_ago(9))
    assert resent.status_code == 302


def test_a_forged_start_time_stamp_is_refused_and_renewed(client, request_data):
    response = submit(client, request_data, started="forged")
    assert_refused(response, "Please check your details")
    assert 'name="started" value="forged"' not in page(response)


# -- the manage page ------------------------------------------------------------------------------


@pytest.fixture
def appointment(client, request_data) -> AppointmentRequest:
    submit(client, request_data)
    return AppointmentRequest.objects.get()


def test_the_manage_page_shows_reference_time_and_status(client, appointment):
    response = client.get(appointment.get_manage_url())
    text = page(response)
    assert response.status_code == 200
    assert appointment.reference in text
    assert "Waiting for confirmation" in text
    assert "Cancel this appointment" in text
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


def test_an_unknown_token_is_a_plain_404(client, appointment):
    assert client.get("/appointments/not-a-real-token/").status_code == 404
    assert client.get(f"/appointments/{'a' * 64}/cancel/").status_code == 404


def test_following_the_cancel_link_cancels_nothing(client, appointment):
    text = page(client.get(f"{appointment.get_manage_url()}cancel/"))
    assert "Cancel this appointment?" in text
    appointment.refresh_from_db()
    assert appointment.status == Status.REQUESTED


def test_cancelling_is_a_post_and_sends_an_e_mail(
    client, appointment, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{appointment.get_manage_url()}cancel/")
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED
    text = page(client.get(response["Location"]))
    assert "Your appointment is cancelled." in text
    assert [m.subject for m in mailoutbox] == [
        f"Your appointment is cancelled ({appointment.reference})"
    ]


def test_after_the_cut_off_patients_are_asked_to_call(client, appointment):
    BookingSettings.objects.update(cancellation_cutoff_hours=24 * 10)
    text = page(client.get(appointment.get_manage_url()))
    assert "Cancel this appointment" not in text
    assert "please call us" in text
    response = client.post(f"{appointment.get_manage_url()}cancel/", follow=True)
    assert "Online cancellation closes 240 hours before the visit" in page(response)
    appointment.refresh_from_db()
    assert appointment.status == Status.REQUESTED


def test_the_calendar_file_exists_only_once_confirmed(client, appointment, admin_user):
    from booking.services import appointment_confirm

    calendar_url = f"{appointment.get_manage_url()}calendar.ics"
    assert client.get(calendar_url).status_code == 404
    appointment_confirm(appointment=appointment, by=admin_user)
    response = client.get(calendar_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar"
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body
    assert appointment.reference in body
    assert "Arthritis" not in body
    assert "Add to my calendar" in page(client.get(appointment.get_manage_url()))


def test_the_calendar_file_carries_the_alarm_the_clinic_chose(client, appointment, admin_user):
    from booking.services import appointment_confirm

    calendar_url = f"{appointment.get_manage_url()}calendar.ics"
    appointment_confirm(appointment=appointment, by=admin_user)
    assert "BEGIN:VALARM" not in client.get(calendar_url).content.decode()
    BookingSettings.objects.update(calendar_alarm_minutes=120)
    body = client.get(calendar_url).content.decode()
    assert "BEGIN:VALARM" in body
    assert "TRIGGER:-PT2H" in body


def turned_down(appointment, staff, how: str, message: str) -> None:
    from booking import services

    if how == "declined":
        services.appointment_decline(appointment=appointment, by=staff, message=message)
    else:
        services.appointment_confirm(appointment=appointment, by=staff)
        services.appointment_cancel_by_clinic(appointment=appointment, by=staff, message=message)


@pytest.mark.parametrize(
    ("how", "says"),
    [
        ("declined", "Sorry, we could not see you at this time."),
        ("cancelled by the clinic", "We are very sorry: we had to cancel this visit."),
    ],
)
def test_a_turned_down_request_shows_the_clinics_message_and_offers_another_time(
    client, appointment, admin_user, how, says
):
    turned_down(appointment, admin_user, how, "Dr Lee is away that week.\nMornings are free.")
    text = page(client.get(appointment.get_manage_url()))
    assert says in text
    assert "A note from the clinic" in text
    assert "Dr Lee is away that week.<br>Mornings are free." in text
    assert "anyone with it can see this appointment" in text
    assert "cancel this appointment" not in text.lower().replace("cancelled", "")
    form = text.split('class="rebook-form"', 1)[1].split("</form>", 1)[0]
    assert 'name="reason" value="arthritis"' in form
    assert 'name="email" value="maria@example.com"' in form
    assert "Request another time" in form
    assert "?reason" not in text  # the reason never goes into an address


def test_request_another_time_opens_the_form_with_the_reason_and_details_kept(
    client, appointment, admin_user
):
    turned_down(appointment, admin_user, "declined", "")
    text = page(client.get(appointment.get_manage_url()))
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', text))
    form = page(client.post("/book/", {**hidden, "action": "times"}))
    assert re.search(r'value="arthritis"[^>]*checked', form)
    assert 'value="Maria"' in form and 'value="maria@example.com"' in form
    assert re.search(rf'name="treatment" value="{appointment.treatment_type_id}"[^>]*checked', form)
    assert re.search(rf'value="{appointment.practitioner_id}"[^>]*checked', form)
    assert "A note from the clinic" not in text


def test_the_manage_page_says_the_link_can_cancel_only_while_it_can(client, appointment):
    text = page(client.get(appointment.get_manage_url()))
    assert "anyone with it can see, change and cancel this appointment" in text


def test_the_manage_token_is_not_stored(appointment):
    token = appointment.manage_token
    stored = AppointmentRequest.objects.filter(pk=appointment.pk).values().get()
    assert token not in [str(value) for value in stored.values()]
    assert Notification.objects.filter(appointment=appointment).count() == 2


def test_the_booking_form_runs_a_small_fixed_number_of_queries(
    client, booking_day, django_assert_max_num_queries
):
    client.get("/book/")  # create the settings row
    with django_assert_max_num_queries(5):
        response = client.get(f"/book/?date={booking_day.isoformat()}")
    assert "Free times on" in page(response)
    with django_assert_max_num_queries(5):
        response = client.get("/book/")
    assert "Free times on" in page(response)


def test_a_closed_day_and_the_next_free_one_fit_the_same_budget(
    client, booking_day, django_assert_max_num_queries
):
    Closure.objects.create(start_date=booking_day, end_date=booking_day, reason="Staff training")
    client.get("/book/")
    with django_assert_max_num_queries(5):
        text = page(client.get(f"/book/?date={booking_day.isoformat()}"))
    assert "(Staff training)" in text


def test_a_valid_request_runs_at_most_twelve_queries(
    client, request_data, django_assert_max_num_queries, settings
):
    """The schedule is loaded once and handed to the service; the day's bookings are read
    once, under the day's lock; the two e-mails are one outbox INSERT and one task INSERT,
    as in production (the database task backend); nothing is sent in the request."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.get("/book/")  # the settings row, the reasons in the cache: as for every patient
    with django_assert_max_num_queries(12):
        response = submit(client, request_data)
    assert response.status_code == 302
    assert AppointmentRequest.objects.get().condition.slug == "arthritis"
    assert Notification.objects.count() == 2
    assert DBTaskResult.objects.count() == 1


def test_a_request_needs_no_session(client, request_data):
    response = submit(client, request_data)
    assert "sessionid" not in response.cookies
    assert not Session.objects.exists()
    cookie = response.cookies["booking_confirmation"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["path"] == "/book/requested/"
    assert str(AppointmentRequest.objects.get().pk) in cookie.value  # signed, not secret


def test_a_forged_confirmation_cookie_shows_nothing(client, request_data):
    submit(client, request_data)
    other = Client()
    pk = AppointmentRequest.objects.get().pk
    other.cookies["booking_confirmation"] = f"{pk}:forged"
    response = other.get("/book/requested/")
    assert response.status_code == 302
    assert response["Location"] == "/book/"


# -- what is never stored -----------------------------------------------------------------------

FUZZ = ["<script>alert(1)</script>", "'; DROP TABLE x; --", "[]", "0", "null", "1e309", "9" * 41]


@pytest.mark.parametrize("junk", FUZZ)
def test_no_fuzz_value_is_ever_stored_as_a_name(client, request_data, junk):
    for field in ("first_name", "last_name"):
        response = submit(client, request_data, **{field: junk})
        assert response.status_code == 400
        assert "Please" in page(response)
    assert not AppointmentRequest.objects.exists()


def test_a_note_with_control_characters_is_refused_and_kept_for_correction(client, request_data):
    response = submit(client, request_data, note="Side door\x00\x1b[2J")
    assert response.status_code == 400
    assert "Your note contains a hidden character we cannot store" in page(response)
    assert not AppointmentRequest.objects.exists()


# -- the kind of visit and the practitioner -------------------------------------------------------


@pytest.fixture
def clinic(open_every_day):
    return three_practitioners()


def checked_value(text: str, name: str) -> str | None:
    found = re.search(rf'<input[^>]*name="{name}" value="([^"]*)"[^>]*checked', text)
    return found.group(1) if found else None


def visit_data(request_data, clinic, **changes) -> dict:
    return {**request_data, "treatment": str(clinic.first_visit.pk), **changes}


def test_the_form_asks_for_the_visit_then_the_practitioner_then_day_and_time(client, clinic):
    text = page(client.get("/book/"))
    order = [
        "1. Your visit",
        'name="reason"',
        "Have you been to our clinic before?",
        'name="treatment"',
        'name="practitioner"',
        "2. Day and time",
        'name="date"',
        'name="time"',
        "3. Your details",
        'name="first_name"',
    ]
    positions = [text.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert text.count('name="patient_type"') == 2  # asked once, before the visit


def test_each_kind_of_visit_says_its_length_and_what_it_is(client, clinic):
    text = page(client.get("/book/"))
    assert "First visit</span>, 60 minutes" in text
    assert "Follow-up</span>, 60 minutes" in text
    assert "A talk about your back and your health, then treatment." in text
    assert checked_value(text, "treatment") == str(clinic.first_visit.pk)  # new: first visit
    assert checked_value(text, "practitioner") == "any"
    assert "First available" in text and "Cleo Park" in text


def test_each_practitioner_radio_lists_the_visits_they_offer(client, clinic):
    text = page(client.get("/book/"))
    both = " ".join(sorted(str(t.pk) for t in (clinic.first_visit, clinic.follow_up)))
    assert re.search(rf'value="{clinic.ana.pk}"[^>]*data-treatment-ids="{both}"', text)
    assert re.search(
        rf'value="{clinic.cleo.pk}"[^>]*data-treatment-ids="{clinic.follow_up.pk}"', text
    )
    assert not re.search(r'value="any"[^>]*data-treatment-ids', text)


def test_a_returning_patient_is_offered_the_follow_up(client, clinic, request_data):
    text = page(client.get("/book/?patient_type=returning"))
    assert checked_value(text, "treatment") == str(clinic.follow_up.pk)
    kept = {**request_data, "action": "times", "patient_type": "returning"}
    text = page(client.post("/book/", kept))
    assert checked_value(text, "treatment") == str(clinic.follow_up.pk)
    data = visit_data(request_data, clinic, patient_type="returning")
    data.update(treatment=str(clinic.follow_up.pk), practitioner=str(clinic.cleo.pk))
    assert submit(client, data).status_code == 302
    stored = AppointmentRequest.objects.get()
    assert (stored.treatment_type, stored.practitioner) == (clinic.follow_up, clinic.cleo)


def test_a_new_patient_is_refused_a_follow_up(client, clinic, request_data):
    response = submit(client, visit_data(request_data, clinic, treatment=clinic.follow_up.pk))
    assert_refused(response, "As a new patient, please choose “First visit”.")
    assert '<a href="#id_treatment_0">As a new patient' in page(response)


def test_a_practitioner_who_does_not_offer_the_visit_is_refused(client, clinic, request_data):
    response = submit(client, visit_data(request_data, clinic, practitioner=clinic.cleo.pk))
    assert_refused(response, "Cleo Park does not offer “First visit”.")
    assert '<a href="#id_practitioner_0">Cleo Park does not offer' in page(response)


def test_a_chosen_practitioner_is_stored_and_shown_on_the_confirmation(
    client, clinic, request_data
):
    response = submit(client, visit_data(request_data, clinic, practitioner=clinic.ben.pk))
    assert response.status_code == 302
    stored = AppointmentRequest.objects.get()
    assert (stored.practitioner, stored.treatment_type) == (clinic.ben, clinic.first_visit)
    text = page(client.get(response["Location"]))
    assert re.search(r"<dt>With</dt>\s*<dd>Ben Okafor</dd>", text)
    assert "First visit, about 60 minutes" in text
    assert "Arthritis" not in text and "wheelchair" not in text


def test_first_available_takes_whoever_has_fewer_bookings_that_day(
    client, clinic, request_data, booking_day
):
    AppointmentRequestFactory(
        practitioner=clinic.ana,
        treatment_type=clinic.first_visit,
        starts_at=at(booking_day, "14:00"),
        ends_at=at(booking_day, "15:00"),
    )
    response = submit(client, visit_data(request_data, clinic, practitioner="any"))
    assert response.status_code == 302
    stored = AppointmentRequest.objects.latest("pk")
    assert stored.practitioner == clinic.ben  # Ana has one that day; Cleo has no first visits
    assert re.search(r"<dt>With</dt>\s*<dd>Ben Okafor</dd>", page(client.get("/book/requested/")))


def test_the_times_fragment_follows_the_visit_and_the_practitioner(client, clinic, booking_day):
    AppointmentRequestFactory(
        practitioner=clinic.ana,
        treatment_type=clinic.first_visit,
        starts_at=at(booking_day, "10:00"),
        ends_at=at(booking_day, "11:00"),
    )
    base = f"/book/times/?date={booking_day.isoformat()}&treatment={clinic.first_visit.pk}"
    with_ana = page(client.get(f"{base}&practitioner={clinic.ana.pk}"))
    assert 'value="09:00"' in with_ana and 'value="10:00"' not in with_ana
    assert 'value="10:00"' in page(client.get(f"{base}&practitioner=any"))
    with_cleo = page(client.get(f"{base}&practitioner={clinic.cleo.pk}"))
    assert "There are no free times on" in with_cleo
    follow_up = f"/book/times/?date={booking_day.isoformat()}&treatment={clinic.follow_up.pk}"
    assert 'value="10:00"' in page(client.get(f"{follow_up}&practitioner={clinic.cleo.pk}"))


def test_without_javascript_show_free_times_follows_the_chosen_practitioner(
    client, clinic, request_data, booking_day
):
    AppointmentRequestFactory(
        practitioner=clinic.ana,
        treatment_type=clinic.first_visit,
        starts_at=at(booking_day, "10:00"),
        ends_at=at(booking_day, "11:00"),
    )
    data = visit_data(request_data, clinic, action="times", practitioner=clinic.ana.pk, time="")
    text = page(client.post("/book/", data))
    assert checked_value(text, "practitioner") == str(clinic.ana.pk)
    assert 'name="time" value="09:00"' in text and 'name="time" value="10:00"' not in text
    assert 'value="Maria"' in text


def test_the_form_with_three_practitioners_fits_the_query_budget(
    client, clinic, request_data, booking_day, django_assert_max_num_queries, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.get("/book/")  # the settings row, the reasons in the cache
    with django_assert_max_num_queries(6):
        assert "Cleo Park" in page(client.get("/book/"))
    with django_assert_max_num_queries(6):
        times = client.get(
            f"/book/times/?date={booking_day.isoformat()}&treatment={clinic.first_visit.pk}"
            f"&practitioner={clinic.ana.pk}"
        )
    assert 'value="10:00"' in page(times)
    with django_assert_max_num_queries(12):
        response = submit(client, visit_data(request_data, clinic, practitioner="any"))
    assert response.status_code == 302


def test_with_no_visit_bookable_online_the_form_sends_patients_to_the_phone(client, request_data):
    TreatmentType.objects.update(bookable_online=False)

    shown = client.get("/book/")
    sent = client.post("/book/", request_data)

    assert shown.status_code == 200
    assert "There are no free times to request online right now. Please call us" in page(shown)
    assert sent.status_code == 400
    assert "Please choose the kind of visit." in page(sent)
    assert not AppointmentRequest.objects.exists()
