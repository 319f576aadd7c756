"""What a fuzzer and an auditor tried from the outside: forms in other charsets, hosts
that are not ours, files and huge bodies, HEAD requests, and the admin's visibility to
search engines. Each gets the site's own answer, never a 500 or a page meant for others."""

import os
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import load_handler
from django.http.multipartparser import MultiPartParser
from django.test import Client, RequestFactory

from booking.models import AppointmentRequest, Status
from clinic.tests.public_pages import CONDITION_SLUGS, appointment_in, visit_day
from conditions.models import Condition

pytestmark = pytest.mark.django_db

CHARSETS = ["latin-1", "utf-16", "ascii", "utf8"]
MB = 1024 * 1024


def page(response) -> str:
    return response.content.decode()


def csrf_token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page(response)).group(1)


def post_in_charset(client: Client, url: str, token: str, charset: str):
    body = f"csrfmiddlewaretoken={token}&first_name=Mar%EDa&name=Arthritis".encode()
    return client.post(
        url, body, content_type=f"application/x-www-form-urlencoded; charset={charset}"
    )


# -- forms in a charset other than UTF-8 -------------------------------------------------------


@pytest.mark.parametrize("charset", CHARSETS)
def test_a_booking_form_in_another_charset_gets_the_site_s_400_page(charset, starting_content):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    token = csrf_token(client.get("/book/"))
    response = post_in_charset(client, "/book/", token, charset)
    assert response.status_code == 400
    assert "We could not read what your browser sent" in page(response)
    assert 'href="tel:+15550100"' in page(response)  # the site's own page, with its header
    assert AppointmentRequest.objects.count() == 0


@pytest.mark.parametrize("charset", CHARSETS)
def test_an_admin_form_in_another_charset_gets_the_site_s_400_page(charset, starting_content):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(get_user_model().objects.create_superuser("staff", "", "x"))
    condition = Condition.objects.get(slug="arthritis")
    url = f"/admin/conditions/condition/{condition.pk}/change/"
    response = post_in_charset(client, url, csrf_token(client.get(url)), charset)
    assert response.status_code == 400
    assert "We could not read what your browser sent" in page(response)
    condition.refresh_from_db()
    assert condition.name == "Arthritis"


# -- hosts that are not ours -------------------------------------------------------------------


