"""A returning patient's one-time link: asked for on the booking form, sent by the worker
through the outbox, opened behind a "Continue" step, used once within 30 minutes (their page
and "Book again": test_returning_page.py)."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from booking.models import (
    AppointmentRequest,
    Notification,
    NotificationKind,
    NotificationStatus,
    SignInLink,
    Status,
    hash_token,
)
from booking.returning import LINK_LIFETIME, PAGE_LIFETIME
from booking.services.returning import send_sign_in_link, sign_in_link_use
from booking.tests.factories import AppointmentRequestFactory, at

pytestmark = pytest.mark.django_db

MARIA = "maria.lopez@example.com"
LINK = re.compile(r"http://[^/\s]+(/book/link/[0-9a-f]{64}/)")


@pytest.fixture(autouse=True)
def schedule(open_every_day, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return open_every_day


@pytest.fixture
def maria(schedule):
    """A patient who booked before, with a visit still ahead."""
    return AppointmentRequestFactory(
        email=MARIA,
        first_name="Maria",
        last_name="Lopez",
        phone="+12025550143",
        status=Status.CONFIRMED,
        starts_at=at(timezone.localdate() + datetime.timedelta(days=3), "10:00"),
    )


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    """`ask(email)`: the returning patient's form posted, its task run after the commit (as
    the worker would), and the page it redirects to."""

    def run(email: str, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/book/link/", {"returning-email": email}, **extra)
        return response

    return run


def link_in(message) -> str:
    """The path of the sign-in link in an e-mail (its plain text and its HTML agree)."""
    (path,) = set(LINK.findall(message.body))
    assert path in message.alternatives[0][0]
    return path


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def same_for_everyone(response) -> str:
    """A page without what differs on every request anyway (the CSRF token, CSP nonces) and
    its own address (in its meta tags)."""
    page = re.sub(r'(value|nonce)="[^"]*"', "", text(response))
    return re.sub(r"/book/link/[^/\"]+/", "/book/link/…/", page)


# -- asking ---------------------------------------------------------------------------------


def test_the_booking_form_offers_a_link_to_returning_patients(client):
    page = text(client.get("/book/"))
    assert "Booked with us before?" in page
    assert 'action="/book/link/"' in page
    assert '<label class="form-label" for="id_returning-email">' in page


def test_a_known_address_gets_a_link_from_the_outbox(ask, client, maria, mailoutbox):
    response = ask("  Maria.Lopez@EXAMPLE.com ")
    assert response.status_code == 302 and response["Location"] == "/book/link-sent/"
    page = text(client.get("/book/link-sent/"))
    assert "If we know this address, we have sent a link to it." in page
    assert "works for 30 minutes, once" in page
    (message,) = mailoutbox
    assert message.to == [MARIA]
    assert message.subject == "Your link to book again"
    assert "works once, for 30 minutes" in message.body
    link_in(message)
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html" and html.startswith("<!doctype html>")
    assert maria.reference not in message.body  # about the patient, not one visit
    (notification,) = Notification.objects.filter(kind=NotificationKind.SIGN_IN_LINK)
    assert notification.appointment == maria
    assert notification.status == NotificationStatus.SENT
    assert notification.sign_in_link.email == "Maria.Lopez@EXAMPLE.com"  # as typed, trimmed


def test_an_unknown_address_gets_the_same_page_and_nothing_is_kept(ask, client, maria, mailoutbox):
    known, unknown = ask(MARIA), ask("nobody@example.com")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mailoutbox) == 1
    assert list(SignInLink.objects.values_list("email", flat=True)) == [MARIA]
    assert Notification.objects.filter(kind=NotificationKind.SIGN_IN_LINK).count() == 1


def test_an_erased_request_is_not_a_known_address(ask, maria, mailoutbox):
    AppointmentRequest.objects.filter(pk=maria.pk).update(anonymised_at=timezone.now())
    ask(MARIA)
    assert mailoutbox == []


def test_asking_twice_sends_two_links_for_one_request(ask, maria, mailoutbox):
    """The outbox's one-of-each-kind rule does not hold for sign-in links."""
    ask(MARIA)
    ask(MARIA)
    first, second = (link_in(message) for message in mailoutbox)
    assert first != second
    assert maria.notifications.filter(kind=NotificationKind.SIGN_IN_LINK).count() == 2


def test_a_mistyped_address_is_shown_again_with_what_to_fix(client, mailoutbox):
    response = client.post("/book/link/", {"returning-email": "maria.example.com"})
    assert response.status_code == 400
    page = text(response)
    assert "Please enter an e-mail address like name@example.com." in page
    assert 'value="maria.example.com"' in page
    assert 'aria-invalid="true"' in page
    assert not SignInLink.objects.exists()


def test_the_ask_page_works_on_its_own(client):
    page = text(client.get("/book/link/"))
    assert "<h1>Get a link to book again</h1>" in page
    assert "works once, for 30 minutes" in page


