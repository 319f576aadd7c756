"""A patient's history in one place: every request staff can tie to the patient of one
request (booking.returning.same_patient: verified address, or phone for bookings staff
entered), with its visits, no-shows and cancellations counted. What the retention purge
erased is no longer tied to anyone, so it is not shown."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext

from booking.returning import patient_history


class PatientHistory:
    """Mixed into the appointment requests' admin: <id>/patient-history/ (the admin's own
    <id>/history/ is the row's change log)."""

    def patient_history_urls(self) -> list:
        name = f"{self.opts.app_label}_{self.opts.model_name}_patient_history"
        view = self.admin_site.admin_view(self.patient_history_view)
        return [path("<path:object_id>/patient-history/", view, name=name)]

    def patient_history_view(self, request, object_id):
        """For staff who may see requests (the front desk, not the content editors). Two
        queries, however long the history: this request, then the patient's."""
        appointment = self.get_object(request, unquote(object_id))
        if appointment is None:
            raise Http404(gettext("No such appointment request."))
        if not self.has_view_permission(request, appointment):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("History of %(name)s") % {"name": appointment.patient_name},
            "original": appointment,
            "matched_by_email": bool(appointment.email and appointment.email_verified_at),
            **patient_history(appointment),
        }
        name = "admin/booking/appointmentrequest/patient_history.html"
        return TemplateResponse(request, name, context)
