from django.contrib.sitemaps import Sitemap

from .models import Show


class ShowSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        # A list, so the sitemap costs one query here rather than a count and a fetch.
        return list(Show.objects.only("slug", "updated_at").order_by("pk"))

    def lastmod(self, show):
        return show.updated_at
