"""The diary in the admin: treatment types, and each practitioner's diary with their working
hours and time off."""

import itertools

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from booking.admin.feeds import CalendarFeedAdminMixin
from booking.diary import PractitionerDiary, TimeOff, TreatmentType, WorkingHours, format_range
from booking.display import local_time
from booking.models import AppointmentRequest
from clinic.models import Practitioner, Weekday

STILL_BOOKED = _("Visits still booked with this practitioner: move them to someone else")


@admin.register(TreatmentType)
class TreatmentTypeAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "minutes",
        "buffer_minutes",
        "bookable_online",
        "for_new_patients",
        "is_active",
    )
    list_filter = ("is_active", "bookable_online", "for_new_patients")
    search_fields = ("name",)
    ordering = ("position", "name")
    fields = (
        "name",
        "description",
        ("minutes", "buffer_minutes"),
        "bookable_online",
        "for_new_patients",
        "position",
        "is_active",
    )


class LabelledFormSet(BaseInlineFormSet):
    """An inline formset whose "delete" boxes are named for screen readers too."""

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs.setdefault("aria-label", _("Delete"))


class WorkingHoursFormSet(LabelledFormSet):
    """Checks the ranges as they will be saved, so a reshuffle in one save is not refused
    because of what the rows held before."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.compare_with_stored = False  # clean() below compares the rows
        return form

    def clean(self) -> None:
        super().clean()
        ranges = sorted(
            (data["weekday"], data["starts"], data["ends"])
            for data in (getattr(form, "cleaned_data", None) for form in self.forms)
            if data
            and not data.get("DELETE")
            and all(data.get(field) is not None for field in ("weekday", "starts", "ends"))
        )
        for earlier, later in itertools.pairwise(ranges):
            if earlier[0] == later[0] and later[1] < earlier[2]:
                raise ValidationError(
                    _("Two ranges overlap on %(day)s: %(first)s and %(second)s.")
                    % {
                        "day": Weekday(earlier[0]).label,
                        "first": format_range(earlier[1], earlier[2]),
                        "second": format_range(later[1], later[2]),
                    }
                )


class LabelledTabularInline(admin.TabularInline):
    """A tabular inline whose inputs are named for screen readers: the table's column
    headings are not labels, so each input carries its field's name."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            formfield.widget.attrs.setdefault("aria-label", capfirst(db_field.verbose_name))
        return formfield


class WorkingHoursInline(LabelledTabularInline):
    model = WorkingHours
    formset = WorkingHoursFormSet
    fields = ("weekday", "starts", "ends")
    extra = 1


class TimeOffInline(LabelledTabularInline):
    """Time off that has not ended yet: what is past stays stored but out of the way."""

    model = TimeOff
    formset = LabelledFormSet
    fields = ("first_day", "from_time", "last_day", "until_time", "reason")
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).ending_on_or_after(timezone.localdate())


@admin.register(PractitionerDiary)
class PractitionerDiaryAdmin(CalendarFeedAdminMixin, admin.ModelAdmin):
    list_display = ("practitioner", "takes_bookings", "patients_at_once", "types_offered")
    list_filter = ("takes_bookings",)
    list_select_related = ("practitioner",)
    inlines = (WorkingHoursInline, TimeOffInline)
    formfield_overrides = {
        # A handful of types: checkboxes show them all at once, without a script.
        PractitionerDiary._meta.get_field("treatment_types").__class__: {
            "widget": forms.CheckboxSelectMultiple
        },
    }

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("treatment_types")

    def get_fieldsets(self, request, obj=None):
        main = ("practitioner", "takes_bookings", "patients_at_once", "position", "treatment_types")
        fieldsets = [(None, {"fields": main})]
        if obj is not None and not obj.takes_bookings:
            fieldsets.append((STILL_BOOKED, {"fields": ("visits_still_booked",)}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        # The practitioner is the diary's key: changing it would make a second diary.
        return ("practitioner", "visits_still_booked") if obj else ("visits_still_booked",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "practitioner":  # only on the add page: one diary each
            kwargs["queryset"] = Practitioner.objects.filter(diary__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("treatments offered"))
    def types_offered(self, diary: PractitionerDiary) -> str:
        return ", ".join(str(treatment) for treatment in diary.treatment_types.all())

    @admin.display(description=_("visits"))
    def visits_still_booked(self, diary: PractitionerDiary) -> str:
        visits = (
            AppointmentRequest.objects.active()
            .upcoming()
            .filter(practitioner_id=diary.pk)
            .order_by("starts_at")
        )
        if not visits:
            return _("None: no visits are booked with this practitioner from now on.")
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a>: {}, {}</li>',
            (
                (
                    reverse("admin:booking_appointmentrequest_change", args=[visit.pk]),
                    visit.reference,
                    local_time(visit.starts_at),
                    visit.patient_name,
                )
                for visit in visits
            ),
        )
        return format_html("<ul>{}</ul>", items)
