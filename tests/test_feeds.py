"""RSS and Atom feeds, read the way a feed reader reads them.

Every test fetches a feed with the test client and parses it with feedparser (plus the
raw XML where feedparser hides a detail, such as repeated dc:creator elements). The
query budgets, in queries per request, whatever the number of items:

- latest, Atom and section feeds: 3. The newest stories with their season; bylines with
  writers; tags.
- show, person, writer and tag feeds: 4, one more to find the subject by its slug.
- renewal tracker: 2. The newest status changes with show, network and season; the
  published stories that report them.
- a poll that finds nothing new: none. The page cache answers it (a 304, or the feed).

Measured on SQLite and PostgreSQL alike.
"""

import io
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from html.parser import HTMLParser

import feedparser
import pytest
from django.conf import settings as conf
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.models import Article
from images import cards
from images.models import Image as LibraryImage
from images.renditions import best
from shows.models import StatusChange

from .factories import (
    ArticleFactory,
    CorrectionFactory,
    ImageFactory,
    PersonFactory,
    ReviewFactory,
    SeasonFactory,
    ShowFactory,
    StatusChangeFactory,
    WriterFactory,
)
from .test_query_budgets import settle_the_setup

pytestmark = pytest.mark.django_db

RSS_TYPE = "application/rss+xml"
ATOM_TYPE = "application/atom+xml"
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "media": "http://search.yahoo.com/mrss/",
}
BASE = "http://testserver"

# The demo's three stories about Run Away, newest first, and its older story about an
# invented show.
DEMO_RENEWAL = "Will there be a Run Away season 2? What we know"
DEMO_EXPLAINER = "Is Run Away a true story? The real inspiration explained"
DEMO_REVIEW = "Run Away season 1 review: a bleak, gripping Coben thriller"
DEMO_ALL = [DEMO_RENEWAL, DEMO_EXPLAINER, DEMO_REVIEW]
DEMO_HARBOUR = "Harbour Lights renewed for season 3"
DEMO_COPPER = "Will Copper Hill get a second season?"
DEMO_EVERY = [*DEMO_ALL, DEMO_COPPER, DEMO_HARBOUR]

# id -> (URL name, args, content type, channel title, channel link, entry titles in order)
DEMO_FEEDS = {
    "latest": ("articles:feed", [], RSS_TYPE, "Newsroom: all stories", "/", DEMO_EVERY),
    "latest-atom": (
        "articles:feed-atom",
        [],
        ATOM_TYPE,
        "Newsroom: all stories",
        "/",
        DEMO_EVERY,
    ),  # fmt: skip
    "reviews": (
        "articles:section-feed",
        ["reviews"],
        RSS_TYPE,
        "Newsroom: reviews",
        "/reviews/",
        [DEMO_REVIEW],
    ),
    "explainers": (
        "articles:section-feed",
        ["explainers"],
        RSS_TYPE,
        "Newsroom: explainers",
        "/explainers/",
        [DEMO_EXPLAINER],
    ),
    "renewals": (
        "articles:section-feed",
        ["renewals"],
        RSS_TYPE,
        "Newsroom: renewal news",
        "/renewals/",
        [DEMO_RENEWAL, DEMO_COPPER, DEMO_HARBOUR],
    ),
    "news": ("articles:section-feed", ["news"], RSS_TYPE, "Newsroom: news", "/news/", []),
    "show": (
        "articles:show-feed",
        ["run-away"],
        RSS_TYPE,
        "Newsroom: Run Away",
        "/shows/run-away/",
        DEMO_ALL,
    ),
    "person": (
        "articles:person-feed",
        ["james-nesbitt"],
        RSS_TYPE,
        "Newsroom: James Nesbitt",
        "/people/james-nesbitt/",
        [DEMO_EXPLAINER, DEMO_REVIEW],
    ),
    "writer": (
        "articles:writer-feed",
        ["maya-okafor"],
        RSS_TYPE,
        "Newsroom: Maya Okafor",
        "/writers/maya-okafor/",
        [DEMO_RENEWAL, DEMO_EXPLAINER, DEMO_COPPER, DEMO_HARBOUR],
    ),
    "tag": (
        "articles:tag-feed",
        ["netflix"],
        RSS_TYPE,
        "Newsroom: Netflix",
        "/tags/netflix/",
        DEMO_ALL,
    ),
    "renewal-tracker": (
        "articles:renewal-tracker-feed",
        [],
        RSS_TYPE,
        "Newsroom: renewal tracker",
        "/renewal-tracker/",
        [
            "Copper Hill season 2: Renewed",
            "Run Away season 1: Limited series",
            "Saltmarsh season 1: Awaiting decision",
            "The Glass Orchard: Final season announced",
            "Copper Hill season 2: Awaiting decision",
            "Harbour Lights: Renewed",
            "Night Desk season 2: Cancelled",
            "Missing You season 1: Limited series",
            "Fool Me Once season 1: Limited series",
            "The Stranger season 1: Limited series",
        ],
    ),
    "corrections": (
        "articles:corrections-feed",
        [],
        RSS_TYPE,
        "Newsroom: corrections",
        "/corrections/",
        [f"Correction: {DEMO_HARBOUR}"],
    ),
}
DEMO_FEEDS_WITH_ITEMS = [name for name, feed in DEMO_FEEDS.items() if feed[-1]]

# Queries per feed request, the same for 1 item and for 50 (see the module docstring).
FEED_BUDGETS = {
    "latest": 4,
    "latest-atom": 4,
    "section": 4,
    "show": 5,
    "person": 5,
    "writer": 5,
    "tag": 5,
    "renewal-tracker": 2,
    "corrections": 1,
}


# Helpers ---------------------------------------------------------------------------------


def demo_url(name):
    url_name, args, *_ = DEMO_FEEDS[name]
    return reverse(url_name, args=args)


def get_feed(client, url, headers=None):
    """Fetch ``url`` as a feed reader: it must answer 200 with a well-formed feed."""
    response = client.get(url, headers=headers or {})
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, f"{url} is not a valid feed: {parsed.get('bozo_exception')!r}"
    return response, parsed


def raw_xml(response):
    return ET.fromstring(response.content)


