"""Load the clinic's starting content: profile, hours, conditions, pages, a sample practitioner
and their diary, the treatment types, the urgent-care signs and the questions page.

Each piece is loaded once, and a fingerprint of what it then held is remembered. Running the
command again changes nothing, except that a later release's corrected text replaces a piece
that still holds exactly what was loaded. A piece staff have edited or deleted since is never
touched again: it is neither overwritten nor recreated.
"""

import datetime
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management.base import BaseCommand
from django.db import transaction

from booking.models import PractitionerDiary, TreatmentType, WorkingHours
from clinic import starting_content as content
from clinic.cache import public_pages_changed
from clinic.models import (
    ClinicProfile,
    OpeningHours,
    Page,
    Practitioner,
    Question,
    StartingContentRecord,
    UrgentCareSign,
)
from clinic.roles import ensure_groups
from conditions.models import Cause, Condition

PROFILE_FIELDS = (
    "name", "tagline", "intro", "phone", "email",
    "street_address", "locality", "region", "postal_code", "country",
)  # fmt: skip
CONDITION_FIELDS = (
    "name", "slug", "summary", "body", "acupuncture_help", "illustration",
    "image_alt", "seo_title", "meta_description",
)  # fmt: skip
PAGE_FIELDS = ("title", "slug", "seo_title", "meta_description", "body")
PRACTITIONER_FIELDS = ("name", "credentials", "bio")
TREATMENT_TYPE_FIELDS = ("name", "description", "minutes", "buffer_minutes", "for_new_patients")
MARKDOWN_FIELDS = {"body", "acupuncture_help", "answer", "text"}

LOADED, UPDATED, KEPT = "loaded", "updated", "kept"


