import datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.sessions.backends.db import SessionStore
from django.utils.formats import date_format

from clinic.cache import public_pages_changed
from clinic.tests.factories import PractitionerFactory
from conditions.models import Condition
from conditions.tests.factories import CauseFactory, ConditionFactory

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return response.content.decode()


def test_conditions_list_shows_the_five_published_conditions_in_order(client, starting_content):
    ConditionFactory(name="Hidden draft", is_published=False)
    page = text_of(client.get("/conditions/"))
    names = ["Muscle spasms", "Muscle tension", "Arthritis", "Herniated disks", "Spinal stenosis"]
    positions = [page.index(name) for name in names]
    assert positions == sorted(positions)
    assert "Hidden draft" not in page


def test_muscle_spasms_page_has_everything_a_patient_needs(client, starting_content):
    response = client.get("/conditions/muscle-spasms/")
    page = text_of(response)
    condition = Condition.objects.get(slug="muscle-spasms")
    assert response.status_code == 200
    assert "<h1>Muscle spasms</h1>" in page
    assert condition.summary in page
    assert "<h2>Common causes</h2>" in page
    for cause in condition.causes.all():
        assert f"<li>{cause.text}</li>" in page
    assert "Dehydration" in page
    assert "<h2>How acupuncture can help</h2>" in page
    assert "When back pain needs urgent care" in page
    assert "Call 911 now" in page
    assert "Loss of bladder or bowel control" in page
    assert "Reviewed by Sample Practitioner, L.Ac., on" in page
    assert f'datetime="{condition.reviewed_on.isoformat()}"' in page
    assert "Other back problems we treat" in page
    assert 'href="/conditions/arthritis/"' in page
    assert f'alt="{condition.image_alt}"' in page
    assert "img/illustrations/muscle-spasms" in page
    assert 'width="640" height="480"' in page
    assert f"<title>{condition.seo_title} · Acupuncture Balanced Health</title>" in page
    assert f'<meta name="description" content="{condition.meta_description}">' in page


def test_causes_appear_in_the_order_staff_set(client):
    condition = ConditionFactory()
    CauseFactory(condition=condition, text="Second", order=2)
    CauseFactory(condition=condition, text="First", order=1)
    page = text_of(client.get(condition.get_absolute_url()))
    assert page.index("First") < page.index("Second")


def test_an_unpublished_condition_is_404_to_patients(client):
    draft = ConditionFactory(is_published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get("/conditions/no-such-thing/").status_code == 404


def test_staff_can_preview_an_unpublished_condition(client, django_user_model):
    draft = ConditionFactory(is_published=False, name="Sciatica")
    other = ConditionFactory(name="Arthritis")
    staff = django_user_model.objects.create_user("staff", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_condition"))
    client.force_login(staff)
    page = text_of(client.get(draft.get_absolute_url()))
    assert "<h1>Sciatica</h1>" in page
    assert "Draft: only staff can see this page" in page
    assert other.get_absolute_url() in page


def test_related_conditions_leave_out_drafts_and_the_page_itself(client):
    condition = ConditionFactory(name="Arthritis")
    ConditionFactory(name="Draft one", is_published=False)
    ConditionFactory(name="Herniated disks")
    page = text_of(client.get(condition.get_absolute_url()))
    related = page[page.index("Other back problems we treat") :]
    assert "Herniated disks" in related
    assert "Draft one" not in related
    assert f'href="{condition.get_absolute_url()}"' not in related


def test_markdown_body_is_rendered_and_sanitised(client):
    condition = ConditionFactory(body="## Daily life\n\nIt **hurts**.<script>alert(1)</script>")
    page = text_of(client.get(condition.get_absolute_url()))
    assert "<h2>Daily life</h2>" in page
    assert "<strong>hurts</strong>" in page
    assert "alert(1)" not in page


def test_reviewer_and_date_are_optional(client, django_capture_on_commit_callbacks):
    condition = ConditionFactory(reviewed_on=None, reviewed_by=None)
    assert "Reviewed" not in text_of(client.get(condition.get_absolute_url()))
    condition.reviewed_by = PractitionerFactory(name="Dana Cruz", credentials="L.Ac., DAOM")
    condition.reviewed_on = "2026-10-01"
    with django_capture_on_commit_callbacks(execute=True):
        condition.save()
        public_pages_changed()  # as the admin does after every save
    page = text_of(client.get(condition.get_absolute_url()))
    assert "Reviewed by Dana Cruz, L.Ac., DAOM, on" in page
    assert date_format(datetime.date(2026, 10, 1), "DATE_FORMAT") in page
    assert '<time datetime="2026-10-01">' in page


def session_client(client, settings):
    """A visitor the page cache cannot serve: one with a session (a patient mid-booking)."""
    session = SessionStore()
    session["seen"] = True
    session.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


def test_a_visitor_with_a_session_gets_the_conditions_without_a_query(
    client, settings, django_assert_num_queries
):
    condition = ConditionFactory(name="Arthritis")
    CauseFactory(condition=condition, text="Wear of the joint")
    visitor = session_client(client, settings)
    visitor.get(condition.get_absolute_url())  # the first one after a save reads them
    with django_assert_num_queries(1):  # the session lookup, nothing for the page itself
        page = text_of(visitor.get(condition.get_absolute_url()))
    assert "<h1>Arthritis</h1>" in page
    assert "Wear of the joint" in page


def test_a_visitor_with_a_session_sees_a_save_at_once(
    client, settings, django_capture_on_commit_callbacks
):
    condition = ConditionFactory(name="Arthritis")
    visitor = session_client(client, settings)
    visitor.get(condition.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        CauseFactory(condition=condition, text="Added by staff")
        public_pages_changed()  # as the admin does after every save
    assert "Added by staff" in text_of(visitor.get(condition.get_absolute_url()))


def test_staff_preview_is_never_served_from_what_patients_see(client, django_user_model):
    published = ConditionFactory(name="Arthritis")
    client.get(published.get_absolute_url())  # patients' conditions now kept
    draft = ConditionFactory(is_published=False, name="Sciatica")
    staff = django_user_model.objects.create_user("staff", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_condition"))
    client.force_login(staff)
    assert "<h1>Sciatica</h1>" in text_of(client.get(draft.get_absolute_url()))