def rss_item(response, entry_id):
    """The raw <item> whose guid is ``entry_id``."""
    for item in raw_xml(response).iter("item"):
        if item.findtext("guid") == entry_id:
            return item
    raise AssertionError(f"no <item> with guid {entry_id}")


def titles(parsed):
    return [entry.title for entry in parsed.entries]


def ids(parsed):
    return [entry.id for entry in parsed.entries]


def entry_by_id(parsed, entry_id):
    found = [entry for entry in parsed.entries if entry.id == entry_id]
    assert len(found) == 1, f"{entry_id} is in the feed {len(found)} times"
    return found[0]


def article_id(article):
    return f"tag:{conf.FEED_ID_AUTHORITY},2026:article/{article.pk}"


def change_id(change):
    return f"tag:{conf.FEED_ID_AUTHORITY},2026:status-change/{change.pk}"


def png_bytes(width=40, height=20):
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 60)).save(out, format="PNG")
    return out.getvalue()


def give_hero(article, alt="A red title card", **fields):
    article.hero = ImageFactory(alt=alt, size=(40, 20), name="hero.png", **fields)
    article.save()
    return article


def hero_share(article):
    """The URL and byte size of the picture a feed gives for the story's hero: its 16:9
    JPEG crop (here 35 x 20: the largest 16:9 box a 40 x 20 picture holds)."""
    crop = best(article.hero.renditions, 1200, "16:9")
    assert crop["name"].endswith("-16x9-35w.jpg")
    return f"{BASE}{default_storage.url(crop['name'])}", str(default_storage.size(crop["name"]))


def story_feed_urls(article):
    """Every feed that lists ``article``: latest, Atom, its section, show, writers, tags."""
    urls = [
        reverse("articles:feed"),
        reverse("articles:feed-atom"),
        reverse("articles:section-feed", args=[article.section]),
    ]
    urls += [reverse("articles:show-feed", args=[show.slug]) for show in article.shows.all()]
    urls += [reverse("articles:person-feed", args=[p.slug]) for p in article.people.all()]
    urls += [reverse("articles:writer-feed", args=[w.slug]) for w in article.byline]
    urls += [reverse("articles:tag-feed", args=[tag.slug]) for tag in article.tags.all()]
    return urls


def covered_story(**fields):
    """A story with a show, a person, two writers and a tag, so it is in every kind of feed."""
    article = ArticleFactory(
        show=ShowFactory(), writers=[WriterFactory(), WriterFactory()], **fields
    )
    article.people.add(PersonFactory())
    article.tags.add("Covered")
    return article


class PageLinks(HTMLParser):
    """The <link rel="alternate"> tags of a page's head and the links of its body."""

    def __init__(self, html):
        super().__init__()
        self.alternates, self.anchors = [], []
        self._in_head, self._anchor = False, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self._in_head = True
        elif tag == "link" and self._in_head and attrs.get("rel") == "alternate":
            self.alternates.append((attrs.get("type"), attrs.get("href")))
        elif tag == "a" and not self._in_head:
            self._anchor = [attrs.get("href"), ""]
            self.anchors.append(self._anchor)

    def handle_endtag(self, tag):
        if tag == "head":
            self._in_head = False
        elif tag == "a":
            self._anchor = None

    def handle_data(self, data):
        if self._anchor is not None:
            self._anchor[1] += data


# 1. Every feed of the demo site ------------------------------------------------------------


@pytest.mark.parametrize("name", DEMO_FEEDS)
def test_every_demo_feed_is_valid_and_lists_its_stories(client, demo, name):
    _, _, content_type, _, _, expected = DEMO_FEEDS[name]
    response, parsed = get_feed(client, demo_url(name))
    assert response["Content-Type"].split(";")[0] == content_type
    assert parsed.version == ("atom10" if content_type == ATOM_TYPE else "rss20")
    assert titles(parsed) == expected


@pytest.mark.parametrize(
    "url_name", ["articles:show-feed", "articles:person-feed", "articles:writer-feed"]
)
def test_feeds_of_unknown_shows_people_and_writers_are_404(client, demo, url_name):
    assert client.get(reverse(url_name, args=["no-such-slug"])).status_code == 404


def test_feed_of_an_unknown_tag_is_404(client, demo):
    assert client.get(reverse("articles:tag-feed", args=["no-such-tag"])).status_code == 404


def test_feed_of_an_unknown_section_is_404(client, demo):
    assert client.get("/gossip/feed/").status_code == 404


# 2. Items -----------------------------------------------------------------------------------


@pytest.fixture
def review():
    """A review by two writers (byline order is neither alphabetical nor by pk), tagged twice,
    with a hero image and a relative link in its body."""
    second = WriterFactory(name="Adam Able", slug="adam-able")
    first = WriterFactory(name="Zoe Zed", slug="zoe-zed")
    article = ReviewFactory(
        title="The Harbour review: salt and secrets",
        slug="the-harbour-review",
        dek="A coastal thriller that earns its twists.",
        body="We loved [the show](/shows/x/) and ![a still](/media/still.png).\n\n"
        "## Verdict\n\nWatch it.",
        rating=Decimal("4.5"),
        writers=[first, second],
    )
    article.tags.set(["Crime drama", "Coastal noir"])
    return give_hero(article)


def test_items_carry_title_absolute_link_guid_date_and_dek(client, review):
    _, parsed = get_feed(client, reverse("articles:feed"))
    entry = entry_by_id(parsed, article_id(review))
    assert entry.title == "The Harbour review: salt and secrets"
    assert entry.link == f"{BASE}/reviews/the-harbour-review/"
    assert entry.link.startswith(f"{BASE}/")
    assert entry.guidislink is False
    assert re.fullmatch(r"tag:[^:]+:article/\d+", entry.id)
    published = datetime(*entry.published_parsed[:6], tzinfo=UTC)
    assert published == review.publish_at.replace(microsecond=0)
    assert entry.summary == "A coastal thriller that earns its twists."


