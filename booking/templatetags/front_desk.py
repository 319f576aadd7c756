"""The front desk's bits of the admin's pages: clinic times, and the start page's panel."""

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
    requests = AppointmentRequest.objects
    return {
        "show": True,
        "today": today,
        "visits": requests.filter(status=Status.CONFIRMED, starts_at__date=today),
        "waiting": requests.filter(status=Status.REQUESTED).count(),
        "notices_off": not BookingSettings.load().staff_email,
    }
