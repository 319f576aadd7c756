"""Fixtures shared by every app's tests."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from clinic.roles import CONTENT_EDITORS


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads and renditions go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def starting_content(db):
    """The clinic's starting content, as `make run` loads it."""
    call_command("load_clinic_content", verbosity=0)


@pytest.fixture
def content_editor(db, django_user_model, starting_content):
    user = django_user_model.objects.create_user("editor", is_staff=True)
    user.groups.add(Group.objects.get(name=CONTENT_EDITORS))
    return user


@pytest.fixture
def editor_client(client, content_editor):
    client.force_login(content_editor)
    return client
