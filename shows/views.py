from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from .models import Credit, Show


class ShowListView(ListView):
    template_name = "shows/index.html"
    context_object_name = "shows"
    paginate_by = 50

    def get_queryset(self):
        return Show.objects.select_related("network").with_current_status()


class ShowDetailView(DetailView):
    template_name = "shows/show.html"
    context_object_name = "show"

    def get_queryset(self):
        return Show.objects.select_related("network", "source_author").prefetch_related(
            "genres",
            "seasons",
            "status_changes__season",
            Prefetch("credits", queryset=Credit.objects.select_related("person")),
        )

    def get_context_data(self, **kwargs):
        show = self.object
        return super().get_context_data(
            articles=show.articles.published().prefetch_related("bylines__writer")[:20],
            **kwargs,
        )
