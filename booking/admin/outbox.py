"""The e-mail outbox in the admin: what went out, what is stuck, and a retry."""

from collections import Counter

from django.contrib import admin, messages
from django.utils import timezone

from booking.display import count_of
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

    @admin.display(description="request", ordering="appointment__reference")
    def appointment_reference(self, notification):
        return notification.appointment.reference

    @admin.action(description="Retry now", permissions=["retry"])
    def retry_now(self, request, queryset):
        """Send waiting and failed e-mails now; a failed one starts a fresh set of attempts."""
        ids = list(queryset.filter(status__in=RETRYABLE).values_list("pk", flat=True))
        if not ids:
            self.message_user(
                request, "Nothing to retry: only waiting or failed e-mails.", messages.WARNING
            )
            return
        stuck = Notification.objects.filter(pk__in=ids)
        stuck.filter(status=NotificationStatus.FAILED).update(
            status=NotificationStatus.PENDING, attempts=0
        )
        stuck.update(next_attempt_at=timezone.now())
        self.report_retries(request, Counter(send_email(pk) for pk in ids))

    def report_retries(self, request, outcomes: Counter) -> None:
        if outcomes[NotificationStatus.SENT]:
            sent = count_of(outcomes[NotificationStatus.SENT], "e-mail")
            self.message_user(request, f"{sent} sent.", messages.SUCCESS)
        failed = outcomes[NotificationStatus.PENDING] + outcomes[NotificationStatus.FAILED]
        if failed:
            message = f"{count_of(failed, 'e-mail')} could not be sent: see the last error."
            self.message_user(request, message, messages.ERROR)
        if outcomes[NotificationStatus.SKIPPED]:
            skipped = count_of(outcomes[NotificationStatus.SKIPPED], "e-mail")
            message = f"{skipped} not sent: the request has changed since, so no longer true."
            self.message_user(request, message, messages.WARNING)
        if outcomes[None]:
            busy = count_of(outcomes[None], "e-mail")
            self.message_user(request, f"{busy} already being sent.", messages.INFO)
