"""The pages the site answers when it refuses a request or loses its database pass the same
quality checks as every public page, at phone and desktop size (see test_quality.py)."""

import pytest
from django.db import OperationalError
from playwright.sync_api import expect

from booking import schedule as booking_schedule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = ["phone", "desktop"]
BOUNDARY = "ClinicTestBoundary"
A_FILE = (
    f"--{BOUNDARY}\r\n"
    'Content-Disposition: form-data; name="note"; filename="scan.pdf"\r\n'
    "Content-Type: application/pdf\r\n\r\n%PDF-1.4\r\n"
    f"--{BOUNDARY}--\r\n"
)


def send_the_booking_form_as(page, content_type: str, body: str | None = None) -> None:
    """Sends the booking form, its POST rewritten on the way out: as a client that sends
    another charset, or a file, would send it."""

    def rewrite(route):
        if route.request.method != "POST":
            return route.continue_()
        headers = {**route.request.headers, "content-type": content_type}
        return route.continue_(headers=headers, post_data=body or route.request.post_data)

    page.goto("/book/")
    page.route("**/book/", rewrite)
    page.get_by_role("button", name="Send request").click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize("size", SIZES)
def test_a_form_in_another_charset_gets_a_sound_400_page(
    size, open_tab, page_problems, open_every_day
):
    tab = open_tab(size)
    tab.expected_status = 400
    send_the_booking_form_as(tab.page, "application/x-www-form-urlencoded; charset=latin-1")
    expect(tab.page.get_by_role("heading", level=1)).to_have_text(
        "We could not read what your browser sent"
    )
    problems = page_problems(tab, "bad-request", size)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("size", SIZES)
def test_a_file_sent_to_the_booking_form_gets_a_sound_415_page(
    size, open_tab, page_problems, open_every_day
):
    tab = open_tab(size)
    tab.expected_status = 415
    send_the_booking_form_as(tab.page, f"multipart/form-data; boundary={BOUNDARY}", A_FILE)
    expect(tab.page.get_by_role("heading", level=1)).to_have_text("This page does not take files")
    problems = page_problems(tab, "files-not-accepted", size)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("size", SIZES)
def test_with_the_database_down_booking_gets_a_sound_503_page(
    size, open_tab, page_problems, open_every_day, monkeypatch
):
    tab = open_tab(size)
    tab.page.goto("/")  # the site's details are read, and kept for the 503 page
    tab.page.wait_for_load_state("networkidle")

    def database_down(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(booking_schedule, "load_diary", database_down)  # the form's one read
    tab.expected_status = 503
    tab.page.goto("/book/")
    expect(tab.page.get_by_role("heading", level=1)).to_have_text(
        "This page is not available right now"
    )
    expect(tab.page.get_by_role("link", name="+1 555-0100")).to_have_attribute(
        "href", "tel:+15550100"
    )
    problems = page_problems(tab, "database-down", size)
    assert not problems, "\n".join(problems)
