"""What the request list and the change page show of a request: its columns and read-only
fields, in the clinic's time and words; an overbooking is said in words, not colour alone."""

from django.contrib import admin
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from booking.display import local_time


class RequestColumns:
    """Mixed into the appointment requests' admin."""

    @admin.display(description=_("patient"), ordering="last_name")
    def patient(self, appointment):
        return appointment.patient_name

    @admin.display(description=_("phone"))
    def phone_number(self, appointment):
        """In the clinic's national format, one tap to call."""
        if not appointment.phone:
            return self.get_empty_value_display()
        return format_html('<a href="tel:{}">{}</a>', appointment.phone, appointment.phone_display)

    @admin.display(description=_("visit time"), ordering="starts_at")
    def visit_time(self, appointment):
        return local_time(appointment.starts_at)

    @admin.display(description=_("reason"), ordering="condition__name")
    def reason(self, appointment):
        return appointment.reason

    @admin.display(description=_("treatment"), ordering="treatment_type__name")
    def treatment(self, appointment):
        return appointment.treatment_type.name

    @admin.display(description=_("status"), ordering="status")
    def status_shown(self, appointment):
        """The status, and in words (not colour alone) whether it was overbooked (or, held
        for the waiting list, until when)."""
        if appointment.is_held and appointment.held_until:
            return gettext("Held for the waiting list until %(time)s") % {
                "time": formats.time_format(timezone.localtime(appointment.held_until))
            }
        if not appointment.is_overbooked:
            return appointment.get_status_display()
        return format_html(
            '{} <strong class="overbooked">{}</strong>',
            appointment.get_status_display(),
            gettext("Overbooked"),
        )

    @admin.display(description=_("length"))
    def length(self, appointment):
        """The patient's time, and the practitioner's after it (the buffer)."""
        words = {
            "minutes": appointment.length_minutes,
            "buffer": round((appointment.blocks_until - appointment.ends_at).total_seconds() / 60),
        }
        if not words["buffer"]:
            return gettext("%(minutes)d minutes") % words
        return gettext("%(minutes)d minutes, then %(buffer)d minutes before the next visit") % words

    @admin.display(description=_("overbooked deliberately"))
    def overbooked(self, appointment):
        return gettext("Yes: overbooked") if appointment.is_overbooked else gettext("No")

    @admin.display(description=_("received"), ordering="created_at")
    def received(self, appointment):
        return local_time(appointment.created_at)
