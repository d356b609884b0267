from django.views.generic import TemplateView

from articles.models import Article


class HomeView(TemplateView):
    template_name = "newsroom/home.html"

    def get_context_data(self, **kwargs):
        latest = list(
            Article.objects.published()
            .select_related("show")
            .prefetch_related("bylines__writer")[:13]
        )
        lead = next((a for a in latest if a.featured), latest[0] if latest else None)
        return super().get_context_data(
            lead=lead, latest=[a for a in latest if a is not lead][:12], **kwargs
        )
