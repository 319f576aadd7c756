from django.contrib import admin

from clinic.admin import ResponsiveImageAdmin
from conditions.models import Cause, Condition


class CauseInline(admin.TabularInline):
    model = Cause
    extra = 1
    fields = ("order", "text")
    verbose_name = "common cause"
    verbose_name_plural = "common causes (in the order shown)"


@admin.register(Condition)
class ConditionAdmin(ResponsiveImageAdmin):
    list_display = ("name", "is_published", "order", "reviewed_on", "reviewed_by", "updated_at")
    list_filter = ("is_published", "reviewed_by")
    list_select_related = ("reviewed_by",)
    search_fields = ("name", "summary", "body")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [CauseInline]
    fieldsets = (
        (None, {"fields": ("name", "slug", "summary", "is_published", "order")}),
        ("Page text", {"fields": ("body", "acupuncture_help")}),
        ("Picture", {"fields": ("illustration", "image", "image_alt", "image_preview")}),
        ("Medical review", {"fields": ("reviewed_on", "reviewed_by")}),
        ("Search engines and sharing", {"fields": ("seo_title", "meta_description")}),
    )
