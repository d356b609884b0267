"""The sitemap index and its files, as search engines read them.

``/sitemap.xml`` is an index: one file of stories per month they came out, then the
shows, people, writers, tags and the site's own pages. No file holds more than
SITEMAP_LIMIT addresses (50,000, the most Google reads from one file): a bigger
section is split into pages (``?p=2``). Every file in the index has its ``lastmod``,
worked out by the database, so the index costs one query for the months and one for
each other section however much there is.
"""

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.flatpages.sitemaps import FlatPageSitemap
from django.db.models import Count, Max
from django.db.models.functions import TruncMonth
from django.utils import timezone

from articles.models import Article, modified
from articles.sitemaps import MonthSitemap, TagSitemap
from people.models import Person, Writer
from people.sitemaps import PersonSitemap, WriterSitemap
from shows.models import Show
from shows.sitemaps import ShowSitemap


class Limited:
    """At most SITEMAP_LIMIT addresses a file."""

    @property
    def limit(self):
        return settings.SITEMAP_LIMIT


class Latest(Limited):
    """A section whose newest change the index reads with one aggregate query."""

    model = None

    def get_latest_lastmod(self):
        return self.model.objects.aggregate(latest=Max("updated_at"))["latest"]


class Stories(Limited, MonthSitemap):
    def __init__(self, month, latest=None, count=None):
        super().__init__(month, latest)
        self.count = count

    @property
    def paginator(self):
        """Pages of the month's stories, counted by the index's own query (no count a
        month when the index is read)."""
        pages = super().paginator
        if self.count is not None:
            pages.__dict__["count"] = self.count
        return pages


class Shows(Latest, ShowSitemap):
    model = Show


class People(Latest, PersonSitemap):
    model = Person


class Writers(Latest, WriterSitemap):
    model = Writer


class Tags(Limited, TagSitemap):
    def get_latest_lastmod(self):
        return Article.objects.published().aggregate(latest=Max(modified()))["latest"]


class Pages(Limited, FlatPageSitemap):
    def get_latest_lastmod(self):
        return None  # flat pages keep no date

    def items(self):
        pages = FlatPage.objects.filter(registration_required=False, sites=settings.SITE_ID)
        return pages.order_by("url")


def sections():
    """Every file of the index by name, newest month first: ``stories-2026-11``…"""
    months = (
        Article.objects.published()
        .annotate(month=TruncMonth("publish_at", tzinfo=timezone.get_current_timezone()))
        .values("month")
        .annotate(latest=Max(modified()), count=Count("pk"))
        .order_by("-month")
    )
    found = {
        f"stories-{row['month']:%Y-%m}": Stories(row["month"], row["latest"], row["count"])
        for row in months
    }
    return {
        **found,
        "shows": Shows,
        "people": People,
        "writers": Writers,
        "tags": Tags,
        "pages": Pages,
    }
