import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView

from clinic.cache import cache_public_page
from clinic.models import ClinicProfile, Closure, Page, Practitioner, Question
from conditions.models import Condition

logger = logging.getLogger(__name__)


@method_decorator(cache_public_page, name="dispatch")
class HomeView(TemplateView):
    template_name = "clinic/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["conditions"] = Condition.objects.published()
        context["closures"] = Closure.objects.upcoming(timezone.localdate())[:10]
        return context


@method_decorator(cache_public_page, name="dispatch")
class PageDetailView(DetailView):
    """A content page; drafts are visible to staff who may edit pages (a preview)."""

    model = Page

    def get_object(self, queryset=None):
        pages = Page.objects.all()
        if not self.request.user.has_perm("clinic.view_page"):
            pages = pages.published()
        return get_object_or_404(pages, slug=self.kwargs["slug"])

    def get_template_names(self) -> list[str]:
        return [f"clinic/page_{self.object.slug}.html", "clinic/page_detail.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["practitioners"] = Practitioner.objects.active()  # lazy: only the about page
        return context


@method_decorator(cache_public_page, name="dispatch")
class QuestionListView(ListView):
    """The questions patients often ask, with the clinic's answers."""

    queryset = Question.objects.published()
    context_object_name = "questions"


@never_cache
def health(request):
    """For load balancers: 200 when the database and the cache answer, 503 otherwise.
    Says nothing more, and is never cached."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        cache.set("healthz", "ok", timeout=10)
        healthy = cache.get("healthz") == "ok"
    except Exception:
        logger.exception("Health check failed")
        healthy = False
    return HttpResponse(
        "ok" if healthy else "unavailable",
        status=200 if healthy else 503,
        content_type="text/plain",
    )


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes: the admin login is paused for this username from this address."""
    context = {"cooloff_minutes": round(settings.AXES_COOLOFF_TIME * 60)}
    return render(request, "admin/locked_out.html", context, status=429)


def csrf_failure(request, reason=""):
    """A form came back without a valid security token: explain, and offer the way back."""
    return render(request, "403_csrf.html", status=403)


def server_error(request):
    """The branded 500 page, with the clinic's phone number when the database can give it."""
    try:
        clinic = ClinicProfile.load()
    except DatabaseError:
        logger.warning("500 page rendered without the clinic profile: database unavailable")
        clinic = None
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"clinic": clinic}))
