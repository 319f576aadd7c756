from django.db.models import prefetch_related_objects
from django.http import Http404
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView

from clinic.cache import cache_public_page, cached_for_this_version
from conditions.models import Condition, may_preview_drafts


def _published_conditions() -> list[Condition]:
    conditions = list(Condition.objects.published().select_related("reviewed_by"))
    prefetch_related_objects(conditions, "causes")
    return conditions


@method_decorator(cache_public_page, name="dispatch")
class ConditionListView(ListView):
    queryset = Condition.objects.published()
    context_object_name = "conditions"


@method_decorator(cache_public_page, name="dispatch")
class ConditionDetailView(DetailView):
    """A condition's page; a draft is a 404 to patients and a preview to staff."""

    model = Condition

    def get_object(self, queryset=None) -> Condition:
        slug = self.kwargs["slug"]
        self.conditions = self._conditions(slug)
        condition = next((c for c in self.conditions if c.slug == slug), None)
        if condition is None:
            raise Http404("No published condition has this address.")
        return condition

    def _conditions(self, slug: str) -> list[Condition]:
        """The page's condition and the other published ones, its causes loaded. Everyone
        who may not preview drafts sees the same published ones: they are kept per content
        version, so a visitor the page cache cannot serve (one with a session, or the first
        after a save) costs no query for them."""
        user = self.request.user
        if not may_preview_drafts(user):
            return cached_for_this_version("published-conditions", _published_conditions)
        conditions = list(Condition.objects.for_page(slug, user))
        prefetch_related_objects([c for c in conditions if c.slug == slug], "causes")
        return conditions

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["related_conditions"] = [
            c for c in self.conditions if c.is_published and c.pk != self.object.pk
        ]
        return context
