"""Superusers issuing a practitioner's feed link at the same moment (a double click, two
tabs): each gets a link, the practitioner is left with exactly one live one, and it is the
last link issued. Real threads on their own connections, on SQLite (a file) and, with
DATABASE_URL, on PostgreSQL."""

import pytest

from booking.feeds import CalendarFeed, feed_for_token, feed_issue
from booking.tests.concurrency.racing import kinds, race
from clinic.tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_links_issued_at_once_leave_one_live_feed(django_user_model):
    practitioner = PractitionerFactory()
    boss = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-12345678")

    tokens, errors = race(lambda _i: feed_issue(practitioner=practitioner, by=boss), threads=8)

    assert kinds(errors) == {}
    live = [token for token in tokens if feed_for_token(token) is not None]
    assert len(live) == 1
    assert CalendarFeed.objects.live().count() == 1 and CalendarFeed.objects.count() == 8
    assert CalendarFeed.objects.live().get().created_at == max(
        feed.created_at for feed in CalendarFeed.objects.all()
    )