def test_item_id_survives_a_new_slug_and_section(client, review):
    feeds = [reverse("articles:feed"), reverse("articles:feed-atom")]
    before = [entry_by_id(get_feed(client, url)[1], article_id(review)) for url in feeds]

    review.slug = "harbour-explained"
    review.kind = Article.Kind.EXPLAINER
    review.save()

    for url, old in zip(feeds, before, strict=True):
        _, parsed = get_feed(client, url)
        entry = entry_by_id(parsed, article_id(review))
        assert entry.id == old.id
        assert old.link == f"{BASE}/reviews/the-harbour-review/"
        assert entry.link == f"{BASE}/explainers/harbour-explained/"
    _, explainers = get_feed(client, reverse("articles:section-feed", args=["explainers"]))
    assert ids(explainers) == [article_id(review)]
    _, reviews = get_feed(client, reverse("articles:section-feed", args=["reviews"]))
    assert ids(reviews) == []


def test_rss_items_name_every_writer_in_byline_order(client, review):
    response, _ = get_feed(client, reverse("articles:feed"))
    item = rss_item(response, article_id(review))
    creators = [el.text for el in item.findall("dc:creator", NS)]
    assert creators == ["Zoe Zed", "Adam Able"]


def test_atom_entries_name_every_writer_in_byline_order_with_their_pages(client, review):
    _, parsed = get_feed(client, reverse("articles:feed-atom"))
    entry = entry_by_id(parsed, article_id(review))
    assert [(a.name, a.href) for a in entry.authors] == [
        ("Zoe Zed", f"{BASE}/writers/zoe-zed/"),
        ("Adam Able", f"{BASE}/writers/adam-able/"),
    ]


@pytest.mark.parametrize("url_name", ["articles:feed", "articles:feed-atom"])
def test_item_categories_are_the_kind_and_each_tag(client, review, url_name):
    _, parsed = get_feed(client, reverse(url_name))
    entry = entry_by_id(parsed, article_id(review))
    terms = [tag.term for tag in entry.tags]
    assert terms[0] == "Review"
    assert set(terms) == {"Review", "Crime drama", "Coastal noir"}


@pytest.mark.parametrize("url_name", ["articles:feed", "articles:feed-atom"])
def test_item_content_is_the_full_body_with_hero_rating_and_absolute_urls(client, review, url_name):
    _, parsed = get_feed(client, reverse(url_name))
    content = entry_by_id(parsed, article_id(review)).content[0].value
    hero_url, _ = hero_share(review)
    # The hero image comes first, as a figure with an absolute src.
    assert content.startswith("<figure><img")
    assert re.search(rf'<img[^>]* src="{re.escape(hero_url)}"', content)
    assert 'alt="A red title card"' in content
    hero = re.match(r"<figure>(<img[^>]*>)", content).group(1)  # room kept as it loads
    assert 'width="35"' in hero and 'height="20"' in hero
    assert "4.5 out of 5" in content
    assert "Worth your evening." in content
    # The whole body, with its relative URLs made absolute.
    assert f'<a href="{BASE}/shows/x/">the show</a>' in content
    assert f'src="{BASE}/media/still.png"' in content
    assert 'href="/' not in content and 'src="/' not in content
    assert '<h2 id="verdict">Verdict</h2>' in content
    assert "Watch it." in content


def test_rss_items_carry_the_hero_image_as_media_content_and_enclosure(client, review):
    response, parsed = get_feed(client, reverse("articles:feed"))
    hero_url, size = hero_share(review)

    media = rss_item(response, article_id(review)).find("media:content", NS)
    assert media is not None
    assert media.attrib["url"] == hero_url
    assert media.attrib["type"] == "image/jpeg"
    assert media.attrib["fileSize"] == size
    assert (media.attrib["width"], media.attrib["height"]) == ("35", "20")
    raw_tags = re.findall(r"<media:content [^>]*>", response.text)
    assert len(raw_tags) == 1
    assert 'type="image/jpeg"' in raw_tags[0] and f'fileSize="{size}"' in raw_tags[0]

    entry = entry_by_id(parsed, article_id(review))
    assert entry.media_content[0]["url"] == hero_url
    enclosures = [(e.href, e.type, e.length) for e in entry.enclosures]
    assert enclosures == [(hero_url, "image/jpeg", size)]


def test_atom_entries_carry_the_hero_image_as_media_content_and_enclosure(client, review):
    response, parsed = get_feed(client, reverse("articles:feed-atom"))
    hero_url, size = hero_share(review)
    entry = entry_by_id(parsed, article_id(review))
    assert entry.media_content == [
        {
            "url": hero_url,
            "type": "image/jpeg",
            "medium": "image",
            "filesize": size,
            "width": "35",
            "height": "20",
        }
    ]
    enclosures = [(e.href, e.type, e.length) for e in entry.enclosures]
    assert enclosures == [(hero_url, "image/jpeg", size)]
    assert '<media:content fileSize="' in response.text


def test_an_item_without_a_picture_carries_its_headline_card_as_media_only(client):
    article = ArticleFactory(title="Casting news")
    response, parsed = get_feed(client, reverse("articles:feed"))
    entry = entry_by_id(parsed, article_id(article))
    card = cards.site_card("Casting news", "News")
    assert entry.media_content == [
        {
            "url": f"{BASE}{card['url']}",
            "type": "image/jpeg",
            "medium": "image",
            "filesize": str(default_storage.size(card["name"])),
            "width": "1200",
            "height": "630",
        }
    ]
    assert [e.href for e in entry.enclosures] == [f"{BASE}{card['url']}"]
    assert "<img" not in entry.content[0].value  # a card of the headline is no picture
    assert rss_item(response, article_id(article)).find("media:content", NS) is not None


def test_demo_review_content_has_its_rating_and_explainer_its_hero(client, demo):
    _, parsed = get_feed(client, reverse("articles:feed"))
    by_title = {entry.title: entry for entry in parsed.entries}
    assert "Our rating: 4.5 out of 5." in by_title[DEMO_REVIEW].content[0].value
    explainer = by_title[DEMO_EXPLAINER].content[0].value
    hero = rf'<figure><img[^>]* src="{BASE}/media/images/[^"]+-16x9-1200w\.jpg"'
    assert re.match(hero, explainer)
    assert [a.name for a in by_title[DEMO_EXPLAINER].authors] == ["Maya Okafor", "Tom Reilly"]


# 3. Spoilers ----------------------------------------------------------------------------------


