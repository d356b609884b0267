from django.contrib.auth.mixins import UserPassesTestMixin
from django.http import Http404
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView

from .models import Article

SECTION_KINDS = {section: kind for kind, section in Article.SECTIONS.items()}
SECTION_TITLES = {
    "reviews": "Reviews",
    "explainers": "Explainers",
    "renewals": "Renewal news",
    "news": "News",
}


class ArticleViewMixin:
    """Public article views: published stories only, with what their templates touch."""

    def get_queryset(self):
        return (
            Article.objects.published()
            .select_related("show__network", "season")
            .prefetch_related("bylines__writer", "tags")
        )


class SectionView(ArticleViewMixin, ListView):
    template_name = "articles/section.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        return super().get_queryset().filter(kind=SECTION_KINDS[self.kwargs["section"]])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            section=self.kwargs["section"],
            section_title=SECTION_TITLES[self.kwargs["section"]],
            **kwargs,
        )


class ArticleDetailView(ArticleViewMixin, DetailView):
    template_name = "articles/article.html"
    context_object_name = "article"

    def get_queryset(self):
        return super().get_queryset().filter(kind=SECTION_KINDS[self.kwargs["section"]])


class ArticlePreviewView(UserPassesTestMixin, DetailView):
    """Staff see any story as readers will, whatever its status."""

    template_name = "articles/article.html"
    context_object_name = "article"
    queryset = Article.objects.select_related("show__network", "season").prefetch_related(
        "bylines__writer", "tags"
    )

    def test_func(self):
        return self.request.user.is_active and self.request.user.is_staff

    def handle_no_permission(self):
        raise Http404("No story here.")

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=True, **kwargs)

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
