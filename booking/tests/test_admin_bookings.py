"""The front desk's side of the diary in the admin: booking a visit for a patient who phoned,
moving a visit, cancelling one, and overbookings marked wherever visits are listed."""

import csv
import datetime
import io
import re

import icalendar
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from booking import services
from booking.availability import free_times
from booking.models import (
    AppointmentRequest,
    EventAction,
    NotificationKind,
    PractitionerDiary,
    Source,
    Status,
    WorkingHours,
)
from booking.schedule import day_bookings, for_staff, load_schedule
from booking.tests.factories import (
    AppointmentRequestFactory,
    BookingSettingsFactory,
    PatientDetailsFactory,
    TreatmentTypeFactory,
    at,
    the_practitioner,
)
from clinic.models import OpeningHours, Practitioner
from clinic.roles import FRONT_DESK

pytestmark = pytest.mark.django_db

BOOK = "/admin/booking/appointmentrequest/book/"
CHANGELIST = "/admin/booking/appointmentrequest/"
UTC = datetime.UTC


@pytest.fixture(autouse=True)
def clinic(starting_content):
    """Open 8:00 to 20:00 every day on a 30-minute grid, no notice; two practitioners who
    both give a 45-minute treatment with 15 minutes after it."""
    OpeningHours.objects.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(weekday=day, opens=datetime.time(8), closes=datetime.time(20))
        for day in range(7)
    )
    BookingSettingsFactory(slot_minutes=30, capacity=1, min_notice_hours=0)


@pytest.fixture
def acupuncture():
    return TreatmentTypeFactory(name="Acupuncture", minutes=45, buffer_minutes=15)


@pytest.fixture
def alex(acupuncture) -> Practitioner:
    practitioner = the_practitioner()
    practitioner.diary.treatment_types.add(acupuncture)
    return practitioner


@pytest.fixture
def dana(acupuncture) -> Practitioner:
    diary = PractitionerDiary.objects.create(
        practitioner=Practitioner.objects.create(name="Dana Reyes"), position=1
    )
    WorkingHours.objects.bulk_create(
        WorkingHours(diary=diary, weekday=day, starts=datetime.time(8), ends=datetime.time(20))
        for day in range(7)
    )
    diary.treatment_types.set([acupuncture])
    return diary.practitioner


@pytest.fixture
def front_desk_user(django_user_model):
    user = django_user_model.objects.create_user("desk", is_staff=True, first_name="Fran")
    user.groups.add(Group.objects.get(name=FRONT_DESK))
    return user


@pytest.fixture
def desk(client, front_desk_user):
    client.force_login(front_desk_user)
    return client


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def value(moment: datetime.datetime) -> str:
    """A free time's radio button value: the moment in UTC."""
    return moment.astimezone(UTC).isoformat()


def choosing(treatment, practitioner, on: datetime.date, **fields) -> dict:
    """Step 1 as the page sends it when staff press “Show free times”."""
    return {
        "treatment": treatment.pk,
        "practitioner": practitioner.pk,
        "day": on.isoformat(),
        "show": "Show free times",
        **fields,
    }


def booking(treatment, practitioner, start: datetime.datetime, **fields) -> dict:
    """The whole booking page as sent with “Book the visit”."""
    data = choosing(treatment, practitioner, timezone.localdate(start)) | {
        "time": value(start),
        "first_name": "Maria",
        "last_name": "Lopez",
        "phone": "(202) 555-0143",
        "email": "maria@example.com",
        "patient_type": "new",
        "consent": "on",
        "book": "Book the visit",
    }
    del data["show"]
    return {**data, **fields}


def offered(response) -> list[str]:
    return re.findall(r'name="time" value="([^"]+)"', response.content.decode())


def next_offered(response) -> list[str]:
    return re.findall(r'name="pick" value="([^"]+)"', response.content.decode())


def shown_messages(response, level: str) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level_tag == level]


def change_url(appointment) -> str:
    return reverse("admin:booking_appointmentrequest_change", args=[appointment.pk])


def move_url(appointment) -> str:
    return reverse("admin:booking_appointmentrequest_move", args=[appointment.pk])


def calendar_event(email) -> icalendar.Event:
    (name, content, _type) = email.attachments[0]
    assert name.endswith(".ics")
    return icalendar.Calendar.from_ical(content).walk("VEVENT")[0]


