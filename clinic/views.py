import logging
import sys

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView

from clinic.cache import cache_public_page, last_known_site_details
from clinic.models import ClinicProfile, Closure, Page, Practitioner, Question
from clinic.uploads import FilesNotAccepted
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
    """For load balancers and whoever is on call: each part and whether it answers
    ("database: ok", "cache: unavailable"); 200 when all do, 503 otherwise. Never cached."""
    parts = {"database": _database_answers(), "cache": _cache_answers()}
    report = "".join(f"{part}: {'ok' if up else 'unavailable'}\n" for part, up in parts.items())
    healthy = all(parts.values())
    return HttpResponse(report, status=200 if healthy else 503, content_type="text/plain")


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        logger.warning("Health check: database unavailable (%s)", type(error).__name__)
        return False
    return True


def _cache_answers() -> bool:
    try:
        cache.set("healthz", "ok", timeout=10)
        return cache.get("healthz") == "ok"
    except Exception as error:
        logger.warning("Health check: cache unavailable (%s)", type(error).__name__)
        return False


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes: the admin login is paused for this username from this address."""
    context = {"cooloff_minutes": round(settings.AXES_COOLOFF_TIME * 60)}
    return render(request, "admin/locked_out.html", context, status=429)


def csrf_failure(request, reason=""):
    """A form came back without a valid security token: explain, and offer the way back."""
    return render(request, "403_csrf.html", status=403)


def bad_request(request, exception=None):
    """The site's own 400 page (413 for a body too large, 415 for a file where none is
    taken). It never reads the body, nor checks the CSRF token as Django's own 400 view
    does: a body that cannot be read (a charset other than UTF-8) is often why it is a 400."""
    if isinstance(exception, RequestDataTooBig):
        return too_large(request)
    if isinstance(exception, FilesNotAccepted):
        return files_not_accepted(request)
    return render(request, "400.html", status=400)


def too_large(request):
    """A body larger than the site reads: the largest form is the admin's, with one photo."""
    context = {"photo_limit": settings.IMAGE_UPLOAD_MAX_BYTES}
    return render(request, "413.html", context, status=413)


def files_not_accepted(request):
    """A file sent to a public page: patients never need to send one."""
    return render(request, "415.html", status=415)


# What a database that cannot be reached raises (refused, unreachable, file missing).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def server_error(request):
    """The branded 500 page, with the clinic's phone number when the database can give it;
    the 503 page when the error is that the database cannot be reached (Django calls this
    view while handling the error, so the error is sys.exc_info()'s)."""
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return database_unavailable(request)
    try:
        clinic = ClinicProfile.load()
    except DatabaseError:
        logger.warning("500 page rendered without the clinic profile: database unavailable")
        clinic = _last_known_clinic()
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"clinic": clinic}))


def database_unavailable(request):
    """The 503 page: the database is down, so the page can use nothing but the clinic's
    details as last read (cached content pages still answer meanwhile)."""
    template = loader.get_template("503.html")
    response = HttpResponse(template.render({"clinic": _last_known_clinic()}), status=503)
    response["Retry-After"] = "60"
    return response


def _last_known_clinic() -> ClinicProfile | None:
    details = last_known_site_details()
    return details[0] if details else None
