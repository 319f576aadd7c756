import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError

from conditions.models import Condition
from conditions.tests.factories import ConditionFactory

pytestmark = pytest.mark.django_db


def test_published_leaves_out_drafts():
    shown = ConditionFactory(is_published=True)
    ConditionFactory(is_published=False)
    assert list(Condition.objects.published()) == [shown]
    assert list(Condition.objects.visible_to(AnonymousUser())) == [shown]


def test_conditions_are_ordered_by_order_then_name():
    third = ConditionFactory(name="A", order=3)
    first = ConditionFactory(name="Z", order=1)
    second = ConditionFactory(name="B", order=1)
    assert list(Condition.objects.all()) == [second, first, third]


def test_slug_is_unique_and_gives_the_address():
    condition = ConditionFactory(slug="sciatica")
    assert condition.get_absolute_url() == "/conditions/sciatica/"
    with pytest.raises(IntegrityError):
        ConditionFactory(slug="sciatica")


def test_without_a_photo_the_page_shows_the_drawing_with_its_description():
    condition = ConditionFactory(illustration="arthritis", image_alt="")
    picture = condition.display_picture
    assert picture.is_illustration
    assert picture.src.endswith(".svg")
    assert "arthritis" in picture.src
    assert picture.alt == "Drawing: sacroiliac joint"
    assert (picture.width, picture.height) == (640, 480)


def test_title_and_description_fall_back_to_name_and_summary():
    condition = ConditionFactory(name="Sciatica", summary="Nerve pain.", seo_title="")
    assert condition.page_title == "Sciatica: acupuncture for back pain"
    assert condition.description == "Nerve pain."
    condition.seo_title, condition.meta_description = "Custom", "Custom description"
    assert (condition.page_title, condition.description) == ("Custom", "Custom description")
