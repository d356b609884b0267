from django.contrib.sitemaps import Sitemap

from newsroom.sitemap_rows import Rows

from .models import Person, Writer


class PersonSitemap(Rows, Sitemap):
    changefreq = "monthly"
    model = Person


class WriterSitemap(Rows, Sitemap):
    changefreq = "monthly"
    model = Writer
