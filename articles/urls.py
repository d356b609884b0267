from django.urls import path, register_converter

from . import views
from .models import Article


class SectionConverter:
    """Matches a section of the URL contract: reviews, explainers, renewals, news."""

    regex = "|".join(Article.SECTIONS.values())

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(SectionConverter, "section")

app_name = "articles"
urlpatterns = [
    path("<section:section>/", views.SectionView.as_view(), name="section"),
    path("<section:section>/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("preview/<int:pk>/", views.ArticlePreviewView.as_view(), name="preview"),
    path("tags/<slug:slug>/", views.TagView.as_view(), name="tag"),
]
