from django.contrib.sitemaps import Sitemap

from newsroom.sitemap_rows import Rows

from .models import Show


class ShowSitemap(Rows, Sitemap):
    changefreq = "weekly"
    model = Show
