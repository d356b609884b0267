"""What search engines and link previews read: head tags, JSON-LD, sitemaps, robots.txt.

Pages are read through the test client as an anonymous crawler (staff only for previews)
and parsed with the standard library, the way a crawler sees them.
"""

import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Tag
from people.models import Person, Writer
from shows.models import Credit, Show

from .factories import (
    ArticleFactory,
    PersonFactory,
    ReviewFactory,
    ShowFactory,
    WriterFactory,
)
from .sitemaps import sitemap_files

pytestmark = pytest.mark.django_db

HOST = "http://testserver"
SITEMAP_NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
STORY_PAGES = ["review", "explainer", "renewal", "news"]
PAGES = ["home", "section", *STORY_PAGES, "show", "person", "writer", "tag", "tracker", "search"]
SPOILER_BODY = "Before the twist.\n\n:::spoiler Ending\nThe butler did it.\n:::\n\nAfter it."
SCRIPT_BREAKOUT = "</script><script>alert(1)</script>"


# --- helpers -------------------------------------------------------------------------------


class ParsedPage(HTMLParser):
    """The parts of an HTML page a crawler reads: title, meta, links, h1s and JSON-LD."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.html = html
        self.titles = []
        self.metas = []
        self.links = []
        self.h1_count = 0
        self.json_ld_texts = []
        self._collecting = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self._collecting = self.titles
            self.titles.append("")
        elif tag == "meta":
            self.metas.append(attrs)
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "h1":
            self.h1_count += 1
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._collecting = self.json_ld_texts
            self.json_ld_texts.append("")

    def handle_endtag(self, tag):
        if tag in ("title", "script"):
            self._collecting = None

    def handle_data(self, data):
        if self._collecting is not None:
            self._collecting[-1] += data

    def meta(self, key):
        """The content of every <meta name=key> or <meta property=key>."""
        return [
            m.get("content", "") for m in self.metas if key in (m.get("name"), m.get("property"))
        ]

    def one_meta(self, key):
        values = self.meta(key)
        assert len(values) == 1, f"expected one {key} meta tag, found {values}"
        return values[0]

    def canonicals(self):
        return [link.get("href", "") for link in self.links if link.get("rel") == "canonical"]

    @property
    def json_ld(self):
        return [json.loads(text) for text in self.json_ld_texts]

    @property
    def graph(self):
        """Every schema.org item of the page's JSON-LD, from the @graph form."""
        items = []
        for document in self.json_ld:
            assert document["@context"] == "https://schema.org"
            items += document["@graph"]
        return items

    def items_of_type(self, schema_type):
        return [item for item in self.graph if item.get("@type") == schema_type]

    def one_item(self, schema_type):
        found = self.items_of_type(schema_type)
        assert len(found) == 1, f"expected one {schema_type}, found {len(found)}"
        return found[0]


def crawl(url, client=None):
    response = (client or Client()).get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response


def parse(url, client=None):
    return ParsedPage(crawl(url, client).text)


def absolute(path):
    return HOST + path


def is_absolute(url):
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def authors_of(article):
    """What NewsArticle.author should be: the byline, in order, as (name, url)."""
    return [(w.name, absolute(w.get_absolute_url())) for w in article.byline]


def note_names(item_list):
    assert item_list["@type"] == "ItemList"
    elements = sorted(item_list["itemListElement"], key=lambda e: e["position"])
    assert [e["@type"] for e in elements] == ["ListItem"] * len(elements)
    return [e["name"] for e in elements]


def sitemap_entries(response):
    """{loc: lastmod or None} of a sitemap.xml response."""
    root = ET.fromstring(response.content)
    entries = {}
    for url in root.findall("sm:url", SITEMAP_NS):
        lastmod = url.find("sm:lastmod", SITEMAP_NS)
        entries[url.findtext("sm:loc", namespaces=SITEMAP_NS)] = (
            lastmod.text if lastmod is not None else None
        )
    return entries


