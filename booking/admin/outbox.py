"""The e-mail outbox in the admin: what went out, what is stuck, and a retry."""

from collections import Counter

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from booking.emails import send_email
from booking.models import Notification, NotificationStatus

RETRYABLE = (NotificationStatus.PENDING, NotificationStatus.FAILED)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The e-mail outbox: read-only, with a retry for e-mails that are stuck."""

    list_display = (
        "kind", "appointment_reference", "status", "attempts", "last_error", "created_at",
        "sent_at",
    )  # fmt: skip
    list_filter = ("status", "kind")
    list_select_related = ("appointment",)
    search_fields = ("=appointment__reference",)
    fields = (
        "appointment", "kind", "status", "attempts", "last_error", "message", "created_at",
        "next_attempt_at", "sent_at",
    )  # fmt: skip
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # only the sending code writes here

    def has_delete_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return request.user.has_perm("booking.change_notification")

    @admin.display(description=_("request"), ordering="appointment__reference")
    def appointment_reference(self, notification):
        return notification.appointment.reference

    @admin.action(description=_("Retry now"), permissions=["retry"])
    def retry_now(self, request, queryset):
        """Send waiting and failed e-mails now; a failed one starts a fresh set of attempts."""
        ids = list(queryset.filter(status__in=RETRYABLE).values_list("pk", flat=True))
        if not ids:
            self.message_user(
                request, _("Nothing to retry: only waiting or failed e-mails."), messages.WARNING
            )
            return
        stuck = Notification.objects.filter(pk__in=ids)
        stuck.filter(status=NotificationStatus.FAILED).update(
            status=NotificationStatus.PENDING, attempts=0
        )
        stuck.update(next_attempt_at=timezone.now())
        self.report_retries(request, Counter(send_email(pk) for pk in ids))

    def report_retries(self, request, outcomes: Counter) -> None:
        if sent := outcomes[NotificationStatus.SENT]:
            message = ngettext("%(count)d e-mail sent.", "%(count)d e-mails sent.", sent)
            self.message_user(request, message % {"count": sent}, messages.SUCCESS)
        if failed := outcomes[NotificationStatus.PENDING] + outcomes[NotificationStatus.FAILED]:
            message = ngettext(
                "%(count)d e-mail could not be sent: see the last error.",
                "%(count)d e-mails could not be sent: see the last error.",
                failed,
            )
            self.message_user(request, message % {"count": failed}, messages.ERROR)
        if skipped := outcomes[NotificationStatus.SKIPPED]:
            message = ngettext(
                "%(count)d e-mail not sent: the request has changed since, so it is no longer "
                "true.",
                "%(count)d e-mails not sent: the requests have changed since, so they are no "
                "longer true.",
                skipped,
            )
            self.message_user(request, message % {"count": skipped}, messages.WARNING)
        if busy := outcomes[None]:
            message = ngettext(
                "%(count)d e-mail is already being sent.",
                "%(count)d e-mails are already being sent.",
                busy,
            )
            self.message_user(request, message % {"count": busy}, messages.INFO)
