"""The front desk's list of appointment requests: filters, actions and change-page buttons.

Staff change a request's status only through booking.services; the admin turns a refusal
into a message naming the request, and never lets a status be edited directly.
"""

import re
from collections.abc import Iterable

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ORDER_VAR
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from booking import services
from booking.admin.calendar_pages import CalendarPages
from booking.admin.columns import RequestColumns
from booking.admin.courses import CourseSteps
from booking.admin.day_sheet import DaySheet
from booking.admin.diary_pages import DiaryPages
from booking.admin.export import csv_response
from booking.admin.filters import ReasonFilter, VisitTimeFilter
from booking.admin.patient_history import PatientHistory
from booking.admin.steps import SERVICE_OF, MessageForm
from booking.display import stored_phone
from booking.models import AppointmentRequest
from booking.transitions import (
    STAFF_TRANSITIONS,
    TRANSITIONS,
    Timing,
    Transition,
    transitions_allowed,
)


@admin.register(AppointmentRequest)
class AppointmentRequestAdmin(
    RequestColumns,
    CourseSteps,
    DiaryPages,
    CalendarPages,
    DaySheet,
    PatientHistory,
    admin.ModelAdmin,
):
    """What patients typed is read-only; staff add notes and change the status with actions;
    the front desk books and moves visits on pages of their own (DiaryPages), sees the day
    and the week (CalendarPages), prints the day's sheet (DaySheet) and sees a patient's
    history (PatientHistory)."""

    list_display = (
        "reference", "patient", "visit_time", "practitioner", "treatment", "reason",
        "status_shown", "course_shown", "received",
    )  # fmt: skip
    list_filter = (
        "status", VisitTimeFilter, "practitioner", "is_overbooked", ("condition", ReasonFilter),
    )  # fmt: skip
    list_select_related = ("condition", "practitioner", "treatment_type", "course")
    search_fields = ("=reference", "first_name", "last_name", "email", "phone")
    date_hierarchy = "starts_at"
    show_full_result_count = False  # one COUNT fewer on every filtered page
    actions = [
        "export_csv",
        "confirm_courses",
        "decline_courses",
    ]  # and one per staff change of the transition table: get_actions
    change_form_template = "admin/booking/appointmentrequest/change_form.html"
    fieldsets = (
        (None, {"fields": ("reference", "status", "visit_time", "reason", "course_shown")}),
        (
            _("Visit"),
            {
                "fields": (
                    "practitioner",
                    "treatment_type",
                    "length",
                    "source",
                    "overbooked",
                    "overbooking_reason",
                )
            },
        ),
        (
            _("Patient"),
            {"fields": ("first_name", "last_name", "email", "phone_number", "is_new_patient")},
        ),
        (_("Notes"), {"fields": ("note", "staff_notes")}),
        (
            _("Record"),
            {"fields": ("consent_at", "received", "email_verified_at", "anonymised_at")},
        ),
    )
    readonly_fields = (
        "reference", "status", "visit_time", "reason", "practitioner", "treatment_type",
        "length", "source", "overbooked", "overbooking_reason", "first_name", "last_name",
        "email", "phone_number", "is_new_patient", "note", "consent_at", "received",
        "email_verified_at", "anonymised_at", "course_shown",
    )  # fmt: skip

    def get_queryset(self, request):
        """Waiting requests first (the front desk's to-do), then by visit time, unless staff
        sorted by a column."""
        requests = self.model._default_manager.get_queryset()
        return requests if ORDER_VAR in request.GET else requests.waiting_first()

    def get_ordering(self, request):
        # The changelist sorts by this before the queryset's own order; left empty, it would
        # put Meta.ordering (visit time alone) in front of waiting-first.
        return () if ORDER_VAR in request.GET else ("waiting", "starts_at")

    def get_search_results(self, request, queryset, search_term):
        """Phones are stored as +15550100123; staff may type (555) 010-0123. A search that
        is a phone number looks at phones only (names hold no digits), through an index
        however many years of requests there are: a whole number is looked up as stored,
        part of one by its digits (a trigram index on PostgreSQL)."""
        digits = re.sub(r"\D", "", search_term)
        if len(digits) >= 7 and re.fullmatch(r"[\d\s()+.-]+", search_term):
            whole = stored_phone(search_term)
            if whole:
                return queryset.filter(phone=whole), False
            return queryset.filter(phone__contains=digits), False
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request):
        return False  # requests come from patients

    def has_delete_permission(self, request, obj=None):
        return False  # the retention job erases personal details, keeping the counts

    def get_actions(self, request):
        """One action per staff change of the transition table, for staff who may change
        requests; the changes that write to the patient ask for the words first."""
        actions = super().get_actions(request)
        if not self.has_change_permission(request):
            return actions
        for transition in STAFF_TRANSITIONS.values():
            actions[transition.name] = (
                self.action_for(transition),
                transition.name,
                transition.bulk_label,
            )
        return actions

    def action_for(self, transition: Transition):
        def action(modeladmin, request, queryset):
            if transition.message_page:
                return self.apply_with_message(request, queryset, transition)
            return self.apply(request, queryset, transition)

        return action

    def apply_with_message(self, request, queryset, transition: Transition):
        """Staff first see the requests and may write to the patients; the same words go to
        each of them."""
        form = MessageForm(request.POST if "post" in request.POST else None)
        if form.is_valid():
            message = form.cleaned_data["message"]
            self.apply(request, queryset, transition, message=message)
            return None
        cancel_url = request.get_full_path()
        return self.message_page(
            request, queryset, transition, form, cancel_url, action=transition.name
        )

    @admin.action(description=_("Export selected requests as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return csv_response(queryset)

    def apply(
        self,
        request,
        appointments: Iterable[AppointmentRequest],
        transition: Transition,
        **kwargs,
    ):
        """Run the change's service on each request as the signed-in user: each refusal is
        reported with its reference and reason, the successes with a count."""
        changed = 0
        for appointment in appointments:
            before = appointment.get_status_display()
            try:
                changed_appointment = SERVICE_OF[transition.name](
                    appointment=appointment, by=request.user, **kwargs
                )
            except services.TransitionNotAllowed as refusal:
                reason = str(refusal)
                if appointment.reference not in reason:
                    reason = f"{appointment.reference}: {reason}"
                refused = gettext("Not changed: %(reason)s") % {"reason": reason}
                self.message_user(request, refused, messages.ERROR)
            else:
                changed += 1
                after = changed_appointment.get_status_display()
                change = gettext("Status: %(before)s → %(after)s") % {
                    "before": before,
                    "after": after,
                }
                self.log_change(request, changed_appointment, change)
        if changed:
            self.message_user(request, transition.done % {"count": changed}, messages.SUCCESS)

    def message_page(self, request, appointments, transition, form, cancel_url, action=""):
        page = transition.message_page
        context = {
            **self.admin_site.each_context(request),
            "title": page.title,
            "page": page,
            "opts": self.opts,
            "appointments": appointments,
            "form": form,
            "action": action,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "cancel_url": cancel_url,
        }
        return TemplateResponse(request, "admin/booking/appointmentrequest/message.html", context)

    def get_urls(self):
        view = self.admin_site.admin_view
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            *(
                path(
                    f"<path:object_id>/{step}/",
                    view(self.message_step_view if transition.message_page else self.step_view),
                    {"step": step},
                    name=f"{name}_{step}",
                )
                for step, transition in STAFF_TRANSITIONS.items()
            ),
            *self.diary_urls(),
            *self.calendar_urls(),
            *self.day_sheet_urls(),
            *self.patient_history_urls(),
            *self.course_urls(),
            *super().get_urls(),
        ]

    def step_view(self, request, object_id, step):
        """A button on the change page: a POST (with the admin's CSRF check) by staff who
        may change the request."""
        appointment = self.appointment_to_change(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self.apply(request, [appointment], STAFF_TRANSITIONS[step])
        return redirect(self.page_to_return_to(request, appointment))

    def page_to_return_to(self, request, appointment: AppointmentRequest) -> str:
        """Where the button was pressed (the start page, the day view: a POSTed `next` on
        this site), else the request's change page."""
        back = request.POST.get("next", "")
        safe = url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return back if safe else self.change_url(appointment)

    def message_step_view(self, request, object_id, step):
        """Decline or cancel one request, after staff have had the chance to write to the
        patient."""
        appointment = self.appointment_to_change(request, object_id)
        form = MessageForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            message = form.cleaned_data["message"]
            self.apply(request, [appointment], STAFF_TRANSITIONS[step], message=message)
            return redirect(self.change_url(appointment))
        cancel_url = self.change_url(appointment)
        return self.message_page(request, [appointment], STAFF_TRANSITIONS[step], form, cancel_url)

    def appointment_to_change(self, request, object_id) -> AppointmentRequest:
        appointment = self.get_object(request, unquote(object_id))
        if appointment is None:
            raise Http404(gettext("No such appointment request."))
        if not self.has_change_permission(request, appointment):
            raise PermissionDenied
        return appointment

    def change_url(self, appointment: AppointmentRequest) -> str:
        return reverse("admin:booking_appointmentrequest_change", args=[appointment.pk])

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """The change page also shows the buttons for the allowed changes, the audit trail
        and the e-mails sent for the request."""
        if obj is not None:
            context["steps"] = self.step_buttons(request, obj)
            context["steps_later"] = self.steps_later(request, obj)
            context["events"] = obj.events.select_related("actor")
            context["emails"] = obj.notifications.order_by("created_at", "pk")
            context.update(self.course_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changelist_view(self, request, extra_context=None):
        can_book = self.has_change_permission(request)
        return super().changelist_view(request, {**(extra_context or {}), "can_book": can_book})

    def steps_later(self, request, appointment: AppointmentRequest) -> list[str]:
        """The status steps that come later for this visit (check-in on its day, completed
        or no-show once it has started), in words: the change page says so when it has no
        button to offer now."""
        now = timezone.now()
        if appointment.starts_at <= now or not self.has_change_permission(request, appointment):
            return []
        return [
            transition.timing_refusal(appointment, now, cutoff_hours=0)
            for transition in STAFF_TRANSITIONS.values()
            if transition.timing in (Timing.AFTER_START, Timing.ON_THE_DAY)
            and appointment.status in transition.allowed_from
            and not transition.timing_holds(appointment, now)
        ]

    def step_buttons(self, request, appointment: AppointmentRequest) -> list[dict]:
        """The allowed status steps, then "Move…" while the visit may move; the steps that
        write to the patient, and the move, open a page of their own first."""
        if not self.has_change_permission(request, appointment):
            return []
        now = timezone.now()
        allowed = transitions_allowed(appointment, now)
        if TRANSITIONS["move"].is_allowed(appointment, now):
            allowed.append(TRANSITIONS["move"])
        return [
            {
                "name": transition.name,
                "label": transition.label,
                "opens_page": transition.message_page is not None or not transition.is_status_step,
                "url": reverse(
                    f"admin:booking_appointmentrequest_{transition.name}", args=[appointment.pk]
                ),
            }
            for transition in allowed
        ]