def whole_sitemap_entries():
    """{loc: lastmod or None} of every file the sitemap index names, read as a crawler."""
    entries = {}
    for path in sitemap_files(Client()):
        entries.update(sitemap_entries(crawl(path)))
    return entries


def story(kind, **fields):
    """A published story of ``kind``, with the show that reviews and renewals need."""
    if kind == Article.Kind.REVIEW:
        return ReviewFactory(**fields)
    if kind == Article.Kind.RENEWAL:
        fields.setdefault("show", ShowFactory())
    return ArticleFactory(kind=kind, **fields)


@pytest.fixture
def site(demo):
    """The demo content plus a news story (the demo has none): {page name: URL}."""
    news = ArticleFactory(
        title="Netflix sets a date for its next Harlan Coben thriller",
        slug="next-harlan-coben-thriller-date",
        dek="The streamer's New Year's Day habit continues.",
        writers=[Writer.objects.get(slug="maya-okafor")],
    )
    news.tags.add("Harlan Coben")
    return {
        "home": reverse("home"),
        "section": reverse("articles:section", args=["reviews"]),
        "review": "/reviews/run-away-season-1-review/",
        "explainer": "/explainers/is-run-away-a-true-story/",
        "renewal": "/renewals/run-away-season-2-renewal-status/",
        "news": news.get_absolute_url(),
        "show": reverse("shows:detail", args=["run-away"]),
        "person": reverse("people:person", args=["james-nesbitt"]),
        "writer": reverse("people:writer", args=["maya-okafor"]),
        "tag": reverse("articles:tag", args=[Tag.objects.get(name="Harlan Coben").slug]),
        "tracker": reverse("renewal-tracker"),
        "search": reverse("search") + "?q=coben",
    }


def article_at(url):
    return Article.objects.get(slug=url.rstrip("/").rsplit("/", 1)[-1])


# --- the head of every page ----------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_every_page_has_one_title_and_a_description(site, name):
    page = parse(site[name])

    assert len(page.titles) == 1, page.titles
    assert page.titles[0].strip()
    assert page.one_meta("description").strip()


def test_no_two_pages_share_a_title(site):
    titles = {name: parse(url).titles[0].strip() for name, url in site.items()}

    shared = {t for t in titles.values() if list(titles.values()).count(t) > 1}
    assert not shared, {name: t for name, t in titles.items() if t in shared}


@pytest.mark.parametrize("name", PAGES)
def test_every_page_names_one_absolute_canonical_url(site, name):
    page = parse(site[name])

    canonicals = page.canonicals()
    assert len(canonicals) == 1, canonicals
    assert is_absolute(canonicals[0]), canonicals[0]
    assert urlsplit(canonicals[0]).path == urlsplit(site[name]).path


@pytest.mark.parametrize("name", PAGES)
def test_every_page_has_open_graph_and_twitter_card_tags(site, name):
    page = parse(site[name])

    for key in ("og:title", "og:description", "og:type"):
        assert page.one_meta(key).strip(), key
    og_url = page.one_meta("og:url")
    assert is_absolute(og_url)
    assert og_url == page.canonicals()[0]
    # A large picture on every page: its own, or a card drawn with its title.
    assert is_absolute(page.one_meta("og:image"))
    assert int(page.one_meta("og:image:width")) >= 1200 or name in ("person", "writer")
    assert int(page.one_meta("og:image:height")) > 0
    assert page.one_meta("og:image:alt").strip()
    assert page.one_meta("twitter:image") == page.one_meta("og:image")
    assert page.one_meta("twitter:card") == "summary_large_image"
    if name != "search":  # kept out of search engines altogether
        assert page.one_meta("robots") == "max-image-preview:large"


@pytest.mark.parametrize("name", PAGES)
def test_every_page_has_exactly_one_h1(site, name):
    assert parse(site[name]).h1_count == 1


