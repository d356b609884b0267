from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse

from .models import Article, Tag, modified


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .with_modified_at()
            .only("kind", "slug", "publish_at", "revised_at")
            .order_by("-pk")
        )

    def lastmod(self, article):
        return article.modified


class TagSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        published = Article.objects.published().values("pk")
        story = "articles_taggedarticle_items__content_object"
        return list(
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
