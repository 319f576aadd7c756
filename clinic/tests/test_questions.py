"""The questions page: the answers patients look for before a first visit, edited by staff,
cached like the other content pages, described for search engines as an FAQPage, and
linked from the condition pages."""

import json
import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone

from clinic import starting_content as content
from clinic.models import Page, Question
from clinic.roles import CONTENT_EDITORS
from clinic.views import QuestionListView

pytestmark = pytest.mark.django_db

URL = "/questions/"


def get(url: str = URL) -> str:
    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()


def visible_text(html: str) -> str:
    main = re.search(r"<main\b.*?</main>", html, re.DOTALL).group(0)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main)))


def json_ld(html: str, schema_type: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    [data] = [d for d in map(json.loads, blocks) if d["@type"] == schema_type]
    return data


def test_the_page_lives_at_questions_before_the_content_pages(starting_content):
    assert reverse("clinic:questions") == URL
    assert resolve(URL).func.view_class is QuestionListView
    Page.objects.create(title="Questions", slug="questions", body="A page", is_published=True)
    assert "What does a visit feel like?" in get()


def test_it_shows_every_published_question_and_its_answer_in_order(starting_content):
    Question.objects.create(question="A hidden draft?", answer="Not yet.", is_published=False)
    html = get()
    questions = list(Question.objects.published())
    assert len(questions) == len(content.QUESTIONS)
    positions = [html.index(f">{q.question}</h2>") for q in questions]
    assert positions == sorted(positions)
    for question in questions:
        assert str(question.answer_html) in html
    assert "A hidden draft?" not in html


def test_the_starting_answers_cover_what_patients_ask(starting_content):
    text = visible_text(get()).lower()
    for words in (
        "what does a visit feel like",
        "is acupuncture safe",
        "licensed",
        "single-use",
        "sterile",
        "soreness",
        "bruise",
        "pregnant",
        "bleeding disorder",
        "blood thinner",
        "pacemaker",
        "electro-acupuncture",
        "how many visits",
        "course of visits",
        "insurance",
        "check with your insurance company",
        "ask us",
    ):
        assert words in text, words


def test_the_cost_answer_invents_no_price_or_coverage():
    cost = next(q for q in content.QUESTIONS if "cost" in q["question"].lower())
    assert not re.search(r"[$€£]|\d", cost["answer"])
    assert not re.search(r"\b(covers|will pay|is covered)\b", cost["answer"])


def test_answers_are_sanitised_markdown(starting_content):
    Question.objects.create(question="Bold?", answer="**Yes.** <script>alert(1)</script>", order=99)
    html = get()
    assert "<strong>Yes.</strong>" in html
    assert "<script>alert" not in html


def test_title_description_canonical_and_breadcrumbs(starting_content, settings):
    html = get()
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    assert title == "Questions about acupuncture · Acupuncture Balanced Health"
    description = re.search(r'<meta name="description" content="([^"]+)">', html).group(1)
    assert 50 <= len(description) <= 160
    assert f'<link rel="canonical" href="{settings.SITE_URL}{URL}">' in html
    trail = json_ld(html, "BreadcrumbList")["itemListElement"]
    assert [(item["name"], item["item"]) for item in trail] == [
        ("Home", f"{settings.SITE_URL}/"),
        ("Questions", f"{settings.SITE_URL}{URL}"),
    ]
    assert 'aria-current="page">Questions</li>' in html


def test_search_engines_get_an_faq_page_matching_the_questions(starting_content, settings):
    data = json_ld(get(), "FAQPage")
    assert data["@context"] == "https://schema.org"
    assert data["url"] == f"{settings.SITE_URL}{URL}"
    published = list(Question.objects.published())
    assert [entity["name"] for entity in data["mainEntity"]] == [q.question for q in published]
    for entity, question in zip(data["mainEntity"], published, strict=True):
        assert entity["@type"] == "Question"
        assert entity["acceptedAnswer"] == {"@type": "Answer", "text": str(question.answer_html)}


def test_it_is_in_the_sitemap_with_its_last_change(starting_content, settings):
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.fromstring(Client().get("/sitemap.xml").content)
    entries = {
        url.find("s:loc", namespace).text: url.findtext("s:lastmod", None, namespace)
        for url in root.findall("s:url", namespace)
    }
    latest = max(q.updated_at for q in Question.objects.published())
    assert entries[f"{settings.SITE_URL}{URL}"] == timezone.localdate(latest).isoformat()


def test_it_is_cached_like_the_other_content_pages(starting_content):
    client = Client()
    with CaptureQueriesContext(connection) as first:
        client.get(URL)
    with CaptureQueriesContext(connection) as second:
        response = client.get(URL)
    assert len(first) <= 4
    assert len(second) == 0
    assert response["ETag"]


@pytest.mark.django_db(transaction=True)  # cached pages move on at the commit
def test_a_question_edited_in_the_admin_shows_at_once(starting_content, editor_client):
    get()  # now in the page cache
    question = Question.objects.first()
    response = editor_client.post(
        reverse("admin:clinic_question_change", args=[question.pk]),
        {
            "question": "What happens at a first visit?",
            "answer": question.answer,
            "order": question.order,
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    assert ">What happens at a first visit?</h2>" in get()


def test_content_editors_may_edit_questions(starting_content):
    codenames = set(
        Group.objects.get(name=CONTENT_EDITORS).permissions.values_list("codename", flat=True)
    )
    assert {"add_question", "change_question", "delete_question", "view_question"} <= codenames


@pytest.mark.parametrize(
    "url", ["/conditions/", "/conditions/arthritis/", "/conditions/muscle-spasms/"]
)
def test_condition_pages_link_to_the_questions(starting_content, url):
    assert f'href="{URL}"' in get(url)