@pytest.mark.parametrize("name", STORY_PAGES)
def test_story_pages_are_open_graph_articles(site, name):
    assert parse(site[name]).one_meta("og:type") == "article"


def test_a_story_with_a_hero_image_shares_it_as_a_large_card(site):
    page = parse(site["explainer"])

    assert is_absolute(page.one_meta("og:image"))
    assert page.one_meta("og:image:alt").strip()
    assert page.one_meta("twitter:card") == "summary_large_image"


# --- JSON-LD -------------------------------------------------------------------------------


JSON_LD_TYPES = {
    "home": {"WebSite"},
    "review": {"NewsArticle", "Review", "BreadcrumbList"},
    **{name: {"NewsArticle", "BreadcrumbList"} for name in ("explainer", "renewal", "news")},
    "show": {"TVSeries", "BreadcrumbList"},
    "person": {"Person", "BreadcrumbList"},
    "writer": {"Person", "BreadcrumbList"},
    **{name: {"BreadcrumbList"} for name in ("section", "tag", "tracker", "search")},
}


@pytest.mark.parametrize("name", PAGES)
def test_every_page_describes_itself_in_one_schema_org_graph(site, name):
    page = parse(site[name])
    assert len(page.json_ld) == 1, "one JSON-LD document a page"
    document = page.json_ld[0]
    assert document["@context"] == "https://schema.org"
    assert {item["@type"] for item in document["@graph"]} == JSON_LD_TYPES[name]


def test_the_home_page_names_the_publication_and_how_to_search_it(site):
    website = parse(site["home"]).one_item("WebSite")
    assert website["name"] == "Newsroom" and website["url"] == absolute("/")
    assert website["publisher"]["@type"] == "NewsMediaOrganization"
    assert is_absolute(website["publisher"]["logo"]["url"])
    action = website["potentialAction"]
    assert action["target"]["urlTemplate"] == absolute("/search/") + "?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"


@pytest.mark.parametrize("name", STORY_PAGES)
def test_story_pages_carry_a_news_article(site, name):
    page = parse(site[name])
    article = article_at(site[name])

    item = page.one_item("NewsArticle")
    assert item["headline"] == article.title
    assert datetime.fromisoformat(item["datePublished"]) == article.publish_at.replace(
        microsecond=0
    )
    assert datetime.fromisoformat(item["dateModified"]) == article.modified_at.replace(
        microsecond=0
    )
    assert item["publisher"]["name"] == "Newsroom"
    assert is_absolute(item["publisher"]["url"])
    assert item["mainEntityOfPage"] == absolute(site[name])


@pytest.mark.parametrize("name", STORY_PAGES)
def test_news_article_authors_are_people_with_name_and_url_in_byline_order(site, name):
    item = parse(site[name]).one_item("NewsArticle")
    article = article_at(site[name])

    authors = item["author"]
    assert isinstance(authors, list)
    assert [a["@type"] for a in authors] == ["Person"] * len(authors)
    assert [(a["name"], a["url"]) for a in authors] == authors_of(article)


def test_the_explainer_credits_both_co_authors_in_byline_order(site):
    item = parse(site["explainer"]).one_item("NewsArticle")

    assert [a["name"] for a in item["author"]] == ["Maya Okafor", "Tom Reilly"]
    assert [a["url"] for a in item["author"]] == [
        absolute("/writers/maya-okafor/"),
        absolute("/writers/tom-reilly/"),
    ]


def test_the_news_article_gives_its_picture_at_16_9_4_3_and_1_1_the_shared_one_first(site):
    page = parse(site["explainer"])
    images = page.one_item("NewsArticle")["image"]

    assert images[0] == page.one_meta("og:image")
    assert [url.rsplit("-", 2)[-2:] for url in images] == [
        ["16x9", "1200w.jpg"],
        ["4x3", "900w.jpg"],
        ["1x1", "675w.jpg"],
    ]  # the demo's 1,200 x 675 title card, cropped as Google asks
    assert (page.one_meta("og:image:width"), page.one_meta("og:image:height")) == ("1200", "675")