def visit(practitioner, treatment, start, **fields) -> AppointmentRequest:
    return AppointmentRequestFactory(
        status=fields.pop("status", Status.CONFIRMED),
        starts_at=start,
        ends_at=start + treatment.as_treatment().length,
        blocks_until=start + treatment.as_treatment().blocked,
        practitioner=practitioner,
        treatment_type=treatment,
        **fields,
    )


# Booking a visit for a patient who phoned


def test_book_a_visit_is_offered_on_the_request_list_and_the_start_page(desk):
    requests_list = desk.get(CHANGELIST).content.decode()
    start_page = desk.get(reverse("admin:index")).content.decode()

    assert f'<a href="{BOOK}" class="addlink">Book a visit…</a>' in requests_list
    assert "/admin/booking/appointmentrequest/add/" not in requests_list
    assert f'href="{BOOK}"' in start_page.split('id="front-desk-today"')[1]
    assert desk.get("/admin/booking/appointmentrequest/add/").status_code == 403


def test_the_booking_page_first_asks_for_treatment_practitioner_and_day(
    desk, alex, dana, acupuncture
):
    offline = TreatmentTypeFactory(name="House call", bookable_online=False)

    page = desk.get(BOOK).content.decode()

    assert "Acupuncture" in page and "House call" in page and offline.is_active
    assert str(alex) in page
    assert "Dana Reyes" in page
    assert f'value="{day(0).isoformat()}"' in page
    assert 'name="show"' in page
    assert 'name="time"' not in page and 'name="first_name"' not in page


def test_show_free_times_offers_exactly_the_free_times_online_uses(
    desk, alex, acupuncture, django_assert_max_num_queries
):
    on = day(2)
    visit(alex, acupuncture, at(on, "10:00"))  # 10:00 to 11:00 with the buffer
    now = timezone.now()
    schedule = for_staff(load_schedule(now))
    expected = free_times(
        on, schedule, now, day_bookings(schedule, on), acupuncture.as_treatment(), alex.pk
    )

    with django_assert_max_num_queries(8):
        response = desk.post(BOOK, choosing(acupuncture, alex, on))

    assert offered(response) == [value(slot.start) for slot in expected]
    assert value(at(on, "9:00")) in offered(response)
    assert value(at(on, "9:30")) not in offered(response)  # would run into the 10:00 visit
    assert value(at(on, "10:30")) not in offered(response)
    assert value(at(on, "11:00")) in offered(response)
    page = response.content.decode()
    assert "Free times on" in page and 'name="first_name"' in page
    assert "errornote" not in page


def test_showing_times_again_keeps_what_staff_typed_without_errors(desk, alex, acupuncture):
    typed = choosing(acupuncture, alex, day(3), first_name="Maria", phone="202", consent="on")

    page = desk.post(BOOK, typed).content.decode()

    assert 'name="first_name" value="Maria"' in page
    assert 'value="202"' in page
    assert re.search(r'name="consent"[^>]*checked', page)
    assert "errorlist" not in page


def test_a_practitioner_who_does_not_give_the_treatment_is_refused_naming_who_does(
    desk, alex, dana, acupuncture
):
    cupping = TreatmentTypeFactory(name="Cupping", minutes=30, buffer_minutes=0)
    dana.diary.treatment_types.add(cupping)

    response = desk.post(BOOK, choosing(cupping, alex, day(2)))

    page = response.content.decode()
    assert f"{alex} does not offer this treatment. Who does: Dana Reyes." in page
    assert 'name="time"' not in page


