"""The CSV export of appointment requests for a spreadsheet."""

import csv

from django.http import HttpResponse
from django.utils import timezone

from booking.models import AppointmentRequest

CSV_HEADER = (
    "reference", "visit date", "visit time", "status", "reason", "first name", "last name",
    "e-mail", "phone", "new patient", "received", "practitioner", "treatment", "overbooked",
)  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet shows as text instead of running it as a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def csv_row(appointment: AppointmentRequest) -> list[str]:
    """One request for the export: no staff notes and no patient's note."""
    starts = timezone.localtime(appointment.starts_at)
    return [
        appointment.reference,
        f"{starts:%Y-%m-%d}",
        f"{starts:%H:%M}",
        appointment.get_status_display(),
        appointment.reason,
        appointment.first_name,
        appointment.last_name,
        appointment.email,
        appointment.phone_display,
        "yes" if appointment.is_new_patient else "no",
        f"{timezone.localtime(appointment.created_at):%Y-%m-%d %H:%M}",
        str(appointment.practitioner),
        appointment.treatment_type.name,
        "yes" if appointment.is_overbooked else "no",
    ]


def csv_response(appointments) -> HttpResponse:
    """The requests in clinic time; never the staff notes or the patient's note, and no cell
    a spreadsheet would run as a formula."""
    filename = f"appointment-requests-{timezone.localdate():%Y-%m-%d}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for appointment in appointments.select_related("condition", "practitioner", "treatment_type"):
        writer.writerow(spreadsheet_safe(cell) for cell in csv_row(appointment))
    return response