def test_a_story_without_a_hero_is_shared_with_its_shows_poster_or_a_card(site):
    renewal = article_at(site["renewal"])
    Article.objects.filter(pk=renewal.pk).update(hero=None)  # the demo's title card gone
    poster = renewal.show.poster  # the demo's key art, 1,200 x 1,800
    page = parse(site["renewal"])
    crop = poster.rendition("16:9", 1200)
    assert page.one_meta("og:image") == absolute(default_storage.url(crop["name"]))
    assert (page.one_meta("og:image:width"), page.one_meta("og:image:height")) == ("1200", "675")
    assert page.one_meta("og:image:alt") == poster.alt

    news = parse(site["news"])  # no hero, no show: a card with the headline
    card = news.one_meta("og:image")
    assert "/cards/" in card and news.one_item("NewsArticle")["image"] == card
    assert (news.one_meta("og:image:width"), news.one_meta("og:image:height")) == ("1200", "630")
    assert news.one_meta("og:image:alt") == (
        "News: Netflix sets a date for its next Harlan Coben thriller"
    )


def test_a_headline_card_is_drawn_once_and_stored(site, monkeypatch):
    from django.core.files.storage import default_storage
    from PIL import Image

    card = parse(site["news"]).one_meta("og:image")
    name = card.split("/media/", 1)[1]
    with default_storage.open(name) as f, Image.open(f) as picture:
        assert (picture.format, picture.size) == ("JPEG", (1200, 630))
    drawn = []
    monkeypatch.setattr(default_storage, "save", lambda *args, **kwargs: drawn.append(args))
    article_at(site["news"]).save()  # a new generation: the page is made again
    assert parse(site["news"]).one_meta("og:image") == card
    assert drawn == []


def test_story_pages_say_when_who_what_and_about_what_to_social_networks(site):
    page = parse(site["explainer"])
    explainer = article_at(site["explainer"])
    published = page.one_meta("article:published_time")
    assert published == explainer.publish_at.replace(microsecond=0).isoformat()
    assert page.one_meta("article:modified_time") >= published
    authors = page.meta("article:author")
    assert authors == [absolute(writer.get_absolute_url()) for writer in explainer.byline]
    assert page.one_meta("article:section") == "Explainer"
    tags = page.meta("article:tag")
    assert tags == [tag.name for tag in explainer.tags.all()]


def test_the_review_carries_a_review_of_the_season_with_its_rating(site):
    page = parse(site["review"])
    review = article_at(site["review"])

    item = page.one_item("Review")
    reviewed = item["itemReviewed"]
    assert reviewed["@type"] == "TVSeason"
    assert reviewed["seasonNumber"] == 1
    assert reviewed["partOfSeries"]["@type"] == "TVSeries"
    assert reviewed["partOfSeries"]["name"] == "Run Away"
    assert reviewed["partOfSeries"]["url"] == absolute("/shows/run-away/")
    rating = item["reviewRating"]
    assert rating["@type"] == "Rating"
    assert (rating["ratingValue"], rating["bestRating"], rating["worstRating"]) == (
        "4.5",
        "5",
        "0",
    )
    assert [(a["name"], a["url"]) for a in item["author"]] == authors_of(review)


def test_the_review_lists_watch_and_skip_reasons_as_positive_and_negative_notes(site):
    item = parse(site["review"]).one_item("Review")
    review = article_at(site["review"])

    assert note_names(item["positiveNotes"]) == review.watch_if_list
    assert note_names(item["negativeNotes"]) == review.skip_if_list
    assert len(review.watch_if_list) == 3 and len(review.skip_if_list) == 3


