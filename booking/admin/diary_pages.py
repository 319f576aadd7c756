"""The front desk's pages that take a place in the diary: book a visit for a patient who
phoned or walked in, and move a visit. Thin on purpose: the forms read what staff typed,
booking.services decides; a refusal re-renders the page with everything typed, the error on
the time and the practitioner's next free times."""

import dataclasses
import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from booking import services
from booking.admin.course_booking import (
    COURSE_DATES,
    CourseBookingPages,
    read_course,
    show_dates,
)
from booking.admin.forms import MoveForm, StaffBookingForm, VisitChoiceForm, VisitTimeForm
from booking.admin.prefill import Prefilled
from booking.availability import FreeTime, Treatment
from booking.display import local_time
from booking.models import AppointmentRequest
from booking.schedule import BookingWindow
from booking.transitions import TRANSITIONS
from clinic.models import Practitioner


@dataclasses.dataclass
class DiaryStep:
    """One page's state once step 1 is valid: what, with whom, when; the visit moved."""

    staff_diary: BookingWindow
    choice: VisitChoiceForm
    treatment: Treatment
    appointment: AppointmentRequest | None = None

    @property
    def practitioner_id(self) -> int | None:
        """None: the first available practitioner (a new visit only)."""
        return self.choice.cleaned_data["practitioner"]

    @property
    def day(self) -> datetime.date:
        return self.choice.cleaned_data["day"]

    def free_times(self) -> list[FreeTime]:
        return self.staff_diary.free_times(
            self.day, self.treatment, self.practitioner_id, excluding=self.appointment
        )

    def next_free_times(self, after: datetime.datetime) -> list[FreeTime]:
        return self.staff_diary.next_free_times(
            after, self.treatment, self.practitioner_id, excluding=self.appointment
        )

    def form_kwargs(self, slots: list[FreeTime]) -> dict:
        return {"slots": slots, "day": self.day, "tz": self.staff_diary.schedule.tz}


def typed_so_far(data, form_class: type[forms.Form]) -> dict:
    """What staff typed, as the next step's starting values (an unticked box stays unticked)."""
    initial = dict(data.items())
    if hasattr(data, "getlist"):  # a POST: a box missing from it was unticked
        for name, field in form_class.base_fields.items():
            if isinstance(field, forms.BooleanField):
                initial[name] = name in data
    return initial


def with_pick(data, schedule) -> tuple[object, str]:
    """A next-free-time button ("pick") opens that time's day with the time chosen."""
    try:
        start = datetime.datetime.fromisoformat(data.get("pick", ""))
    except (TypeError, ValueError):
        return data, ""
    if start.tzinfo is None:
        return data, ""
    data = data.copy()
    data["day"] = schedule.local_date(start).isoformat()
    return data, start.isoformat()


