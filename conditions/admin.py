from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from clinic.admin import SEO_TEXT_AREAS, ResponsiveImageAdmin
from conditions.models import Cause, Condition


class CauseInline(admin.TabularInline):
    model = Cause
    extra = 1
    fields = ("order", "text")
    verbose_name = _("common cause")
    verbose_name_plural = _("common causes (in the order shown)")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "text":  # wide enough to show a whole cause
            kwargs["widget"] = forms.TextInput(attrs={"class": "vLargeTextField"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Condition)
class ConditionAdmin(ResponsiveImageAdmin):
    # Short columns: the list fits a 1366-pixel screen beside the menu and the filters.
    list_display = ("name", "is_published", "order", "reviewed_on", "updated_on")
    list_filter = ("is_published", "reviewed_by")
    list_select_related = ("reviewed_by",)
    search_fields = ("name", "summary", "body")
    prepopulated_fields = {"slug": ("name",)}
    short_text_areas = ("summary", "image_alt", *SEO_TEXT_AREAS)
    inlines = [CauseInline]
    fieldsets = (
        (None, {"fields": ("name", "slug", "summary", "is_published", "order")}),
        (_("Page text"), {"fields": ("body", "acupuncture_help")}),
        (_("Picture"), {"fields": ("illustration", "image", "image_alt", "image_preview")}),
        (_("Medical review"), {"fields": ("reviewed_on", "reviewed_by")}),
        (_("Search engines and sharing"), {"fields": ("seo_title", "meta_description")}),
    )

    @admin.display(description=_("updated"), ordering="updated_at")
    def updated_on(self, condition: Condition) -> str:
        return date_format(timezone.localtime(condition.updated_at), "DATE_FORMAT")
