"""The calendar feed on a practitioner's diary page: superusers create, renew and revoke the
link, which is shown once; the front desk sees whether there is one and nothing more."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from booking.feeds import CalendarFeed, feed_issue
from booking.tests.patient_diary import three_practitioners
from clinic.roles import FRONT_DESK

pytestmark = pytest.mark.django_db


@pytest.fixture
def trio(open_every_day):
    return three_practitioners()


@pytest.fixture
def front_desk_client(client, django_user_model, starting_content):
    user = django_user_model.objects.create_user("desk", is_staff=True)
    user.groups.add(Group.objects.get(name=FRONT_DESK))
    client.force_login(user)
    return client


def url(view: str, practitioner) -> str:
    return reverse(f"admin:booking_practitionerdiary_{view}", args=[practitioner.pk])


def token_of(response) -> str:
    return response.context["feed_url"].rsplit("/", 1)[1].removesuffix(".ics")


def test_a_superuser_creates_the_link_and_sees_it_once(admin_client, admin_user, trio, client):
    page = admin_client.get(url("change", trio.ana))
    assert "No feed link yet." in page.content.decode()
    assert url("feed_issue", trio.ana) in page.content.decode()

    response = admin_client.post(url("feed_issue", trio.ana))

    assert response.status_code == 200
    token = token_of(response)
    text = response.content.decode()
    assert f'value="{response.context["feed_url"]}"' in text
    assert response.context["feed_url"].startswith("http")  # the site's address (https live)
    assert 'href="webcal://' in text and token in text
    assert '<label for="feed-url">Feed address</label>' in text
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert client.get(reverse("booking:calendar_feed", args=[token])).status_code == 200
    feed = CalendarFeed.objects.get()
    assert feed.created_by == admin_user and feed.practitioner == trio.ana
    later = admin_client.get(url("change", trio.ana)).content.decode()
    assert token not in later and "Live since" in later and "Last fetched" in later
    assert LogEntry.objects.filter(change_message="Created a calendar feed link.").exists()


def test_renewing_from_the_page_stops_the_old_link(admin_client, trio, client):
    old = token_of(admin_client.post(url("feed_issue", trio.ana)))
    assert "Renew link (the old one stops working)" in (
        admin_client.get(url("change", trio.ana)).content.decode()
    )

    renewed = admin_client.post(url("feed_issue", trio.ana))

    assert "the old one has stopped working" in renewed.content.decode()
    feed = reverse("booking:calendar_feed", args=[old])
    assert client.get(feed).status_code == 404
    new_feed = reverse("booking:calendar_feed", args=[token_of(renewed)])
    assert client.get(new_feed).status_code == 200


def test_revoking_stops_the_link_at_once(admin_client, admin_user, trio, client):
    token = feed_issue(practitioner=trio.ana, by=admin_user)

    response = admin_client.post(url("feed_revoke", trio.ana), follow=True)

    assert response.redirect_chain[-1][0] == url("change", trio.ana)
    text = response.content.decode()
    assert "The calendar feed link is revoked: it stopped working at once." in text
    assert "No live link: the last one was revoked" in text
    assert client.get(reverse("booking:calendar_feed", args=[token])).status_code == 404
    assert CalendarFeed.objects.get().revoked_by == admin_user


def test_revoking_when_there_is_no_link_says_so(admin_client, trio):
    response = admin_client.post(url("feed_revoke", trio.ana), follow=True)

    assert "There was no calendar feed link to revoke." in response.content.decode()


def test_the_front_desk_sees_the_status_but_cannot_issue_or_revoke(
    front_desk_client, admin_user, trio, client
):
    token = feed_issue(practitioner=trio.ana, by=admin_user)

    page = front_desk_client.get(url("change", trio.ana)).content.decode()

    assert "Live since" in page and "Not fetched yet." in page and "Only a superuser can" in page
    assert url("feed_issue", trio.ana) not in page and url("feed_revoke", trio.ana) not in page
    assert front_desk_client.post(url("feed_issue", trio.ana)).status_code == 403
    assert front_desk_client.post(url("feed_revoke", trio.ana)).status_code == 403
    assert CalendarFeed.objects.live().count() == 1
    assert client.get(reverse("booking:calendar_feed", args=[token])).status_code == 200


def test_the_feed_pages_take_only_a_post(admin_client, trio):
    assert admin_client.get(url("feed_issue", trio.ana)).status_code == 405
    assert admin_client.get(url("feed_revoke", trio.ana)).status_code == 405
    assert not CalendarFeed.objects.exists()


def test_a_diary_that_does_not_exist_is_a_404(admin_client, trio):
    missing = reverse("admin:booking_practitionerdiary_feed_issue", args=[999_999])

    assert admin_client.post(missing).status_code == 404


def test_the_admin_post_needs_the_csrf_token(trio, admin_user):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(admin_user)

    assert strict.post(url("feed_issue", trio.ana)).status_code == 403
    assert not CalendarFeed.objects.exists()
