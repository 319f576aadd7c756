"""Courses of visits in the front desk's admin: "visit 3 of 8" on the list and the change
page, and confirming or declining a whole course at once (an action on the list, buttons on
a visit's change page), through booking.services.courses (which runs the per-visit
services). One visit alone still takes the usual steps."""

from django.contrib import admin, messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from booking import services
from booking.admin.steps import MessageForm
from booking.models import Course, Status
from booking.transitions import TRANSITIONS

COURSE_SERVICES = {"confirm": services.course_confirm, "decline": services.course_decline}
COURSE_DONE = {
    "confirm": lambda count: ngettext(
        "%(count)d visit confirmed: the patient gets one e-mail listing the course's visits.",
        "%(count)d visits confirmed: the patient gets one e-mail per course, listing its visits.",
        count,
    ),
    "decline": lambda count: ngettext(
        "%(count)d visit declined: the patient gets one e-mail about the course.",
        "%(count)d visits declined: the patient gets one e-mail per course.",
        count,
    ),
}


class CourseSteps:
    """Mixed into the appointment requests' admin."""

    @admin.display(description=_("course"), ordering="course_id")
    def course_shown(self, appointment):
        return appointment.course_visit or self.get_empty_value_display()

    @admin.action(
        description=_("Confirm the whole course of the selected visits"), permissions=["change"]
    )
    def confirm_courses(self, request, queryset):
        self.apply_to_courses(request, queryset, "confirm")

    @admin.action(
        description=_("Decline the whole course of the selected visits…"), permissions=["change"]
    )
    def decline_courses(self, request, queryset):
        form = MessageForm(request.POST if "post" in request.POST else None)
        if form.is_valid():
            self.apply_to_courses(
                request, queryset, "decline", message=form.cleaned_data["message"]
            )
            return None
        waiting = queryset.filter(course__isnull=False)
        return self.message_page(
            request, waiting, TRANSITIONS["decline"], form, request.get_full_path(),
            action="decline_courses",
        )  # fmt: skip

    def apply_to_courses(self, request, visits, step: str, **kwargs) -> None:
        """Each selected visit's course, once: all its waiting visits or none."""
        course_ids = {visit.course_id for visit in visits if visit.course_id}
        if not course_ids:
            self.message_user(
                request, gettext("None of these visits is part of a course."), messages.WARNING
            )
            return
        changed = 0
        for course in Course.objects.filter(pk__in=course_ids):
            try:
                done = COURSE_SERVICES[step](course=course, by=request.user, **kwargs)
            except services.TransitionNotAllowed as refusal:
                refused = gettext("Course not changed: %(reason)s") % {"reason": refusal}
                self.message_user(request, refused, messages.ERROR)
                continue
            for visit in done:
                self.log_change(request, visit, gettext("Status: %(status)s (whole course)") % {
                    "status": visit.get_status_display()
                })  # fmt: skip
            changed += len(done)
        if changed:
            done = COURSE_DONE[step](changed) % {"count": changed}
            self.message_user(request, done, messages.SUCCESS)

    def course_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/confirm-course/",
                view(self.confirm_course_view),
                name="booking_appointmentrequest_confirm_course",
            ),
            path(
                "<path:object_id>/decline-course/",
                view(self.decline_course_view),
                name="booking_appointmentrequest_decline_course",
            ),
        ]

    def confirm_course_view(self, request, object_id):
        appointment = self.appointment_to_change(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self.apply_to_courses(request, [appointment], "confirm")
        return redirect(self.change_url(appointment))

    def decline_course_view(self, request, object_id):
        appointment = self.appointment_to_change(request, object_id)
        form = MessageForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            self.apply_to_courses(
                request, [appointment], "decline", message=form.cleaned_data["message"]
            )
            return redirect(self.change_url(appointment))
        waiting = appointment.course.visits.filter(status=Status.REQUESTED)
        cancel_url = self.change_url(appointment)
        return self.message_page(request, waiting, TRANSITIONS["decline"], form, cancel_url)

    def course_context(self, request, appointment) -> dict:
        """The change page's course box: every visit (linked), and the whole-course buttons
        while some visits wait and staff may change them."""
        if not appointment.course_id:
            return {}
        visits = services.course_visits(appointment.course)
        waiting = sum(visit.is_waiting for visit in visits)
        can_change = self.has_change_permission(request, appointment) and waiting
        return {
            "course_visits": visits,
            "course_waiting": waiting,
            "course_confirm_url": can_change
            and reverse("admin:booking_appointmentrequest_confirm_course", args=[appointment.pk]),
            "course_decline_url": can_change
            and reverse("admin:booking_appointmentrequest_decline_course", args=[appointment.pk]),
            "course_waiting_words": ngettext(
                "%(count)d visit of this course is waiting.",
                "%(count)d visits of this course are waiting.",
                waiting,
            )
            % {"count": waiting},
        }