def test_spoilers_never_reach_any_feed(client):
    article = covered_story(
        slug="the-reveal",
        body="Before the twist.\n\n:::spoiler The twist\nThe butler did it.\n:::\n\nAfter it.",
    )
    story_url = f"{BASE}{article.get_absolute_url()}"
    urls = story_feed_urls(article)
    assert len(urls) == 8  # latest, Atom, section, show, person, two writers, tag
    for url in urls:
        response, parsed = get_feed(client, url)
        assert b"butler" not in response.content.lower(), f"{url} leaks the spoiler"
        content = entry_by_id(parsed, article_id(article)).content[0].value
        assert "Before the twist." in content and "After it." in content
        link = re.search(rf'<a href="{re.escape(story_url)}">([^<]*)</a>', content)
        assert link, f"{url} does not link back to the story in place of the spoiler"
        assert "spoiler" in link.group(1).lower()


def test_demo_review_spoiler_is_replaced_by_a_link(client, demo):
    _, parsed = get_feed(client, reverse("articles:section-feed", args=["reviews"]))
    content = parsed.entries[0].content[0].value
    story_url = f"{BASE}/reviews/run-away-season-1-review/"
    assert "braver ending than the genre" not in content
    assert f'<a href="{story_url}">This part contains spoilers' in content


# 4. Channel ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [n for n in DEMO_FEEDS if n != "latest-atom"])
def test_rss_channel_describes_itself(client, demo, name):
    _, _, _, title, link, _ = DEMO_FEEDS[name]
    url = demo_url(name)
    response, parsed = get_feed(client, url)
    assert parsed.feed.title == title
    assert parsed.feed.link == f"{BASE}{link}"
    assert parsed.feed.description
    assert parsed.feed.language == "en-gb"

    channel = raw_xml(response).find("channel")
    assert channel.findtext("lastBuildDate")
    self_links = [el.get("href") for el in channel.findall("atom:link[@rel='self']", NS)]
    assert self_links == [f"{BASE}{url}"]
    logo = channel.findtext("image/url")
    assert logo == f"{BASE}/static/img/newsroom-logo.png"
    assert finders.find("img/newsroom-logo.png")


def test_atom_feed_describes_itself(client, demo):
    response, parsed = get_feed(client, reverse("articles:feed-atom"))
    feed = parsed.feed
    assert feed.title == "Newsroom: all stories"
    assert feed.link == f"{BASE}/"
    assert feed.subtitle == "Reviews, explainers and renewal news about television."
    assert feed.language == "en-gb"
    assert feed.updated_parsed
    assert [link.href for link in feed.links if link.rel == "self"] == [f"{BASE}/feed/atom/"]
    assert feed.logo == f"{BASE}/static/img/newsroom-logo.png"


def test_last_build_date_is_the_newest_change_readers_were_told_of(client):
    now = timezone.now()
    old = ArticleFactory(publish_at=now - timedelta(days=3), revised_at=now - timedelta(hours=5))
    new = ArticleFactory(publish_at=now - timedelta(days=1))
    new.title = "A typo fixed"  # a save that is no news
    new.save()
    response, parsed = get_feed(client, reverse("articles:feed"))
    assert ids(parsed) == [article_id(new), article_id(old)]
    assert raw_xml(response).find("channel").findtext("lastBuildDate")
    built = datetime(*parsed.feed.updated_parsed[:6], tzinfo=UTC)
    assert built == old.revised_at.replace(microsecond=0)


@pytest.fixture
def stories_25():
    now = timezone.now()
    return [
        ArticleFactory(title=f"Story at minus {i}", publish_at=now - timedelta(minutes=i))
        for i in reversed(range(1, 26))
    ]


@pytest.mark.parametrize("url_name", ["articles:feed", "articles:feed-atom"])
def test_feeds_hold_the_newest_20_stories_newest_first(client, stories_25, url_name):
    _, parsed = get_feed(client, reverse(url_name))
    assert titles(parsed) == [f"Story at minus {i}" for i in range(1, 21)]


def test_feed_items_setting_limits_every_feed(client, settings, stories_25):
    settings.FEED_ITEMS = 5
    for url in [
        reverse("articles:feed"),
        reverse("articles:feed-atom"),
        reverse("articles:section-feed", args=["news"]),
    ]:
        _, parsed = get_feed(client, url)
        assert titles(parsed) == [f"Story at minus {i}" for i in range(1, 6)], url


# 5. Drafts, reviews and schedules --------------------------------------------------------------


def test_unpublished_stories_never_appear_in_any_feed(client):
    show, person, writer = ShowFactory(), PersonFactory(), WriterFactory()
    common = {"show": show, "writers": [writer]}
    public = ArticleFactory(title="Public story", **common)
    hidden = [
        ArticleFactory(title="Draft story", status=Article.Status.DRAFT, **common),
        ArticleFactory(title="In review story", status=Article.Status.IN_REVIEW, **common),
        ArticleFactory(
            title="Scheduled story", publish_at=timezone.now() + timedelta(days=1), **common
        ),
    ]
    for article in [public, *hidden]:
        article.people.add(person)
        article.tags.add("Shared")

    urls = story_feed_urls(public)
    assert len(urls) == 7
    for url in urls:
        response, parsed = get_feed(client, url)
        assert ids(parsed) == [article_id(public)], url
        for article in hidden:
            assert article.title.encode() not in response.content, url


def test_scheduled_story_appears_once_its_time_comes(client, monkeypatch):
    now = timezone.now()
    scheduled = covered_story(title="Embargoed story", publish_at=now + timedelta(minutes=1))
    # An older story in the same feeds, so each has validators before the embargo lifts.
    sibling = ArticleFactory(show=scheduled.show, writers=scheduled.byline)
    sibling.people.set(scheduled.people.all())
    sibling.tags.add("Covered")
    urls = story_feed_urls(scheduled)

    before = {}
    for url in urls:
        response, parsed = get_feed(client, url)
        assert article_id(scheduled) not in ids(parsed), url
        before[url] = response

    # Two minutes later, with no job run: the story is due.
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(minutes=2))
    for url in urls:
        old = before[url]
        _, parsed = get_feed(client, url)
        assert ids(parsed)[0] == article_id(scheduled), url
        # A reader that kept the old validators gets the new story too.
        for header, value in [
            ("if-none-match", old["ETag"]),
            ("if-modified-since", old["Last-Modified"]),
        ]:
            _, parsed = get_feed(client, url, {header: value})
            assert ids(parsed)[0] == article_id(scheduled), (url, header)


