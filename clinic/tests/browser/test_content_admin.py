"""What a content editor sees in a real browser at a laptop's 1366 × 900: every list of the
content they edit fits beside the admin's menu and filters, its last column included."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from clinic.roles import CONTENT_EDITORS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDITOR, PASSWORD = "editor", "a-long-test-password-for-editors"
CHANGELISTS = [
    "conditions_condition",
    "clinic_page",
    "clinic_practitioner",
    "clinic_question",
    "clinic_urgentcaresign",
]

# How far the results table reaches past the box the admin gives it (0 when it fits).
OVERFLOW = """() => {
  const box = document.querySelector("#changelist .results");
  const table = document.querySelector("#result_list");
  const lastHeader = table.querySelector("thead th:last-child");
  return {
    hidden: box.scrollWidth - box.clientWidth,
    pastBox: table.getBoundingClientRect().right - box.getBoundingClientRect().right,
    lastColumnRight: lastHeader.getBoundingClientRect().right,
    boxRight: box.getBoundingClientRect().right,
    page: document.documentElement.scrollWidth - window.innerWidth,
  };
}"""


@pytest.fixture
def editor_tab(open_tab, django_user_model, open_every_day):
    editor = django_user_model.objects.create_user(EDITOR, password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name=CONTENT_EDITORS))
    tab = open_tab("desktop")
    tab.page.goto(reverse("admin:login"))
    tab.page.get_by_label("Username").fill(EDITOR)
    tab.page.get_by_label("Password").fill(PASSWORD)
    tab.page.get_by_role("button", name="Log in").click()
    tab.page.wait_for_load_state("load")
    return tab


@pytest.mark.parametrize("changelist", CHANGELISTS)
def test_content_lists_fit_a_1366_pixel_screen(editor_tab, changelist):
    page = editor_tab.page
    page.goto(reverse(f"admin:{changelist}_changelist"))
    assert page.locator("#result_list tbody tr").count() > 0
    sizes = page.evaluate(OVERFLOW)
    assert sizes["hidden"] <= 0, sizes
    assert sizes["pastBox"] <= 0.5, sizes
    assert sizes["lastColumnRight"] <= sizes["boxRight"] + 0.5, sizes
    assert sizes["page"] <= 0, sizes
    assert not editor_tab.problems(), editor_tab.problems()
