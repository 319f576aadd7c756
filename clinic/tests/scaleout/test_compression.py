"""Through gunicorn, as a browser gets them: cached pages in brotli, gzip or as they are,
with the right length, an ETag per encoding and 304s; forms never compressed."""

import gzip
import time

import brotli
import pytest
import requests
from django.conf import settings

pytestmark = [pytest.mark.scaleout, pytest.mark.django_db(transaction=True)]

CONDITION = "/conditions/arthritis/"
DECODE = {"br": brotli.decompress, "gzip": gzip.decompress, "": lambda body: body}


@pytest.fixture
def content(starting_content):
    """The starting content, loaded afresh for this test, once every server shows it: a
    worker may trust the version of the previous test's content for the bound."""
    time.sleep(settings.CLINIC_CONTENT_VERSION_TRUST_SECONDS + 0.1)


def on_the_wire(url: str, accept_encoding: str, method: str = "GET", etag: str = ""):
    """The answer and its body exactly as sent (not decoded by requests)."""
    response = requests.request(
        method,
        url,
        headers={"Accept-Encoding": accept_encoding, **({"If-None-Match": etag} if etag else {})},
        stream=True,
        timeout=10,
    )
    body = response.raw.read(decode_content=False)
    return response, body


@pytest.mark.parametrize(
    ("accept_encoding", "encoding"),
    [("br, gzip", "br"), ("gzip, deflate", "gzip"), ("identity", "")],
)
def test_the_condition_page_in_each_encoding(app_servers, content, accept_encoding, encoding):
    server = app_servers[0]
    plain = requests.get(f"{server}{CONDITION}", headers={"Accept-Encoding": ""}, timeout=10)
    for _ in range(4):  # rendered by one worker or the other, then from their caches
        response, body = on_the_wire(f"{server}{CONDITION}", accept_encoding)
        assert response.status_code == 200
        assert response.headers.get("Content-Encoding", "") == encoding
        assert int(response.headers["Content-Length"]) == len(body)
        assert DECODE[encoding](body) == plain.content
        assert "Accept-Encoding" in response.headers["Vary"]

        etag = response.headers["ETag"]
        again, empty = on_the_wire(f"{server}{CONDITION}", accept_encoding, etag=etag)
        assert (again.status_code, empty) == (304, b"")
        head, nothing = on_the_wire(f"{server}{CONDITION}", accept_encoding, method="HEAD")
        assert (head.status_code, nothing) == (200, b"")
        assert head.headers["Content-Length"] == response.headers["Content-Length"]
        assert head.headers["ETag"] == etag


def test_the_condition_page_weighs_at_most_4_kb_with_brotli(app_servers, content):
    response, body = on_the_wire(f"{app_servers[1]}{CONDITION}", "br")
    assert response.headers["Content-Encoding"] == "br"
    assert len(body) <= 4 * 1024, len(body)


@pytest.mark.parametrize("path", ["/book/", "/admin/login/"])
def test_forms_never_go_out_compressed(app_servers, open_every_day, path):
    response, body = on_the_wire(f"{app_servers[0]}{path}", "br, gzip")
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert b"csrfmiddlewaretoken" in body