# 6. RSS and Atom agree -------------------------------------------------------------------------


def test_rss_and_atom_carry_the_same_items(client, demo):
    for i in range(4):
        ArticleFactory(title=f"Extra {i}", publish_at=timezone.now() - timedelta(hours=i))
    _, rss = get_feed(client, reverse("articles:feed"))
    _, atom = get_feed(client, reverse("articles:feed-atom"))
    assert len(rss.entries) == 9
    assert ids(rss) == ids(atom)
    assert titles(rss) == titles(atom)
    assert [e.link for e in rss.entries] == [e.link for e in atom.entries]


# 7. HTTP caching -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", DEMO_FEEDS)
def test_every_feed_sends_validators_and_cache_control(client, demo, name):
    response, _ = get_feed(client, demo_url(name))
    assert response.has_header("ETag"), f"{name} feed sends no ETag"
    assert response.has_header("Last-Modified"), f"{name} feed sends no Last-Modified"
    cache_control = response["Cache-Control"]
    assert f"max-age={conf.FEED_MAX_AGE}" in cache_control
    assert "public" in cache_control


@pytest.mark.parametrize("name", DEMO_FEEDS_WITH_ITEMS)
def test_repeat_request_with_etag_is_304_with_no_body(client, demo, name):
    url = demo_url(name)
    first, _ = get_feed(client, url)
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


@pytest.mark.parametrize("name", DEMO_FEEDS_WITH_ITEMS)
def test_repeat_request_with_if_modified_since_is_304(client, demo, name):
    url = demo_url(name)
    first, _ = get_feed(client, url)
    again = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
    assert again.status_code == 304
    assert again.content == b""


def test_new_story_changes_only_its_own_show_feed(client):
    watched, unrelated = ShowFactory(), ShowFactory()
    ArticleFactory(show=watched)
    ArticleFactory(show=unrelated)
    watched_url = reverse("articles:show-feed", args=[watched.slug])
    unrelated_url = reverse("articles:show-feed", args=[unrelated.slug])
    watched_etag = get_feed(client, watched_url)[0]["ETag"]
    unrelated_etag = get_feed(client, unrelated_url)[0]["ETag"]

    new = ArticleFactory(show=watched, title="Breaking: a new season")

    response, parsed = get_feed(client, watched_url, {"if-none-match": watched_etag})
    assert response["ETag"] != watched_etag
    assert ids(parsed)[0] == article_id(new)
    assert get_feed(client, unrelated_url)[0]["ETag"] == unrelated_etag
    assert client.get(unrelated_url, headers={"if-none-match": unrelated_etag}).status_code == 304


def test_section_feed_etag_ignores_stories_in_other_sections(client):
    ReviewFactory()
    reviews_url = reverse("articles:section-feed", args=["reviews"])
    reviews = get_feed(client, reviews_url)[0]

    ArticleFactory(kind=Article.Kind.NEWS)

    assert get_feed(client, reviews_url)[0]["ETag"] == reviews["ETag"]
    again = client.get(
        reviews_url,
        headers={
            "if-none-match": reviews["ETag"],
            "if-modified-since": reviews["Last-Modified"],
        },
    )
    assert again.status_code == 304


def test_editing_a_story_changes_the_etag(client):
    article = ArticleFactory()
    url = reverse("articles:feed")
    etag = get_feed(client, url)[0]["ETag"]
    article.title = "A corrected headline"
    article.save()
    response, parsed = get_feed(client, url, {"if-none-match": etag})
    assert response["ETag"] != etag
    assert titles(parsed) == ["A corrected headline"]


# 8. Query budgets --------------------------------------------------------------------------


def budget_content(n):
    """``n`` reviews of one show, each about one person, by the same three writers, with
    three tags (one shared) and a hero image; and ``n`` renewal decisions, each reported by
    a published story by three other writers (so the latest feeds hold 2n stories)."""
    show = ShowFactory(slug="budget-show")
    season = SeasonFactory(show=show)
    person = PersonFactory(slug="budget-person")
    writers = [WriterFactory(slug="budget-writer"), WriterFactory(), WriterFactory()]
    reporters = WriterFactory.create_batch(3)
    now = timezone.now()
    for i in range(n):
        article = ReviewFactory(
            season=season, writers=writers, publish_at=now - timedelta(minutes=i + 1)
        )
        article.people.add(person)
        article.tags.add("Budget", f"Budget {i} a", f"Budget {i} b")
        give_hero(article)
        CorrectionFactory.create_batch(2, article=article)
        decided = ShowFactory()
        change = StatusChangeFactory(
            show=decided,
            season=SeasonFactory(show=decided, number=2),
            status=StatusChange.Status.RENEWED,
            announced_on=date(2026, 1, 1) + timedelta(days=i),
            note=f"Decision {i}.",
        )
        ArticleFactory(
            kind=Article.Kind.RENEWAL,
            show=change.show,
            status_change=change,
            writers=reporters,
            publish_at=now - timedelta(days=1, minutes=i),
        )


BUDGET_FEEDS = {
    "latest": ("articles:feed", []),
    "latest-atom": ("articles:feed-atom", []),
    "section": ("articles:section-feed", ["reviews"]),
    "show": ("articles:show-feed", ["budget-show"]),
    "person": ("articles:person-feed", ["budget-person"]),
    "writer": ("articles:writer-feed", ["budget-writer"]),
    "tag": ("articles:tag-feed", ["budget"]),
    "renewal-tracker": ("articles:renewal-tracker-feed", []),
    "corrections": ("articles:corrections-feed", []),
}


def test_budgets_cover_every_feed():
    assert set(FEED_BUDGETS) == set(BUDGET_FEEDS)


@pytest.mark.parametrize("n", [1, 50])  # more than a feed carries (20)
@pytest.mark.parametrize("name", BUDGET_FEEDS)
def test_feed_costs_the_same_however_many_items(client, django_assert_num_queries, name, n):
    budget_content(n)
    url_name, args = BUDGET_FEEDS[name]
    url = reverse(url_name, args=args)
    settle_the_setup()
    with django_assert_num_queries(FEED_BUDGETS[name]):
        response = client.get(url)
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    stories = {"corrections": 2 * n}.get(name, 2 * n if name.startswith("latest") else n)
    assert len(parsed.entries) == min(stories, 20)


