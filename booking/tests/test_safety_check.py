"""The red-flag check before booking: one question per urgent level, what each answer leads
to, the gate in front of the form and its times, and that nothing about the answers is kept.

These tests meet the check as a new patient does: without the "checked" cookie the other
tests get (conftest.py)."""

import logging
import re
import time

import pytest
import textstat
from django.apps import apps
from django.core import signing
from django.test import Client, RequestFactory
from django.urls import reverse

from booking.models import AppointmentRequest
from booking.safety_check import (
    CHECKED_COOKIE,
    CHECKED_FOR_SECONDS,
    CHECKED_SALT,
    checked_cookie_value,
)
from clinic.guidance import UrgentCareLevel, UrgentCareSign

pytestmark = [pytest.mark.django_db, pytest.mark.safety_check_not_done]

CHECK = "/book/check/"
NO_SIGNS = {"step": "signs", "emergency": "no", "today": "no"}
EMERGENCY = {"step": "signs", "emergency": "yes", "today": "no"}
SAME_DAY = {"step": "signs", "emergency": "no", "today": "yes"}


def seen_doctor(answer: str) -> dict:
    return {"step": "seen_doctor", "emergency": "no", "today": "yes", "seen_doctor": answer}


def main_text(response) -> str:
    """What a patient reads in the page's main part, as plain text: each heading, legend,
    list item, paragraph and choice read as a sentence of its own, as the eye takes it."""
    html = response.content.decode()
    main = re.search(r"<main\b.*?</main>", html, flags=re.DOTALL).group(0)
    main = re.sub(r"<nav\b.*?</nav>|<script\b.*?</script>", " ", main, flags=re.DOTALL)
    main = re.sub(r"([^.?!:\s])\s*</(h\d|legend|li|p|label|button|a)>", r"\1. ", main)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).strip()


def signs(level: UrgentCareLevel) -> list[str]:
    return list(UrgentCareSign.objects.filter(level=level).values_list("text", flat=True))


def assert_no_times(response) -> None:
    html = response.content.decode()
    assert 'name="time"' not in html
    assert "Free times" not in html
    assert 'action="/book/"' not in html