def test_a_cached_page_is_not_served_for_a_host_that_is_not_ours(
    starting_content, django_assert_num_queries, settings, mailoutbox
):
    settings.ADMINS = [("", "on-call@balancedhealth.example")]
    client = Client()
    client.get("/about/")
    with django_assert_num_queries(0):
        assert client.get("/about/").status_code == 200  # now answered from the cache
    response = client.get("/about/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "We could not read what your browser sent" in page(response)
    assert "evil.example" not in page(response)
    assert mailoutbox == []  # any bot can send one: the log says so, nobody is e-mailed


# -- files and large bodies --------------------------------------------------------------------


class WatchedBody:
    """A multipart body of `size` bytes, produced as it is read: counts what was read, and
    looks into the upload folder each time, so a file spooled to disk would be seen."""

    boundary = "ClinicTestBoundary"

    def __init__(self, size: int, upload_dir, field: str = "image") -> None:
        head = (
            f"--{self.boundary}\r\n"
            f'Content-Disposition: form-data; name="{field}"; filename="big.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        self.tail = f"\r\n--{self.boundary}--\r\n".encode()
        self.head, self.size, self.upload_dir = head, size, upload_dir
        self.read_bytes = 0
        self.files_seen: set[str] = set()

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    def read(self, size: int = -1) -> bytes:
        self.files_seen |= set(os.listdir(self.upload_dir))
        left = self.size - self.read_bytes
        size = left if size is None or size < 0 else min(size, left)
        chunk = bytearray()
        while len(chunk) < size:
            position = self.read_bytes + len(chunk)
            if position < len(self.head):
                chunk += self.head[position : position + size - len(chunk)]
            elif position >= self.size - len(self.tail):
                offset = position - (self.size - len(self.tail))
                chunk += self.tail[offset : offset + size - len(chunk)]
            else:
                zeros = min(size - len(chunk), self.size - len(self.tail) - position)
                chunk += bytes(zeros)
        self.read_bytes += len(chunk)
        return bytes(chunk)

    readline = read  # Django's LimitedStream wants one; multipart parsing never calls it

    def environ(self) -> dict:
        return {
            "CONTENT_TYPE": self.content_type,
            "CONTENT_LENGTH": str(self.size),
            "wsgi.input": self,
        }


@pytest.fixture
def upload_dir(settings, tmp_path):
    """Where Django would spool an upload too large to hold in memory."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


def test_a_200_mb_file_posted_to_the_booking_form_is_refused_unread(upload_dir, open_every_day):
    body = WatchedBody(200 * MB, upload_dir)
    response = Client().generic("POST", "/book/", **body.environ())
    assert response.status_code == 413
    assert "That was too large to send" in page(response)
    assert body.read_bytes == 0
    assert body.files_seen == set() and list(upload_dir.iterdir()) == []


def test_the_booking_form_takes_no_file_at_all(upload_dir, open_every_day):
    body = WatchedBody(64 * 1024, upload_dir, field="note")
    response = Client().generic("POST", "/book/", **body.environ())
    assert response.status_code == 415
    assert "This page does not take files" in page(response)
    assert body.files_seen == set() and list(upload_dir.iterdir()) == []
    assert AppointmentRequest.objects.count() == 0


def test_an_admin_upload_over_the_limit_is_refused_before_it_is_read(admin_client, upload_dir):
    condition_url = "/admin/conditions/condition/add/"
    body = WatchedBody(20 * MB, upload_dir)
    response = admin_client.generic("POST", condition_url, **body.environ())
    assert response.status_code == 413
    assert "Photos can be at most 8.0\xa0MB" in page(response)
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert body.read_bytes == 0 and list(upload_dir.iterdir()) == []


def test_an_upload_longer_than_it_said_stops_at_the_limit_unwritten(settings, upload_dir):
    settings.REQUEST_BODY_MAX_BYTES = settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
    body = WatchedBody(2 * MB, upload_dir)
    request = RequestFactory().post("/admin/conditions/condition/add/")
    handlers = [load_handler(path, request) for path in settings.FILE_UPLOAD_HANDLERS]
    meta = {"CONTENT_TYPE": body.content_type, "CONTENT_LENGTH": "1000"}  # it says 1 KB
    with pytest.raises(RequestDataTooBig):  # answered with the 413 page
        MultiPartParser(meta, body, handlers).parse()
    assert body.read_bytes < 512 * 1024
    assert list(upload_dir.iterdir()) == []


# -- HEAD wherever GET ------------------------------------------------------------------------


@pytest.fixture
def public_urls(open_every_day) -> list[str]:
    requested = appointment_in(Status.REQUESTED, "10:00")
    confirmed = appointment_in(Status.CONFIRMED, "11:00")
    return [
        "/",
        "/conditions/",
        *[f"/conditions/{slug}/" for slug in CONDITION_SLUGS],
        "/about/",
        "/privacy/",
        "/book/",
        f"/book/times/?date={visit_day().isoformat()}",
        "/book/requested/",
        requested.get_manage_url(),
        f"{requested.get_manage_url()}cancel/",
        f"{confirmed.get_manage_url()}calendar.ics",
        "/sitemap.xml",
        "/robots.txt",
        "/healthz",
    ]


def test_head_is_answered_wherever_get_is(client, public_urls):
    for url in public_urls:
        got = client.get(url)
        head = client.head(url)
        assert got.status_code in (200, 302), url
        assert head.status_code == got.status_code, url
        assert head.content == b"", url


# -- the admin and search engines -------------------------------------------------------------


def test_robots_txt_does_not_publish_the_admin_s_address(client, settings):
    assert settings.ADMIN_PATH.strip("/") not in page(client.get("/robots.txt"))


@pytest.mark.parametrize("url", ["/admin", "/admin/", "/admin/login/", "/admin/no-such-page/"])
def test_every_admin_response_asks_search_engines_not_to_index_it(client, url):
    response = client.get(url)
    assert response["X-Robots-Tag"] == "noindex, nofollow", response.status_code


def test_admin_pages_for_staff_are_not_indexed_either(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_public_pages_stay_indexable(client, starting_content):
    assert "X-Robots-Tag" not in client.get("/")
