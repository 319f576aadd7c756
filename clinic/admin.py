from django import forms
from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from clinic.cache import public_pages_changed
from clinic.images import refresh_renditions
from clinic.models import (
    ClinicProfile,
    Closure,
    OpeningHours,
    Page,
    Practitioner,
    Question,
    UrgentCareSign,
)

admin.site.site_header = _("Balanced Health staff")
admin.site.site_title = _("Balanced Health staff")
admin.site.index_title = _("Start")


SEO_TEXT_AREAS = ("seo_title", "meta_description")


class PublicContentAdmin(admin.ModelAdmin):
    """For what the public pages show: any save or delete makes every cached page stale."""

    # One-line texts often longer than a one-line box: shown whole in a small text area,
    # which keeps the field's limit (maxlength).
    short_text_areas: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.short_text_areas:
            rows = 2 if db_field.max_length <= 100 else 3
            kwargs["widget"] = forms.Textarea(attrs={"rows": rows, "class": "vLargeTextField"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # runs after save_model
        public_pages_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        public_pages_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        public_pages_changed()


class ResponsiveImageAdmin(PublicContentAdmin):
    """Builds the responsive renditions whenever the photo is uploaded, replaced or removed."""

    readonly_fields = ("image_preview",)
    short_text_areas = ("image_alt",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "image" in form.changed_data:
            refresh_renditions(obj)

    @admin.display(description=_("how it looks"))
    def image_preview(self, obj):
        picture = obj.picture if obj.pk else None
        if picture is None:
            return _("No photo yet: the site shows its own drawing instead.")
        return render_to_string("admin/includes/image_preview.html", {"picture": picture})


@admin.register(ClinicProfile)
class ClinicProfileAdmin(PublicContentAdmin):
    """One row: it can be edited, never added twice or deleted."""

    list_display = ("name", "phone", "email", "updated_at")
    fieldsets = (
        (None, {"fields": ("name", "tagline", "intro")}),
        (_("Contact"), {"fields": ("phone", "email")}),
        (
            _("Address"),
            {"fields": ("street_address", "locality", "region", "postal_code", "country")},
        ),
        (
            _("Home page"),
            {"fields": ("evidence_heading", "evidence_text", "approach_heading", "approach_text")},
        ),
    )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not ClinicProfile.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OpeningHours)
class OpeningHoursAdmin(PublicContentAdmin):
    list_display = ("weekday", "opens", "closes")
    list_filter = ("weekday",)
    ordering = ("weekday", "opens")


@admin.register(Closure)
class ClosureAdmin(PublicContentAdmin):
    list_display = ("reason", "start_date", "end_date")
    date_hierarchy = "start_date"
    search_fields = ("reason",)


@admin.register(Practitioner)
class PractitionerAdmin(ResponsiveImageAdmin):
    list_display = ("name", "credentials", "is_active", "is_sample", "order")
    list_filter = ("is_active", "is_sample")
    search_fields = ("name",)
    fieldsets = (
        (None, {"fields": ("name", "credentials", "bio", "order", "is_active", "is_sample")}),
        (_("Photo"), {"fields": ("image", "image_alt", "image_preview")}),
    )


@admin.register(Page)
class PageAdmin(PublicContentAdmin):
    list_display = ("title", "slug", "is_published", "updated_at")
    list_filter = ("is_published",)
    search_fields = ("title", "body")
    prepopulated_fields = {"slug": ("title",)}
    short_text_areas = SEO_TEXT_AREAS
    fieldsets = (
        (None, {"fields": ("title", "slug", "body", "is_published")}),
        (_("Search engines and sharing"), {"fields": ("seo_title", "meta_description")}),
    )


@admin.register(UrgentCareSign)
class UrgentCareSignAdmin(PublicContentAdmin):
    """The signs condition pages and the booking form list under each level of urgency."""

    list_display = ("text", "level", "order")
    list_filter = ("level",)
    ordering = ("level", "order")
    search_fields = ("text",)
    short_text_areas = ("text",)


@admin.register(Question)
class QuestionAdmin(PublicContentAdmin):
    """The questions page: patients' common questions and the clinic's answers."""

    list_display = ("question", "is_published", "order", "updated_at")
    list_filter = ("is_published",)
    search_fields = ("question", "answer")
    fields = ("question", "answer", "order", "is_published")
    short_text_areas = ("question",)


admin.site.index_template = "admin/clinic_index.html"