def test_a_review_of_a_show_without_a_season_reviews_the_series():
    show = ShowFactory(title="Seasonless")
    review = ReviewFactory(season=None, show=show)

    item = parse(review.get_absolute_url()).one_item("Review")

    assert item["itemReviewed"]["@type"] == "TVSeries"
    assert item["itemReviewed"]["name"] == "Seasonless"
    assert item["reviewRating"]["ratingValue"] == "4.5"


def test_a_review_without_watch_or_skip_reasons_has_no_empty_notes():
    review = ReviewFactory(watch_if="", skip_if="")

    item = parse(review.get_absolute_url()).one_item("Review")

    assert "positiveNotes" not in item
    assert "negativeNotes" not in item


def test_the_show_page_carries_a_tv_series_with_cast_and_seasons(site):
    item = parse(site["show"]).one_item("TVSeries")
    show = Show.objects.get(slug="run-away")
    cast = show.credits.filter(role=Credit.Role.CAST).order_by("billing_order")

    assert item["name"] == "Run Away"
    assert item["url"] == absolute("/shows/run-away/")
    assert item["numberOfSeasons"] == 1
    assert item["numberOfEpisodes"] == 8
    assert [s["@type"] for s in item["containsSeason"]] == ["TVSeason"]
    assert item["containsSeason"][0]["seasonNumber"] == 1
    assert [a["@type"] for a in item["actor"]] == ["PerformanceRole"] * cast.count()
    assert [a["characterName"] for a in item["actor"]] == [c.character_name for c in cast]
    assert [a["actor"]["name"] for a in item["actor"]] == [c.person.name for c in cast]
    assert all(a["actor"]["@type"] == "Person" for a in item["actor"])


def test_the_show_page_names_the_book_it_is_based_on(site):
    item = parse(site["show"]).one_item("TVSeries")

    assert item["isBasedOn"]["name"] == "Run Away"
    assert item["isBasedOn"]["author"]["name"] == "Harlan Coben"


def test_the_person_page_carries_the_person(site):
    person = Person.objects.get(slug="james-nesbitt")

    item = parse(site["person"]).one_item("Person")

    assert item["name"] == person.name
    assert item["url"] == absolute(person.get_absolute_url())


def test_the_writer_page_carries_the_writer_as_a_person(site):
    item = parse(site["writer"]).one_item("Person")

    assert item["name"] == "Maya Okafor"
    assert item["url"] == absolute("/writers/maya-okafor/")
    assert item["jobTitle"] == "Senior Staff Writer"


@pytest.mark.parametrize("name", [name for name in PAGES if name != "home"])
def test_every_page_but_home_carries_breadcrumbs_starting_at_home(site, name):
    crumbs = parse(site[name]).one_item("BreadcrumbList")["itemListElement"]

    assert len(crumbs) >= 2
    assert [c["position"] for c in crumbs] == list(range(1, len(crumbs) + 1))
    assert (crumbs[0]["name"], crumbs[0]["item"]) == ("Home", absolute("/"))
    assert all(is_absolute(c["item"]) for c in crumbs)
    assert urlsplit(crumbs[-1]["item"]).path == urlsplit(site[name]).path


# --- spoilers and escaping -----------------------------------------------------------------


@pytest.mark.parametrize("kind", Article.Kind.values)
def test_spoiler_text_stays_out_of_meta_tags_and_json_ld(kind):
    article = story(
        kind,
        title="A story with a twist",
        dek="",
        seo_title="",
        seo_description="",
        body=SPOILER_BODY,
    )

    page = parse(article.get_absolute_url())

    for meta in page.metas:
        assert "butler" not in meta.get("content", "").lower(), meta
    assert "butler" not in page.titles[0].lower()
    assert page.json_ld_texts, "the story has no JSON-LD"
    for text in page.json_ld_texts:
        assert "butler" not in text.lower()
    spoilers = re.findall(r'<details class="spoiler">(.*?)</details>', page.html, flags=re.S)
    assert any("The butler did it." in spoiler for spoiler in spoilers)


