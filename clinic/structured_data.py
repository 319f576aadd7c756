"""schema.org JSON-LD for search engines, built from the same data the pages show."""

from collections.abc import Iterable

from django.conf import settings
from django.templatetags.static import static

from clinic.models import ClinicProfile, Closure, DaySchedule, Weekday

SCHEMA = "https://schema.org"
CLINIC_ID = "/#clinic"


def absolute(path: str) -> str:
    return path if path.startswith("http") else settings.SITE_URL + path


def medical_clinic(
    clinic: ClinicProfile, week: Iterable[DaySchedule], closures: Iterable[Closure] = ()
) -> dict:
    """The clinic, its address, contact and opening hours, and the days it is closed."""
    return {
        "@context": SCHEMA,
        "@type": "MedicalClinic",
        "@id": absolute(CLINIC_ID),
        "name": clinic.name,
        "description": clinic.intro,
        "url": absolute("/"),
        "telephone": clinic.phone,
        "email": clinic.email,
        "image": absolute(static("img/og-image.png")),
        "logo": absolute(static("img/logo.svg")),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": clinic.street_address,
            "addressLocality": clinic.locality,
            "addressRegion": clinic.region,
            "postalCode": clinic.postal_code,
            "addressCountry": clinic.country,
        },
        "availableService": {"@type": "MedicalTherapy", "name": "Acupuncture"},
        "openingHoursSpecification": [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": f"{SCHEMA}/{Weekday(day.weekday).name.title()}",  # never translated
                "opens": f"{hours.opens:%H:%M}",
                "closes": f"{hours.closes:%H:%M}",
            }
            for day in week
            for hours in day.ranges
        ],
        "specialOpeningHoursSpecification": [
            {
                "@type": "OpeningHoursSpecification",
                "validFrom": closure.start_date.isoformat(),
                "validThrough": closure.end_date.isoformat(),
                "opens": "00:00",
                "closes": "00:00",  # schema.org's way of saying "closed all day"
                "description": closure.reason,
            }
            for closure in closures
        ],
    }


def condition_page(condition, clinic: ClinicProfile, url: str) -> dict:
    """A condition's page: reviewed by whom and when, about which condition and its causes."""
    data = {
        "@context": SCHEMA,
        "@type": "MedicalWebPage",
        "name": condition.page_title,
        "description": condition.description,
        "url": url,
        "inLanguage": "en-US",
        "audience": {"@type": "PeopleAudience", "audienceType": "Patient"},
        "publisher": {"@type": "MedicalClinic", "@id": absolute(CLINIC_ID), "name": clinic.name},
        "about": {
            "@type": "MedicalCondition",
            "name": condition.name,
            "description": condition.summary,
            "cause": [{"@type": "MedicalCause", "name": c.text} for c in condition.causes.all()],
            "possibleTreatment": {"@type": "MedicalTherapy", "name": "Acupuncture"},
        },
        "image": absolute(condition.display_picture.src),
        "dateModified": condition.updated_at.isoformat(),
    }
    if condition.reviewed_on:
        data["lastReviewed"] = condition.reviewed_on.isoformat()
    if condition.reviewed_by:
        data["reviewedBy"] = {
            "@type": "Person",
            "name": condition.reviewed_by.name,
            "honorificSuffix": condition.reviewed_by.credentials,
        }
    return data


def faq_page(questions: Iterable, url: str) -> dict:
    """The questions page: each question with the clinic's answer (sanitised HTML)."""
    return {
        "@context": SCHEMA,
        "@type": "FAQPage",
        "url": url,
        "inLanguage": "en-US",
        "mainEntity": [
            {
                "@type": "Question",
                "name": question.question,
                "acceptedAnswer": {"@type": "Answer", "text": str(question.answer_html)},
            }
            for question in questions
        ],
    }


def breadcrumb_list(trail: list[tuple[str, str]]) -> dict:
    """The breadcrumb trail: (name, path) pairs from the home page to this page."""
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": number, "name": name, "item": absolute(path)}
            for number, (name, path) in enumerate(trail, start=1)
        ],
    }
