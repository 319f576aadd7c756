"""The e-mail outbox in the admin: what went out, what is waiting and why, and a retry.

The outbox is the front desk's view of the task queue: the queue's own rows (django-tasks-db's
task results) are the worker's bookkeeping, not shown here.
"""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks_db.models import DBTaskResult

from booking import emails
from booking.models import Notification, NotificationStatus

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The e-mail outbox: read-only, with a retry for e-mails that are stuck."""

    list_display = (
        "email", "appointment_reference", "status", "progress", "attempts", "created_at",
        "sent_at",
    )  # fmt: skip
    list_filter = ("status", "kind")
    list_select_related = ("appointment",)
    search_fields = ("=appointment__reference",)
    fields = (
        "appointment", "kind", "lead_hours", "status", "progress", "attempts", "last_error",
        "message", "created_at", "next_attempt_at", "sent_at",
    )  # fmt: skip
    readonly_fields = ("progress",)
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # only the sending code writes here

    def has_delete_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return request.user.has_perm("booking.change_notification")

    @admin.display(description=_("e-mail"), ordering="kind")
    def email(self, notification):
        return notification.label

    @admin.display(description=_("request"), ordering="appointment__reference")
    def appointment_reference(self, notification):
        return notification.appointment.reference

    @admin.display(description=_("where it stands"))
    def progress(self, notification):
        return emails.progress(notification)

    @admin.action(description=_("Retry now"), permissions=["retry"])
    def retry_now(self, request, queryset):
        """Hand waiting and failed e-mails to the worker now; a failed one starts a fresh set
        of attempts. Nothing is sent in the request, and an e-mail being sent is left to its
        sender."""
        chosen = list(queryset.values_list("pk", flat=True))
        busy = Notification.objects.filter(
            pk__in=chosen, status=NotificationStatus.SENDING, next_attempt_at__gt=timezone.now()
        ).count()
        queued = len(emails.retry_now(chosen))
        if queued:
            message = ngettext(
                "%(count)d e-mail handed to the worker: it goes out in a moment.",
                "%(count)d e-mails handed to the worker: they go out in a moment.",
                queued,
            )
            self.message_user(request, message % {"count": queued}, messages.SUCCESS)
        if busy:
            message = ngettext(
                "%(count)d e-mail is being sent right now: it was left alone.",
                "%(count)d e-mails are being sent right now: they were left alone.",
                busy,
            )
            self.message_user(request, message % {"count": busy}, messages.INFO)
        if not queued and not busy:
            self.message_user(
                request, _("Nothing to retry: only waiting or failed e-mails."), messages.WARNING
            )
