"""The calendar feed section of a practitioner's diary page: its status for every staff
member who sees the diary, and creating, renewing and revoking the link for superusers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from booking.diary import PractitionerDiary
from booking.feeds import feed_issue, feed_revoke, feed_url, latest_feed, webcal_url


class CalendarFeedAdminMixin:
    """For PractitionerDiaryAdmin: two POST-only pages beside the change page (a link or a
    prefetch never changes a feed)."""

    change_form_template = "admin/booking/practitionerdiary/change_form.html"

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        return [
            path(
                "<path:object_id>/feed/issue/",
                self.admin_site.admin_view(require_POST(self.feed_issue_view)),
                name=f"{name}_feed_issue",
            ),
            path(
                "<path:object_id>/feed/revoke/",
                self.admin_site.admin_view(require_POST(self.feed_revoke_view)),
                name=f"{name}_feed_revoke",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        diary = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "calendar_feed": latest_feed(diary.practitioner) if diary else None,
            "can_manage_feed": request.user.is_superuser,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _diary_for_feed(self, request: HttpRequest, object_id: str) -> PractitionerDiary:
        """The diary, for a superuser only: any other staff member is refused (403)."""
        if not request.user.is_superuser:
            raise PermissionDenied
        diary = self.get_object(request, object_id)
        if diary is None:
            raise Http404
        return diary

    def feed_issue_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Creates (or renews) the link and shows it this once: it is stored nowhere, so the
        page is the POST's answer (admin_view keeps it out of every cache)."""
        diary = self._diary_for_feed(request, object_id)
        renewed = latest_feed(diary.practitioner)
        renewed = renewed is not None and renewed.revoked_at is None
        token = feed_issue(practitioner=diary.practitioner, by=request.user)
        self.log_change(
            request,
            diary,
            gettext("Renewed the calendar feed link.")
            if renewed
            else gettext("Created a calendar feed link."),
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "diary": diary,
            "title": gettext("Calendar feed link for %(practitioner)s")
            % {"practitioner": diary.practitioner},
            "feed_url": feed_url(token),
            "webcal_url": webcal_url(token),
            "renewed": renewed,
        }
        response = TemplateResponse(
            request, "admin/booking/practitionerdiary/feed_issued.html", context
        )
        response["Referrer-Policy"] = "no-referrer"
        return response

    def feed_revoke_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        diary = self._diary_for_feed(request, object_id)
        if feed_revoke(practitioner=diary.practitioner, by=request.user):
            self.log_change(request, diary, gettext("Revoked the calendar feed link."))
            self.message_user(
                request,
                gettext("The calendar feed link is revoked: it stopped working at once."),
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request, gettext("There was no calendar feed link to revoke."), messages.WARNING
            )
        return redirect("admin:booking_practitionerdiary_change", diary.pk)
