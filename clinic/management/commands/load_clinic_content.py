"""Load the clinic's starting content: profile, hours, conditions, pages, a sample practitioner.

Each piece is loaded once and remembered. Running the command again changes nothing, and it
never recreates or overwrites anything staff have since edited or deleted.
"""

import datetime
from collections.abc import Callable

from django.core.management.base import BaseCommand
from django.db import transaction

from clinic import starting_content as content
from clinic.cache import public_pages_changed
from clinic.models import (
    ClinicProfile,
    OpeningHours,
    Page,
    Practitioner,
    StartingContentRecord,
    UrgentCareSign,
)
from clinic.roles import ensure_groups
from conditions.models import Cause, Condition

# When the starting condition pages were written and checked.
CONTENT_REVIEWED_ON = datetime.date(2026, 11, 25)

PROFILE_FIELDS = (
    "name", "tagline", "intro", "phone", "email",
    "street_address", "locality", "region", "postal_code", "country",
)  # fmt: skip
CONDITION_FIELDS = (
    "name", "slug", "summary", "body", "acupuncture_help", "illustration",
    "image_alt", "seo_title", "meta_description",
)  # fmt: skip


class Command(BaseCommand):
    help = "Load the clinic's starting content (idempotent; never overwrites staff edits)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            ensure_groups()
            loaded = [key for key, load in self.pieces() if self.load_once(key, load)]
        if loaded:
            public_pages_changed()
        if options["verbosity"] == 0:
            return
        if loaded:
            self.stdout.write(self.style.SUCCESS(f"Loaded starting content: {', '.join(loaded)}."))
        else:
            self.stdout.write("Starting content already loaded; nothing changed.")

    def pieces(self) -> list[tuple[str, Callable[[], None]]]:
        pieces = [
            ("clinic profile", load_profile),
            ("opening hours", load_hours),
            ("sample practitioner", load_practitioner),
            ("urgent-care signs", load_urgent_care_signs),
        ]
        pieces += [
            (f"condition {c['slug']}", lambda c=c: load_condition(c)) for c in content.CONDITIONS
        ]
        pieces += [(f"page {p['slug']}", lambda p=p: load_page(p)) for p in content.PAGES]
        return pieces

    @staticmethod
    def load_once(key: str, load: Callable[[], None]) -> bool:
        _, created = StartingContentRecord.objects.get_or_create(key=key)
        if created:
            load()
        return created


def load_profile() -> None:
    if ClinicProfile.objects.exists():
        return
    ClinicProfile.objects.create(
        **{field: content.CLINIC[field] for field in PROFILE_FIELDS},
        evidence_heading=content.EVIDENCE["heading"],
        evidence_text=content.EVIDENCE["text"],
        approach_heading=content.INDIVIDUAL_CARE["heading"],
        approach_text=content.INDIVIDUAL_CARE["text"],
    )


def load_hours() -> None:
    if OpeningHours.objects.exists():
        return
    OpeningHours.objects.bulk_create(
        OpeningHours(
            weekday=weekday,
            opens=datetime.time.fromisoformat(opens),
            closes=datetime.time.fromisoformat(closes),
        )
        for weekday, opens, closes in content.HOURS
    )


def load_practitioner() -> None:
    Practitioner.objects.create(**content.PRACTITIONER, is_sample=True)


def load_urgent_care_signs() -> None:
    if UrgentCareSign.objects.exists():
        return
    UrgentCareSign.objects.bulk_create(
        UrgentCareSign(level=level, text=text, order=number)
        for number, (level, text) in enumerate(content.URGENT_CARE_SIGNS, start=1)
    )


def load_condition(data: dict) -> None:
    if Condition.objects.filter(slug=data["slug"]).exists():
        return
    condition = Condition.objects.create(
        **{field: data[field] for field in CONDITION_FIELDS},
        order=[c["slug"] for c in content.CONDITIONS].index(data["slug"]) + 1,
        is_published=True,
        reviewed_on=CONTENT_REVIEWED_ON,
        reviewed_by=Practitioner.objects.filter(is_sample=True).first(),
    )
    Cause.objects.bulk_create(
        Cause(condition=condition, text=text, order=number)
        for number, text in enumerate(data["causes"], start=1)
    )


def load_page(data: dict) -> None:
    if Page.objects.filter(slug=data["slug"]).exists():
        return
    Page.objects.create(**data, is_published=True)
