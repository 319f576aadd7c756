"""A later release's corrected starting content reaches sites that already have the old
text, but only where staff have not edited it since: an edited piece keeps the staff's
words, a deleted one stays deleted, and running the command again changes nothing."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from booking.models import PractitionerDiary, TreatmentType
from clinic import starting_content as content
from clinic.models import ClinicProfile, Page, StartingContentRecord, UrgentCareSign
from conditions.models import Condition

pytestmark = pytest.mark.django_db


def load() -> str:
    out = StringIO()
    call_command("load_clinic_content", stdout=out)
    return out.getvalue()


def condition_data(slug: str) -> dict:
    return next(data for data in content.CONDITIONS if data["slug"] == slug)


def page_data(slug: str) -> dict:
    return next(data for data in content.PAGES if data["slug"] == slug)


@pytest.fixture
def new_release(monkeypatch):
    """The next release's starting content: a corrected arthritis page, privacy policy,
    home-page evidence text and urgent-care list."""
    arthritis = condition_data("arthritis")
    monkeypatch.setitem(arthritis, "summary", "A corrected summary.")
    monkeypatch.setitem(arthritis, "causes", ["A corrected cause", *arthritis["causes"][1:]])
    monkeypatch.setitem(arthritis, "reviewed_on", "2027-01-15")
    monkeypatch.setitem(page_data("privacy"), "body", "A corrected privacy policy.")
    monkeypatch.setitem(content.EVIDENCE, "text", "Corrected evidence.")
    monkeypatch.setattr(
        content, "URGENT_CARE_SIGNS", [*content.URGENT_CARE_SIGNS, (1, "A corrected sign")]
    )


@pytest.mark.django_db(transaction=True)  # cached pages move on at the commit
def test_untouched_pieces_get_the_new_release_text(starting_content, new_release):
    Client().get("/conditions/arthritis/")  # in the page cache
    output = load()
    assert "Updated starting content:" in output
    for key in ("condition arthritis", "page privacy", "home page evidence", "urgent-care signs"):
        assert key in output
    arthritis = Condition.objects.get(slug="arthritis")
    assert arthritis.summary == "A corrected summary."
    assert arthritis.causes.first().text == "A corrected cause"
    assert arthritis.reviewed_on.isoformat() == "2027-01-15"
    assert Page.objects.get(slug="privacy").body == "A corrected privacy policy."
    assert ClinicProfile.objects.get().evidence_text == "Corrected evidence."
    assert UrgentCareSign.objects.filter(text="A corrected sign").exists()
    assert "A corrected summary." in Client().get("/conditions/arthritis/").content.decode()


def test_pieces_staff_edited_keep_the_staff_text(starting_content, new_release):
    Condition.objects.filter(slug="arthritis").update(summary="Written by staff.")
    Page.objects.filter(slug="privacy").update(title="Our privacy promise")
    ClinicProfile.objects.update(evidence_heading="The evidence")
    UrgentCareSign.objects.create(level=2, text="Added by staff", order=99)
    output = load()
    assert "Kept as staff edited them" in output
    assert Condition.objects.get(slug="arthritis").summary == "Written by staff."
    privacy = Page.objects.get(slug="privacy")
    assert privacy.title == "Our privacy promise"
    assert privacy.body != "A corrected privacy policy."
    profile = ClinicProfile.objects.get()
    assert profile.evidence_heading == "The evidence"
    assert profile.evidence_text != "Corrected evidence."
    assert UrgentCareSign.objects.filter(text="Added by staff").exists()
    assert not UrgentCareSign.objects.filter(text="A corrected sign").exists()


def test_pieces_staff_deleted_are_not_recreated_by_a_new_release(starting_content, new_release):
    Condition.objects.filter(slug="arthritis").delete()
    Page.objects.filter(slug="privacy").delete()
    UrgentCareSign.objects.all().delete()
    load()
    assert not Condition.objects.filter(slug="arthritis").exists()
    assert not Page.objects.filter(slug="privacy").exists()
    assert not UrgentCareSign.objects.exists()


def test_updating_is_idempotent(starting_content, new_release):
    load()
    before = {
        "conditions": list(Condition.objects.values()),
        "pages": list(Page.objects.values()),
        "signs": list(UrgentCareSign.objects.values()),
        "profile": list(ClinicProfile.objects.values()),
    }
    assert "nothing changed" in load()
    assert before == {
        "conditions": list(Condition.objects.values()),
        "pages": list(Page.objects.values()),
        "signs": list(UrgentCareSign.objects.values()),
        "profile": list(ClinicProfile.objects.values()),
    }


def test_a_page_saved_unchanged_in_the_admin_still_gets_the_new_text(
    starting_content, admin_client, new_release
):
    page = Page.objects.get(slug="privacy")
    response = admin_client.post(
        reverse("admin:clinic_page_change", args=[page.pk]),
        {
            "title": page.title,
            "slug": page.slug,
            "body": page.body.replace("\n", "\r\n"),  # as a browser sends a textarea
            "is_published": "on",
            "seo_title": page.seo_title,
            "meta_description": page.meta_description,
        },
    )
    assert response.status_code == 302
    load()
    assert Page.objects.get(slug="privacy").body == "A corrected privacy policy."


def test_sites_loaded_before_fingerprints_are_updated_only_where_they_hold_the_first_release(
    starting_content, monkeypatch
):
    from clinic.management.commands.load_clinic_content import fingerprint, pieces

    # As the first release left a site: every piece recorded, without a fingerprint.
    as_loaded = {piece.key: fingerprint(piece.stored()) for piece in pieces()}
    StartingContentRecord.objects.update(fingerprint="")
    for key, value in as_loaded.items():
        monkeypatch.setitem(content.FIRST_RELEASE_FINGERPRINTS, key, value)
    Condition.objects.filter(slug="spinal-stenosis").update(summary="Written by staff.")
    monkeypatch.setitem(condition_data("arthritis"), "summary", "A corrected summary.")
    monkeypatch.setitem(condition_data("spinal-stenosis"), "summary", "A corrected summary.")
    load()
    assert Condition.objects.get(slug="arthritis").summary == "A corrected summary."
    assert Condition.objects.get(slug="spinal-stenosis").summary == "Written by staff."
    assert not StartingContentRecord.objects.filter(fingerprint="").exclude(
        key="condition spinal-stenosis"
    )


def test_pieces_of_an_unknown_older_release_are_left_alone(starting_content, monkeypatch):
    StartingContentRecord.objects.update(fingerprint="")
    monkeypatch.setattr(content, "FIRST_RELEASE_FINGERPRINTS", {})
    monkeypatch.setitem(condition_data("arthritis"), "summary", "A corrected summary.")
    load()
    assert Condition.objects.get(slug="arthritis").summary != "A corrected summary."


@pytest.mark.parametrize(
    "markdown",
    [data["body"] for data in content.CONDITIONS + content.PAGES]
    + [data["acupuncture_help"] for data in content.CONDITIONS]
    + [data["answer"] for data in content.QUESTIONS],
)
def test_unwrapping_the_starting_texts_keeps_what_patients_see(markdown):
    from clinic.management.commands.load_clinic_content import unwrapped
    from clinic.markdown import render_markdown

    def spaced(html: str) -> str:
        return re.sub(r"\s+", " ", html)

    typed = unwrapped(markdown)
    assert spaced(render_markdown(typed)) == spaced(render_markdown(markdown))
    assert len(typed.splitlines()) < len(markdown.splitlines())


def test_a_new_release_of_the_treatment_types_reaches_only_untouched_ones(
    starting_content, monkeypatch
):
    first_visit, follow_up = content.TREATMENT_TYPES[0], content.TREATMENT_TYPES[1]
    monkeypatch.setitem(first_visit, "description", "A corrected description.")
    monkeypatch.setitem(follow_up, "description", "A corrected description.")
    TreatmentType.objects.filter(name=follow_up["name"]).update(minutes=50)
    monkeypatch.setitem(content.SAMPLE_DIARY, "patients_at_once", 2)

    output = load()

    assert "treatment type First consultation and treatment" in output
    assert TreatmentType.objects.get(name=first_visit["name"]).description == (
        "A corrected description."
    )
    kept = TreatmentType.objects.get(name=follow_up["name"])
    assert kept.minutes == 50
    assert kept.description != "A corrected description."
    assert PractitionerDiary.objects.get().patients_at_once == 2
