"""The front desk's bits of the admin's pages: clinic times, the start page's panel, and the
request list's drill-down by visit time."""

from django import template
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.db.models import Max, Min
from django.utils import timezone

from booking.admin.day_sheet import clinic_day_bounds
from booking.admin.steps import quick_steps
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


# The visits of the day the front desk works through: not those declined or cancelled.
DAYS_VISITS = (Status.CONFIRMED, Status.ARRIVED, Status.COMPLETED, Status.NO_SHOW)
# How many of the requests waiting for confirmation the start page lists.
WAITING_LISTED = 10


@register.inclusion_tag("admin/booking/today.html", takes_context=True)
def front_desk_today(context) -> dict:
    """Today's visits in time order (practitioner, patient, treatment, status, new or
    returning, phone; overbookings marked) and the requests waiting for confirmation,
    nearest first, for staff who may see requests; nothing at all for anyone else. Staff
    who may change requests get the day's one-click steps (check in, completed, no-show)
    and the way to book a visit. Four queries, however many visits."""
    request = context["request"]
    user = request.user
    if not user.has_perm("booking.view_appointmentrequest"):
        return {"show": False}
    now = timezone.now()
    today = timezone.localdate(now)
    # The day's bounds rather than starts_at__date: the index on (status, starts_at) then
    # reads today's visits alone, not every confirmed visit of the past years.
    midnight, next_midnight = clinic_day_bounds(today)
    requests = AppointmentRequest.objects.select_related("practitioner", "treatment_type")
    visits = requests.filter(
        status__in=DAYS_VISITS, starts_at__gte=midnight, starts_at__lt=next_midnight
    ).order_by("starts_at", "pk")
    can_change = user.has_perm("booking.change_appointmentrequest")
    rows = [(visit, quick_steps(visit, now) if can_change else []) for visit in visits]
    waiting = requests.filter(status=Status.REQUESTED)
    return {
        "show": True,
        "today": today,
        "visits": visits,
        "rows": rows,
        "day_sheets": _practitioners_of(visits),
        "back_here": request.get_full_path(),
        "can_book": can_change,
        "waiting_soonest": waiting.filter(starts_at__gte=now).order_by("starts_at", "pk")[
            :WAITING_LISTED
        ],
        "waiting": waiting.count(),
        "notices_off": not BookingSettings.load().staff_email,
    }


def _practitioners_of(visits) -> list:
    """The practitioners seeing patients in these visits, once each, in the visits' order."""
    seen = {}
    for visit in visits:
        seen.setdefault(visit.practitioner_id, visit.practitioner)
    return list(seen.values())


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
