"""Public pages from the cache: fast, never stale after a save, never mixed between staff
and patients; and the pages that must never be cached."""

import datetime

import pytest
from django.contrib.admin.sites import site
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic.admin import PublicContentAdmin
from clinic.cache import cached_for_this_version, forget_content_version, public_pages_changed
from clinic.models import ClinicProfile, Closure, OpeningHours, Page, Practitioner
from conditions.models import Condition

pytestmark = pytest.mark.django_db
# Cached pages move to a new version when a save is committed: these tests commit theirs.
SAVES_COMMITTED = pytest.mark.django_db(transaction=True)

CONTENT_PAGES = [
    "/",
    "/conditions/",
    "/conditions/arthritis/",
    "/conditions/spinal-stenosis/",
    "/about/",
    "/privacy/",
]


def queries_for(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return len(queries), response


@pytest.mark.parametrize("url", CONTENT_PAGES)
def test_content_pages_take_four_queries_at_most_then_none_from_the_cache(starting_content, url):
    client = Client()
    first_count, first = queries_for(client, url)
    second_count, second = queries_for(client, url)
    assert first.status_code == second.status_code == 200
    assert first_count <= 4
    assert second_count == 0
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_a_browser_revalidating_gets_304_not_modified(starting_content):
    client = Client()
    etag = client.get("/conditions/arthritis/")["ETag"]
    response = client.get("/conditions/arthritis/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert "no-cache" in response["Cache-Control"]


def change_condition_in_the_admin(admin_client, **changes) -> None:
    condition = Condition.objects.get(slug="arthritis")
    url = reverse("admin:conditions_condition_change", args=[condition.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        {
            "is_published": "on",
            "causes-TOTAL_FORMS": 0,
            "causes-INITIAL_FORMS": 0,
            "causes-MIN_NUM_FORMS": 0,
            "causes-MAX_NUM_FORMS": 1000,
            "reviewed_on": condition.reviewed_on.isoformat(),
        }
    )
    data.update(changes)
    data.pop("image", None)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


@SAVES_COMMITTED
def test_a_condition_saved_in_the_admin_shows_at_once(starting_content, admin_client):
    patient = Client()
    assert "Updated by staff" not in patient.get("/conditions/arthritis/").content.decode()
    assert "Updated by staff" not in patient.get("/").content.decode()
    change_condition_in_the_admin(admin_client, summary="Updated by staff.")
    assert "Updated by staff." in patient.get("/conditions/arthritis/").content.decode()
    assert "Updated by staff." in patient.get("/").content.decode()


@SAVES_COMMITTED
def test_opening_hours_saved_in_the_admin_show_at_once_in_every_footer(
    starting_content, admin_client
):
    patient = Client()
    assert "7:30 AM" not in patient.get("/about/").content.decode()
    hours = OpeningHours.objects.filter(weekday=1).first()
    url = reverse("admin:clinic_openinghours_change", args=[hours.pk])
    response = admin_client.post(url, {"weekday": 1, "opens": "07:30", "closes": "19:00"})
    assert response.status_code == 302
    assert "7:30 AM" in patient.get("/about/").content.decode()


@SAVES_COMMITTED
def test_a_closure_added_in_the_admin_shows_at_once_on_the_home_page(
    starting_content, admin_client
):
    patient = Client()
    patient.get("/")
    start = datetime.date.today() + datetime.timedelta(days=5)
    response = admin_client.post(
        reverse("admin:clinic_closure_add"),
        {"start_date": start.isoformat(), "end_date": start.isoformat(), "reason": "Training"},
    )
    assert response.status_code == 302
    assert "Training" in patient.get("/").content.decode()


@SAVES_COMMITTED
def test_deleting_a_page_in_the_admin_removes_it_at_once(starting_content, admin_client):
    patient = Client()
    assert patient.get("/privacy/").status_code == 200
    page = Page.objects.get(slug="privacy")
    admin_client.post(reverse("admin:clinic_page_delete", args=[page.pk]), {"post": "yes"})
    assert patient.get("/privacy/").status_code == 404


@pytest.mark.parametrize(
    "model", [ClinicProfile, OpeningHours, Closure, Page, Practitioner, Condition]
)
def test_every_admin_for_public_content_invalidates_the_page_cache(model):
    assert isinstance(site._registry[model], PublicContentAdmin)


def test_staff_never_get_or_leave_a_cached_page(starting_content, editor_client):
    Condition.objects.filter(slug="arthritis").update(is_published=False)
    preview = editor_client.get("/conditions/arthritis/")
    assert "Draft: only staff can see this page" in preview.content.decode()
    assert Client().get("/conditions/arthritis/").status_code == 404
    patient_view = Client().get("/about/")
    staff_view = editor_client.get("/about/")
    assert staff_view.content == patient_view.content  # same page, rendered for staff
    count, _ = queries_for(editor_client, "/about/")
    assert count > 0  # not from the cache


def test_addresses_with_a_query_string_are_not_cached(starting_content):
    client = Client()
    client.get("/conditions/?utm_source=newsletter")
    count, _ = queries_for(client, "/conditions/?utm_source=newsletter")
    assert count > 0


def test_pages_with_forms_or_free_times_are_never_cached(open_every_day, request_data):
    client = Client()
    for url in ("/book/", f"/book/?date={request_data['date']}"):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"]
        count, _ = queries_for(client, url)
        assert count > 0
    client.post("/book/", request_data)
    from booking.models import AppointmentRequest

    manage = client.get(AppointmentRequest.objects.get().get_manage_url())
    assert "no-store" in manage["Cache-Control"]


def test_the_page_cache_can_be_switched_off(starting_content, settings):
    settings.PUBLIC_PAGE_CACHE = False
    client = Client()
    client.get("/about/")
    count, _ = queries_for(client, "/about/")
    assert 0 < count <= 4


def test_the_booking_form_for_a_day_takes_six_queries_at_most(open_every_day, request_data):
    client = Client()
    client.get("/book/")
    count, response = queries_for(client, f"/book/?date={request_data['date']}")
    assert response.status_code == 200
    assert count <= 6


def test_health_check_answers_ok_and_says_nothing_more(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"database: ok\ncache: ok\n"
    assert "no-store" in response["Cache-Control"]


def test_health_check_reports_an_unreachable_cache(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        },
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"database: ok\ncache: unavailable\n"


def test_with_the_cache_down_pages_still_render_and_patients_can_book(
    settings, open_every_day, request_data
):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        },
    }
    client = Client()
    assert client.get("/about/").status_code == 200
    assert client.get("/conditions/arthritis/").status_code == 200
    assert client.post("/book/", request_data).status_code == 302


@SAVES_COMMITTED
def test_after_a_release_refresh_cached_pages_renders_every_page_afresh(starting_content):
    from django.core.management import call_command

    client = Client()
    client.get("/about/")
    assert queries_for(client, "/about/")[0] == 0
    call_command("refresh_cached_pages", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert queries_for(client, "/about/")[0] > 0


def test_a_value_kept_for_a_version_is_asked_of_the_shared_cache_once_per_process(
    django_capture_on_commit_callbacks,
):
    computed = []

    def compute():
        computed.append(1)
        return ["value"]

    first = cached_for_this_version("example", compute)
    cache.clear()  # what the shared cache holds is no longer needed by this process
    assert cached_for_this_version("example", compute) is first
    assert len(computed) == 1
    with django_capture_on_commit_callbacks(execute=True):
        public_pages_changed()
    assert cached_for_this_version("example", compute) == ["value"]
    assert len(computed) == 2  # a new version: computed again


def test_nothing_is_kept_in_the_process_while_the_shared_cache_is_down(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        },
    }
    forget_content_version()
    computed = []
    for _ in range(2):
        cached_for_this_version("example", lambda: computed.append(1) or ["value"])
    assert len(computed) == 2