def test_asking_needs_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    assert client.post("/book/link/", {"returning-email": MARIA}).status_code == 403


def test_the_link_waits_for_the_worker_when_it_is_down(client, maria, settings, mailoutbox):
    """With the database task backend nothing is sent in the request: the task waits."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.post("/book/link/", {"returning-email": MARIA})
    assert mailoutbox == []
    link = SignInLink.objects.get()
    assert link.notification is None
    assert send_sign_in_link.call(link.pk) == "queued"


def test_a_link_the_worker_reaches_after_it_expired_is_not_sent(maria):
    stale = SignInLink.new(email=MARIA, language="en", now=timezone.now() - LINK_LIFETIME)
    stale.save()
    assert send_sign_in_link.call(stale.pk) == "nothing to do"
    assert not Notification.objects.filter(kind=NotificationKind.SIGN_IN_LINK).exists()


def test_an_email_whose_link_expired_in_the_outbox_is_skipped(ask, maria, mailoutbox, settings):
    from booking.emails import send_email

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    ask(MARIA)
    link = SignInLink.objects.get()
    send_sign_in_link.call(link.pk)
    link.refresh_from_db()
    SignInLink.objects.update(expires_at=timezone.now())
    assert send_email(link.notification_id) == NotificationStatus.SKIPPED
    assert mailoutbox == []


# -- the link's life ------------------------------------------------------------------------


def test_only_the_hash_of_the_token_is_stored(ask, maria, mailoutbox):
    ask(MARIA)
    token = link_in(mailoutbox[0]).split("/")[3]
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    assert token not in dump.getvalue()
    assert hash_token(token) in dump.getvalue()
    assert SignInLink.objects.get().token_hash == hash_token(token)


def test_opening_the_link_asks_first_and_uses_nothing(ask, client, maria, mailoutbox):
    ask(MARIA)
    path = link_in(mailoutbox[0])
    response = client.get(path)
    assert response.status_code == 200
    assert "Continue" in text(response)
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "strict-origin"
    client.get(path)  # a mail scanner, twice
    assert SignInLink.objects.get().used_at is None


def test_continue_opens_the_patients_page_once(ask, client, maria, mailoutbox):
    ask(MARIA)
    path = link_in(mailoutbox[0])
    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == "/book/yours/"
    assert SignInLink.objects.get().used_at is not None
    page = text(client.get("/book/yours/"))
    assert "Welcome back, Maria" in page
    assert maria.get_manage_url() in page
    assert maria.reference in page
    again = Client()
    for response in (again.get(path), again.post(path)):
        assert response.status_code == 410
        assert "This link no longer works" in text(response)
        assert 'name="returning-email"' in text(response)
    assert again.get("/book/yours/")["Location"] == "/book/link/"


def test_the_page_state_is_a_signed_cookie_without_patient_data(ask, client, maria, mailoutbox):
    ask(MARIA)
    response = client.post(link_in(mailoutbox[0]))
    cookie = response.cookies["booking_returning"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["path"] == "/book/yours/"
    assert int(cookie["max-age"]) == PAGE_LIFETIME.total_seconds()
    assert "maria" not in cookie.value.lower()
    forged = Client()
    forged.cookies["booking_returning"] = f"{SignInLink.objects.get().pk}:forged"
    assert forged.get("/book/yours/")["Location"] == "/book/link/"


def test_the_page_closes_after_its_time(ask, client, maria, mailoutbox):
    ask(MARIA)
    client.post(link_in(mailoutbox[0]))
    SignInLink.objects.update(used_at=timezone.now() - PAGE_LIFETIME)
    assert client.get("/book/yours/")["Location"] == "/book/link/"


def test_a_link_works_for_30_minutes():
    now = timezone.now()
    link = SignInLink.new(email=MARIA, language="en", now=now)
    link.save()
    token = link.token
    assert sign_in_link_use(token=token, now=now + LINK_LIFETIME) is None
    assert sign_in_link_use(token=token, now=now + LINK_LIFETIME - datetime.timedelta(seconds=1))
    assert sign_in_link_use(token=token, now=now + datetime.timedelta(minutes=1)) is None


def test_used_expired_and_unknown_links_get_one_kind_page(client, maria):
    now = timezone.now()
    expired = SignInLink.new(email=MARIA, language="en", now=now - LINK_LIFETIME)
    used = SignInLink.new(email=MARIA, language="en", now=now)
    used.used_at = now
    SignInLink.objects.bulk_create([expired, used])
    pages = [client.get(f"/book/link/{token}/") for token in (expired.token, used.token, "0" * 64)]
    assert {response.status_code for response in pages} == {410}
    assert len({same_for_everyone(response) for response in pages}) == 1
    assert client.post(f"/book/link/{expired.token}/").status_code == 410
    assert SignInLink.objects.get(pk=expired.pk).used_at is None
