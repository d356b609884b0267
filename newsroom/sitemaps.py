"""The sitemap index and its files, as search engines read them.

``/sitemap.xml`` is an index: one file of stories per month they came out, then the
shows, people, writers, tags and the site's own pages. No file holds more than
SITEMAP_LIMIT addresses (10,000; Google reads up to 50,000 from one file): a bigger
section is split into pages (``?p=2``). Every file in the index has its ``lastmod``,
worked out by the database, so the index costs one query for the months and one for
each other section however much there is. A file is written from rows
(people/sitemaps.py) and costs two queries: how many addresses its section has, and its
page of them.
"""

import re
from datetime import datetime

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.flatpages.sitemaps import FlatPageSitemap
from django.db import connection
from django.db.models import Count, Max
from django.db.models.functions import TruncMonth
from django.utils import timezone

from articles.models import Article, modified
from articles.sitemaps import MonthSitemap, TagSitemap
from people.sitemaps import Limited, PersonSitemap, WriterSitemap
from shows.sitemaps import ShowSitemap


class Pages(Limited, FlatPageSitemap):
    def get_latest_lastmod(self):
        return None  # flat pages keep no date

    def lastmod(self, page):
        return None

    def items(self):
        pages = FlatPage.objects.filter(registration_required=False, sites=settings.SITE_ID)
        return pages.order_by("url")


OTHERS = {
    "shows": ShowSitemap,
    "people": PersonSitemap,
    "writers": WriterSitemap,
    "tags": TagSitemap,
    "pages": Pages,
}
MONTH = re.compile(r"stories-(\d{4})-(\d{2})")


def section(name):
    """The section of one file, by name (``stories-2026-11``, ``shows``…); None if there is
    no such name. A month's stories are counted when its file is read."""
    if name in OTHERS:
        return OTHERS[name]()
    found = MONTH.fullmatch(name)
    year, month = (int(found[1]), int(found[2])) if found else (0, 0)
    # No story is out after this year: a later month has no file (nor a calendar, past 9999).
    if not 1 <= year <= timezone.localtime().year or not 1 <= month <= 12:
        return None
    return MonthSitemap(datetime(year, month, 1, tzinfo=timezone.get_current_timezone()))


# The months stories came out in, each with its newest change and how many, on
# PostgreSQL: a range of the published-stories index a month (16 ms at 100,000 stories),
# where grouping every story by its month sorted them all (60 ms).
MONTHS_SQL = """
SELECT m.start, s.latest, s.count
FROM generate_series(
    date_trunc('month', (
        SELECT min(publish_at) FROM articles_article WHERE status = %(published)s
    ) AT TIME ZONE %(zone)s),
    date_trunc('month', %(now)s AT TIME ZONE %(zone)s),
    interval '1 month'
) AS m(start)
CROSS JOIN LATERAL (
    SELECT count(*) AS count,
           max(GREATEST(publish_at, COALESCE(revised_at, publish_at))) AS latest
    FROM articles_article
    WHERE status = %(published)s AND publish_at <= %(now)s
      AND publish_at >= (m.start AT TIME ZONE %(zone)s)
      AND publish_at < ((m.start + interval '1 month') AT TIME ZONE %(zone)s)
) AS s
WHERE s.count > 0
ORDER BY m.start DESC
"""


def months():
    """(first moment, newest change, how many) of each month with published stories, in
    the newsroom's time zone, newest first."""
    zone = timezone.get_current_timezone()
    if connection.vendor == "postgresql":
        now = timezone.now()
        params = {"published": Article.Status.PUBLISHED, "zone": str(zone), "now": now}
        with connection.cursor() as cursor:
            cursor.execute(MONTHS_SQL, params)
            return [(start.replace(tzinfo=zone), latest, count) for start, latest, count in cursor]
    rows = (
        Article.objects.published()
        .annotate(month=TruncMonth("publish_at", tzinfo=zone))
        .values("month")
        .annotate(latest=Max(modified()), count=Count("*"))
        .order_by("-month")
    )
    return [(row["month"], row["latest"], row["count"]) for row in rows]


def month_name(month):
    """The file of a month's stories: ``stories-2026-11`` (``stories-0999-06``: four digits)."""
    return f"stories-{month.year:04d}-{month.month:02d}"


def sections():
    """Every file of the index by name, newest month first: ``stories-2026-11``…"""
    found = {
        month_name(month): MonthSitemap(month, latest, count) for month, latest, count in months()
    }
    newest = max((month.latest for month in found.values()), default=None)
    return {**found, **OTHERS, "tags": TagSitemap(newest)}
