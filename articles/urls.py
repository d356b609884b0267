from django.urls import path, register_converter

from . import feeds, views
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
    # Feeds come first: /reviews/feed/ is a feed, never a story called "feed".
    path("feed/", feeds.for_readers(feeds.LatestFeed()), name="feed"),
    path("feed/atom/", feeds.for_readers(feeds.LatestAtomFeed()), name="feed-atom"),
    path("<section:section>/feed/", feeds.for_readers(feeds.SectionFeed()), name="section-feed"),
    path("shows/<slug:slug>/feed/", feeds.for_readers(feeds.ShowFeed()), name="show-feed"),
    path("people/<slug:slug>/feed/", feeds.for_readers(feeds.PersonFeed()), name="person-feed"),
    path("writers/<slug:slug>/feed/", feeds.for_readers(feeds.WriterFeed()), name="writer-feed"),
    path("tags/<slug:slug>/feed/", feeds.for_readers(feeds.TagFeed()), name="tag-feed"),
    path(
        "renewal-tracker/feed/",
        feeds.for_readers(feeds.RenewalTrackerFeed()),
        name="renewal-tracker-feed",
    ),
    path("corrections/feed/", feeds.for_readers(feeds.CorrectionsFeed()), name="corrections-feed"),
    path("corrections/", views.CorrectionsView.as_view(), name="corrections"),
    path("<section:section>/", views.SectionView.as_view(), name="section"),
    path("<section:section>/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("preview/<int:pk>/", views.ArticlePreviewView.as_view(), name="preview"),
    path("preview/shared/<str:token>/", views.SharedPreviewView.as_view(), name="shared-preview"),
    path("tags/<slug:slug>/", views.TagView.as_view(), name="tag"),
]
