from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse

from .models import Article, Tag, modified


class MonthSitemap(Sitemap):
    """The stories that came out in one month (in the newsroom's time zone), newest
    first; ``latest`` is its newest change, which the sitemap index shows."""

    changefreq = "weekly"

    def __init__(self, month, latest=None):
        self.month, self.latest = month, latest

    def items(self):
        start = self.month
        end = (start + timedelta(days=32)).replace(day=1)
        return (
            Article.objects.published()
            .filter(publish_at__gte=start, publish_at__lt=end)
            .with_modified_at()
            .only("kind", "slug", "publish_at", "revised_at")
            .order_by("-publish_at", "-pk")
        )

    def lastmod(self, article):
        return article.modified

    def get_latest_lastmod(self):
        return self.latest


class TagSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        published = Article.objects.published().values("pk")
        story = "articles_taggedarticle_items__content_object"
        return (
            Tag.objects.filter(articles_taggedarticle_items__content_object__in=published)
            .annotate(
                last_story=Max(modified(f"{story}__"), filter=Q(**{f"{story}__in": published}))
            )
            .order_by("slug")
        )

    def location(self, tag):
        return reverse("articles:tag", args=[tag.slug])

    def lastmod(self, tag):
        return tag.last_story
