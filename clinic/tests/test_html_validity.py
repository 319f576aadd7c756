"""Every public page as served, and every e-mail's HTML, passes the Nu Html Checker (the W3C
validator, from the npm registry's vnu-jar) with zero errors. One JVM checks them all."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from booking.emails import build_email
from booking.models import Notification, NotificationKind, Status
from clinic.tests.public_pages import CONDITION_SLUGS, MANAGE_STATES, MISSING_PATH, appointment_in

pytestmark = [pytest.mark.htmlcheck, pytest.mark.django_db]

VNU_JAR = Path(django_settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
PAGES = {
    "home": "/",
    "conditions": "/conditions/",
    **{f"condition-{slug}": f"/conditions/{slug}/" for slug in CONDITION_SLUGS},
    "about": "/about/",
    "privacy": "/privacy/",
    "questions": "/questions/",
    "booking-form": "/book/",
}


def java_and_checker() -> list[str]:
    """The command that runs the checker; skips (or fails where required) without it."""
    java = shutil.which("java")
    missing = []
    if not java:
        missing.append("Java (apt-get install default-jre-headless)")
    if not VNU_JAR.exists():
        missing.append(f"the Nu Html Checker at {VNU_JAR} (npm ci)")
    if missing:
        message = f"The HTML check needs {' and '.join(missing)}"
        if os.environ.get("REQUIRE_HTML_CHECK"):
            pytest.fail(message)  # CI must never pass with the HTML check skipped
        pytest.skip(message)
    return [java, "-jar", str(VNU_JAR)]


def served(client, method: str, path: str, status: int, data=None, follow=False) -> str:
    response = getattr(client, method)(path, data, follow=follow)
    assert response.status_code == status, f"{method.upper()} {path}: {response.status_code}"
    return response.content.decode()


def public_documents(client, settings, request_data) -> dict[str, str]:
    """Each public page in each state a patient can see it in, as the site serves it."""
    documents = {name: served(client, "get", path, 200) for name, path in PAGES.items()}
    documents["booking-form-errors"] = served(client, "post", "/book/", 400, {"action": "request"})
    # The red-flag check before the form, and where each answer leads (in a browser of its
    # own: an emergency answer takes back the "checked" cookie).
    patient, check = Client(), "/book/check/"
    documents["safety-check"] = served(patient, "get", check, 200)
    documents["safety-check-unanswered"] = served(patient, "post", check, 400, {})
    same_day = {"emergency": "no", "today": "yes"}
    documents["safety-check-same-day"] = served(patient, "post", check, 200, same_day)
    emergency = {"emergency": "yes", "today": "no"}
    documents["safety-check-emergency"] = served(patient, "post", check, 200, emergency)
    for status, hh_mm in zip(MANAGE_STATES, ["11:00", "12:00", "13:00"], strict=True):
        token = appointment_in(status, hh_mm).manage_token
        documents[f"manage-{status}"] = served(
            client, "get", reverse("booking:manage", args=[token]), 200
        )
        documents[f"cancel-{status}"] = served(
            client, "get", reverse("booking:cancel", args=[token]), 200
        )
        if status != Status.CANCELLED:
            documents[f"change-{status}"] = served(
                client, "get", reverse("booking:change", args=[token]), 200
            )
    settings.BOOKING_RATE_LIMIT_PER_MINUTE = 0
    documents["too-many-requests"] = served(client, "post", "/book/", 429, request_data)
    documents["not-found"] = served(client, "get", MISSING_PATH, 404)
    return documents


def email_documents() -> dict[str, str]:
    """The HTML part of each kind of e-mail the site sends."""
    appointment = appointment_in(Status.CONFIRMED, "15:00")
    documents = {}
    for kind in NotificationKind.values:
        notification, _ = Notification.objects.get_or_create(
            appointment=appointment, kind=kind, defaults={"message": "Sorry, we are closed."}
        )
        email = build_email(notification)
        html = [content for content, mimetype in email.alternatives if mimetype == "text/html"]
        assert len(html) == 1, f"{kind} e-mail has {len(html)} HTML parts"
        documents[f"email-{kind}"] = html[0]
    return documents


def test_every_public_page_and_email_is_valid_html(
    client, settings, open_every_day, request_data, tmp_path
):
    command = java_and_checker()
    documents = public_documents(client, settings, request_data) | email_documents()
    files = []
    for name, html in documents.items():
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(str(path))
    checked = subprocess.run(  # noqa: S603  (our own fixed command line)
        [*command, "--errors-only", "--format", "json", "--stdout", *files],
        capture_output=True,
        text=True,
        timeout=180,
    )
    try:
        messages = json.loads(checked.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"The checker gave no report:\n{checked.stdout}\n{checked.stderr}")
    errors = [
        f"{Path(m.get('url', '?')).name}:{m.get('lastLine', '?')}: {m['message']}"
        f"\n    {m.get('extract', '').strip()}"
        for m in messages
        if m.get("type") in {"error", "non-document-error"}
    ]
    summary = f"{len(errors)} HTML error(s) in {len(files)} documents:\n"
    assert not errors, summary + "\n".join(errors)