@pytest.mark.parametrize("name", BUDGET_FEEDS)
def test_a_poll_that_finds_nothing_new_costs_no_query(client, django_assert_num_queries, name):
    budget_content(3)
    url_name, args = BUDGET_FEEDS[name]
    url = reverse(url_name, args=args)
    etag = get_feed(client, url)[0]["ETag"]
    with django_assert_num_queries(0):
        response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 304


# 9. Renewal tracker --------------------------------------------------------------------------


@pytest.fixture
def tracker():
    """Two shows' decisions: one reported by a published story, one only by a draft."""
    alpha = ShowFactory(title="Alpha Files", slug="alpha-files")
    beta = ShowFactory(title="Beta Street", slug="beta-street")
    renewed = StatusChangeFactory(
        show=alpha,
        season=SeasonFactory(show=alpha, number=2),
        status=StatusChange.Status.RENEWED,
        announced_on=date(2026, 3, 5),
        note="The network announced it at its upfront.",
    )
    cancelled = StatusChangeFactory(
        show=beta,
        season=SeasonFactory(show=beta, number=3),
        status=StatusChange.Status.CANCELLED,
        announced_on=date(2026, 4, 9),
        note="No fourth season after falling ratings.",
    )
    story = ArticleFactory(
        kind=Article.Kind.RENEWAL,
        title="Alpha Files is coming back",
        slug="alpha-files-renewed",
        show=alpha,
        status_change=renewed,
    )
    draft = ArticleFactory(
        kind=Article.Kind.RENEWAL,
        title="Beta Street axed (draft)",
        slug="beta-street-axed",
        show=beta,
        status_change=cancelled,
        status=Article.Status.DRAFT,
    )
    return {"renewed": renewed, "cancelled": cancelled, "story": story, "draft": draft}


def test_renewal_tracker_has_one_item_per_decision_newest_first(client, tracker):
    _, parsed = get_feed(client, reverse("articles:renewal-tracker-feed"))
    assert titles(parsed) == [
        "Beta Street season 3: Cancelled",
        "Alpha Files season 2: Renewed",
    ]
    assert ids(parsed) == [
        change_id(tracker["cancelled"]),
        change_id(tracker["renewed"]),
    ]
    for entry in parsed.entries:
        assert entry.published_parsed


def test_renewal_tracker_item_links_the_show_and_the_published_story(client, tracker):
    _, parsed = get_feed(client, reverse("articles:renewal-tracker-feed"))
    renewed = parsed.entries[1]
    content = renewed.content[0].value
    assert "5 March 2026" in content
    assert "The network announced it at its upfront." in content
    assert f'<a href="{BASE}/shows/alpha-files/">Alpha Files</a>' in content
    assert f'<a href="{BASE}/renewals/alpha-files-renewed/">Alpha Files is coming back</a>' in (
        content
    )
    assert renewed.link == f"{BASE}/renewals/alpha-files-renewed/"


def test_renewal_tracker_never_links_a_draft_story(client, tracker):
    response, parsed = get_feed(client, reverse("articles:renewal-tracker-feed"))
    cancelled = parsed.entries[0]
    content = cancelled.content[0].value
    assert "9 April 2026" in content
    assert "No fourth season after falling ratings." in content
    assert f'<a href="{BASE}/shows/beta-street/">Beta Street</a>' in content
    assert cancelled.link == f"{BASE}/shows/beta-street/"
    assert b"beta-street-axed" not in response.content
    assert b"Beta Street axed" not in response.content


def test_renewal_tracker_links_a_story_once_it_is_published(client, tracker):
    url = reverse("articles:renewal-tracker-feed")
    etag = get_feed(client, url)[0]["ETag"]
    tracker["draft"].status = Article.Status.PUBLISHED
    tracker["draft"].save()
    response, parsed = get_feed(client, url, {"if-none-match": etag})
    assert response["ETag"] != etag
    assert parsed.entries[0].link == f"{BASE}/renewals/beta-street-axed/"


def test_renewal_tracker_tells_if_modified_since_readers_of_a_new_decision(
    client, tracker, monkeypatch
):
    """A reader that only sends If-Modified-Since must not be told "nothing new" after a
    decision is recorded a minute later, story or no story."""
    url = reverse("articles:renewal-tracker-feed")
    first, _ = get_feed(client, url)
    later = timezone.now() + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    StatusChangeFactory(
        show=tracker["renewed"].show,
        status=StatusChange.Status.ENDING,
        announced_on=date(2026, 5, 1),
    )
    # Readers that send the ETag see it...
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 200
    # ...and so must readers that only send the date.
    response = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
    assert response.status_code == 200, "a new decision is hidden behind a 304"


def test_renewal_tracker_correcting_a_decision_changes_the_etag(client, tracker):
    """An editor fixes a wrong status and its note: readers must not keep the old one."""
    url = reverse("articles:renewal-tracker-feed")
    first, _ = get_feed(client, url)
    change = tracker["cancelled"]
    change.status = StatusChange.Status.ENDING
    change.note = "Correction: the third season will be the last."
    change.save()
    response = client.get(url, headers={"if-none-match": first["ETag"]})
    assert response.status_code == 200, "the corrected decision is hidden behind a 304"
    assert "Beta Street season 3: Final season announced" in titles(
        feedparser.parse(response.content)
    )


def test_renewal_tracker_without_stories_still_sends_last_modified(client):
    StatusChangeFactory(status=StatusChange.Status.RENEWED)
    response, parsed = get_feed(client, reverse("articles:renewal-tracker-feed"))
    assert len(parsed.entries) == 1
    assert response.has_header("ETag")
    assert response.has_header("Last-Modified"), "the tracker sends no Last-Modified"


# 10. Autodiscovery -------------------------------------------------------------------------


def test_home_page_announces_the_rss_and_atom_feeds(client, demo):
    page = PageLinks(client.get("/").text)
    assert (RSS_TYPE, reverse("articles:feed")) in page.alternates
    assert (ATOM_TYPE, reverse("articles:feed-atom")) in page.alternates
    assert any(
        href == reverse("articles:feed") and text.startswith("Subscribe to")
        for href, text in page.anchors
    )


