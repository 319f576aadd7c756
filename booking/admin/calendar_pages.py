"""The front desk's calendar in the admin: a day (a column per practitioner) and a week (one
practitioner's, or everyone's in short), with the visits, time off and free times. Thin:
the diary and the visits are read once each, booking.calendar_plan lays them out."""

import dataclasses
import datetime
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from booking.admin.steps import quick_steps
from booking.availability import Booking
from booking.calendar_plan import DAY, plan_day, plan_week, summarise_week
from booking.models import AppointmentRequest, Status
from booking.schedule import BookingWindow, Diary, for_staff, load_diary

# Shown unless the status filter asks for them: visits that no longer hold a place.
NOT_IN_THE_DIARY = (
    Status.DECLINED,
    Status.CANCELLED,
    Status.CANCELLED_BY_CLINIC,
    Status.OFFER_NOT_TAKEN,
)


class CalendarFilters(forms.Form):
    """The calendar's GET form: which day, whose visits, which status (all optional)."""

    date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    practitioner = forms.TypedChoiceField(
        label=_("Practitioner"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, diary: Diary, **kwargs):
        super().__init__(*args, **kwargs)
        everyone = [("", _("All practitioners"))]
        self.fields["practitioner"].choices = everyone + [
            (p.id, p.name) for p in diary.practitioners
        ]
        self.fields["status"].choices = [("", _("All in the diary")), *Status.choices]

    def value(self, name: str, default=None):
        """The field's value, or the default when it is missing or wrong."""
        if not self.is_valid():
            return self.cleaned_data.get(name) or default
        return self.cleaned_data[name] or default


@dataclasses.dataclass(frozen=True)
class CalendarVisit:
    """A visit as a calendar block: the request and the status steps staff can take now."""

    appointment: AppointmentRequest
    steps: list

    def __getattr__(self, name):
        if name == "appointment":  # not set yet (a copy being made): never recurse
            raise AttributeError(name)
        return getattr(self.appointment, name)


def staff_window(now: datetime.datetime, first_day: datetime.date) -> BookingWindow:
    """The diary as the front desk books it (BookingWindow.load_for_staff), read as of the
    first day shown when that is past, so its time off and closures are there: one query."""
    first_moment = timezone.make_aware(datetime.datetime.combine(first_day, datetime.time()))
    diary = load_diary(min(now, first_moment))
    return BookingWindow(dataclasses.replace(diary, schedule=for_staff(diary.schedule)), now)


def visits_between(start: datetime.datetime, end: datetime.datetime) -> list[AppointmentRequest]:
    """Every request taking time in [start, end), whatever its status: one query."""
    rows = AppointmentRequest.objects.overlapping(start, end)
    return list(rows.select_related("practitioner", "treatment_type").order_by("starts_at", "pk"))


def active_bookings_of(visits: list[AppointmentRequest]) -> list[Booking]:
    """What booking.schedule.active_bookings would read for the same time, from the rows
    already loaded: the active requests, buffers included."""
    return [Booking(v.starts_at, v.blocks_until, v.practitioner_id) for v in visits if v.is_active]


def asked_day(value: str | None, today: datetime.date) -> datetime.date:
    """The day in the address (YYYY-MM-DD), or today when there is none or it is wrong."""
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return today


def with_query(url: str, **params) -> str:
    params = {key: value for key, value in params.items() if value not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


class CalendarPages:
    """Mixed into the appointment requests' admin: /day/ and /week/."""

    def calendar_urls(self) -> list:
        view = self.admin_site.admin_view
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("day/", view(self.day_view), name=f"{name}_day"),
            path("week/", view(self.week_view), name=f"{name}_week"),
        ]

    def day_view(self, request):
        """One day, a column per practitioner."""
        return self.calendar_page(request, "day")

    def week_view(self, request):
        """A week from Monday: one practitioner's by the hour, or everyone's in short."""
        return self.calendar_page(request, "week")

    def calendar_page(self, request, kind: str):
        """Read the day and the filters, the diary (one query) and the visits (one query),
        then lay them out."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        now = timezone.now()
        today = timezone.localdate(now)
        asked = asked_day(request.GET.get("date"), today)
        first_day = asked if kind == "day" else asked - asked.weekday() * DAY
        window = staff_window(now, first_day)
        filters = CalendarFilters(request.GET, diary=window.diary)
        practitioner_id, status = filters.value("practitioner"), filters.value("status", "")
        start = window.schedule.day_bounds(first_day)[0]
        end = window.schedule.day_bounds(first_day + (6 if kind == "week" else 0) * DAY)[1]
        loaded = visits_between(start, end)
        layout = {
            "diary": window.diary,
            "now": now,
            "visits": self.calendar_visits(request, loaded, status, now),
            "bookings": active_bookings_of(loaded),
        }
        context = {
            "kind": kind,
            "day": first_day,
            "today": today,
            "filters": CalendarFilters(
                initial={"date": asked, "practitioner": practitioner_id, "status": status},
                diary=window.diary,
            ),
            "day_sheet_url": reverse("admin:booking_appointmentrequest_day_sheet"),
            "book_url": self.book_url(request),
            "current_url": request.get_full_path(),
            **self.navigation(kind, first_day, practitioner_id, status),
            **self.layout(kind, first_day, practitioner_id, layout),
        }
        return self.calendar_response(request, kind, context)

    def layout(self, kind: str, first_day: datetime.date, practitioner_id, layout: dict) -> dict:
        """The day's plan, one practitioner's week, or everyone's week in short; the title."""
        shown_day = formats.date_format(first_day, "DATE_FORMAT")
        if kind == "day":
            plan = plan_day(day=first_day, practitioner_id=practitioner_id, **layout)
            return {"plan": plan, "title": gettext("Day: %(day)s") % {"day": shown_day}}
        title = gettext("Week from %(day)s") % {"day": shown_day}
        if practitioner_id is not None:
            week = plan_week(first_day=first_day, practitioner_id=practitioner_id, **layout)
            return {"week": week, "title": title}
        return {"summary": summarise_week(first_day=first_day, **layout), "title": title}

    def book_url(self, request) -> str:
        """Where a free time starts a staff booking, for staff who may book."""
        if not self.has_change_permission(request):
            return ""
        return reverse("admin:booking_appointmentrequest_book")

    def calendar_visits(self, request, loaded, status: str, now) -> list[CalendarVisit]:
        """The visits shown (a status asked for, or all that hold their time), each with the
        one-click status steps staff may take now (those that write to the patient open the
        visit's page instead)."""
        can_change = self.has_change_permission(request)
        if status:
            loaded = [v for v in loaded if v.status == status]
        else:
            loaded = [v for v in loaded if v.status not in NOT_IN_THE_DIARY]
        return [CalendarVisit(v, quick_steps(v, now) if can_change else []) for v in loaded]

    def navigation(self, kind, first_day, practitioner_id, status) -> dict:
        step = DAY if kind == "day" else 7 * DAY
        here = reverse(f"admin:booking_appointmentrequest_{kind}")
        keep = {"practitioner": practitioner_id, "status": status}

        def link(view: str, day) -> str:
            url = reverse(f"admin:booking_appointmentrequest_{view}")
            return with_query(url, date=day.isoformat() if day else "", **keep)

        return {
            "here_url": here,
            "previous_url": link(kind, first_day - step),
            "next_url": link(kind, first_day + step),
            "today_url": link(kind, None),
            "day_url": link("day", first_day),
            "week_url": link("week", first_day),
        }

    def calendar_response(self, request, kind: str, context: dict):
        context = {**self.admin_site.each_context(request), "opts": self.opts, **context}
        name = f"admin/booking/appointmentrequest/calendar_{kind}.html"
        return TemplateResponse(request, name, context)
