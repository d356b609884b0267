from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef

from people.sitemaps import Rows, address_of, day

from .models import Article, Tag, TaggedArticle, is_published, modified


class MonthSitemap(Rows, Sitemap):
    """The stories that came out in one month (in the newsroom's time zone), newest
    first, as rows (kind, slug, the day of its last change); ``latest`` is its newest
    change, which the sitemap index shows."""

    changefreq = "weekly"

    def __init__(self, month, latest=None, count=None):
        self.month, self.latest, self.count = month, latest, count

    @property
    def paginator(self):
        """Pages of the month's stories. The index counted them in its own query (``count``),
        and makes no query of the month's (building 85 of them took 60 ms)."""
        if self.count is not None:
            pages = Paginator((), self.limit)
            pages.__dict__["count"] = self.count
            return pages
        pages = super().paginator
        pages.allow_empty_first_page = False  # a month without stories has no file
        return pages

    def items(self):
        start = self.month
        end = start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
        return (
            Article.objects.published()
            .filter(publish_at__gte=start, publish_at__lt=end)
            .order_by("-publish_at", "-pk")
            .values_list("kind", "slug", day(modified()))
        )

    def location(self, row):
        before, after = address_of(Article, kind=row[0])
        return f"{before}{row[1]}{after}"

    def lastmod(self, row):
        return row[2]

    def get_latest_lastmod(self):
        return self.latest


class TagSitemap(Rows, Sitemap):
    """Every tag with a published story, A to Z. Its addresses carry no ``lastmod``: the
    newest story of each tag is a pass over every tagging (a quarter of a second at
    100,000 stories), and search engines read tag pages by their own schedule; the index
    gives the file's ``lastmod``: ``latest``, the newest change of any story."""

    changefreq = "daily"
    model = Tag

    def __init__(self, latest=None):
        self.latest = latest  # the newest change of any story, which the index has

    def get_latest_lastmod(self):
        return self.latest

    def items(self):
        tagged = TaggedArticle.objects.filter(is_published("content_object__"), tag=OuterRef("pk"))
        return Tag.objects.filter(Exists(tagged)).order_by("slug").values_list("slug")

    def lastmod(self, row):
        return None