@pytest.mark.parametrize(
    "page_url, name",
    [
        ("/reviews/", "reviews"),
        ("/explainers/", "explainers"),
        ("/renewals/", "renewals"),
        ("/news/", "news"),
        ("/shows/run-away/", "show"),
        ("/people/james-nesbitt/", "person"),
        ("/writers/maya-okafor/", "writer"),
        ("/tags/netflix/", "tag"),
        ("/renewal-tracker/", "renewal-tracker"),
    ],
)
def test_list_pages_announce_and_link_their_own_feed(client, demo, page_url, name):
    response = client.get(page_url)
    assert response.status_code == 200
    page = PageLinks(response.text)
    feed_url = demo_url(name)
    assert page.alternates == [(RSS_TYPE, feed_url)]
    subscribe = [text for href, text in page.anchors if href == feed_url]
    assert subscribe and subscribe[0].startswith("Subscribe to"), f"{page_url}: {subscribe}"
    get_feed(client, feed_url)


@pytest.mark.parametrize("renamed", ["writer", "show", "tag"])
def test_renaming_what_a_feed_shows_is_never_answered_not_modified(client, renamed):
    writer = WriterFactory(name="Old Byline")
    show = ShowFactory(title="Old Show")
    story = ArticleFactory(show=show, writers=[writer])
    story.tags.add("Old tag")
    show_feed = reverse("articles:show-feed", args=[show.slug])
    latest = reverse("articles:feed")
    etags = {url: get_feed(client, url)[0]["ETag"] for url in (show_feed, latest)}

    record = {"writer": writer, "show": show, "tag": story.tags.get()}[renamed]
    field = {"writer": "name", "show": "title", "tag": "name"}[renamed]
    old = getattr(record, field)
    setattr(record, field, "New name")
    record.save()

    # The show's feed names all three: it comes again, with the new name.
    response, _ = get_feed(client, show_feed, {"if-none-match": etags[show_feed]})
    shown = response.content.decode()
    assert "New name" in shown and old not in shown
    # The latest stories name writers and tags but not shows: "not modified" only then.
    again = client.get(latest, headers={"if-none-match": etags[latest]})
    assert again.status_code == (304 if renamed == "show" else 200)


MARKUP = '<b>bold</b> & "quoted" <script>x</script>'


def elements_in(html_text):
    """The element names a browser (or a feed reader) builds from a piece of HTML."""

    class Elements(HTMLParser):
        def __init__(self):
            super().__init__()
            self.found = []

        def handle_starttag(self, tag, attrs):
            self.found.append(tag)

    parser = Elements()
    parser.feed(html_text)
    return parser.found


def test_text_typed_into_a_story_reaches_feed_readers_as_text_never_as_markup(client):
    story = give_hero(
        ReviewFactory(
            body="Plain words.",
            verdict=f"Verdict {MARKUP}",
        ),
        alt=f"Alt {MARKUP}",
        caption=f"Caption {MARKUP}",
        credit=f"Credit {MARKUP}",
    )
    _, parsed = get_feed(client, reverse("articles:feed"))
    content = entry_by_id(parsed, article_id(story)).content[0].value
    assert set(elements_in(content)) <= {"figure", "img", "figcaption", "p", "strong"}
    for label in ("Verdict", "Caption", "Credit"):
        assert f"{label} &lt;b&gt;bold&lt;/b&gt; &amp; " in content, label
    assert 'alt="Alt &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;' in content


def test_names_in_the_renewal_tracker_feed_are_text_never_markup(client):
    show = ShowFactory(title=f"Show {MARKUP}")
    change = StatusChangeFactory(show=show, note=f"Note {MARKUP}")
    ArticleFactory(
        kind=Article.Kind.RENEWAL, show=show, status_change=change, title=f"Story {MARKUP}"
    )
    _, parsed = get_feed(client, reverse("articles:renewal-tracker-feed"))
    content = parsed.entries[0].content[0].value if "content" in parsed.entries[0] else ""
    description = parsed.entries[0].summary
    html_text = content or description
    assert set(elements_in(html_text)) <= {"p", "a"}
    for label in ("Show", "Note", "Story"):
        assert f"{label} &lt;b&gt;bold&lt;/b&gt; &amp; " in html_text, label


# Element by element ----------------------------------------------------------------------------


def test_an_atom_feed_names_its_icon_authors_content_and_image_as_atom_asks(client, review):
    root = ET.fromstring(client.get(reverse("articles:feed-atom")).content)
    atom = NS["atom"]
    logo = f"{BASE}{conf.STATIC_URL if conf.STATIC_URL.startswith('/') else '/' + conf.STATIC_URL}"
    assert root.find(f"{{{atom}}}icon").text.startswith(logo)
    assert root.find(f"{{{atom}}}logo").text == root.find(f"{{{atom}}}icon").text
    entry = root.find(f"{{{atom}}}entry")
    authors = [
        (author.find(f"{{{atom}}}name").text, author.find(f"{{{atom}}}uri").text)
        for author in entry.findall(f"{{{atom}}}author")
    ]
    assert authors == [
        ("Zoe Zed", f"{BASE}/writers/zoe-zed/"),
        ("Adam Able", f"{BASE}/writers/adam-able/"),
    ]
    content = entry.find(f"{{{atom}}}content")
    assert content.get("type") == "html" and "<h2" in content.text
    media = entry.find(f"{{{NS['media']}}}content")
    assert media.text is None and media.get("medium") == "image"
    assert media.get("url").startswith(f"{BASE}/media/") and media.get("type") == "image/jpeg"


def test_a_tracker_item_reads_the_decision_in_full(client, tracker):
    _, parsed = get_feed(client, reverse("articles:renewal-tracker-feed"))
    renewed = parsed.entries[1]
    assert renewed.content[0].value == (
        f'<p><a href="{BASE}/shows/alpha-files/">Alpha Files</a>: Renewed, season 2. '
        "Announced 5 March 2026.</p>\n"
        "<p>The network announced it at its upfront.</p>\n"
        f'<p>Our story: <a href="{BASE}/renewals/alpha-files-renewed/">Alpha Files is coming '
        "back</a></p>"
    )
    assert [tag.term for tag in renewed.tags] == ["Renewal tracker", "Renewed", "Alpha Files"]
    assert renewed.summary == "The network announced it at its upfront."
    noon = timezone.make_aware(datetime(2026, 3, 5, 12))
    assert datetime(*renewed.published_parsed[:6], tzinfo=UTC) == noon.astimezone(UTC)


