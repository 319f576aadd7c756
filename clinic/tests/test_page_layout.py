"""What the shared layout puts on every page, as served: tab titles, the header's links,
and the home page's contact details (the browser suite measures how it all looks)."""

import datetime
import re

import pytest
from django.utils import timezone

from clinic.models import ClinicProfile
from clinic.tests.factories import ClosureFactory, PageFactory
from clinic.tests.public_pages import CONDITION_SLUGS, MISSING_PATH

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/conditions/",
    *[f"/conditions/{slug}/" for slug in CONDITION_SLUGS],
    "/about/",
    "/privacy/",
    "/book/",
]


# ---------------------------------------------------------------- tab titles


def title_of(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_public_page_names_the_clinic_once_in_its_title(client, starting_content, url):
    assert title_of(client.get(url)).count("Acupuncture Balanced Health") == 1


def test_a_title_that_already_names_the_clinic_does_not_repeat_it(client, starting_content):
    PageFactory(slug="fees", title="Fees", seo_title="Fees at Acupuncture Balanced Health")
    assert title_of(client.get("/fees/")) == "Fees at Acupuncture Balanced Health"


def test_a_title_without_the_clinics_name_gets_it_once(client, starting_content):
    PageFactory(slug="fees", title="Fees", seo_title="")
    assert title_of(client.get("/fees/")) == "Fees · Acupuncture Balanced Health"


def test_the_404_page_names_the_clinic_once_in_its_title(client, starting_content):
    response = client.get(MISSING_PATH)
    assert response.status_code == 404
    assert title_of(response) == "Page not found · Acupuncture Balanced Health"


# ---------------------------------------------------------------- the header


def header_of(response) -> str:
    page = response.content.decode()
    return page[page.index("<header") : page.index("</header>")]


@pytest.mark.parametrize("slug", CONDITION_SLUGS)
def test_the_headers_request_link_on_a_condition_page_keeps_the_condition(
    client, starting_content, slug
):
    header = header_of(client.get(f"/conditions/{slug}/"))
    assert f'href="/book/?reason={slug}"' in header
    assert 'href="/book/"' not in header


@pytest.mark.parametrize("url", ["/", "/conditions/", "/about/"])
def test_elsewhere_the_headers_request_link_opens_a_blank_form(client, starting_content, url):
    header = header_of(client.get(url))
    assert 'href="/book/"' in header
    assert "?reason=" not in header


def test_each_page_gets_its_own_header_though_headers_are_kept_once_rendered(
    client, starting_content
):
    """The header is kept per language, content version and what marks the current page:
    pages served one after another (the same kept fragments) each get theirs."""
    for _visit in range(2):
        for slug in CONDITION_SLUGS:
            assert f'href="/book/?reason={slug}"' in header_of(client.get(f"/conditions/{slug}/"))
        listing, about, home = (
            header_of(client.get(url)) for url in ("/conditions/", "/about/", "/")
        )
        assert re.search(r'href="/conditions/"\s+aria-current="page"', listing)
        assert re.search(r'href="/about/"\s+aria-current="page"', about)
        assert "aria-current" not in home and 'href="/book/"' in home
        assert "site-actions__book" not in header_of(client.get("/book/"))


# ---------------------------------------------------------------- the home page


def test_the_home_page_shows_address_and_hours_once(client, starting_content):
    page = client.get("/").content.decode()
    page = page[page.index("<body") :]  # the structured data in the head has them too
    assert page.count("<address") == 1
    assert page.count('class="hours-table"') == 1
    assert page.count(ClinicProfile.load().address_lines[0]) == 1
    assert "Coming closures" not in page


def test_the_home_page_still_shows_coming_closures(client, starting_content):
    start = timezone.localdate() + datetime.timedelta(days=3)
    ClosureFactory(reason="Thanksgiving", start_date=start, end_date=start)
    page = client.get("/").content.decode()
    assert "Coming closures" in page
    assert "Thanksgiving" in page
    assert page.count('class="hours-table"') == 1
