"""sitemap.xml: the public pages, with the time each last changed."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from clinic.models import ClinicProfile, Page, Question
from conditions.models import Condition


class SiteSitemap(Sitemap):
    """Addresses on the public origin (DJANGO_SITE_URL), whatever host the request used."""

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.SITE_URL).scheme


class MainPagesSitemap(SiteSitemap):
    priority = 1.0

    def items(self) -> list[str]:
        return ["clinic:home", "conditions:list", "clinic:questions", "booking:request"]

    def location(self, item: str) -> str:
        return reverse(item)

    def lastmod(self, item: str):
        """The home page and the list change with the clinic's details and the conditions;
        the questions page with its questions."""
        if item == "booking:request":
            return None
        if item == "clinic:questions":
            return Question.objects.published().aggregate(latest=Max("updated_at"))["latest"]
        changes = [Condition.objects.published().aggregate(latest=Max("updated_at"))["latest"]]
        if item == "clinic:home":
            changes.append(ClinicProfile.objects.aggregate(latest=Max("updated_at"))["latest"])
        return max((change for change in changes if change), default=None)


class ConditionSitemap(SiteSitemap):
    priority = 0.8

    def items(self):
        return Condition.objects.published()

    def lastmod(self, condition: Condition):
        return condition.updated_at


class PageSitemap(SiteSitemap):
    priority = 0.5

    def items(self):
        return Page.objects.published()

    def lastmod(self, page: Page):
        return page.updated_at


SITEMAPS = {"main": MainPagesSitemap, "conditions": ConditionSitemap, "pages": PageSitemap}
