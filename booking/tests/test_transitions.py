"""The transition table: every reader of a request's status changes takes its rules from it."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from booking import emails
from booking.admin.steps import SERVICE_OF
from booking.models import NotificationKind, NotificationStatus, Status
from booking.tests.factories import AppointmentRequestFactory, NotificationFactory, at
from booking.transitions import (
    STAFF_TRANSITIONS,
    TRANSITIONS,
    Timing,
    TransitionNotAllowed,
    Who,
    email_still_true,
    transitions_allowed,
)

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def test_every_staff_change_has_its_service_its_button_and_its_list_action():
    assert SERVICE_OF.keys() == STAFF_TRANSITIONS.keys()
    for transition in STAFF_TRANSITIONS.values():
        assert transition.label and transition.bulk_label and transition.done


def test_no_template_compares_status_strings():
    templates = Path(settings.BASE_DIR, "templates").rglob("*.html")
    offenders = [t.name for t in templates if "status ==" in t.read_text() or "status !=" in
                 t.read_text()]  # fmt: skip
    assert offenders == []


@pytest.mark.parametrize(
    ("status", "starts_in", "offered"),
    [
        (Status.REQUESTED, HOUR, ["confirm", "decline"]),
        (Status.REQUESTED, -HOUR, ["decline"]),
        (Status.CONFIRMED, HOUR, ["arrive", "cancel_by_clinic"]),
        (Status.CONFIRMED, 48 * HOUR, ["cancel_by_clinic"]),
        (Status.CONFIRMED, -HOUR, ["complete", "no_show"]),
        (Status.ARRIVED, -HOUR / 4, ["complete", "no_show"]),
        (Status.CANCELLED, HOUR, []),
    ],
)
def test_the_changes_allowed_follow_the_table(status, starts_in, offered):
    now = at(timezone.localdate(), "12:00")  # a visit an hour away is the same day
    appointment = AppointmentRequestFactory.build(status=status, starts_at=now + starts_in)
    assert [t.name for t in transitions_allowed(appointment, now)] == offered


def test_the_patient_may_cancel_only_until_the_cut_off():
    now = timezone.now()
    cancel = TRANSITIONS["cancel"]
    assert cancel.who is Who.PATIENT and cancel.timing is Timing.BEFORE_CUTOFF
    appointment = AppointmentRequestFactory.build(starts_at=now + 23 * HOUR)
    assert not cancel.is_allowed(appointment, now, cutoff_hours=24)
    with pytest.raises(TransitionNotAllowed, match="closes 24 hours before the visit"):
        cancel.check(appointment, now, cutoff_hours=24)
    assert cancel.is_allowed(appointment, now, cutoff_hours=23)


def test_an_email_is_true_only_in_the_state_its_change_led_to():
    appointment = AppointmentRequestFactory.build(status=Status.DECLINED)
    assert email_still_true(NotificationKind.DECLINED, appointment, 0)
    assert not email_still_true(NotificationKind.CANCELLED, appointment, 0)
    assert email_still_true(NotificationKind.REQUEST_RECEIVED, appointment, 0)


def test_a_confirmation_for_an_earlier_time_of_the_visit_is_no_longer_true():
    appointment = AppointmentRequestFactory.build(status=Status.CONFIRMED, sequence=1)
    assert not email_still_true(NotificationKind.CONFIRMED, appointment, 0)
    assert email_still_true(NotificationKind.CONFIRMED, appointment, 1)


def test_a_moved_visit_is_owed_a_new_confirmation_and_the_old_one_is_not_sent(mailoutbox):
    appointment = AppointmentRequestFactory(status=Status.CONFIRMED)
    old = NotificationFactory(appointment=appointment, kind=NotificationKind.CONFIRMED)
    appointment.sequence = 1  # the visit moved before its first confirmation went out
    appointment.save()
    new = NotificationFactory(
        appointment=appointment, kind=NotificationKind.CONFIRMED, visit_sequence=1
    )

    assert emails.send_email(old.pk) == NotificationStatus.SKIPPED
    assert emails.send_email(new.pk) == NotificationStatus.SENT
    assert len(mailoutbox) == 1
