"""The waiting list for the front desk: who waits for what, and each offer made to them with
its audit trail. Read-only: entries change only through booking.services.waitlist."""

from django.contrib import admin
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from booking.models import AppointmentEvent, AppointmentRequest
from booking.waitlist import WaitlistEntry


def _local(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else ""


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(admin.ModelAdmin):
    list_display = (
        "reference", "patient", "treatment_type", "practitioner_shown", "when_shown", "until",
        "status", "created_at",
    )  # fmt: skip
    list_filter = ("status", "treatment_type", "practitioner")
    list_select_related = ("treatment_type", "practitioner")
    search_fields = ("=reference", "first_name", "last_name")
    show_full_result_count = False
    view_on_site = False  # the entry's own page is the patient's (it lets them leave the list)
    fieldsets = (
        (None, {"fields": ("reference", "status", "created_at")}),
        (
            _("Waiting for"),
            {"fields": ("treatment_type", "practitioner_shown", "when_shown", "until")},
        ),
        (_("Patient"), {"fields": ("first_name", "last_name", "email", "phone_number")}),
        (_("Offers"), {"fields": ("offers_made",)}),
        (_("Record"), {"fields": ("consent_at", "anonymised_at")}),
    )
    readonly_fields = (
        "reference", "status", "created_at", "treatment_type", "practitioner_shown",
        "when_shown", "until", "first_name", "last_name", "email", "phone_number",
        "offers_made", "consent_at", "anonymised_at",
    )  # fmt: skip

    @admin.display(description=_("patient"), ordering="last_name")
    def patient(self, entry):
        return entry.patient_name

    @admin.display(description=_("practitioner"))
    def practitioner_shown(self, entry):
        return entry.practitioner or gettext("Anyone")

    @admin.display(description=_("when it suits"))
    def when_shown(self, entry):
        return "; ".join([", ".join(entry.weekday_names), ", ".join(entry.part_of_day_names)])

    @admin.display(description=_("phone"))
    def phone_number(self, entry):
        return entry.phone_display

    @admin.display(description=_("places offered"))
    def offers_made(self, entry):
        """Each place held for the patient, linked to it, with its audit trail."""
        offers = list(
            AppointmentRequest.objects.filter(waitlist_entry=entry)
            .select_related("practitioner")
            .order_by("created_at", "pk")
        )
        if not offers:
            return gettext("No place offered yet.")
        events = {}
        for event in AppointmentEvent.objects.filter(appointment__in=offers).order_by("at", "pk"):
            events.setdefault(event.appointment_id, []).append(event)
        return format_html(
            '<ul class="waitlist-offers">{}</ul>',
            format_html_join(
                "",
                '<li><a href="{}">{}</a>: {}, {} ({})<ul>{}</ul></li>',
                (
                    (
                        reverse("admin:booking_appointmentrequest_change", args=[offer.pk]),
                        offer.reference,
                        _local(offer.starts_at),
                        offer.practitioner,
                        offer.get_status_display(),
                        format_html_join(
                            "",
                            "<li>{}: {} ({})</li>",
                            (
                                (_local(e.at), e.get_action_display(), e.actor_name)
                                for e in events.get(offer.pk, [])
                            ),
                        ),
                    )
                    for offer in offers
                ),
            ),
        )

    def has_add_permission(self, request):
        return False  # patients join from the site

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the retention job erases personal details
