"""The practitioner's calendar feed, as their phone's calendar fetches it."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from booking.feed_calendar import feed_ics
from booking.feeds import feed_for_token
from clinic.models import ClinicProfile


@never_cache
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed of a live token; the site's plain 404 for any other (unknown, revoked or
    malformed alike). Never stored by a cache on the way (no-store): it names patients, a
    phone polls it only every 15 minutes anyway, and a revoked link must stop at once."""
    feed = feed_for_token(token)
    if feed is None:
        raise Http404
    now = timezone.now()
    feed.note_fetch(now)
    response = HttpResponse(
        feed_ics(feed, ClinicProfile.load(), now), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="visits.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