def test_a_decision_with_no_season_and_no_note_says_only_what_was_decided(client):
    show = ShowFactory(title="Gamma Bay", slug="gamma-bay")
    StatusChangeFactory(show=show, season=None, status=StatusChange.Status.PENDING, note="",
                        announced_on=date(2026, 6, 1))  # fmt: skip
    _, parsed = get_feed(client, reverse("articles:renewal-tracker-feed"))
    entry = parsed.entries[0]
    assert entry.title == "Gamma Bay: Awaiting decision"
    assert entry.summary == "Awaiting decision"
    assert entry.content[0].value == (
        f'<p><a href="{BASE}/shows/gamma-bay/">Gamma Bay</a>: Awaiting decision. '
        "Announced 1 June 2026.</p>"
    )


def test_decisions_announced_the_same_day_come_newest_first(client):
    show = ShowFactory(title="Delta Row")
    first = StatusChangeFactory(show=show, status="pending", announced_on=date(2026, 7, 1))
    second = StatusChangeFactory(show=show, status="renewed", announced_on=date(2026, 7, 1))
    _, parsed = get_feed(client, reverse("articles:renewal-tracker-feed"))
    assert ids(parsed) == [change_id(second), change_id(first)]


# Word for word: what a reader's app receives -----------------------------------------

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"


def rss_content(client, article):
    """The item's content:encoded as the feed carries it (the HTML a reader's app shows)."""
    root = ET.fromstring(client.get(reverse("articles:feed")).content)
    for item in root.iter("item"):
        if item.findtext("guid") == article_id(article):
            return item.findtext(f"{{{CONTENT_NS}}}encoded")
    raise AssertionError(f"{article_id(article)} is not in the feed")


def test_the_rss_channel_names_itself_and_declares_its_content_module(client, review):
    response, parsed = get_feed(client, reverse("articles:feed"))
    assert f'xmlns:content="{CONTENT_NS}"' in response.text
    root = ET.fromstring(response.content).find("channel")
    assert root.findtext("title") == parsed.feed.title != ""
    assert root.findtext("link") == f"{BASE}/"
    # The logo a reader shows beside it names and links the same (RSS 2.0 asks both).
    assert root.findtext("image/title") == root.findtext("title")
    assert root.findtext("image/link") == root.findtext("link")


def test_a_storys_guid_is_an_identifier_not_a_link(client, review):
    """Built on the story's key, it survives a new slug; a reader must not open it."""
    response, _ = get_feed(client, reverse("articles:feed"))
    guid = ET.fromstring(response.content).find("channel/item/guid")
    assert guid.get("isPermaLink") == "false"
    assert guid.text.endswith(f",2026:article/{review.pk}")


def test_a_hero_with_caption_and_credit_and_a_verdict_word_for_word(client, review):
    review.hero.caption, review.hero.credit = "Salt on the lens.", "Photo: Ines Duarte"
    review.hero.save()
    review.verdict = "Worth your evening."
    review.save()
    content = rss_content(client, review)
    figure, rating, body = content.split("\n", 2)
    src, _ = hero_share(review)
    assert figure == (
        f'<figure><img src="{src}" alt="A red title card" width="35" height="20">'
        "<figcaption>Salt on the lens. Photo: Ines Duarte</figcaption></figure>"
    )
    assert rating == "<p><strong>Our rating: 4.5 out of 5.</strong> Worth your evening.</p>"
    assert body.startswith("<p>We loved")


@pytest.mark.parametrize(("caption", "credit"), [("", ""), ("Only a caption.", "")])
def test_a_figure_has_a_caption_only_when_there_is_one(client, review, caption, credit):
    review.hero.caption, review.hero.credit = caption, credit
    review.hero.save()
    review.verdict = ""
    review.save()
    figure, rating, _ = rss_content(client, review).split("\n", 2)
    if caption:
        assert figure.endswith("<figcaption>Only a caption.</figcaption></figure>")
    else:
        assert figure.endswith('height="20"></figure>')
    assert rating == "<p><strong>Our rating: 4.5 out of 5.</strong></p>"


def test_media_content_is_an_empty_element(client, review):
    text = client.get(reverse("articles:feed")).text
    assert re.search(r"<media:content [^>]*/>", text)


def test_stories_published_in_the_same_second_come_newest_first(client):
    at = timezone.now().replace(microsecond=0) - timedelta(hours=1)
    first = ArticleFactory(title="Filed first", publish_at=at)
    second = ArticleFactory(title="Filed second", publish_at=at)
    _, parsed = get_feed(client, reverse("articles:feed"))
    ids = [entry.id for entry in parsed.entries]
    assert ids.index(article_id(second)) < ids.index(article_id(first))


def test_a_picture_not_resized_yet_is_given_as_its_own_file_of_its_own_type(client):
    story = give_hero(ArticleFactory())
    LibraryImage.objects.filter(pk=story.hero_id).update(renditions=[])  # never resized
    story.hero.refresh_from_db()
    _, parsed = get_feed(client, reverse("articles:feed"))
    entry = entry_by_id(parsed, article_id(story))
    assert entry.media_content[0]["url"] == f"{BASE}{story.hero.file.url}"
    assert entry.media_content[0]["type"] == "image/png"


def test_a_picture_whose_file_has_gone_is_named_with_no_size_not_an_error(client):
    story = give_hero(ArticleFactory())
    hero_url, _ = hero_share(story)
    default_storage.delete(best(story.hero.renditions, 1200, "16:9")["name"])
    response, parsed = get_feed(client, reverse("articles:feed"))
    assert response.status_code == 200
    entry = entry_by_id(parsed, article_id(story))
    assert [(e.href, e.length) for e in entry.enclosures] == [(hero_url, "0")]
    assert "fileSize" not in rss_item(response, article_id(story)).find("media:content", NS).attrib


def test_a_rating_stored_on_a_story_that_is_no_review_is_not_shown(client):
    story = ArticleFactory(body="Casting news.")
    Article.objects.filter(pk=story.pk).update(rating=Decimal("4.0"))  # from the shell
    assert "Our rating" not in rss_content(client, story)
