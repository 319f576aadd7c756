from django.conf import settings
from django.utils.functional import SimpleLazyObject

from clinic.models import ClinicProfile, OpeningHours


def clinic(request) -> dict:
    """The clinic's details for the header, footer and structured data of every page.

    Lazy, so a response that shows none of it (a redirect, robots.txt) runs no query.
    """
    return {
        "clinic": SimpleLazyObject(ClinicProfile.load),
        "opening_week": SimpleLazyObject(OpeningHours.objects.week),
        "canonical_url": settings.SITE_URL + request.path,
        "site_url": settings.SITE_URL,
    }
