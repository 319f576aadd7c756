"""The front desk's bits of the admin's pages: clinic times, and the start page's panel."""

import datetime

from django import template
from django.utils import timezone

from booking.display import local_time
from booking.models import AppointmentRequest, BookingSettings, Status

register = template.Library()
register.filter("clinic_time", local_time)


@register.inclusion_tag("admin/booking/today.html", takes_context=True)
def front_desk_today(context) -> dict:
    """Today's confirmed visits (clinic time) and how many requests are waiting, for staff
    who may see requests; nothing at all for anyone else."""
    if not context["request"].user.has_perm("booking.view_appointmentrequest"):
        return {"show": False}
    today = timezone.localdate()
    # The day's bounds rather than starts_at__date: the index on (status, starts_at) then
    # reads today's visits alone, not every confirmed visit of the past years.
    midnight = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    next_midnight = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time())
    )
    requests = AppointmentRequest.objects
    return {
        "show": True,
        "today": today,
        "visits": requests.filter(
            status=Status.CONFIRMED, starts_at__gte=midnight, starts_at__lt=next_midnight
        ),
        "waiting": requests.filter(status=Status.REQUESTED).count(),
        "notices_off": not BookingSettings.load().staff_email,
    }