def fingerprint(value) -> str:
    """What a piece holds, as a short stable digest."""
    text = json.dumps(normalised(value), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def normalised(value):
    """The same value with Unix line endings: a text saved unchanged in the admin (browsers
    send CRLF) is not an edit."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n")
    if isinstance(value, dict):
        return {key: normalised(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [normalised(item) for item in value]
    return value


def unwrapped(markdown: str) -> str:
    """Markdown as an editor types it, each paragraph and list item on one line: the starting
    content is wrapped for reading in the source, which would leave ragged lines in the
    admin's text boxes. Renders to the same HTML."""
    lines: list[str] = []
    for line in markdown.splitlines():
        starts_a_block = not line.strip() or re.match(r"\s*(#|- |\d+\. )", line)
        joins = lines and lines[-1].strip() and not lines[-1].lstrip().startswith("#")
        if joins and not starts_a_block:
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    return "\n".join(lines)


def as_typed(data: dict) -> dict:
    """A piece's data with its Markdown texts unwrapped (see `unwrapped`)."""
    return {key: unwrapped(v) if key in MARKDOWN_FIELDS else v for key, v in data.items()}


def save_fields(instance, values: dict) -> None:
    """Write the values through save(), so `updated_at` (sitemap, ETag) moves too."""
    for field, value in values.items():
        setattr(instance, field, value)
    instance.save()


@dataclass(frozen=True)
class Piece:
    """One piece of starting content: what the starting content says (`wanted`), what the
    database holds now (`stored`, in the same shape; None when there is nothing), and how
    to write it the first time and later."""

    key: str
    wanted: object
    stored: Callable[[], object]
    create: Callable[[], None]
    update: Callable[[], None]


class Command(BaseCommand):
    help = "Load the clinic's starting content (idempotent; never overwrites staff edits)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            ensure_groups()
            outcomes = [(piece.key, sync(piece)) for piece in pieces()]
        changed = {LOADED: [], UPDATED: [], KEPT: []}
        for key, outcome in outcomes:
            if outcome:
                changed[outcome].append(key)
        if changed[LOADED] or changed[UPDATED]:
            public_pages_changed()
        if options["verbosity"] == 0:
            return
        if changed[LOADED]:
            self.stdout.write(
                self.style.SUCCESS(f"Loaded starting content: {', '.join(changed[LOADED])}.")
            )
        if changed[UPDATED]:
            self.stdout.write(
                self.style.SUCCESS(f"Updated starting content: {', '.join(changed[UPDATED])}.")
            )
        if changed[KEPT]:
            self.stdout.write(
                f"Kept as staff edited them (newer starting text not applied): "
                f"{', '.join(changed[KEPT])}."
            )
        if not (changed[LOADED] or changed[UPDATED]):
            self.stdout.write("Starting content already loaded; nothing changed.")


def sync(piece: Piece) -> str | None:
    """Load a piece the first time; later, update it only while it still holds exactly what
    was loaded (or, for sites loaded before fingerprints were kept, the first release's text)."""
    record, first_time = StartingContentRecord.objects.get_or_create(key=piece.key)
    wanted = fingerprint(piece.wanted)
    stored = piece.stored()
    if stored is None:
        if not first_time:
            return None  # deleted by staff: never recreated
        piece.create()
        record.fingerprint = wanted
        record.save(update_fields=["fingerprint"])
        return LOADED
    now = fingerprint(stored)
    loaded = record.fingerprint or content.FIRST_RELEASE_FINGERPRINTS.get(piece.key, "")
    if now == wanted:
        outcome = None
    elif now == loaded:
        piece.update()
        outcome = UPDATED
    else:  # edited by staff, or never ours: left alone
        return KEPT if loaded and loaded != wanted else None
    if record.fingerprint != wanted:
        record.fingerprint = wanted
        record.save(update_fields=["fingerprint"])
    return outcome


def pieces() -> list[Piece]:
    return [
        profile_piece(),
        home_section_piece("home page evidence", "evidence", content.EVIDENCE),
        home_section_piece("home page approach", "approach", content.INDIVIDUAL_CARE),
        hours_piece(),
        practitioner_piece(),
        *(treatment_type_piece(data) for data in content.TREATMENT_TYPES),
        sample_diary_piece(),
        urgent_care_piece(),
        questions_piece(),
        *(condition_piece(data) for data in content.CONDITIONS),
        *(page_piece(data) for data in content.PAGES),
    ]


# -- the clinic ---------------------------------------------------------------------------


def profile_piece() -> Piece:
    wanted = {field: content.CLINIC[field] for field in PROFILE_FIELDS}

    def stored():
        return ClinicProfile.objects.order_by("pk").values(*PROFILE_FIELDS).first()

    return Piece(
        "clinic profile",
        wanted,
        stored,
        create=lambda: ClinicProfile.objects.create(**wanted),
        update=lambda: save_fields(ClinicProfile.objects.order_by("pk").first(), wanted),
    )


def home_section_piece(key: str, section: str, data: dict) -> Piece:
    """A home-page section kept in the clinic profile (its heading and Markdown text)."""
    heading, text = f"{section}_heading", f"{section}_text"
    data = as_typed(data)
    wanted = {"heading": data["heading"], "text": data["text"]}

    def stored():
        row = ClinicProfile.objects.order_by("pk").values(heading, text).first()
        if not row or not row[text]:
            return None
        return {"heading": row[heading], "text": row[text]}

    def write():
        profile = ClinicProfile.objects.order_by("pk").first()
        save_fields(profile, {heading: data["heading"], text: data["text"]})

    return Piece(key, wanted, stored, create=write, update=write)


def hours_piece() -> Piece:
    wanted = [list(hours) for hours in content.HOURS]

    def stored():
        rows = [
            [hours.weekday, f"{hours.opens:%H:%M}", f"{hours.closes:%H:%M}"]
            for hours in OpeningHours.objects.order_by("weekday", "opens")
        ]
        return rows or None

    def create():
        OpeningHours.objects.bulk_create(
            OpeningHours(
                weekday=weekday,
                opens=datetime.time.fromisoformat(opens),
                closes=datetime.time.fromisoformat(closes),
            )
            for weekday, opens, closes in content.HOURS
        )

    def update():
        OpeningHours.objects.all().delete()
        create()

    return Piece("opening hours", wanted, stored, create, update)


def practitioner_piece() -> Piece:
    wanted = {field: content.PRACTITIONER[field] for field in PRACTITIONER_FIELDS}
    samples = Practitioner.objects.filter(is_sample=True).order_by("pk")

    return Piece(
        "sample practitioner",
        wanted,
        stored=lambda: samples.values(*PRACTITIONER_FIELDS).first(),
        create=lambda: Practitioner.objects.create(**wanted, is_sample=True),
        update=lambda: save_fields(samples.first(), wanted),
    )


def treatment_type_piece(data: dict) -> Piece:
    wanted = {field: data[field] for field in TREATMENT_TYPE_FIELDS}
    types = TreatmentType.objects.filter(name=data["name"])
    position = [t["name"] for t in content.TREATMENT_TYPES].index(data["name"]) + 1

    return Piece(
        f"treatment type {data['name']}",
        wanted,
        stored=lambda: types.values(*TREATMENT_TYPE_FIELDS).first(),
        create=lambda: TreatmentType.objects.create(**wanted, position=position),
        update=lambda: save_fields(types.get(), wanted),
    )


def sample_diary_piece() -> Piece:
    """The sample practitioner's diary as one piece: its hours, types and patients at once."""
    wanted = {
        **content.SAMPLE_DIARY,
        "hours": [list(hours) for hours in content.HOURS],
        "treatment_types": sorted(data["name"] for data in content.TREATMENT_TYPES),
    }

    def diary() -> PractitionerDiary | None:
        sample = Practitioner.objects.filter(is_sample=True).order_by("pk").first()
        return PractitionerDiary.objects.filter(practitioner=sample).first() if sample else None

    def stored():
        found = diary()
        if found is None:
            return None
        hours = found.working_hours.order_by("weekday", "starts")
        return {
            "patients_at_once": found.patients_at_once,
            "hours": [[h.weekday, f"{h.starts:%H:%M}", f"{h.ends:%H:%M}"] for h in hours],
            "treatment_types": sorted(found.treatment_types.values_list("name", flat=True)),
        }

    def write(found: PractitionerDiary) -> None:
        found.patients_at_once = content.SAMPLE_DIARY["patients_at_once"]
        found.save()
        found.working_hours.all().delete()
        WorkingHours.objects.bulk_create(
            WorkingHours(
                diary=found,
                weekday=weekday,
                starts=datetime.time.fromisoformat(starts),
                ends=datetime.time.fromisoformat(ends),
            )
            for weekday, starts, ends in content.HOURS
        )
        found.treatment_types.set(TreatmentType.objects.filter(name__in=wanted["treatment_types"]))

    def create():
        sample = Practitioner.objects.filter(is_sample=True).order_by("pk").first()
        if sample:  # staff deleted the sample practitioner: no diary to give it
            write(PractitionerDiary(practitioner=sample))

    return Piece(
        "sample practitioner's diary", wanted, stored, create, update=lambda: write(diary())
    )


def urgent_care_piece() -> Piece:
    """The signs as one list: staff adding, removing or rewording any of them is an edit."""
    wanted = [[level, text] for level, text in content.URGENT_CARE_SIGNS]

    def stored():
        signs = UrgentCareSign.objects.order_by("level", "order", "pk").values_list("level", "text")
        return [list(sign) for sign in signs] or None

    def create():
        UrgentCareSign.objects.bulk_create(
            UrgentCareSign(level=level, text=text, order=number)
            for number, (level, text) in enumerate(content.URGENT_CARE_SIGNS, start=1)
        )

    def update():
        UrgentCareSign.objects.all().delete()
        create()

    return Piece("urgent-care signs", wanted, stored, create, update)


def questions_piece() -> Piece:
    """The questions page as one list, like the urgent-care signs (unpublishing one is an
    edit too)."""
    questions = [as_typed(question) for question in content.QUESTIONS]
    wanted = [[q["question"], q["answer"], True] for q in questions]

    def stored():
        in_order = Question.objects.order_by("order", "pk")
        rows = in_order.values_list("question", "answer", "is_published")
        return [list(row) for row in rows] or None

    def create():
        Question.objects.bulk_create(
            Question(question=q["question"], answer=q["answer"], order=number)
            for number, q in enumerate(questions, start=1)
        )

    def update():
        Question.objects.all().delete()
        create()

    return Piece("questions", wanted, stored, create, update)


# -- conditions and pages -----------------------------------------------------------------


def condition_piece(data: dict) -> Piece:
    data = as_typed(data)
    slug = data["slug"]
    wanted = {field: data[field] for field in CONDITION_FIELDS}
    wanted |= {"causes": list(data["causes"]), "reviewed_on": data["reviewed_on"]}

    def stored():
        fields = (*CONDITION_FIELDS, "reviewed_on", "pk")
        condition = Condition.objects.filter(slug=slug).values(*fields).first()
        if condition is None:
            return None
        causes = Cause.objects.filter(condition_id=condition.pop("pk")).order_by("order", "pk")
        reviewed_on = condition.pop("reviewed_on")
        return condition | {
            "causes": list(causes.values_list("text", flat=True)),
            "reviewed_on": reviewed_on.isoformat() if reviewed_on else None,
        }

    def wanted_fields() -> dict:
        return {field: data[field] for field in CONDITION_FIELDS}

    def create():
        condition = Condition.objects.create(
            **wanted_fields(),
            order=[c["slug"] for c in content.CONDITIONS].index(slug) + 1,
            is_published=True,
            reviewed_on=datetime.date.fromisoformat(data["reviewed_on"]),
            reviewed_by=Practitioner.objects.filter(is_sample=True).first(),
        )
        add_causes(condition)

    def update():
        condition = Condition.objects.get(slug=slug)
        reviewed_on = datetime.date.fromisoformat(data["reviewed_on"])
        save_fields(condition, {**wanted_fields(), "reviewed_on": reviewed_on})
        condition.causes.all().delete()
        add_causes(condition)

    def add_causes(condition: Condition) -> None:
        Cause.objects.bulk_create(
            Cause(condition=condition, text=text, order=number)
            for number, text in enumerate(data["causes"], start=1)
        )

    return Piece(f"condition {slug}", wanted, stored, create, update)


def page_piece(data: dict) -> Piece:
    data = as_typed(data)
    wanted = {field: data[field] for field in PAGE_FIELDS}
    pages = Page.objects.filter(slug=data["slug"])

    return Piece(
        f"page {data['slug']}",
        wanted,
        stored=lambda: pages.values(*PAGE_FIELDS).first(),
        create=lambda: Page.objects.create(**wanted, is_published=True),
        update=lambda: save_fields(pages.get(), wanted),
    )
