from django.conf import settings
from django.utils.functional import SimpleLazyObject

from clinic.cache import content_version, site_details


def clinic(request) -> dict:
    """The clinic's details for the header, footer and structured data of every page.

    From the cache (refreshed whenever staff change them), and lazy, so a response that
    shows none of it (a redirect, robots.txt) does no work for it.
    """
    details = SimpleLazyObject(site_details)
    return {
        "clinic": SimpleLazyObject(lambda: details[0]),
        "opening_week": SimpleLazyObject(lambda: details[1]),
        "canonical_url": settings.SITE_URL + request.path,
        "site_url": settings.SITE_URL,
        "content_version": SimpleLazyObject(content_version),  # for {% cache %} fragments
    }
