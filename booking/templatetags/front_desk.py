"""The front desk's bits of the admin's pages: clinic times, the start page's panel, and the
request list's drill-down by visit time."""

import datetime

from django import template
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.db.models import Max, Min
from django.utils import timezone

from booking.display import local_time
from booking.models import AppointmentRequest, BookingSettings, Status

register = template.Library()
register.filter("clinic_time", local_time)


@register.filter
def checkbox_label(field) -> str:
    """A checkbox's label after the box, as the admin writes it (no colon, full width)."""
    return field.label_tag(attrs={"class": "vCheckboxLabel"}, label_suffix="")


@register.filter
def described_by(field) -> str:
    """The ids of a radio group's error and help, for its fieldset's aria-describedby (Django
    links them to single inputs itself, not to a group)."""
    ids = []
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    return " ".join(ids)


@register.inclusion_tag("admin/booking/today.html", takes_context=True)
def front_desk_today(context) -> dict:
    """Today's confirmed visits (clinic time, practitioner, overbookings marked) and how many
    requests are waiting, for staff who may see requests; nothing at all for anyone else.
    Staff who may change requests get the way to book a visit too."""
    user = context["request"].user
    if not user.has_perm("booking.view_appointmentrequest"):
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
        ).select_related("practitioner"),
        "can_book": user.has_perm("booking.change_appointmentrequest"),
        "waiting": requests.filter(status=Status.REQUESTED).count(),
        "notices_off": not BookingSettings.load().staff_email,
    }


def visit_time_hierarchy(cl) -> dict:
    """Django's date drill-down above the request list, except that its first level lists
    the years from the first visit's to the last's: the two ends of the visit-time index,
    one query however many years there are, instead of every row read to find its year.
    A year without visits in between would show, and list nothing."""
    field = cl.date_hierarchy
    if any(f"{field}__{part}" in cl.params for part in ("year", "month", "day")):
        return date_hierarchy(cl)
    span = cl.queryset.aggregate(first=Min(field), last=Max(field))
    years = (
        range(timezone.localtime(span["first"]).year, timezone.localtime(span["last"]).year + 1)
        if span["first"]
        else []
    )
    return {
        "show": True,
        "back": None,
        "choices": [
            {
                "link": cl.get_query_string({f"{field}__year": str(year)}, [f"{field}__"]),
                "title": str(year),
            }
            for year in years
        ],
    }


@register.tag(name="visit_time_hierarchy")
def visit_time_hierarchy_tag(parser, token):
    return InclusionAdminNode(
        parser,
        token,
        func=visit_time_hierarchy,
        template_name="date_hierarchy.html",
        takes_context=False,
    )
