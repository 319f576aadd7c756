"""Cached public pages go out compressed (brotli or gzip, as the browser asks), with an ETag
per encoding and 304s for each; nothing with a secret in it is ever compressed (BREACH)."""

import gzip

import brotli
import pytest
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from clinic.cache import _page_key, cache_public_page
from clinic.compression import chosen_encoding

pytestmark = pytest.mark.django_db

CONDITION = "/conditions/arthritis/"
DECODE = {"br": brotli.decompress, "gzip": gzip.decompress, None: lambda body: body}


@pytest.mark.parametrize(
    ("accept_encoding", "chosen"),
    [
        ("", "identity"),
        ("gzip, deflate, br, zstd", "br"),  # Chrome
        ("br, gzip", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("gzip;q=0.5, br;q=0.4", "gzip"),
        ("BR; Q=1.0", "br"),
        ("*", "br"),
        ("*;q=0, gzip;q=0.1", "gzip"),
        ("br;q=0, gzip;q=0", "identity"),
        ("identity", "identity"),
        ("identity;q=0, *;q=0", "identity"),  # refuses everything: the page as it is
        ("deflate, compress", "identity"),
        ("gzip;q=oops, br", "br"),
    ],
)
def test_the_encoding_follows_accept_encoding(accept_encoding, chosen):
    assert chosen_encoding(accept_encoding) == chosen


def get(client: Client, path: str, accept_encoding: str, **headers):
    return client.get(path, HTTP_ACCEPT_ENCODING=accept_encoding, **headers)


@pytest.mark.parametrize(("accept_encoding", "encoding"), [("br, gzip", "br"), ("gzip", "gzip")])
def test_a_cached_page_goes_out_compressed_as_the_browser_asks(
    starting_content, accept_encoding, encoding
):
    client = Client()
    plain = get(client, CONDITION, "").content
    for _ in range(2):  # rendered and kept, then from the cache: the same answer
        response = get(client, CONDITION, accept_encoding)
        assert response["Content-Encoding"] == encoding
        assert DECODE[encoding](response.content) == plain
        assert response["Content-Length"] == str(len(response.content))
        assert "Accept-Encoding" in response["Vary"]
        assert response["ETag"].endswith(f'-{encoding}"')
        assert response["Content-Type"] == "text/html; charset=utf-8"


def test_a_browser_that_asks_for_no_compression_gets_the_page_as_it_is(starting_content):
    client = Client()
    for accept_encoding in ("", "identity", "br;q=0, gzip;q=0"):
        response = get(client, CONDITION, accept_encoding)
        assert not response.has_header("Content-Encoding")
        assert "Arthritis" in response.content.decode()
        assert response["Content-Length"] == str(len(response.content))
        assert "Accept-Encoding" in response["Vary"]


def test_each_encoding_has_its_own_etag_and_its_own_304(starting_content):
    client = Client()
    etags = {enc: get(client, CONDITION, enc)["ETag"] for enc in ("br", "gzip", "identity")}
    assert len(set(etags.values())) == 3
    for encoding, etag in etags.items():
        response = get(client, CONDITION, encoding, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 304
        assert response.content == b""
        assert "Accept-Encoding" in response["Vary"]
    # The brotli copy's ETag does not stand for the gzip copy.
    response = get(client, CONDITION, "gzip", HTTP_IF_NONE_MATCH=etags["br"])
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"


def test_head_answers_like_get_without_the_body(starting_content):
    client = Client()
    get(client, CONDITION, "br")
    full = get(client, CONDITION, "br")  # from the cache, as the HEAD is
    head = client.head(CONDITION, HTTP_ACCEPT_ENCODING="br")
    assert head.status_code == 200
    assert head.content == b""
    for name in ("Content-Encoding", "Content-Length", "ETag", "Vary"):
        assert head[name] == full[name]
    first_head = Client().head("/conditions/muscle-spasms/", HTTP_ACCEPT_ENCODING="gzip")
    assert first_head.status_code == 200
    assert first_head["Content-Encoding"] == "gzip"
    assert int(first_head["Content-Length"]) > 0


def test_the_condition_page_weighs_at_most_4_kb_with_brotli(starting_content):
    client = Client()
    plain = get(client, CONDITION, "")
    compressed = get(client, CONDITION, "br")
    assert len(compressed.content) <= 4 * 1024, len(compressed.content)
    assert len(compressed.content) < len(plain.content) / 3


@pytest.mark.parametrize("path", ["/book/", "/admin/login/"])
def test_forms_with_a_csrf_token_are_never_compressed(open_every_day, path):
    response = get(Client(), path, "br, gzip")
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert not response.has_header("Content-Encoding")


def test_the_admin_and_staff_pages_are_never_compressed(admin_client, starting_content):
    for path in ("/admin/", "/admin/booking/appointmentrequest/", CONDITION):
        response = get(admin_client, path, "br, gzip")
        assert response.status_code == 200
        assert not response.has_header("Content-Encoding"), path


def test_a_public_page_that_uses_a_csrf_token_is_neither_kept_nor_compressed():
    @cache_public_page
    def page_with_a_form(request):
        return HttpResponse(f"<form>{get_token(request)}</form>")

    request = RequestFactory().get("/a-form/", HTTP_ACCEPT_ENCODING="br")
    response = page_with_a_form(request)
    assert response.content.startswith(b"<form>")
    assert not response.has_header("Content-Encoding")
    assert caches["pages"].get(_page_key(request)) is None


def test_a_page_that_puts_something_in_the_session_is_neither_kept_nor_compressed(client):
    @cache_public_page
    def page_that_remembers(request):
        request.session["seen"] = True
        return HttpResponse("<p>Remembered</p>")

    request = RequestFactory().get("/remembers/", HTTP_ACCEPT_ENCODING="br")
    request.session = client.session
    response = page_that_remembers(request)
    assert response.content == b"<p>Remembered</p>"
    assert not response.has_header("Content-Encoding")
    assert caches["pages"].get(_page_key(request)) is None


def test_the_same_kind_of_page_without_a_secret_is_kept_and_compressed():
    @cache_public_page
    def plain_page(request):
        return HttpResponse("<p>The same for everyone</p>" * 20)

    request = RequestFactory().get("/plain/", HTTP_ACCEPT_ENCODING="br")
    response = plain_page(request)
    assert response["Content-Encoding"] == "br"
    assert caches["pages"].get(_page_key(request)) is not None
