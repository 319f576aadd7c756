"""Which returning patient this browser is, for a short while after they used their link: a
signed cookie holding only the link's id, sent to the booking pages (never to others), so
their page and the booking form can fill in their details without any in an address."""

import datetime

from django.http import HttpRequest, HttpResponse

from booking.cookies import PrivateCookie
from booking.returning import PAGE_LIFETIME, SignInLink, returning_details

# /book/: their page and the form under it.
PAGE = PrivateCookie(
    "booking_returning",
    "booking.returning-page",
    "booking:request",
    int(PAGE_LIFETIME.total_seconds()),
)


def remember_returning_patient(response: HttpResponse, link: SignInLink) -> None:
    """After the link is used: the browser keeps its id while the patient's page is open."""
    PAGE.give(response, link.pk)


def returning_link(request: HttpRequest, now: datetime.datetime) -> SignInLink | None:
    """The link this browser's returning patient used, while their page is open."""
    link_id = PAGE.read(request)
    link = SignInLink.objects.filter(pk=link_id).first() if link_id else None
    return link if link is not None and link.page_is_open(now) else None


def returning_patient_details(request: HttpRequest, now: datetime.datetime) -> dict[str, str]:
    """What the booking form fills in for a returning patient who used their link (their
    name, e-mail and phone, "been here before"); nothing for anyone else."""
    link = returning_link(request, now)
    return returning_details(link.email) if link else {}


def address_verified_at(
    request: HttpRequest, email: str, now: datetime.datetime
) -> datetime.datetime | None:
    """`now` when this browser's returning patient used a link sent to `email` (their new
    request's address is then theirs, as their old ones' are), else None."""
    link = returning_link(request, now)
    if link is None or link.email.casefold() != email.casefold():
        return None
    return now
