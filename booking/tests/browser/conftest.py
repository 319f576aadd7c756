"""What the booking app's browser tests share: a tab signed in to the admin, and the quality
suite's watched tabs (`open_tab`, `page_problems`) for the patient's pages.

Every browser context here (and `browser.new_context(...)` in a test) starts with the red-flag
check's "checked" cookie: see the root conftest.py (`safety_check_done_in_browsers`)."""

import pytest
from django.contrib.auth.models import Group

from clinic.roles import FRONT_DESK
from clinic.tests.browser.conftest import (  # noqa: F401 (the watched tabs, for booking's pages)
    CSP_LISTENER,
    open_tab,
    page_problems,
)

DESK, PASSWORD = "desk", "a-long-test-password-for-the-desk"


@pytest.fixture
def signed_in(browser, site_server):
    """`signed_in(username)`: a tab signed in through the admin's login page as that user
    (password PASSWORD), at a laptop's width, recording CSP violations; closed after."""
    contexts = []

    def sign_in(username: str):
        context = browser.new_context(
            base_url=site_server, viewport={"width": 1366, "height": 900}, locale="en-US"
        )
        contexts.append(context)
        context.add_init_script(CSP_LISTENER)
        page = context.new_page()
        page.goto("/admin/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        return page

    yield sign_in
    for context in contexts:
        context.close()


@pytest.fixture
def front_desk_user(django_user_model):
    """A member of the front desk group, signing in as DESK with PASSWORD. The group comes
    with the starting content: ask for the data fixtures before this one."""
    user = django_user_model.objects.create_user(DESK, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=FRONT_DESK))
    return user
