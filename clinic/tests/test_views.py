import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clinic.models import ClinicProfile, Page
from clinic.tests.factories import ClosureFactory, PageFactory
from clinic.views import server_error
from conditions.models import Condition

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return response.content.decode()


def test_home_shows_what_the_clinic_treats_and_how_to_reach_it(client, starting_content):
    response = client.get("/")
    page = text_of(response)
    assert response.status_code == 200
    assert "<h1>Acupuncture for back pain</h1>" in page
    for condition in Condition.objects.all():
        assert condition.name in page
        assert condition.get_absolute_url() in page
    assert "University of Maryland" in page
    assert "What the research says" in page
    assert "Care planned around you" in page
    assert 'href="tel:+15550100"' in page
    assert "mailto:hello@balancedhealth.example" in page
    assert "100 Example Avenue" in page
    assert "9:00 AM – 1:00 PM" in page
    assert "Sunday</th>\n      <td>Closed" in page


def test_home_lists_upcoming_closures(client, starting_content):
    ClosureFactory(reason="Thanksgiving", start_date=timezone.localdate() + datetime.timedelta(3))
    assert "Thanksgiving" in text_of(client.get("/"))


def test_about_page_shows_approach_and_practitioners(client, starting_content):
    page = text_of(client.get("/about/"))
    assert "<h1>About us</h1>" in page
    assert "Sample Practitioner, L.Ac." in page
    assert "Our practitioners" in page


def test_inactive_practitioners_are_not_shown(client, starting_content):
    from clinic.models import Practitioner

    Practitioner.objects.update(is_active=False)
    assert "Sample Practitioner" not in text_of(client.get("/about/"))


def test_privacy_policy_page(client, starting_content):
    response = client.get("/privacy/")
    assert response.status_code == 200
    assert "<h1>Privacy policy</h1>" in text_of(response)


def test_a_draft_page_is_404_to_the_public_and_a_preview_to_staff(client, django_user_model):
    draft = PageFactory(is_published=False, title="Fees", slug="fees")
    assert client.get("/fees/").status_code == 404
    staff = django_user_model.objects.create_user("staff", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_page"))
    client.force_login(staff)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Draft: only staff can see this page" in text_of(response)


def test_every_page_carries_header_footer_contact_and_hours(client, starting_content):
    for url in ("/", "/conditions/", "/conditions/arthritis/", "/about/", "/privacy/"):
        page = text_of(client.get(url))
        assert 'class="skip-link" href="#main"' in page, url
        assert '<nav class="site-nav" aria-label="Main">' in page, url
        assert "Opening hours" in page, url
        assert "hello@balancedhealth.example" in page, url
        assert "<title>" in page and 'name="description"' in page, url


def test_unknown_address_gets_the_branded_404(client, starting_content):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = text_of(response)
    assert "We can’t find that page" in page
    assert 'href="tel:+15550100"' in page


def test_server_error_page_is_branded_with_the_phone_number(starting_content):
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Sorry, something went wrong on our side" in response.content.decode()
    assert "+1 555-0100" in response.content.decode()


def test_server_error_page_renders_without_a_profile():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Balanced Health" in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/", "/conditions/", "/conditions/arthritis/", "/about/", "/privacy/"]
)
def test_public_pages_stay_within_four_queries(client, starting_content, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(queries) <= 4, [q["sql"] for q in queries]


def test_pages_do_not_load_anything_from_other_hosts(client, starting_content):
    for url in ("/", "/conditions/arthritis/", "/about/"):
        page = text_of(client.get(url))
        for attribute in ('src="http', "src='http", 'href="//', 'src="//'):
            assert attribute not in page, (url, attribute)
        for script in re.findall(r"<script[^>]*>", page):
            assert 'type="application/ld+json"' in script or 'src="/static/' in script, script
        assert 'style="' not in page, url


def test_staff_edit_of_the_profile_shows_on_the_site(client, starting_content):
    ClinicProfile.objects.update(phone="+1 555-0199")
    assert 'href="tel:+15550199"' in text_of(client.get("/"))
    assert Page.objects.published().count() == 2
