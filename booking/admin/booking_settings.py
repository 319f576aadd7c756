"""The booking settings: one row, edited by the front desk."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from booking.models import BookingSettings


@admin.register(BookingSettings)
class BookingSettingsAdmin(admin.ModelAdmin):
    """One row: the list goes straight to it; it is never added twice or deleted."""

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
                )
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