def test_a_headline_cannot_break_out_of_the_json_ld_script():
    title = f"Finale night {SCRIPT_BREAKOUT} recap"
    article = ArticleFactory(title=title)

    response = crawl(article.get_absolute_url())
    page = ParsedPage(response.text)

    assert "</script><script>alert(1)" not in response.text
    assert page.one_item("NewsArticle")["headline"] == title
    assert page.one_item("BreadcrumbList")["itemListElement"][-1]["name"] == title


def test_a_name_cannot_break_out_of_the_json_ld_script():
    person = PersonFactory(name=f"Ann {SCRIPT_BREAKOUT}")

    response = crawl(person.get_absolute_url())

    assert "</script><script>alert(1)" not in response.text
    assert ParsedPage(response.text).one_item("Person")["name"] == person.name


# --- sitemaps and robots.txt ---------------------------------------------------------------


def test_sitemap_lists_public_stories_shows_people_writers_with_lastmod_and_tags():
    published = ArticleFactory(show=ShowFactory())
    published.tags.add("On the sitemap")
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    draft.tags.add("Only on a draft")
    scheduled = ArticleFactory(publish_at=timezone.now() + timedelta(days=1))
    person = PersonFactory()
    lone_writer = WriterFactory()

    entries = whole_sitemap_entries()

    expected = [
        published.get_absolute_url(),
        published.show.get_absolute_url(),
        person.get_absolute_url(),
        published.byline[0].get_absolute_url(),
        lone_writer.get_absolute_url(),
        reverse("articles:tag", args=["on-the-sitemap"]),
    ]
    for path in expected:
        assert absolute(path) in entries, path
    for loc, lastmod in entries.items():
        if "/tags/" in loc:  # a tag's newest story is not worked out for the sitemap
            assert lastmod is None
            continue
        assert lastmod, f"{loc} has no <lastmod>"
        datetime.fromisoformat(lastmod.replace("Z", "+00:00"))
    assert absolute(draft.get_absolute_url()) not in entries
    assert absolute(scheduled.get_absolute_url()) not in entries
    assert absolute(reverse("articles:tag", args=["only-on-a-draft"])) not in entries


def test_sitemap_of_the_demo_lists_every_demo_story_show_and_person(site):
    entries = whole_sitemap_entries()

    for name in ("review", "explainer", "renewal", "news", "show", "person", "writer", "tag"):
        assert absolute(site[name]) in entries, name
    assert len([loc for loc in entries if "/shows/" in loc]) == Show.objects.count()


def test_news_sitemap_lists_only_stories_of_the_last_two_days():
    fresh = ArticleFactory(title="Fresh news", publish_at=timezone.now() - timedelta(hours=1))
    stale = ArticleFactory(publish_at=timezone.now() - timedelta(days=3))
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    scheduled = ArticleFactory(publish_at=timezone.now() + timedelta(hours=1))

    response = crawl(reverse("news-sitemap"))
    root = ET.fromstring(response.content)

    assert response["Content-Type"].startswith("application/xml")
    urls = root.findall("sm:url", SITEMAP_NS)
    locs = [url.findtext("sm:loc", namespaces=SITEMAP_NS) for url in urls]
    assert locs == [absolute(fresh.get_absolute_url())]
    for other in (stale, draft, scheduled):
        assert absolute(other.get_absolute_url()) not in locs
    news = urls[0].find("news:news", SITEMAP_NS)
    assert news.findtext("news:publication/news:name", namespaces=SITEMAP_NS) == "Newsroom"
    assert news.findtext("news:publication/news:language", namespaces=SITEMAP_NS) == "en"
    assert news.findtext("news:title", namespaces=SITEMAP_NS) == "Fresh news"
    published = news.findtext("news:publication_date", namespaces=SITEMAP_NS)
    assert abs(datetime.fromisoformat(published) - fresh.publish_at) < timedelta(seconds=1)


