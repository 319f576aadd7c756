"""A clinic of three practitioners and two kinds of visit, for the patient's pages: a first
visit (new patients) and a follow-up, both an hour on the hour; Ana and Ben offer both,
Cleo only follow-ups; all three work 9:00–17:00 every day."""

import datetime
from dataclasses import dataclass

from booking.models import PractitionerDiary, TreatmentType, WorkingHours
from booking.tests.factories import PractitionerDiaryFactory, TreatmentTypeFactory
from clinic.models import Practitioner
from clinic.tests.factories import PractitionerFactory


@dataclass(frozen=True)
class ThreePractitioners:
    first_visit: TreatmentType
    follow_up: TreatmentType
    ana: Practitioner
    ben: Practitioner
    cleo: Practitioner


def three_practitioners() -> ThreePractitioners:
    """Call after open_every_day: replaces its one practitioner and treatment."""
    TreatmentType.objects.update(is_active=False)
    PractitionerDiary.objects.update(takes_bookings=False)
    first_visit = TreatmentTypeFactory(
        name="First visit",
        description="A talk about your back and your health, then treatment.",
        minutes=60,
        buffer_minutes=0,
        for_new_patients=True,
        position=0,
    )
    follow_up = TreatmentTypeFactory(
        name="Follow-up",
        description="Treatment for patients we have seen before.",
        minutes=60,
        buffer_minutes=0,
        for_new_patients=False,
        position=1,
    )
    people = []
    for position, (name, types) in enumerate(
        [("Ana Diaz", [first_visit, follow_up]), ("Ben Okafor", [first_visit, follow_up]),
         ("Cleo Park", [follow_up])]
    ):  # fmt: skip
        diary = PractitionerDiaryFactory(
            practitioner=PractitionerFactory(name=name, credentials=""), position=position
        )
        diary.treatment_types.set(types)
        WorkingHours.objects.bulk_create(
            WorkingHours(diary=diary, weekday=day, starts=datetime.time(9), ends=datetime.time(17))
            for day in range(7)
        )
        people.append(diary.practitioner)
    return ThreePractitioners(first_visit, follow_up, *people)
