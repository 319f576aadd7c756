"""The request list's filters: visit time on the clinic's calendar, and the reason."""

import datetime

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VisitTimeFilter(admin.SimpleListFilter):
    """When the visit is, on the clinic's calendar: today, this week (Monday to Sunday),
    from now on, or before now."""

    title = _("visit time")
    parameter_name = "visit"

    def lookups(self, request, model_admin):
        return [
            ("today", _("Today")),
            ("week", _("This week")),
            ("upcoming", _("Upcoming")),
            ("past", _("Past")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        today = timezone.localdate(now)
        monday = today - datetime.timedelta(days=today.weekday())
        conditions = {
            "today": Q(starts_at__date=today),
            "week": Q(starts_at__date__range=(monday, monday + datetime.timedelta(days=6))),
            "upcoming": Q(starts_at__gte=now),
            "past": Q(starts_at__lt=now),
        }
        if self.value() in conditions:
            return queryset.filter(conditions[self.value()])
        return queryset


class ReasonFilter(admin.RelatedFieldListFilter):
    """The conditions, and “Something else” for requests that named none."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_value_display = _("Something else")
