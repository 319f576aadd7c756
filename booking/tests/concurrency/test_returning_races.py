"""A sign-in link opened by many clicks at once (a double click, a scanner and the patient):
used exactly once. Real threads on their own connections, on SQLite (a file) and, with
DATABASE_URL, on PostgreSQL."""

import pytest
from django.test import Client
from django.utils import timezone

from booking.models import SignInLink
from booking.services.returning import sign_in_link_use
from booking.tests.concurrency.racing import THREADS, race

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_clicks_on_one_link_use_it_once():
    link = SignInLink.new(email="maria@example.com", language="en", now=timezone.now())
    link.save()
    token = link.token

    def click(_i: int) -> int:
        return Client().post(f"/book/link/{token}/").status_code

    results, errors = race(click)
    assert errors == [None] * THREADS
    assert sorted(results) == [302] + [410] * (THREADS - 1)
    assert SignInLink.objects.get().used_at is not None
    assert sign_in_link_use(token=token, now=timezone.now()) is None
