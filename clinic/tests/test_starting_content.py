import datetime
import re

import pytest
import textstat
from django.contrib.auth.models import Group
from django.core.management import call_command

from booking.models import PractitionerDiary, TreatmentType, WorkingHours
from clinic import starting_content as content
from clinic.models import ClinicProfile, OpeningHours, Page, Practitioner
from clinic.roles import CONTENT_EDITORS
from conditions.models import Cause, Condition

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in (
            ClinicProfile, OpeningHours, Page, Practitioner, Condition, Cause,
            TreatmentType, PractitionerDiary, WorkingHours,
        )
    } | {
        "updated": list(Condition.objects.values_list("updated_at", flat=True)),
        "types": list(TreatmentType.objects.values()),
        "diaries": list(PractitionerDiary.objects.values("pk", "treatment_types")),
    }  # fmt: skip


def test_loads_the_clinic_the_five_conditions_and_the_pages(starting_content):
    assert ClinicProfile.objects.get().name == "Acupuncture Balanced Health"
    assert Condition.objects.published().count() == 5
    spasms = Condition.objects.get(slug="muscle-spasms")
    assert spasms.causes.count() == 6
    assert spasms.reviewed_by.is_sample
    assert set(Page.objects.published().values_list("slug", flat=True)) == {"about", "privacy"}
    assert OpeningHours.objects.count() == len(content.HOURS)
    assert Practitioner.objects.get().is_sample


def test_loads_three_treatment_types_and_the_sample_practitioners_diary(starting_content):
    types = TreatmentType.objects.all()
    assert [(t.name, t.minutes, t.buffer_minutes, t.for_new_patients) for t in types] == [
        ("First consultation and treatment", 75, 15, True),
        ("Follow-up treatment", 45, 15, False),
        ("Short follow-up", 30, 10, False),
    ]
    assert all(t.bookable_online and t.is_active and t.description for t in types)
    diary = PractitionerDiary.objects.get()
    assert diary.practitioner == Practitioner.objects.get(is_sample=True)
    assert (diary.takes_bookings, diary.patients_at_once) == (True, 1)
    assert set(diary.treatment_types.all()) == set(types)
    hours = diary.working_hours.order_by("weekday", "starts")
    assert [(h.weekday, f"{h.starts:%H:%M}", f"{h.ends:%H:%M}") for h in hours] == content.HOURS


def test_running_it_twice_changes_nothing(starting_content):
    before = snapshot()
    call_command("load_clinic_content", verbosity=0)
    assert snapshot() == before


def test_it_never_overwrites_or_recreates_what_staff_changed(starting_content):
    Condition.objects.filter(slug="arthritis").update(summary="Edited by staff")
    Condition.objects.filter(slug="spinal-stenosis").delete()
    Page.objects.filter(slug="privacy").update(title="Our privacy promise")
    OpeningHours.objects.filter(weekday=5).delete()
    TreatmentType.objects.filter(name="Follow-up treatment").update(minutes=50)
    TreatmentType.objects.filter(name="Short follow-up").delete()
    WorkingHours.objects.filter(weekday=0).delete()
    call_command("load_clinic_content", verbosity=0)
    assert TreatmentType.objects.get(name="Follow-up treatment").minutes == 50
    assert not TreatmentType.objects.filter(name="Short follow-up").exists()
    assert not WorkingHours.objects.filter(weekday=0).exists()
    assert Condition.objects.get(slug="arthritis").summary == "Edited by staff"
    assert not Condition.objects.filter(slug="spinal-stenosis").exists()
    assert Page.objects.get(slug="privacy").title == "Our privacy promise"
    assert not OpeningHours.objects.filter(weekday=5).exists()


def test_it_sets_up_the_content_editors_group(starting_content):
    codenames = set(
        Group.objects.get(name=CONTENT_EDITORS).permissions.values_list("codename", flat=True)
    )
    assert {"change_condition", "add_cause", "change_page", "change_practitioner"} <= codenames
    assert not any("user" in codename or "group" in codename for codename in codenames)


def plain_text(markdown: str) -> str:
    return re.sub(r"[#*_\[\]()>`-]", " ", markdown)


@pytest.mark.parametrize("condition", content.CONDITIONS, ids=lambda c: c["slug"])
def test_condition_pages_read_at_grade_eight_or_lower(condition):
    text = " ".join([condition["summary"], condition["body"], condition["acupuncture_help"]])
    assert textstat.flesch_kincaid_grade(plain_text(text)) <= 8


@pytest.mark.parametrize("question", content.QUESTIONS, ids=lambda q: q["question"])
def test_the_questions_page_reads_at_grade_eight_or_lower(question):
    text = " ".join([question["question"], question["answer"]])
    assert textstat.flesch_kincaid_grade(plain_text(text)) <= 8


def test_starting_hours_are_valid_and_do_not_overlap():
    for weekday, opens, closes in content.HOURS:
        hours = OpeningHours(
            weekday=weekday,
            opens=datetime.time.fromisoformat(opens),
            closes=datetime.time.fromisoformat(closes),
        )
        hours.full_clean()
        hours.save()


@pytest.mark.parametrize("treatment", content.TREATMENT_TYPES, ids=lambda t: t["name"])
def test_each_treatment_is_described_for_patients_in_one_plain_sentence(treatment):
    description = treatment["description"]
    TreatmentType(**treatment).full_clean()
    assert description.endswith(".")
    assert description.count(". ") == 0
    assert textstat.flesch_kincaid_grade(description) <= 8


def test_the_sample_diarys_hours_lie_within_the_clinics(starting_content):
    for hours in WorkingHours.objects.all():
        hours.full_clean()