def test_booking_stores_a_confirmed_front_desk_visit_and_emails_the_calendar_file(
    desk, front_desk_user, alex, acupuncture, mailoutbox, django_capture_on_commit_callbacks
):
    start = at(day(2), "14:30")
    data = booking(acupuncture, alex, start, staff_notes="Phoned in, prefers mornings.")

    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(BOOK, data, follow=True)

    appointment = AppointmentRequest.objects.get()
    assert response.redirect_chain == [(change_url(appointment), 302)]
    assert shown_messages(response, "success") == [
        f"{appointment.reference} booked and confirmed with {alex}: "
        f"{timezone.localtime(start):%a, %b} {start.day}, {start.year}, 2:30 PM. "
        "The patient gets a confirmation e-mail."
    ]
    assert appointment.status == Status.CONFIRMED
    assert appointment.source == Source.FRONT_DESK
    assert (appointment.practitioner, appointment.treatment_type) == (alex, acupuncture)
    assert appointment.starts_at == start
    assert appointment.ends_at == start + datetime.timedelta(minutes=45)
    assert appointment.blocks_until == start + datetime.timedelta(minutes=60)
    assert appointment.phone == "+12025550143"
    assert appointment.staff_notes == "Phoned in, prefers mornings."
    assert appointment.consent_at is not None and not appointment.is_overbooked
    assert appointment.events.get().actor == front_desk_user
    (email,) = mailoutbox
    assert email.to == ["maria@example.com"]
    assert email.subject == f"Your appointment is confirmed ({appointment.reference})"
    assert calendar_event(email)["SEQUENCE"] == 0
    assert [n.kind for n in appointment.notifications.all()] == [NotificationKind.CONFIRMED]


