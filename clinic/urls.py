from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from clinic import views
from clinic.sitemaps import SITEMAPS

clinic_patterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("questions/", views.QuestionListView.as_view(), name="questions"),
    path("<slug:slug>/", views.PageDetailView.as_view(), name="page"),
]

urlpatterns = [
    path("healthz", views.health, name="health"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "robots.txt",
        # The admin is not listed (that would publish its address): it answers every
        # request with X-Robots-Tag: noindex instead (clinic.middleware).
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("conditions/", include("conditions.urls")),
    path("", include("booking.urls")),
    # Content pages (/about/, /privacy/, …) last: their addresses are staff-chosen slugs.
    path("", include((clinic_patterns, "clinic"))),
]
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)  # only under DEBUG

handler400 = "clinic.views.bad_request"
handler500 = "clinic.views.server_error"
