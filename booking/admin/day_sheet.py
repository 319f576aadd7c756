"""The printable day sheet: one practitioner's visits of one day, in time order, for the
practitioner's desk. Names, times, treatments and phones; the patients' notes and the staff
notes only when staff tick the box (a sheet left on a desk is read by others)."""

import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from booking.models import ACTIVE_STATUSES, AppointmentRequest, Status
from clinic.models import ClinicProfile, Practitioner

# Every visit of the day but those declined or cancelled: waiting ones show their status.
ON_THE_SHEET = (*ACTIVE_STATUSES, Status.COMPLETED, Status.NO_SHOW)


def clinic_day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """From the day's midnight to the next one, on the clinic's clocks (a day of 23 or 25
    hours across a daylight-saving change)."""
    tz = ZoneInfo(settings.TIME_ZONE)
    start = datetime.datetime.combine(day, datetime.time(), tzinfo=tz)
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), tzinfo=tz)
    return start, end


class DaySheetForm(forms.Form):
    """Whose day, which day, and whether the notes go on the sheet (read from the address:
    choosing shows a sheet, nothing is changed). Today and the first practitioner when the
    address does not say. One query: the practitioners with a diary."""

    practitioner = forms.TypedChoiceField(label=_("Practitioner"), coerce=int)
    date = forms.DateField(
        label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    notes = forms.BooleanField(
        label=_("Include the patients' notes and the staff notes"), required=False
    )

    def __init__(self, query, *, today: datetime.date):
        self.people = list(
            Practitioner.objects.filter(diary__isnull=False).order_by(
                "diary__position", "order", "name"
            )
        )
        data = query.copy()
        data.setdefault("date", today.isoformat())
        if not data.get("practitioner") and self.people:
            data["practitioner"] = str(self.people[0].pk)
        super().__init__(data)
        self.fields["practitioner"].choices = [(p.pk, str(p)) for p in self.people]

    def clean_practitioner(self) -> Practitioner:
        chosen = self.cleaned_data["practitioner"]
        return next(person for person in self.people if person.pk == chosen)


class DaySheet:
    """Mixed into the appointment requests' admin: /day-sheet/."""

    def day_sheet_urls(self) -> list:
        name = f"{self.opts.app_label}_{self.opts.model_name}_day_sheet"
        return [path("day-sheet/", self.admin_site.admin_view(self.day_sheet_view), name=name)]

    def day_sheet_view(self, request):
        """For staff who may see requests (not the content editors). A few queries,
        however many visits."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = DaySheetForm(request.GET, today=timezone.localdate())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Day sheet"),
            "form": form,
            "clinic": ClinicProfile.load(),
        }
        if form.is_valid():
            context.update(self.sheet(**form.cleaned_data))
        name = "admin/booking/appointmentrequest/day_sheet.html"
        return TemplateResponse(request, name, context)

    def sheet(self, *, practitioner: Practitioner, date: datetime.date, notes: bool) -> dict:
        start, end = clinic_day_bounds(date)
        visits = (
            AppointmentRequest.objects.filter(
                practitioner=practitioner,
                status__in=ON_THE_SHEET,
                starts_at__gte=start,
                starts_at__lt=end,
            )
            .select_related("treatment_type")
            .order_by("starts_at", "pk")
        )
        return {"practitioner": practitioner, "day": date, "visits": visits, "with_notes": notes}
