import datetime
import re

import pytest
import textstat
from django.contrib.auth.models import Group
from django.core.management import call_command

from clinic import starting_content as content
from clinic.models import ClinicProfile, OpeningHours, Page, Practitioner
from clinic.roles import CONTENT_EDITORS
from conditions.models import Cause, Condition

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in (ClinicProfile, OpeningHours, Page, Practitioner, Condition, Cause)
    } | {"updated": list(Condition.objects.values_list("updated_at", flat=True))}


def test_loads_the_clinic_the_five_conditions_and_the_pages(starting_content):
    assert ClinicProfile.objects.get().name == "Acupuncture Balanced Health"
    assert Condition.objects.published().count() == 5
    spasms = Condition.objects.get(slug="muscle-spasms")
    assert spasms.causes.count() == 6
    assert spasms.reviewed_by.is_sample
    assert set(Page.objects.published().values_list("slug", flat=True)) == {"about", "privacy"}
    assert OpeningHours.objects.count() == len(content.HOURS)
    assert Practitioner.objects.get().is_sample


def test_running_it_twice_changes_nothing(starting_content):
    before = snapshot()
    call_command("load_clinic_content", verbosity=0)
    assert snapshot() == before


def test_it_never_overwrites_or_recreates_what_staff_changed(starting_content):
    Condition.objects.filter(slug="arthritis").update(summary="Edited by staff")
    Condition.objects.filter(slug="spinal-stenosis").delete()
    Page.objects.filter(slug="privacy").update(title="Our privacy promise")
    OpeningHours.objects.filter(weekday=5).delete()
    call_command("load_clinic_content", verbosity=0)
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
