from django.contrib.sitemaps import Sitemap

from .models import Show


class ShowSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        # A queryset: the sitemap index counts it without fetching every show.
        return Show.objects.only("slug", "updated_at").order_by("pk")

    def lastmod(self, show):
        return show.updated_at