class DiaryPages(CourseBookingPages):
    """Mixed into the appointment requests' admin: /book/ (a visit, or a course of visits:
    CourseBookingPages) and /<id>/move/."""

    def diary_urls(self) -> list:
        view = self.admin_site.admin_view
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("book/", view(self.book_view), name=f"{name}_book"),
            path("<path:object_id>/move/", view(self.move_view), name=f"{name}_move"),
        ]

    def book_view(self, request):
        """Book a visit for a patient who phoned or walked in: confirmed at once."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        staff_diary = BookingWindow.load_for_staff(timezone.now())
        data, picked = self.posted(request, staff_diary)
        prefilled = Prefilled.read(request.GET, staff_diary)
        from_calendar = request.method == "GET" and prefilled.is_complete
        choice = VisitChoiceForm(
            prefilled.initial_values if from_calendar else data,
            diary=staff_diary.diary,
            now=staff_diary.now,
            initial=prefilled.initial_values,
            offered_by=prefilled.practitioner if request.method == "GET" else None,
        )
        context = {"title": _("Book a visit"), "choice": choice}
        if not (choice.is_bound and choice.is_valid()):
            return self.diary_page(request, "book", context)
        step = DiaryStep(staff_diary, choice, choice.chosen_treatment)
        if not picked and COURSE_DATES in (data or {}):
            picked = data.get("time", "")  # the time chosen stays chosen while the dates show
        if not picked and "book" not in (data or {}):
            picked = prefilled.start_on(step.day)
        data = data if data is not None else choice.data
        form = self.time_form(StaffBookingForm, step, data, picked, "book", context)
        context["course"] = course = read_course(data if request.method == "POST" else None)
        if COURSE_DATES in data:
            show_dates(course, data, step)
            return self.diary_page(request, "book", context, status=course.status)
        if not (form.is_bound and form.is_valid()):
            return self.diary_page(request, "book", context)
        if course.wanted:
            return self.book_course(request, step, form, course, context)
        if form.reason_for_overbooking and step.practitioner_id is None:
            form.add_error("overbook", gettext("To overbook, choose the practitioner above."))
            return self.diary_page(request, "book", context, status=400)
        try:
            appointment = self.book(request, step, form)
        except services.SlotUnavailable as refusal:
            return self.refused(request, "book", step, form, refusal, context)
        self.message_user(request, self.booked_message(appointment), messages.SUCCESS)
        return redirect(self.change_url(appointment))

    def move_view(self, request, object_id):
        """Move a visit that has not begun to another time or practitioner."""
        appointment = self.appointment_to_change(request, object_id)
        staff_diary = BookingWindow.load_for_staff(timezone.now())
        try:
            TRANSITIONS["move"].check(appointment, staff_diary.now)
        except services.TransitionNotAllowed as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return redirect(self.change_url(appointment))
        data, picked = self.posted(request, staff_diary)
        if data is None:  # the visit's own practitioner and day, with their free times
            day = staff_diary.schedule.local_date(appointment.starts_at)
            data = {"practitioner": appointment.practitioner_id, "day": day.isoformat()}
        choice = VisitChoiceForm(
            data,
            diary=staff_diary.diary,
            now=staff_diary.now,
            treatment_id=appointment.treatment_type_id,
        )
        title = gettext("Move visit %(reference)s") % {"reference": appointment.reference}
        context = {"title": title, "choice": choice, "appointment": appointment}
        if not choice.is_valid():
            return self.diary_page(request, "move", context)
        treatment = appointment.treatment_type.as_treatment()
        step = DiaryStep(staff_diary, choice, treatment, appointment)
        form = self.time_form(MoveForm, step, data, picked, "move", context)
        if not (form.is_bound and form.is_valid()):
            return self.diary_page(request, "move", context)
        return self.move(request, step, form, context)

    def posted(self, request, staff_diary: BookingWindow) -> tuple[object, str]:
        if request.method != "POST":
            return None, ""
        return with_pick(request.POST, staff_diary.schedule)

    def time_form(self, form_class, step: DiaryStep, data, picked: str, submit: str, context):
        """Step 2, bound only when staff pressed the page's submit button: until then what
        they typed comes back as starting values, without errors."""
        slots = step.free_times()
        context["next_times"] = [] if slots else step.next_free_times(self.day_end(step))
        if data is not None and submit in data and not picked:
            form = form_class(data, **step.form_kwargs(slots))
        else:
            initial = typed_so_far(data or {}, form_class) if hasattr(data, "getlist") else {}
            form = form_class(initial={**initial, "time": picked}, **step.form_kwargs(slots))
        context.update(form=form, step=step)
        return form

    def day_end(self, step: DiaryStep) -> datetime.datetime:
        return step.staff_diary.schedule.day_bounds(step.day)[1]

    def book(self, request, step: DiaryStep, form: StaffBookingForm) -> AppointmentRequest:
        place = services.Place(form.start, step.treatment, step.practitioner_id)
        appointment = services.appointment_book_by_staff(
            place=place,
            patient=form.patient_details(),
            by=request.user,
            overbook_reason=form.reason_for_overbooking,
            staff_notes=form.cleaned_data["staff_notes"],
            now=step.staff_diary.now,
        )
        self.log_addition(request, appointment, gettext("Booked by the front desk"))
        return appointment

    def move(self, request, step: DiaryStep, form: MoveForm, context):
        tell = form.cleaned_data["tell_patient"]
        try:
            moved = services.appointment_move(
                appointment=step.appointment,
                start=form.start,
                practitioner=Practitioner.objects.get(pk=step.practitioner_id),
                by=request.user,
                tell_patient=tell,
                overbook_reason=form.reason_for_overbooking,
                now=step.staff_diary.now,
            )
        except services.SlotUnavailable as refusal:
            return self.refused(request, "move", step, form, refusal, context)
        except services.TransitionNotAllowed as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return redirect(self.change_url(step.appointment))
        self.log_change(request, moved, gettext("Moved to %(when)s") % self.visit_words(moved))
        self.message_user(request, self.moved_message(moved, tell), messages.SUCCESS)
        return redirect(self.change_url(moved))

    def refused(self, request, template, step: DiaryStep, form: VisitTimeForm, refusal, context):
        """The time was taken meanwhile (or cannot be booked): the page again, everything
        typed kept, the day's free times as they are now and the next ones after it."""
        start = form.start
        form.offer(step.free_times())
        field = "other_time" if form.cleaned_data.get("other_time") else "time"
        form.add_error(field, str(refusal))
        context["next_times"] = step.next_free_times(start)
        return self.diary_page(request, template, context, status=409)

    def diary_page(self, request, template: str, context: dict, status: int = 200):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            **context,
        }
        name = f"admin/booking/appointmentrequest/{template}.html"
        return TemplateResponse(request, name, context, status=status)

    def visit_words(self, appointment: AppointmentRequest) -> dict:
        return {
            "reference": appointment.reference,
            "when": local_time(appointment.starts_at),
            "practitioner": appointment.practitioner,
        }

    def booked_message(self, appointment: AppointmentRequest) -> str:
        words = gettext("%(reference)s booked and confirmed with %(practitioner)s: %(when)s.")
        parts = [words % self.visit_words(appointment)]
        if appointment.is_overbooked:
            parts.append(gettext("Overbooked deliberately."))
        if appointment.email:
            parts.append(gettext("The patient gets a confirmation e-mail."))
        else:
            parts.append(gettext("No e-mail address, so no confirmation e-mail."))
        return " ".join(parts)

    def moved_message(self, appointment: AppointmentRequest, told: bool) -> str:
        words = gettext("%(reference)s moved to %(practitioner)s on %(when)s.")
        parts = [words % self.visit_words(appointment)]
        if appointment.is_overbooked:
            parts.append(gettext("Overbooked deliberately."))
        if told and appointment.email:
            parts.append(gettext("An e-mail with the new time goes to the patient."))
        else:
            parts.append(gettext("The patient was not e-mailed: please tell them."))
        return " ".join(parts)
