"""What search engines and link previews get: titles, descriptions, sharing tags, headings,
sitemap, robots and schema.org JSON-LD that matches the database."""

import datetime
import itertools
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from clinic.models import ClinicProfile, OpeningHours
from clinic.tests.factories import ClosureFactory, PageFactory
from conditions.models import Condition

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/conditions/",
    "/conditions/muscle-spasms/",
    "/conditions/muscle-tension/",
    "/conditions/arthritis/",
    "/conditions/herniated-disks/",
    "/conditions/spinal-stenosis/",
    "/about/",
    "/privacy/",
    "/questions/",
    "/book/",
]


class HeadAndHeadings(HTMLParser):
    """Collects the <title>, meta tags, links, headings and JSON-LD of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.headings: list[int] = []
        self.json_ld: list[dict] = []
        self.lang = ""
        self._in = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang", "")
        elif tag == "title":
            self._in = "title"
        elif tag == "meta":
            key = attributes.get("property") or attributes.get("name")
            if key:
                self.meta[key] = attributes.get("content", "")
        elif tag == "link":
            self.links[attributes.get("rel", "")] = attributes.get("href", "")
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "script" and attributes.get("type") == "application/ld+json":
            self._in = "json"

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "json":
            self.json_ld.append(json.loads(data))

    def handle_endtag(self, tag):
        if tag in {"title", "script"}:
            self._in = ""


def parse(client, url: str) -> HeadAndHeadings:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = HeadAndHeadings()
    parser.feed(response.content.decode())
    return parser


def json_ld_of_type(page: HeadAndHeadings, schema_type: str) -> dict:
    matches = [data for data in page.json_ld if data["@type"] == schema_type]
    assert len(matches) == 1, [data["@type"] for data in page.json_ld]
    return matches[0]


def test_every_public_page_has_its_own_title_and_description(client, starting_content):
    pages = {url: parse(client, url) for url in PUBLIC_PAGES}
    titles = [page.title for page in pages.values()]
    descriptions = [page.meta["description"] for page in pages.values()]
    assert len(set(titles)) == len(titles), titles
    assert len(set(descriptions)) == len(descriptions), descriptions
    for url, page in pages.items():
        assert page.title.count("Acupuncture Balanced Health") == 1, url  # once, never twice
        assert 50 <= len(page.meta["description"]) <= 160, (url, page.meta["description"])


def test_admin_seo_fields_become_the_title_and_description(client, starting_content):
    Condition.objects.filter(slug="arthritis").update(
        seo_title="Arthritis in the lower back", meta_description="A description from staff."
    )
    page = parse(client, "/conditions/arthritis/")
    assert page.title == "Arthritis in the lower back · Acupuncture Balanced Health"
    assert page.meta["description"] == "A description from staff."
    assert page.meta["og:title"] == "Arthritis in the lower back"
    assert page.meta["twitter:description"] == "A description from staff."


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_public_page_has_language_canonical_and_sharing_tags(
    client, starting_content, settings, url
):
    page = parse(client, url)
    assert page.lang == "en"
    assert page.links["canonical"] == settings.SITE_URL + url
    assert page.meta["og:url"] == settings.SITE_URL + url
    assert page.meta["og:title"] and page.meta["og:description"]
    assert page.meta["og:image"].startswith(settings.SITE_URL + "/static/img/og-image.")
    assert page.meta["og:site_name"] == "Acupuncture Balanced Health"
    assert page.meta["twitter:card"] == "summary_large_image"
    assert "robots" not in page.meta


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_headings_start_with_one_h1_and_never_skip_a_level(client, starting_content, url):
    levels = parse(client, url).headings
    assert levels[0] == 1 and levels.count(1) == 1, levels
    for previous, current in itertools.pairwise(levels):
        assert current <= previous + 1, (url, levels)


def test_private_pages_ask_not_to_be_indexed(client, starting_content):
    page = parse(client, "/book/?date=not-a-date")
    assert "robots" not in page.meta
    response = client.get("/nothing-here/")
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_sitemap_lists_published_pages_with_their_last_change(client, starting_content, settings):
    PageFactory(slug="draft-page", is_published=False)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    entries = {
        url.find("s:loc", namespace).text: url.find("s:lastmod", namespace)
        for url in ET.fromstring(response.content).findall("s:url", namespace)
    }
    site = settings.SITE_URL
    expected = {f"{site}{url}" for url in PUBLIC_PAGES}
    assert set(entries) == expected
    arthritis = Condition.objects.get(slug="arthritis")
    # sitemap dates are the clinic's local dates, like every date the site shows
    changed_on = timezone.localdate(arthritis.updated_at)
    assert entries[f"{site}/conditions/arthritis/"].text == changed_on.isoformat()
    assert entries[f"{site}/"].text is not None


def test_robots_points_to_the_sitemap_and_keeps_private_pages_out(client, settings):
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in text
    assert "Disallow: /appointments/" in text
    assert settings.ADMIN_PATH.strip("/") not in text  # the admin's address stays unpublished


def test_home_describes_the_clinic_with_its_hours_and_closures(client, starting_content):
    closure = ClosureFactory(
        reason="Thanksgiving",
        start_date=timezone.localdate() + datetime.timedelta(days=2),
        end_date=timezone.localdate() + datetime.timedelta(days=3),
    )
    clinic = ClinicProfile.objects.get()
    data = json_ld_of_type(parse(client, "/"), "MedicalClinic")
    assert data["@context"] == "https://schema.org"
    assert data["name"] == clinic.name
    assert data["telephone"] == clinic.phone
    assert data["email"] == clinic.email
    assert data["address"]["streetAddress"] == clinic.street_address
    assert data["address"]["postalCode"] == clinic.postal_code
    expected_hours = [
        (f"https://schema.org/{hours.get_weekday_display()}", f"{hours.opens:%H:%M}")
        for hours in OpeningHours.objects.order_by("weekday", "opens")
    ]
    assert [
        (spec["dayOfWeek"], spec["opens"]) for spec in data["openingHoursSpecification"]
    ] == expected_hours
    [special] = data["specialOpeningHoursSpecification"]
    assert special["validFrom"] == closure.start_date.isoformat()
    assert special["validThrough"] == closure.end_date.isoformat()
    assert special["opens"] == special["closes"] == "00:00"


def test_condition_pages_describe_the_condition_its_causes_and_review(client, starting_content):
    condition = Condition.objects.get(slug="herniated-disks")
    page = parse(client, condition.get_absolute_url())
    data = json_ld_of_type(page, "MedicalWebPage")
    assert data["lastReviewed"] == condition.reviewed_on.isoformat()
    assert data["reviewedBy"] == {
        "@type": "Person",
        "name": condition.reviewed_by.name,
        "honorificSuffix": condition.reviewed_by.credentials,
    }
    about = data["about"]
    assert about["@type"] == "MedicalCondition"
    assert about["name"] == condition.name
    assert [cause["name"] for cause in about["cause"]] == [
        cause.text for cause in condition.causes.all()
    ]
    assert about["possibleTreatment"] == {"@type": "MedicalTherapy", "name": "Acupuncture"}


def test_breadcrumbs_are_described_for_search_engines(client, starting_content, settings):
    page = parse(client, "/conditions/arthritis/")
    data = json_ld_of_type(page, "BreadcrumbList")
    assert [(item["position"], item["name"], item["item"]) for item in data["itemListElement"]] == [
        (1, "Home", f"{settings.SITE_URL}/"),
        (2, "Conditions", f"{settings.SITE_URL}/conditions/"),
        (3, "Arthritis", f"{settings.SITE_URL}/conditions/arthritis/"),
    ]


def test_json_ld_cannot_be_broken_out_of_by_staff_text(client, starting_content):
    Condition.objects.filter(slug="arthritis").update(name="</script><script>alert(1)</script>")
    text = client.get("/conditions/arthritis/").content.decode()
    assert "</script><script>alert(1)" not in text
    assert "\\u003C/script\\u003E" in text
