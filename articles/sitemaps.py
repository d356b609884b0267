from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse

from .models import Article, Tag


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Article.objects.published().only("kind", "slug", "updated_at").order_by("-pk")

    def lastmod(self, article):
        return article.updated_at


class TagSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        published = Article.objects.published().values("pk")
        return list(
            Tag.objects.filter(articles_taggedarticle_items__content_object__in=published)
            .annotate(
                last_story=Max(
                    "articles_taggedarticle_items__content_object__updated_at",
                    filter=Q(articles_taggedarticle_items__content_object__in=published),
                )
            )
            .order_by("slug")
        )

    def location(self, tag):
        return reverse("articles:tag", args=[tag.slug])

    def lastmod(self, tag):
        return tag.last_story