def test_the_form_address_shows_the_check_first_with_one_question_per_urgent_level(
    client, open_every_day
):
    response = client.get("/book/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Before you choose a time</h1>" in html
    assert_no_times(response)
    assert html.count("<fieldset") == 2 and html.count("<legend") == 2
    assert "Do you have any of these signs right now?" in html
    assert "Do you have any of these signs?" in html
    for level in (UrgentCareLevel.EMERGENCY, UrgentCareLevel.TODAY):
        for text in signs(level):
            assert f"<li>{text}</li>" in html  # as staff wrote them
    # The least urgent level is advice, not a question.
    assert "Good to know" in html
    for text in signs(UrgentCareLevel.SOON):
        assert f"<li>{text}</li>" in html
    assert f'action="{CHECK}"' in html and 'method="post"' in html


@pytest.mark.django_db(transaction=True)  # cached pages move on at the commit
def test_a_sign_staff_add_in_the_admin_is_asked_at_once(open_every_day, editor_client):
    patient = Client()
    assert "Chest pain with back pain" not in patient.get(CHECK).content.decode()
    response = editor_client.post(
        reverse("admin:clinic_urgentcaresign_add"),
        {"level": UrgentCareLevel.EMERGENCY, "text": "Chest pain with back pain", "order": 9},
    )
    assert response.status_code == 302
    html = patient.get(CHECK).content.decode()
    emergency = html[html.index("right now?") : html.index("Do you have any of these signs?<")]
    assert "<li>Chest pain with back pain</li>" in emergency


def test_a_level_without_signs_is_not_asked(client, open_every_day):
    UrgentCareSign.objects.filter(level=UrgentCareLevel.TODAY).delete()
    response = client.post(CHECK, {"step": "signs", "emergency": "no"})
    assert response.status_code == 303
    assert response["Location"] == "/book/"


def test_no_to_every_question_goes_on_to_the_form(client, open_every_day):
    response = client.post(CHECK, NO_SIGNS)
    assert response.status_code == 303
    assert response["Location"] == "/book/"  # no answer in the address
    cookie = response.cookies[CHECKED_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/book/"
    assert int(cookie["max-age"]) == CHECKED_FOR_SECONDS
    browser = RequestFactory().get("/book/")
    browser.COOKIES[CHECKED_COOKIE] = cookie.value
    assert browser.get_signed_cookie(CHECKED_COOKIE, salt=CHECKED_SALT) == "checked"  # only
    form = client.get("/book/")
    assert "<h1>Request an appointment</h1>" in form.content.decode()
    assert 'name="time"' in form.content.decode()
    times = client.get("/book/times/", {"date": form.context["form"].initial["date"]})
    assert times.status_code == 200


def test_a_condition_pages_link_keeps_its_condition_through_the_check(client, open_every_day):
    page = client.get("/conditions/arthritis/").content.decode()
    assert 'href="/book/?reason=arthritis"' in page
    check = client.get("/book/?reason=arthritis").content.decode()
    assert '<input type="hidden" name="reason" value="arthritis"' in check
    response = client.post(CHECK, {**NO_SIGNS, "reason": "arthritis"})
    assert response["Location"] == "/book/?reason=arthritis"
    form = client.get(response["Location"])
    assert form.context["form"].preselected_reason == "arthritis"


def test_a_reason_that_is_not_a_conditions_name_is_dropped(client, open_every_day):
    response = client.post(CHECK, {**NO_SIGNS, "reason": "<b>x</b>?a=1"})
    assert response["Location"] == "/book/"


def test_links_across_the_site_land_on_the_check(client, open_every_day):
    home = client.get("/").content.decode()
    assert 'href="/book/"' in home
    assert "Before you choose a time" in client.get("/book/").content.decode()


def test_the_waiting_list_comes_after_the_check_too(client, open_every_day):
    page = client.get("/book/waiting-list/").content.decode()
    assert "Before you choose a time" in page and "Join the waiting list" not in page
    assert client.post("/book/waiting-list/", {"first_name": "Ana"})["Location"] == CHECK
    client.post(CHECK, NO_SIGNS)
    assert "<h1>Join the waiting list</h1>" in client.get("/book/waiting-list/").content.decode()


def test_nothing_chosen_asks_for_each_answer(client, open_every_day):
    response = client.post(CHECK, {"step": "signs", "today": "no"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please answer each question" in html
    assert '<a href="#id_emergency_0">Do you have any of these signs right now?</a>' in html
    assert "#id_today_0" not in html  # answered
    assert 'id="id_emergency_error"' in html
    assert 'aria-describedby="id_emergency_signs id_emergency_error"' in html
    assert 'value="no" id="id_today_1" checked' in html  # what was chosen is kept
    assert CHECKED_COOKIE not in response.cookies
    assert_no_times(response)


@pytest.mark.parametrize("today", ["yes", "no"])
def test_an_emergency_sign_stops_the_booking_and_says_what_to_do_now(client, open_every_day, today):
    client.post(CHECK, NO_SIGNS)  # an earlier "checked" no longer counts after this
    response = client.post(CHECK, {**EMERGENCY, "today": today})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Please get help now</h1>" in html
    assert "Call 911 now, or go to the nearest emergency room." in html
    assert 'href="tel:911"' in html
    assert_no_times(response)
    main = re.search(r"<main\b.*?</main>", html, flags=re.DOTALL).group(0)
    assert re.findall(r'href="(/book/[^"]*)"', main) == [CHECK]  # only "Start again"
    assert "<form" not in main
    assert response.cookies[CHECKED_COOKIE].value == ""  # forgotten
    again = client.get("/book/")
    assert "Before you choose a time" in again.content.decode()
    assert_no_times(again)


def test_a_same_day_sign_shows_the_advice_and_asks_whether_a_doctor_has_seen_it(
    client, open_every_day
):
    response = client.post(CHECK, SAME_DAY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>See a doctor today</h1>" in html
    assert "urgent care clinic" in html
    assert '<legend class="h5">Have you already seen a doctor about this?</legend>' in html
    assert 'aria-describedby=""' not in html
    assert CHECKED_COOKIE not in response.cookies
    assert_no_times(response)
    assert "Before you choose a time" in client.get("/book/").content.decode()


def test_a_same_day_sign_a_doctor_has_seen_goes_on_to_the_form(client, open_every_day):
    response = client.post(CHECK, {**seen_doctor("yes"), "reason": "arthritis"})
    assert response.status_code == 303
    assert response["Location"] == "/book/?reason=arthritis"
    assert "<h1>Request an appointment</h1>" in client.get("/book/").content.decode()


def test_a_same_day_sign_no_doctor_has_seen_stops_the_booking(client, open_every_day):
    response = client.post(CHECK, seen_doctor("no"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Please see a doctor first</h1>" in html
    assert "urgent care clinic" in html
    assert_no_times(response)
    assert response.cookies[CHECKED_COOKIE].value == ""
    assert "Before you choose a time" in client.get("/book/").content.decode()


def test_the_doctor_question_unanswered_asks_again_on_the_same_page(client, open_every_day):
    response = client.post(CHECK, {"step": "seen_doctor", "emergency": "no", "today": "yes"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<h1>See a doctor today</h1>" in html
    assert '<a href="#id_seen_doctor_0">Have you already seen a doctor about this?</a>' in html


def test_the_form_refuses_a_post_without_the_check(client, open_every_day, request_data):
    response = client.post("/book/", request_data)
    assert response.status_code == 303
    assert response["Location"] == CHECK
    assert AppointmentRequest.objects.count() == 0


def test_a_form_sent_after_the_cookie_ran_out_keeps_what_was_typed(
    client, open_every_day, request_data
):
    """The form was shown after the check; the patient took longer than the cookie lasts."""
    client.post(CHECK, NO_SIGNS)
    form = client.get("/book/").content.decode()
    (token,) = re.findall(r'<input type="hidden" name="checked" value="([^"]+)">', form)
    client.cookies.pop(CHECKED_COOKIE)
    response = client.post("/book/", {**request_data, "checked": token})
    assert response.status_code == 302 and response["Location"] == "/book/requested/"
    assert AppointmentRequest.objects.get().first_name == "Maria"
    assert "Before you choose a time" in client.get("/book/").content.decode()  # asked again


def test_a_forged_form_token_is_sent_back_to_the_check(client, open_every_day, request_data):
    response = client.post("/book/", {**request_data, "checked": "checked"})
    assert response.status_code == 303 and response["Location"] == CHECK
    assert AppointmentRequest.objects.count() == 0


def test_the_times_are_not_given_without_the_check(client, open_every_day, booking_day):
    response = client.get("/book/times/", {"date": booking_day.isoformat()})
    assert response.status_code == 403
    assert "urgent signs" in response.content.decode()


def test_a_forged_or_expired_cookie_does_not_pass(client, open_every_day, settings, monkeypatch):
    client.cookies[CHECKED_COOKIE] = "checked"  # unsigned
    assert "Before you choose a time" in client.get("/book/").content.decode()
    key = settings.SECRET_KEY
    settings.SECRET_KEY = "another-secret-key-that-no-server-of-the-clinic-has-0123456789"
    client.cookies[CHECKED_COOKIE] = checked_cookie_value()
    settings.SECRET_KEY = key
    assert "Before you choose a time" in client.get("/book/").content.decode()
    signed_at = time.time() - CHECKED_FOR_SECONDS - 1
    with monkeypatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: signed_at)
        client.cookies[CHECKED_COOKIE] = checked_cookie_value()  # too old by now
    assert "Before you choose a time" in client.get("/book/").content.decode()


def row_counts() -> dict[str, int]:
    return {model._meta.db_table: model._default_manager.count() for model in apps.get_models()}


def test_no_answer_is_stored_logged_or_put_in_an_address(client, open_every_day, caplog):
    caplog.set_level(logging.DEBUG)
    before = row_counts()
    answers = [NO_SIGNS, EMERGENCY, SAME_DAY, seen_doctor("yes"), seen_doctor("no"), {}]
    responses = [client.post(CHECK, data) for data in answers]
    assert row_counts() == before  # no table, the sessions' included, gained or lost a row
    assert "sessionid" not in client.cookies
    assert [r.status_code for r in responses] == [303, 200, 200, 303, 200, 400]
    assert {r["Location"] for r in responses if r.status_code == 303} == {"/book/"}
    logged = caplog.text + " ".join(str(record.__dict__) for record in caplog.records)
    for word in ("emergency", "seen_doctor", "today", "=yes", "'yes'"):
        assert word not in logged
    request = responses[0].wsgi_request
    assert request.sensitive_post_parameters == "__ALL__"  # error reports show none


def test_the_questions_and_outcomes_read_at_grade_eight_or_lower(client, open_every_day):
    pages = {
        "questions": client.get(CHECK),
        "unanswered": client.post(CHECK, {}),
        "emergency": client.post(CHECK, EMERGENCY),
        "same day": client.post(CHECK, SAME_DAY),
        "see a doctor first": client.post(CHECK, seen_doctor("no")),
    }
    for name, response in pages.items():
        text = main_text(response)
        grade = textstat.flesch_kincaid_grade(text)
        assert grade <= 8, f"the {name} page reads at grade {grade}: {text}"


def test_the_check_url_is_named(open_every_day):
    assert reverse("booking:check") == CHECK