def test_booking_without_an_email_address_sends_nothing(
    desk, alex, acupuncture, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(BOOK, booking(acupuncture, alex, at(day(2), "9:00"), email=""))

    appointment = AppointmentRequest.objects.get()
    assert response.url == change_url(appointment)
    assert (appointment.email, appointment.status) == ("", Status.CONFIRMED)
    assert mailoutbox == [] and not appointment.notifications.exists()


@pytest.mark.parametrize(
    ("field", "typed", "error"),
    [
        ("phone", "555", "Please enter a phone number we can call, including the area code."),
        ("consent", "", "Ask the patient to agree to the privacy policy"),
        ("time", "", "Choose one of the free times."),
        ("first_name", "", "This field is required."),
    ],
)
def test_an_incomplete_booking_is_refused_and_nothing_stored(
    desk, alex, acupuncture, field, typed, error
):
    data = booking(acupuncture, alex, at(day(2), "9:00"))
    if typed:
        data[field] = typed
    else:
        del data[field]

    response = desk.post(BOOK, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert error in page
    assert re.search(rf'<ul class="errorlist" id="id_{field}_error">', page)
    assert not AppointmentRequest.objects.exists()


def test_a_time_taken_meanwhile_keeps_what_was_typed_and_offers_the_next_free_times(
    desk, alex, acupuncture
):
    start = at(day(2), "10:00")
    data = booking(acupuncture, alex, start, staff_notes="Walk-in")
    visit(alex, acupuncture, at(day(2), "9:30"))  # booked online while staff typed

    response = desk.post(BOOK, data)

    assert response.status_code == 409
    page = response.content.decode()
    assert "Sorry, that time has just been taken." in page
    assert 'id="id_time_error"' in page
    assert 'name="first_name" value="Maria"' in page and "Walk-in" in page
    assert value(start) not in offered(response)
    assert next_offered(response) == [
        value(at(day(2), hh_mm)) for hh_mm in ("10:30", "11:00", "11:30", "12:00", "12:30")
    ]
    assert AppointmentRequest.objects.count() == 1


def test_the_free_times_are_a_fieldset_whose_legend_names_the_day_and_whose_error_is_linked(
    desk, alex, acupuncture
):
    data = booking(acupuncture, alex, at(day(2), "9:00"))
    del data["time"]

    page = desk.post(BOOK, data).content.decode()

    fieldset = re.search(r'<fieldset class="choice-group"([^>]*)>\s*<legend>([^<]+)</legend>', page)
    assert fieldset.group(1) == ' aria-describedby="id_time_error"'
    assert fieldset.group(2).startswith("Free times on ")
    assert re.search(r'<label for="id_time_0"><input[^>]*aria-invalid="true"', page)
    assert 'aria-describedby="id_phone_error"' not in page  # only fields in error


def test_a_next_free_time_button_opens_its_day_with_the_time_chosen(desk, alex, acupuncture):
    pick = at(day(5), "11:00")
    data = booking(acupuncture, alex, at(day(2), "10:00"), pick=value(pick))

    response = desk.post(BOOK, data)

    page = response.content.decode()
    assert f'value="{day(5).isoformat()}"' in page
    assert re.search(rf'value="{re.escape(value(pick))}"[^>]*checked', page)
    assert not AppointmentRequest.objects.exists()


def test_overbooking_needs_the_box_ticked_and_a_reason(desk, alex, acupuncture):
    visit(alex, acupuncture, at(day(2), "10:00"))
    typed_time = booking(acupuncture, alex, at(day(2), "10:00"), time="", other_time="10:00")
    no_reason = typed_time | {"overbook": "on"}

    without_box = desk.post(BOOK, typed_time).content.decode()
    without_reason = desk.post(BOOK, no_reason).content.decode()

    assert "tick “Overbook deliberately”, say why." in without_box
    assert "Write why this visit is overbooked." in without_reason
    assert AppointmentRequest.objects.count() == 1


def test_a_taken_time_is_not_overbooked_without_the_box(desk, alex, acupuncture):
    visit(alex, acupuncture, at(day(2), "10:00"))

    response = desk.post(
        BOOK, booking(acupuncture, alex, at(day(2), "10:00"), overbook_reason="Urgent")
    )

    assert response.status_code == 409
    assert AppointmentRequest.objects.count() == 1


def test_an_overbooking_with_a_reason_is_stored_and_marked_in_the_list_and_audit_trail(
    desk, alex, dana, acupuncture
):
    visit(alex, acupuncture, at(day(2), "10:00"), last_name="Booked")
    data = booking(
        acupuncture,
        alex,
        at(day(2), "10:00"),
        time="",
        other_time="10:15",
        overbook="on",
        overbook_reason="Acute back pain; Alex agreed.",
        last_name="Squeezed",
    )

    response = desk.post(BOOK, data, follow=True)

    overbooked = AppointmentRequest.objects.get(last_name="Squeezed")
    assert overbooked.starts_at == at(day(2), "10:15")
    assert overbooked.is_overbooked
    assert overbooked.overbooking_reason == "Acute back pain; Alex agreed."
    assert "Overbooked deliberately." in shown_messages(response, "success")[0]
    change = response.content.decode()
    assert "Acute back pain; Alex agreed." in change
    event = overbooked.events.get(action=EventAction.OVERBOOKED)
    assert event.message == "Acute back pain; Alex agreed."
    audit_trail = change.split('id="audit-trail"')[1].split('id="emails"')[0]
    assert "overbooked deliberately" in audit_trail
    assert "Acute back pain; Alex agreed." in audit_trail
    listed = desk.get(CHANGELIST).content.decode()
    row = next(r for r in listed.split("<tr") if overbooked.reference in r)
    assert '<strong class="overbooked">Overbooked</strong>' in row
    assert "Acupuncture" in row and str(alex) in row
    only = desk.get(CHANGELIST, {"is_overbooked__exact": "1"})
    assert [a.reference for a in only.context["cl"].result_list] == [overbooked.reference]


def test_the_request_list_filters_by_practitioner(desk, alex, dana, acupuncture):
    with_alex = visit(alex, acupuncture, at(day(2), "10:00"))
    visit(dana, acupuncture, at(day(2), "10:00"))

    response = desk.get(CHANGELIST, {"practitioner__id__exact": alex.pk})

    assert [a.reference for a in response.context["cl"].result_list] == [with_alex.reference]
    assert "Dana Reyes" in response.content.decode()  # offered as a filter


def test_the_change_page_shows_practitioner_treatment_length_and_overbooking(
    desk, alex, acupuncture
):
    overbooked = visit(
        alex, acupuncture, at(day(2), "10:00"), is_overbooked=True, overbooking_reason="Urgent"
    )

    page = desk.get(change_url(overbooked)).content.decode()

    assert str(alex) in page and "Acupuncture" in page
    assert "45 minutes, then 15 minutes before the next visit" in page
    assert "Yes: overbooked" in page and "Urgent" in page
    assert 'name="overbooking_reason"' not in page  # read-only


def test_the_start_page_shows_the_practitioner_and_marks_an_overbooking(desk, alex, acupuncture):
    visit(alex, acupuncture, at(day(0), "19:00"), is_overbooked=True, overbooking_reason="x")

    page = desk.get(reverse("admin:index")).content.decode()

    today = page.split('id="front-desk-today"')[1]
    assert f"<td>{alex}</td>" in today
    assert 'Confirmed <strong class="overbooked">Overbooked</strong>' in today


def test_the_csv_export_names_practitioner_treatment_and_overbooking(desk, alex, acupuncture):
    overbooked = visit(alex, acupuncture, at(day(2), "10:00"), is_overbooked=True)
    data = {"action": "export_csv", "_selected_action": [overbooked.pk], "index": 0}

    rows = list(csv.reader(io.StringIO(desk.post(CHANGELIST, data).content.decode())))

    assert rows[0][-3:] == ["practitioner", "treatment", "overbooked"]
    assert rows[1][-3:] == [str(alex), "Acupuncture", "yes"]


# Moving a visit


@pytest.mark.parametrize(
    ("status", "hours_from_now", "offered_move"),
    [
        (Status.CONFIRMED, 48, True),
        (Status.REQUESTED, 48, True),
        (Status.CONFIRMED, -1, False),
        (Status.DECLINED, 48, False),
    ],
)
def test_move_is_offered_only_for_an_active_visit_that_has_not_begun(
    desk, alex, acupuncture, status, hours_from_now, offered_move
):
    start = timezone.now() + datetime.timedelta(hours=hours_from_now)
    appointment = visit(alex, acupuncture, start, status=status)

    page = desk.get(change_url(appointment)).content.decode()

    button = f'<form method="get" action="{move_url(appointment)}">'
    assert (button in page) is offered_move
    assert ('value="Move…"' in page) is offered_move


def test_the_move_page_shows_the_current_time_and_that_days_free_times(
    desk, alex, dana, acupuncture
):
    appointment = visit(alex, acupuncture, at(day(2), "10:00"))

    response = desk.get(move_url(appointment))

    page = response.content.decode()
    assert str(alex) in page and "Maria Lopez" in page
    assert value(at(day(2), "10:00")) in offered(response)  # its own place is free to it
    assert re.search(r'name="tell_patient"[^>]*checked', page)
    assert f'<option value="{alex.pk}" selected>' in page
    assert 'name="treatment"' not in page


def book_by_phone(desk, treatment, practitioner, start) -> AppointmentRequest:
    response = desk.post(BOOK, booking(treatment, practitioner, start), follow=True)
    appointment = AppointmentRequest.objects.get(starts_at=start, practitioner=practitioner)
    assert response.redirect_chain == [(change_url(appointment), 302)]
    return appointment


def test_moving_to_another_time_and_practitioner_frees_the_old_place_and_tells_the_patient(
    desk, front_desk_user, alex, dana, acupuncture, mailoutbox, django_capture_on_commit_callbacks
):
    old, new = at(day(2), "10:00"), at(day(3), "15:00")
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book_by_phone(desk, acupuncture, alex, old)
    confirmation = calendar_event(mailoutbox[0])
    move = {"practitioner": dana.pk, "day": day(3).isoformat(), "time": value(new)}

    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            move_url(appointment), move | {"tell_patient": "on", "move": "Move"}, follow=True
        )

    appointment.refresh_from_db()
    assert (appointment.starts_at, appointment.practitioner) == (new, dana)
    assert appointment.blocks_until == new + datetime.timedelta(minutes=60)
    assert appointment.sequence == 1 and appointment.status == Status.CONFIRMED
    assert response.redirect_chain == [(change_url(appointment), 302)]
    (message,) = shown_messages(response, "success")
    assert message.startswith(f"{appointment.reference} moved to Dana Reyes on ")
    assert message.endswith(". An e-mail with the new time goes to the patient.")
    assert appointment.events.filter(action=EventAction.MOVED, actor=front_desk_user).exists()
    moved_email = mailoutbox[1]
    assert moved_email.subject == f"Your appointment has moved ({appointment.reference})"
    moved = calendar_event(moved_email)
    assert moved["UID"] == confirmation["UID"]
    assert moved["SEQUENCE"] > confirmation["SEQUENCE"]
    assert moved.decoded("DTSTART") == new
    taken = desk.post(BOOK, booking(acupuncture, alex, old, last_name="Next"))
    assert taken.status_code == 302  # the old place is free again
    assert AppointmentRequest.objects.get(last_name="Next").starts_at == old


def test_moving_without_telling_the_patient_sends_nothing(
    desk, alex, acupuncture, mailoutbox, django_capture_on_commit_callbacks
):
    appointment = visit(alex, acupuncture, at(day(2), "10:00"), email="ana@example.com")
    data = {"practitioner": alex.pk, "day": day(2).isoformat(), "time": value(at(day(2), "12:00"))}

    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(move_url(appointment), data | {"move": "Move"}, follow=True)

    appointment.refresh_from_db()
    assert appointment.starts_at == at(day(2), "12:00") and appointment.sequence == 1
    assert mailoutbox == []
    assert (
        "The patient was not e-mailed: please tell them." in shown_messages(response, "success")[0]
    )


def test_a_move_to_a_taken_time_is_refused_with_the_next_free_times(desk, alex, acupuncture):
    appointment = visit(alex, acupuncture, at(day(2), "10:00"))
    visit(alex, acupuncture, at(day(2), "12:00"))
    data = {"practitioner": alex.pk, "day": day(2).isoformat(), "time": value(at(day(2), "12:00"))}

    response = desk.post(move_url(appointment), data | {"move": "Move", "tell_patient": "on"})

    assert response.status_code == 409
    page = response.content.decode()
    assert "Sorry, that time has just been taken." in page
    assert next_offered(response)[0] == value(at(day(2), "13:00"))
    assert re.search(r'name="tell_patient"[^>]*checked', page)
    appointment.refresh_from_db()
    assert appointment.starts_at == at(day(2), "10:00") and appointment.sequence == 0


def test_a_move_can_overbook_with_a_reason(desk, alex, acupuncture):
    appointment = visit(alex, acupuncture, at(day(2), "10:00"))
    visit(alex, acupuncture, at(day(2), "12:00"))
    data = {
        "practitioner": alex.pk,
        "day": day(2).isoformat(),
        "other_time": "12:00",
        "overbook": "on",
        "overbook_reason": "Only time the patient can come",
        "move": "Move",
    }

    desk.post(move_url(appointment), data)

    appointment.refresh_from_db()
    assert appointment.starts_at == at(day(2), "12:00") and appointment.is_overbooked
    assert appointment.overbooking_reason == "Only time the patient can come"


def test_a_visit_that_has_begun_cannot_be_moved(desk, alex, acupuncture):
    appointment = visit(alex, acupuncture, timezone.now() - datetime.timedelta(minutes=5))

    response = desk.get(move_url(appointment), follow=True)

    assert response.redirect_chain == [(change_url(appointment), 302)]
    assert "the visit has begun" in shown_messages(response, "error")[0]


# Cancelling a visit as the clinic


def test_cancelling_a_visit_emails_the_patient_and_frees_the_place(
    admin_client, alex, acupuncture, mailoutbox, django_capture_on_commit_callbacks
):
    start = at(day(2), "10:00")
    appointment = visit(alex, acupuncture, start, reference="K7MX4P", email="ana@example.com")
    cancel = reverse("admin:booking_appointmentrequest_cancel_by_clinic", args=[appointment.pk])

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(cancel, {"message": "Alex is ill, sorry."})

    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED_BY_CLINIC
    (email,) = mailoutbox
    assert email.to == ["ana@example.com"] and "Alex is ill, sorry." in email.body
    assert admin_client.post(BOOK, booking(acupuncture, alex, start)).status_code == 302
    assert AppointmentRequest.objects.filter(starts_at=start).count() == 2


# Who may do it


def test_content_editors_cannot_open_the_booking_or_move_pages(editor_client, alex, acupuncture):
    appointment = visit(alex, acupuncture, at(day(2), "10:00"))

    assert editor_client.get(BOOK).status_code == 403
    data = booking(acupuncture, alex, at(day(2), "12:00"))
    assert editor_client.post(BOOK, data).status_code == 403
    assert editor_client.get(move_url(appointment)).status_code == 403
    assert editor_client.post(move_url(appointment), {"move": "Move"}).status_code == 403
    assert AppointmentRequest.objects.count() == 1


def test_the_service_and_the_page_agree_on_a_taken_place(desk, alex, acupuncture):
    """A visit the page booked takes its place for the service too (one diary)."""
    start = at(day(2), "10:00")
    book_by_phone(desk, acupuncture, alex, start)

    with pytest.raises(services.SlotUnavailable):
        services.appointment_book_by_staff(
            place=services.Place.of(start, acupuncture, alex),
            patient=PatientDetailsFactory(),
            by=None,
        )
