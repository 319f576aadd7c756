"""The booking settings: one row, edited by the front desk."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from booking.models import REMINDER_LEADS, BookingSettings


class BookingSettingsForm(forms.ModelForm):
    """The reminders are a row of checkboxes (a list of hours is stored)."""

    reminder_lead_hours = forms.TypedMultipleChoiceField(
        label=_("Send reminders"),
        choices=list(REMINDER_LEADS.items()),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=BookingSettings._meta.get_field("reminder_lead_hours").help_text,
    )

    class Meta:
        model = BookingSettings
        fields = ("reminder_lead_hours",)  # the others: the admin's fieldsets

    def clean_reminder_lead_hours(self) -> list[int]:
        """Longest lead first, as the checkboxes list them."""
        return sorted(self.cleaned_data["reminder_lead_hours"], reverse=True)


@admin.register(BookingSettings)
class BookingSettingsAdmin(admin.ModelAdmin):
    """One row: the list goes straight to it; it is never added twice or deleted."""

    form = BookingSettingsForm
    fieldsets = (
        (
            _("Appointments"),
            {
                "fields": ("grid_minutes",),
                "description": _(
                    "Changes apply to the times offered from now on; requests "
                    "already made keep their time."
                ),
            },
        ),
        (
            _("When patients can book and cancel"),
            {
                "fields": (
                    "min_notice_hours",
                    "horizon_days",
                    "cancellation_cutoff_hours",
                    "patient_changes_confirmed",
                    "waitlist_hold_minutes",
                )
            },
        ),
        (
            _("Reminders"),
            {
                "fields": ("reminder_lead_hours", "calendar_alarm_minutes"),
                "description": _(
                    "Reminders go by e-mail to patients with a confirmed visit, never after a "
                    "cancellation; a moved visit gets them again for its new time."
                ),
            },
        ),
        (_("Privacy"), {"fields": ("retention_days",)}),
        (
            _("Where booking e-mail goes"),
            {
                "fields": ("staff_email", "reply_to_email"),
                "description": _(
                    "Set here, by the front desk: changing the clinic's public "
                    "e-mail on the website does not change these."
                ),
            },
        ),
    )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not BookingSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return redirect("admin:booking_bookingsettings_change", BookingSettings.load().pk)
