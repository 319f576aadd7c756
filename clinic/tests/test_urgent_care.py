"""The urgent-care advice at three levels (emergency now, a doctor today, a doctor if it is not
better in a few weeks): staff edit the signs in the admin; condition pages, the conditions
list and the booking form show them at once, each level with what to do."""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from clinic import starting_content as content
from clinic.models import ClinicProfile, UrgentCareLevel, UrgentCareSign
from clinic.roles import CONTENT_EDITORS

pytestmark = pytest.mark.django_db

PAGES_WITH_ADVICE = [
    "/questions/",
    "/conditions/",
    "/conditions/arthritis/",
    "/conditions/muscle-spasms/",
    "/book/",
]


def advice_on(url: str) -> str:
    """The urgent-care box of a page, as a patient's browser gets it."""
    page = Client().get(url).content.decode()
    match = re.search(r'<aside class="red-flags\b[^"]*".*?</aside>', page, flags=re.DOTALL)
    assert match, f"no urgent-care advice on {url}"
    return match.group(0)


def headings_of(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>|\s+", " ", h).strip() for h in re.findall(r"<h3[^>]*>(.*?)</h3>", html)
    ]


@pytest.mark.parametrize("url", PAGES_WITH_ADVICE)
def test_pages_show_the_three_levels_with_what_to_do(starting_content, url):
    advice = advice_on(url)
    assert headings_of(advice) == [
        "Call 911 now",
        "See a doctor today",
        "See a doctor if it is not getting better",
    ]
    assert '<a href="tel:911">911</a>' in advice
    assert "emergency room" in advice
    assert "urgent care" in advice


@pytest.mark.parametrize("url", PAGES_WITH_ADVICE)
def test_pages_show_every_sign_staff_keep_under_its_level(starting_content, url):
    advice = advice_on(url)
    sections = re.split(r"<h3", advice)[1:]
    assert len(sections) == 3
    for level, section in zip(UrgentCareLevel, sections, strict=True):
        signs = UrgentCareSign.objects.filter(level=level)
        assert signs.exists()
        for sign in signs:
            assert f"<li>{sign.text}</li>" in section


def test_the_starting_signs_follow_the_nhs_back_pain_advice(starting_content):
    by_level = {
        level: " ".join(UrgentCareSign.objects.filter(level=level).values_list("text", flat=True))
        for level in UrgentCareLevel
    }
    emergency, today, weeks = (by_level[level].lower() for level in UrgentCareLevel)
    for words in ("genitals or buttocks", "bladder or bowel", "weakness in both legs", "fall"):
        assert words in emergency
    for words in ("fever", "cancer", "weight loss", "worse at night"):
        assert words in today
    assert "few weeks" in weeks
    assert UrgentCareSign.objects.count() == len(content.URGENT_CARE_SIGNS)


def sign_form(sign: UrgentCareSign, **changes) -> dict:
    return {"level": sign.level, "text": sign.text, "order": sign.order, **changes}


@pytest.mark.django_db(transaction=True)  # cached pages move on at the commit
def test_a_sign_edited_in_the_admin_shows_at_once_on_every_page(starting_content, editor_client):
    for url in PAGES_WITH_ADVICE:
        advice_on(url)  # now in the page cache
    sign = UrgentCareSign.objects.filter(level=UrgentCareLevel.TODAY).first()
    url = reverse("admin:clinic_urgentcaresign_change", args=[sign.pk])
    response = editor_client.post(url, sign_form(sign, text="Back pain with chills and sweats"))
    assert response.status_code == 302
    for page in PAGES_WITH_ADVICE:
        advice = advice_on(page)
        assert "<li>Back pain with chills and sweats</li>" in advice
        assert f"<li>{sign.text}</li>" not in advice


@pytest.mark.django_db(transaction=True)  # cached pages move on at the commit
def test_a_sign_added_or_deleted_in_the_admin_shows_at_once(starting_content, editor_client):
    advice_on("/conditions/arthritis/")
    response = editor_client.post(
        reverse("admin:clinic_urgentcaresign_add"),
        {"level": UrgentCareLevel.EMERGENCY, "text": "Chest pain with back pain", "order": 9},
    )
    assert response.status_code == 302
    assert "<li>Chest pain with back pain</li>" in advice_on("/conditions/arthritis/")
    added = UrgentCareSign.objects.get(text="Chest pain with back pain")
    delete = reverse("admin:clinic_urgentcaresign_delete", args=[added.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 302
    assert "Chest pain with back pain" not in advice_on("/conditions/arthritis/")


def test_signs_come_in_the_order_staff_set_within_their_level(starting_content):
    UrgentCareSign.objects.filter(level=UrgentCareLevel.SOON).delete()
    UrgentCareSign.objects.create(level=UrgentCareLevel.SOON, text="Second sign", order=2)
    UrgentCareSign.objects.create(level=UrgentCareLevel.SOON, text="First sign", order=1)
    advice = advice_on("/conditions/")
    assert advice.index("First sign") < advice.index("Second sign")


def test_content_editors_may_edit_the_signs(starting_content):
    codenames = set(
        Group.objects.get(name=CONTENT_EDITORS).permissions.values_list("codename", flat=True)
    )
    assert {
        "add_urgentcaresign",
        "change_urgentcaresign",
        "delete_urgentcaresign",
        "view_urgentcaresign",
    } <= codenames


def test_the_admin_lists_signs_by_level(starting_content, editor_client):
    page = editor_client.get(reverse("admin:clinic_urgentcaresign_changelist")).content.decode()
    assert "Call 911 or go to the emergency room now" in page
    assert "See a doctor today" in page
    assert UrgentCareSign.objects.first().text in page


def test_the_clinic_and_its_signs_load_in_one_query(starting_content, django_assert_num_queries):
    with django_assert_num_queries(1):
        advice = ClinicProfile.load().urgent_care
    assert [len(level.signs) for level in advice] == [
        sum(1 for level, _ in content.URGENT_CARE_SIGNS if level == number) for number in (1, 2, 3)
    ]


def test_with_every_sign_deleted_the_levels_still_say_what_to_do(starting_content):
    UrgentCareSign.objects.all().delete()
    advice = advice_on("/conditions/arthritis/")
    assert headings_of(advice)[0] == "Call 911 now"
    assert '<a href="tel:911">911</a>' in advice
    assert "<li>" not in advice
