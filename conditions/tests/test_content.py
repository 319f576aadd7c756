"""The starting condition pages say what the conditions are, correctly: a spasm is a muscle
tightening, arthritis affects the facet joints as well as the sacroiliac joint, stenosis
has real causes, and a herniated disk is explained without "breaking open"."""

import re

import pytest
from django.test import Client

from clinic import starting_content as content

pytestmark = pytest.mark.django_db


def condition(slug: str) -> dict:
    return next(data for data in content.CONDITIONS if data["slug"] == slug)


def words(data: dict) -> str:
    """Everything the page says about the condition, in one lowercase line."""
    parts = [data["summary"], data["body"], data["acupuncture_help"], data["meta_description"]]
    return re.sub(r"\s+", " ", " ".join([*parts, *data["causes"]])).lower()


def test_a_spasm_is_a_tightening_not_a_muscle():
    spasms = condition("muscle-spasms")
    assert "is a muscle that" not in spasms["summary"]
    assert re.search(r"spasm is a sudden tightening of a muscle", spasms["summary"])
    assert "spasm happens when a muscle tightens" in spasms["body"]


def test_arthritis_covers_the_facet_joints_and_the_sacroiliac_joint():
    arthritis = condition("arthritis")
    text = words(arthritis)
    assert "facet joints" in arthritis["summary"] and "sacroiliac joint" in arthritis["summary"]
    assert "## the facet joints" in text and "## the sacroiliac joint" in text
    assert "facet joints" in arthritis["image_alt"] or "facet" in arthritis["meta_description"]


def test_inflammatory_arthritis_is_a_type_that_needs_a_doctor_not_a_cause():
    arthritis = condition("arthritis")
    assert not any("inflammatory" in cause.lower() for cause in arthritis["causes"])
    body = re.sub(r"\s+", " ", arthritis["body"])
    assert "inflammatory arthritis" in body
    assert re.search(r"inflammatory arthritis[^.]*\. [^.]*doctor", body)


def test_spinal_stenosis_names_thickened_ligaments_and_no_circular_cause():
    causes = [cause.lower() for cause in condition("spinal-stenosis")["causes"]]
    assert any(cause.startswith("thickened ligaments") for cause in causes)
    assert not any("narrow" in cause for cause in causes)


def test_a_herniated_disk_does_not_break_open():
    disks = condition("herniated-disks")
    text = words(disks)
    assert "breaks" not in text and "bulges open" not in text and "breaks open" not in text
    assert "soft center pushes out through a weak spot or tear in the tough outer layer" in text


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("muscle-spasms", "sudden tightening of a muscle"),
        ("arthritis", "facet joints"),
        ("herniated-disks", "pushes out through a weak spot or tear"),
        ("spinal-stenosis", "Thickened ligaments"),
    ],
)
def test_the_pages_show_the_corrected_texts(starting_content, slug, expected):
    page = Client().get(f"/conditions/{slug}/").content.decode()
    assert expected in re.sub(r"\s+", " ", page)
