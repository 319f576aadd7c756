from django.db.models import prefetch_related_objects
from django.http import Http404
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView

from clinic.cache import cache_public_page
from conditions.models import Condition


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
        self.conditions = list(Condition.objects.for_page(slug, self.request.user))
        condition = next((c for c in self.conditions if c.slug == slug), None)
        if condition is None:
            raise Http404("No published condition has this address.")
        prefetch_related_objects([condition], "causes")
        return condition

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["related_conditions"] = [
            c for c in self.conditions if c.is_published and c.pk != self.object.pk
        ]
        return context
