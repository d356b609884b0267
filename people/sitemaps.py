from django.contrib.sitemaps import Sitemap

from .models import Person, Writer


class PersonSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        # A queryset: the sitemap index counts it without fetching everyone.
        return Person.objects.only("slug", "updated_at").order_by("pk")

    def lastmod(self, person):
        return person.updated_at


class WriterSitemap(PersonSitemap):
    def items(self):
        return Writer.objects.only("slug", "updated_at").order_by("pk")