def test_robots_txt_names_both_sitemaps_and_keeps_crawlers_out_of_admin():
    response = crawl(reverse("robots"))
    lines = [line.strip() for line in response.text.splitlines()]

    assert response["Content-Type"].startswith("text/plain")
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert f"Sitemap: {HOST}/sitemap.xml" in lines
    assert f"Sitemap: {HOST}/news-sitemap.xml" in lines


# --- pages that must not be indexed ---------------------------------------------------------


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.PUBLISHED])
def test_previews_tell_search_engines_not_to_index_them(editor_client, status):
    article = ArticleFactory(status=status, publish_at=None)

    response = crawl(reverse("articles:preview", args=[article.pk]), client=editor_client)

    assert '<meta name="robots" content="noindex' in response.text
    assert "noindex" in response["X-Robots-Tag"]


@pytest.mark.parametrize("query", ["", "?q=coben", "?q=nothing-matches-this"])
def test_search_pages_tell_search_engines_not_to_index_them(query):
    response = crawl(reverse("search") + query)

    assert '<meta name="robots" content="noindex' in response.text


@pytest.mark.parametrize("name", [name for name in PAGES if name != "search"])
def test_public_pages_do_not_ask_to_be_left_out_of_search(site, name):
    assert not any("noindex" in content for content in parse(site[name]).meta("robots"))


def test_every_page_names_its_icons_and_each_icon_is_there_at_its_size(client):
    import json

    from django.contrib.staticfiles import finders
    from PIL import Image

    page = client.get(reverse("home")).text
    assert re.search(r'<link rel="icon" href="[^"]+favicon\.svg" type="image/svg\+xml">', page)
    assert re.search(r'<link rel="apple-touch-icon" href="[^"]+icon-180\.png">', page)
    assert re.search(r'<link rel="manifest" href="[^"]+site\.webmanifest">', page)
    with open(finders.find("site.webmanifest")) as manifest:
        icons = json.load(manifest)["icons"]
    with Image.open(finders.find("img/icon-180.png")) as touch:
        assert touch.size == (180, 180)  # what iPhones ask for
    for icon in icons:
        path = finders.find(icon["src"])
        assert path, icon["src"]
        if icon["type"] == "image/png":
            with Image.open(path) as picture:
                assert "x".join(map(str, picture.size)) == icon["sizes"]
    assert {icon["sizes"] for icon in icons} >= {"192x192", "512x512"}  # installable


def test_the_sitemap_index_has_a_file_a_month_split_at_the_limit_each_with_lastmod(settings):
    settings.SITEMAP_LIMIT = 2
    # Two months in the past, whatever today is: the 15th at noon of each.
    now = (timezone.localtime().replace(day=1) - timedelta(days=1)).replace(day=15, hour=12)
    last_month = (now.replace(day=1) - timedelta(days=1)).replace(day=15, hour=12)
    for i in range(5):
        ArticleFactory(slug=f"this-month-{i}", publish_at=now - timedelta(minutes=i + 1))
    ArticleFactory(slug="last-month", publish_at=last_month)
    index = ET.fromstring(crawl("/sitemap.xml").content)
    files = {
        entry.findtext("sm:loc", namespaces=SITEMAP_NS): entry.findtext(
            "sm:lastmod", namespaces=SITEMAP_NS
        )
        for entry in index.iterfind("sm:sitemap", SITEMAP_NS)
    }
    this = absolute(f"/sitemap-stories-{now:%Y-%m}.xml")
    assert {this, f"{this}?p=2", f"{this}?p=3"} <= set(files)
    assert absolute(f"/sitemap-stories-{last_month:%Y-%m}.xml") in files
    for loc, lastmod in files.items():
        if "stories" in loc:
            assert lastmod, f"{loc} has no <lastmod>"
    seen = []
    for loc in files:
        if "stories" in loc:
            entries = sitemap_entries(crawl(loc.removeprefix(HOST)))
            assert len(entries) <= 2
            seen += list(entries)
    assert len(seen) == 6 and len(set(seen)) == 6


