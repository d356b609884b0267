from django.contrib.sitemaps import Sitemap

from .models import Person, Writer


class PersonSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        # A list, so the sitemap costs one query here rather than a count and a fetch.
        return list(Person.objects.only("slug", "updated_at").order_by("pk"))

    def lastmod(self, person):
        return person.updated_at


class WriterSitemap(PersonSitemap):
    def items(self):
        return list(Writer.objects.only("slug", "updated_at").order_by("pk"))
