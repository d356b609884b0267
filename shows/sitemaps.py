from django.contrib.sitemaps import Sitemap

from people.sitemaps import Rows

from .models import Show


class ShowSitemap(Rows, Sitemap):
    changefreq = "weekly"
    model = Show
