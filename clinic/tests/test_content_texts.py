"""What the starting content tells patients about the evidence, their privacy rights and
each page's title: the facts as the clinic states them, honest and never a promise."""

import re
from html import unescape

import pytest
from django.test import Client

from clinic import starting_content as content

pytestmark = pytest.mark.django_db

PROMISES = re.compile(r"\b(will (relieve|cure|fix|stop|heal)|guarantee|cures?\b|proven to)", re.I)


def page_data(slug: str) -> dict:
    return next(data for data in content.PAGES if data["slug"] == slug)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def visible_text(url: str) -> str:
    html = Client().get(url).content.decode()
    main = re.search(r"<main\b.*?</main>", html, re.DOTALL).group(0)
    return flat(unescape(re.sub(r"<[^>]+>", " ", main)))


@pytest.mark.parametrize(
    "text",
    [content.EVIDENCE["text"], page_data("about")["body"]],
    ids=["home page evidence", "about page"],
)
def test_the_evidence_is_attributed_plainly_with_honest_context(text):
    text = flat(text)
    assert "Researchers from the University of Maryland School of Medicine" in text
    assert "randomized controlled trials" in text
    assert "“clearly effective” for chronic low-back pain" in text  # their words, quoted
    assert "placebo" in text
    assert "helps many people" in text
    assert re.search(r"\b(vary|varies)\b", text)
    assert "part of a plan" in text
    assert not PROMISES.search(text), PROMISES.search(text)


@pytest.mark.parametrize("url", ["/", "/about/"])
def test_the_pages_show_the_evidence_with_its_context(starting_content, url):
    text = visible_text(url)
    assert "University of Maryland School of Medicine" in text
    assert "clearly effective" in text
    assert "helps many people" in text


def test_the_privacy_page_explains_the_notice_of_privacy_practices(starting_content):
    text = visible_text("/privacy/")
    assert "Notice of Privacy Practices" in text
    assert "HIPAA" in text
    assert re.search(r"ask (us )?for a (free )?copy", text)


def test_the_privacy_page_links_its_e_mail_and_phone(starting_content):
    html = Client().get("/privacy/").content.decode()
    main = re.search(r"<main\b.*?</main>", html, re.DOTALL).group(0)
    email_links = re.findall(r'<a href="mailto:hello@balancedhealth\.example"[^>]*>', main)
    phone_links = re.findall(r'<a href="tel:\+15550100"[^>]*>\+1 555-0100</a>', main)
    assert len(email_links) >= 2 and len(phone_links) >= 2
    body = page_data("privacy")["body"]
    assert not re.search(r"(?<![<\[(:])hello@balancedhealth\.example(?!>)", body)
    assert not re.search(r"(?<!\[)\+1 555-0100(?!\])", body)


@pytest.mark.parametrize("data", content.PAGES, ids=lambda data: data["slug"])
def test_page_titles_leave_the_clinic_name_to_the_template(starting_content, data):
    assert content.CLINIC["name"] not in data["seo_title"]
    html = Client().get(f"/{data['slug']}/").content.decode()
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    assert title.count(content.CLINIC["name"]) == 1, title