def test_the_people_in_the_sitemap_are_split_at_the_limit_and_each_appears_once(settings):
    settings.SITEMAP_LIMIT = 2
    people = [PersonFactory(name=f"Ann Example {i}") for i in range(5)]
    files = [path for path in sitemap_files(Client()) if "people" in path]
    assert files == ["/sitemap-people.xml", "/sitemap-people.xml?p=2", "/sitemap-people.xml?p=3"]
    seen = []
    for path in files:
        entries = sitemap_entries(crawl(path))
        assert 1 <= len(entries) <= 2 and all(entries.values())  # each with its date
        seen += list(entries)
    assert sorted(seen) == sorted(absolute(person.get_absolute_url()) for person in people)
    assert Client().get("/sitemap-people.xml?p=4").status_code == 404


def test_a_story_out_just_after_midnight_on_the_first_is_in_that_months_file():
    from zoneinfo import ZoneInfo

    london = ZoneInfo("Europe/London")
    # 00:30 on 1 April 2025 in London is 23:30 on 31 March in UTC (summer time).
    ArticleFactory(slug="april-fool", publish_at=datetime(2025, 4, 1, 0, 30, tzinfo=london))
    ArticleFactory(slug="march-hare", publish_at=datetime(2025, 3, 31, 23, 30, tzinfo=london))
    files = sitemap_files(Client())
    assert "/sitemap-stories-2025-04.xml" in files and "/sitemap-stories-2025-03.xml" in files
    april = sitemap_entries(crawl("/sitemap-stories-2025-04.xml"))
    march = sitemap_entries(crawl("/sitemap-stories-2025-03.xml"))
    assert "april-fool" in "".join(april) and "march-hare" not in "".join(april)
    assert "march-hare" in "".join(march) and "april-fool" not in "".join(march)


def test_a_story_dated_long_ago_has_its_month_file_and_a_lastmod_of_its_own_day():
    from zoneinfo import ZoneInfo

    ArticleFactory(slug="old-reel", publish_at=datetime(1899, 6, 1, 12, tzinfo=UTC))
    ArticleFactory(slug="ancient", publish_at=datetime(999, 6, 1, 12, tzinfo=UTC))
    # 00:30 on 10 June in London is still 9 June in UTC: the day readers were told is the 10th.
    london = ZoneInfo("Europe/London")
    ArticleFactory(slug="late-night", publish_at=datetime(2025, 6, 10, 0, 30, tzinfo=london))
    files = sitemap_files(Client())
    for path, slug in [
        ("/sitemap-stories-1899-06.xml", "old-reel"),
        ("/sitemap-stories-0999-06.xml", "ancient"),
        ("/sitemap-stories-2025-06.xml", "late-night"),
    ]:
        assert path in files
        assert slug in "".join(sitemap_entries(crawl(path)))
    june = sitemap_entries(crawl("/sitemap-stories-2025-06.xml"))
    assert list(june.values()) == ["2025-06-10"]


def test_an_unknown_sitemap_file_is_a_404():
    ArticleFactory()
    assert Client().get("/sitemap-stories-1999-01.xml").status_code == 404
    assert Client().get("/sitemap-nonsense.xml").status_code == 404
    assert Client().get("/sitemap-stories-2026-13.xml").status_code == 404
    assert Client().get("/sitemap-stories-9999-12.xml").status_code == 404
    assert Client().get(f"/sitemap-stories-{timezone.now().year + 1}-01.xml").status_code == 404
    assert Client().get("/sitemap-stories-0000-01.xml").status_code == 404
    assert Client().get("/sitemap-shows.xml?p=x").status_code == 404
