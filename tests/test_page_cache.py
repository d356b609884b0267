"""The page cache, tried as readers, staff, strangers and proxies would.

A hit costs no query and renders nothing; any change a reader could see is on every
page from the next request on (from another process too: see test_freshness.py); a
scheduled story appears at its time; nothing personal is ever cached; strangers can
neither bypass nor fill the cache; pages come compressed, with ETag and Last-Modified,
and a matching conditional request gets a 304.
"""

import functools
import gzip
import re
import uuid
from datetime import timedelta

import brotli
import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import previews
from articles.models import Article, Byline, Correction, NewsStory
from images.models import Image
from newsroom import freshness
from people.models import Writer
from shows.models import Show

from .factories import (
    ArticleFactory,
    CorrectionFactory,
    CreditFactory,
    EditorFactory,
    ImageFactory,
    PersonFactory,
    ReviewFactory,
    SeasonFactory,
    ShowFactory,
    StatusChangeFactory,
    WriterFactory,
)
from .test_query_budgets import PAGE_BUDGETS

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    """One of everything a reader can open, with the pages to open."""
    writer = WriterFactory(name="Maya Okafor")
    person = PersonFactory(name="James Nesbitt")
    season = SeasonFactory(show=ShowFactory(title="Run Away"))
    review = ReviewFactory(season=season, show=season.show, writers=[writer], title="A review")
    review.people.add(person)
    review.tags.add("Netflix")
    CreditFactory(show=season.show, person=person)
    StatusChangeFactory(show=season.show)
    news = ArticleFactory(title="Some news", writers=[writer])
    tag = review.tags.get()
    return {
        "home": "/",
        "section": reverse("articles:section", args=["reviews"]),
        "review": review.get_absolute_url(),
        "news": news.get_absolute_url(),
        "show index": reverse("shows:index"),
        "show": season.show.get_absolute_url(),
        "tracker": reverse("renewal-tracker"),
        "person": person.get_absolute_url(),
        "writer": writer.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "search": reverse("search") + "?q=review",
        "feed": reverse("articles:feed"),
        "atom": reverse("articles:feed-atom"),
        "show feed": reverse("articles:show-feed", args=[season.show.slug]),
        "tag feed": reverse("articles:tag-feed", args=[tag.slug]),
        "tracker feed": reverse("articles:renewal-tracker-feed"),
        "sitemap": "/sitemap.xml",
        "news sitemap": reverse("news-sitemap"),
        "robots": "/robots.txt",
    }


PAGE_TYPES = [
    "home", "section", "review", "news", "show index", "show", "tracker", "person", "writer",
    "tag", "search", "feed", "atom", "show feed", "tag feed", "tracker feed", "sitemap",
    "news sitemap", "robots",
]  # fmt: skip


@pytest.mark.parametrize("page", PAGE_TYPES)
def test_a_cache_hit_costs_no_query_and_renders_nothing(site, page, django_assert_num_queries):
    reader = Client()
    first = reader.get(site[page])
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = reader.get(site[page])
    assert again.status_code == 200
    assert again.templates == []  # nothing rendered
    assert again.content == first.content


def test_head_is_answered_from_the_cache_too(site, django_assert_num_queries):
    Client().get(site["review"])
    with django_assert_num_queries(0):
        response = Client().head(site["review"])
    assert response.status_code == 200 and response.content == b""


# Never stale ---------------------------------------------------------------------------


def test_an_edit_is_on_every_page_that_shows_the_story_from_the_next_request(site):
    reader = Client()
    pages = ["home", "section", "review", "show", "writer", "tag", "feed", "show feed"]
    for page in pages:
        assert "A review" in reader.get(site[page]).text, page
    story = Article.objects.get(title="A review")
    story.title = "A better headline"
    story.save()
    for page in pages:
        text = reader.get(site[page]).text
        assert "A better headline" in text and "A review<" not in text, page


def test_unpublishing_takes_the_story_off_every_cached_page(site):
    reader = Client()
    for page in ("home", "section", "feed"):
        reader.get(site[page])
    Article.objects.filter(title="A review").update(status=Article.Status.DRAFT)  # bulk, too
    assert reader.get(site["review"]).status_code == 404
    for page in ("home", "section", "feed"):
        assert "A review" not in reader.get(site[page]).text, page


@pytest.mark.parametrize("where", ["home", "section", "show", "writer", "feed"])
def test_a_scheduled_story_appears_on_cached_pages_at_its_time(site, where, monkeypatch):
    reader = Client()
    story = Article.objects.get(title="A review")
    at = timezone.now() + timedelta(hours=2)
    scheduled = ReviewFactory(
        title="Out at ten", season=story.season, show=story.show, publish_at=at,
        writers=list(story.byline),
    )  # fmt: skip
    assert "Out at ten" not in reader.get(site[where]).text
    assert "Out at ten" not in reader.get(site[where]).text  # now a cache hit
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(hours=2, seconds=1))
    assert "Out at ten" in reader.get(site[where]).text
    assert scheduled.is_public


def test_a_scheduled_reviews_rating_is_in_the_comparison_table_at_its_time(site, monkeypatch):
    from decimal import Decimal

    from shows.models import Show

    reader = Client()
    story = Article.objects.get(title="A review")
    author = PersonFactory(name="Harlan Coben")
    Show.objects.filter(pk=story.show_id).update(source_author=author)
    other = SeasonFactory(show=ShowFactory(title="Fool Me Once", source_author=author))
    at = timezone.now() + timedelta(hours=2)
    ReviewFactory(
        title="Fool Me Once, reviewed", slug="fool-me-once-reviewed", season=other,
        show=other.show, rating=Decimal("2.5"), publish_at=at,
    )  # fmt: skip
    rated = 'href="/reviews/fool-me-once-reviewed/">2.5/5</a>'
    assert "Fool Me Once" in reader.get(site["review"]).text
    assert rated not in reader.get(site["review"]).text  # the table is cached now
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(hours=2, seconds=1))
    assert rated in reader.get(site["review"]).text


def test_a_lead_story_leaves_the_cached_home_page_when_its_three_days_are_up(monkeypatch):
    reader = Client()
    now = timezone.now()
    ArticleFactory(title="Feature of today", featured=True, publish_at=now - timedelta(hours=1))
    ArticleFactory(title="Newer news", publish_at=now - timedelta(minutes=30))

    def lead():
        page = reader.get("/").text
        return re.findall(r'card-lead.*?card-title"><a [^>]*>([^<]*)<', page, re.S)

    assert lead() == ["Feature of today"]
    assert lead() == ["Feature of today"]  # a cache hit
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(days=3) - timedelta(hours=1))
    assert lead() == ["Newer news"]


def test_a_story_scheduled_to_the_microsecond_is_out_at_that_instant(site, monkeypatch):
    reader = Client()
    at = timezone.now() + timedelta(hours=2)
    ArticleFactory(title="Out on the dot", publish_at=at)
    assert "Out on the dot" not in reader.get(site["home"]).text
    monkeypatch.setattr(timezone, "now", lambda: at)
    assert "Out on the dot" in reader.get(site["home"]).text


def test_a_story_added_to_a_persons_stories_is_on_their_page_at_once(site):
    reader = Client()
    news = Article.objects.get(title="Some news")
    assert "Some news" not in reader.get(site["person"]).text
    news.people.add(news.people.model.objects.get(name="James Nesbitt"))
    assert "Some news" in reader.get(site["person"]).text


def test_a_change_saved_in_a_transaction_is_read_again_once_committed(
    site, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from newsroom import freshness

    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            Article.objects.filter(title="A review").update(title="Renamed in a transaction")
            # a reader served meanwhile sees the database as it was, and caches that
            during = freshness.current()["generation"]
    assert freshness.current()["generation"] != during
    assert "Renamed in a transaction" in Client().get(site["home"]).text


def test_a_change_after_a_rolled_back_savepoint_is_read_again_once_committed(
    site, django_capture_on_commit_callbacks
):
    import contextlib

    from django.db import transaction

    from newsroom import freshness

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        with contextlib.suppress(RuntimeError), transaction.atomic():
            Article.objects.filter(title="A review").update(title="Never saved")
            raise RuntimeError("the editor's first try fails")
        Article.objects.filter(title="A review").update(title="Saved on the second try")
        during = freshness.current()["generation"]
    assert freshness.current()["generation"] != during
    assert "Saved on the second try" in Client().get(site["home"]).text


def test_every_thread_of_a_server_serves_the_same_generation(site):
    import threading

    from newsroom import freshness

    here = freshness.current()["generation"]
    there = []  # as a threaded server (gunicorn --threads) would ask
    thread = threading.Thread(target=lambda: there.append(freshness.current()["generation"]))
    thread.start()
    thread.join()
    assert there == [here] == [freshness.current()["generation"]]


def test_raw_sql_announced_by_hand_reaches_the_facts_boxes_too(site):
    from django.db import connection

    from images.changes import content_changed

    reader = Client()
    assert "James Nesbitt" in reader.get(site["review"]).text
    with connection.cursor() as cursor:
        cursor.execute("UPDATE people_person SET name = %s", ["Jim Nesbitt"])
    content_changed.send(sender=None)  # as the README asks of code that writes raw SQL
    page = reader.get(site["review"]).text
    assert "Jim Nesbitt" in page and "James Nesbitt" not in page


def test_a_cdn_purge_hook_hears_of_every_new_generation(site):
    from newsroom import freshness

    heard = []

    def purge(sender, generation, **kwargs):
        heard.append(generation)

    freshness.pages_invalidated.connect(purge)
    try:
        Article.objects.filter(title="A review").update(title="Purged")
        assert "Purged" in Client().get(site["home"]).text
    finally:
        freshness.pages_invalidated.disconnect(purge)
    assert heard == [freshness.current()["generation"]]


def test_a_thousand_rows_saved_in_one_transaction_purge_a_cdn_once(
    site, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from newsroom import freshness

    heard = []

    def purge(sender, generation, **kwargs):
        heard.append(generation)

    freshness.pages_invalidated.connect(purge)
    try:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            for number in range(1000):
                PersonFactory(name=f"Extra {number}")
    finally:
        freshness.pages_invalidated.disconnect(purge)
    assert len(heard) == 1
    assert heard == [freshness.current()["generation"]]  # and nothing owed after it


# Nothing personal, nothing for strangers ----------------------------------------------


@pytest.mark.parametrize("page", ["home", "review", "search", "feed"])
def test_a_cached_page_carries_no_cookie_and_no_csrf_token(site, page):
    reader = Client()
    for response in (reader.get(site[page]), reader.get(site[page])):
        assert not response.cookies
        assert "Set-Cookie" not in response
        assert "csrfmiddlewaretoken" not in response.text
        assert "cookie" not in response.get("Vary", "").lower()


def test_signed_in_staff_always_see_fresh_pages_and_proxies_keep_none(site):
    editor = Client()
    editor.force_login(EditorFactory())
    Client().get(site["review"])  # cached for readers
    Article.objects.filter(title="A review").update(dek="Changed a moment ago")
    response = editor.get(site["review"])
    assert "Changed a moment ago" in response.text
    assert response["Cache-Control"].startswith("private")
    assert "ETag" not in response


def test_previews_share_links_and_the_desk_are_never_cached(site, django_assert_max_num_queries):
    story = ArticleFactory(title="A draft", status=Article.Status.DRAFT, publish_at=None)
    link = previews.share_url(story)
    for _ in range(2):
        response = Client().get(link)
        assert "A draft" in response.text and "no-cache" in response["Cache-Control"]
    story.title = "Edited since"
    story.save()
    assert "Edited since" in Client().get(link).text  # the latest version, never stale
    assert "ETag" not in Client().get(reverse("admin:login"))


@pytest.mark.parametrize(
    "junk",
    ["utm_source=newsletter&utm_medium=email", "fbclid=IwAR0abc", "x=123", "page=1&zzz=1"],
)
def test_campaign_and_junk_parameters_share_the_cached_page(site, junk, django_assert_num_queries):
    Client().get(site["section"])
    with django_assert_num_queries(0):
        response = Client().get(f"{site['section']}?{junk}")
    assert response.status_code == 200 and "A review" in response.text


def test_random_query_strings_do_not_fill_the_cache(site):
    from django.core.cache import cache

    Client().get(site["review"])
    before = len(cache._list_cache_files()) if hasattr(cache, "_list_cache_files") else None
    for n in range(20):
        Client().get(f"{site['review']}?x={n}&utm_content={n}")
    if before is not None:
        assert len(cache._list_cache_files()) == before


def test_pages_read_only_their_own_parameters(site):
    """A search is cached per query; a story page does not care about ?q=."""
    first = Client().get(reverse("search"), {"q": "review"})
    other = Client().get(reverse("search"), {"q": "news"})
    assert "A review" in first.text and "Some news" in other.text


def test_errors_are_never_cached_but_a_404_for_an_unknown_story_may_be(site):
    from django.core.cache import cache

    missing = reverse("articles:detail", args=["reviews", "no-such-story"])
    assert Client().get(missing).status_code == 404
    assert Client().get(missing).status_code == 404
    ReviewFactory(slug="no-such-story", title="Now it exists")
    assert Client().get(missing).status_code == 200  # a new story: a new generation
    cache.clear()


# Compressed once; headers for a proxy -----------------------------------------------------


def test_a_page_goes_out_compressed_as_the_reader_accepts(site):
    plain = Client().get(site["review"])
    zipped = Client().get(site["review"], headers={"accept-encoding": "gzip, deflate"})
    smallest = Client().get(site["review"], headers={"accept-encoding": "gzip, br"})
    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert smallest["Content-Encoding"] == "br"
    assert brotli.decompress(smallest.content) == plain.content
    assert len(smallest.content) < len(zipped.content) < len(plain.content) / 2
    for response in (plain, zipped, smallest):
        assert "Accept-Encoding" in [part.strip() for part in response["Vary"].split(",")]
    assert len({plain["ETag"], zipped["ETag"], smallest["ETag"]}) == 3


@pytest.mark.parametrize(
    ("accepts", "sent"),
    [
        ("br;q=0.5, gzip", "br"),  # any brotli at all beats gzip: smaller for everyone
        ("*", "br"),
        ("*, br;q=0", "gzip"),
        ("br;q=junk, gzip", "gzip"),  # a part that makes no sense is skipped, not the rest
        ("identity", None),
    ],
)
def test_the_encoding_follows_what_the_reader_accepts(site, accepts, sent):
    response = Client().get(site["review"], headers={"accept-encoding": accepts})
    assert response.get("Content-Encoding") == sent


def test_a_reader_who_refuses_every_encoding_gets_plain_text(site):
    response = Client().get(site["review"], headers={"accept-encoding": "gzip;q=0, br;q=0"})
    assert "Content-Encoding" not in response


@pytest.mark.parametrize("page", ["home", "review", "show", "feed", "sitemap"])
def test_every_public_page_tells_proxies_how_long_and_how_to_revalidate(site, page):
    response = Client().get(site[page])
    control = response["Cache-Control"]
    assert "public" in control and re.search(r"max-age=\d+", control)
    assert re.fullmatch(r'"[0-9a-f]{32}(-gzip|-br)?"', response["ETag"])
    assert response["Last-Modified"].endswith("GMT")


@pytest.mark.parametrize("encoding", ["", "gzip", "br"])
def test_a_matching_conditional_request_gets_304(site, encoding, django_assert_num_queries):
    headers = {"accept-encoding": encoding} if encoding else {}
    first = Client().get(site["review"], headers=headers)
    with django_assert_num_queries(0):
        again = Client().get(site["review"], headers={**headers, "if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    since = Client().get(site["review"], headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304
    anything = Client().get(site["review"], headers={"if-none-match": "*"})
    assert anything.status_code == 304  # "*": any version of it will do
    # A proxy that compresses (nginx with gzip on) weakens the tag it passes on.
    weak = Client().get(site["review"], headers={**headers, "if-none-match": f"W/{first['ETag']}"})
    assert weak.status_code == 304


def test_a_garbled_if_modified_since_gets_the_page_not_a_304(site):
    Client().get(site["review"])
    again = Client().get(site["review"], headers={"if-modified-since": "yesterday-ish"})
    assert again.status_code == 200 and "A review" in again.text


def test_a_conditional_request_for_changed_content_gets_the_page(site):
    first = Client().get(site["review"])
    Article.objects.filter(title="A review").update(dek="A new standfirst")
    again = Client().get(site["review"], headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200 and "A new standfirst" in again.text


# The facts boxes ----------------------------------------------------------------------


def test_after_a_story_edit_its_page_is_made_again_without_reading_the_shows_facts(
    site, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from shows.models import Show

    # Each change is committed, as it would be in the admin.
    commit = functools.partial(django_capture_on_commit_callbacks, execute=True)
    story = Article.objects.get(title="A review")
    with commit():
        author = PersonFactory(name="Harlan Coben")
        Show.objects.filter(pk=story.show_id).update(source_author=author)
    Client().get(site["review"])  # the facts box and the cast are now cached
    story.title = "A sharper headline"
    with commit():
        story.save()
    # The story, byline, tags, "also read", the latest stories (any change may alter
    # them) and the comparison (a review changed): no cast, no genres.
    with django_assert_num_queries(7):
        page = Client().get(site["review"])
    assert "A sharper headline" in page.text
    assert "James Nesbitt" in page.text  # the cast, from the cached box
    with commit():
        ArticleFactory(title="Other news")  # a news story changes no review and no show
    with django_assert_num_queries(6):
        Client().get(site["review"])


def test_a_change_to_the_shows_facts_is_in_the_box_at_once(site):
    Client().get(site["review"])
    story = Article.objects.get(title="A review")
    CreditFactory(show=story.show, person=PersonFactory(name="Ruth Jones"))
    assert "Ruth Jones" in Client().get(site["review"]).text
    story.season.episode_count = 11
    story.season.save()
    assert "11 episodes" in Client().get(site["review"]).text


def test_a_new_review_of_another_adaptation_shows_in_the_comparison(site):
    from shows.models import Show

    story = Article.objects.get(title="A review")
    author = PersonFactory(name="Harlan Coben")
    Show.objects.filter(pk=story.show_id).update(source_author=author)
    other = ShowFactory(title="Fool Me Once", source_author=author)
    page = Client().get(site["review"]).text
    assert "Fool Me Once" in page and "Not reviewed" in page
    ReviewFactory(season=SeasonFactory(show=other), show=other, rating="3.5")
    assert "3.5/5" in Client().get(site["review"]).text
    # a rating changed by raw SQL, announced by hand as the README asks, is there too
    from django.db import connection

    from images.changes import content_changed

    with connection.cursor() as cursor:
        cursor.execute("UPDATE articles_article SET rating = 2.5 WHERE show_id = %s", [other.pk])
    content_changed.send(sender=None)
    assert "2.5/5" in Client().get(site["review"]).text


def test_a_renamed_cast_member_and_a_renamed_writer_show_on_the_review_at_once(site):
    from people.models import Person

    story = Article.objects.get(title="A review")
    Client().get(site["review"])
    actor = Person.objects.get(name="James Nesbitt")
    actor.name = "James Nesbitt Jr."
    actor.save()
    writer = story.writers.first()
    writer.name = "A renamed critic"
    writer.save()
    page = Client().get(site["review"]).text
    assert "James Nesbitt Jr." in page and "A renamed critic" in page


# What is stored, and what is sent again -----------------------------------------------


def test_page_two_is_never_page_one_from_the_cache(site):
    ReviewFactory.create_batch(30, title="An older review")
    ReviewFactory(title="The newest review")
    first = Client().get(site["section"])
    second = Client().get(site["section"], {"page": "2"})
    assert "The newest review" in first.text and "The newest review" not in second.text
    assert Client().get(site["section"], {"page": "1"}).content == first.content


@pytest.mark.parametrize("encoding", ["", "gzip", "br"])
def test_a_cached_feed_keeps_its_type_its_lifetime_and_a_true_length(site, settings, encoding):
    headers = {"accept-encoding": encoding} if encoding else {}
    for _ in range(2):  # made, then from the cache
        response = Client().get(site["feed"], headers=headers)
        assert response["Content-Type"].startswith("application/rss+xml")
        assert f"max-age={settings.FEED_MAX_AGE}" in response["Cache-Control"]
        assert response.get("Content-Length", str(len(response.content))) == str(
            len(response.content)
        )
        assert "Set-Cookie" not in response and response.cookies == {}


def test_a_small_answer_is_sent_as_it_is_and_does_not_vary_by_encoding(site):
    for _ in range(2):
        response = Client().get(site["robots"], headers={"accept-encoding": "br"})
        assert "Content-Encoding" not in response
        assert "Accept-Encoding" not in response.get("Vary", "")


def personal(kind):
    """A response a view might make that belongs to one reader only."""
    from django.http import HttpResponse, StreamingHttpResponse

    if kind == "streamed":
        return StreamingHttpResponse(iter([b"for one reader"]))
    response = HttpResponse("for one reader")
    if kind == "server error":
        response.status_code = 500
    elif kind == "sets a cookie":
        response.set_cookie("seen", "1")
    elif kind.startswith("Vary"):
        response["Vary"] = kind.split(": ")[1]
    else:
        response["Cache-Control"] = kind.split(": ")[1]
    return response


@pytest.mark.parametrize(
    "kind",
    [
        "streamed", "server error", "sets a cookie", "Vary: Cookie", "Vary: Accept, cookie",
        "Cache-Control: private", "Cache-Control: No-Cache", "Cache-Control: no-store",
        "Cache-Control: max-age=0, NO-STORE",
    ],
)  # fmt: skip
def test_an_answer_meant_for_one_reader_is_never_given_to_the_next(rf, kind):
    from newsroom.pagecache import PageCacheMiddleware

    made = []

    def view(request):
        made.append(request)
        return personal(kind)

    middleware = PageCacheMiddleware(view)
    for _ in range(2):
        middleware(rf.get("/"))
    assert len(made) == 2  # the second reader got a page made for them


@pytest.mark.parametrize("age", [timedelta(hours=1), timedelta(days=10)])
def test_a_lead_story_of_any_age_leaves_the_home_page_cached(age, django_assert_num_queries):
    ArticleFactory(title="A lead", featured=True, publish_at=timezone.now() - age)
    reader = Client()
    reader.get("/")
    with django_assert_num_queries(0):
        assert "A lead" in reader.get("/").text


def test_with_the_page_cache_off_every_request_is_made_afresh(
    site, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_ENABLED = False
    reader = Client()
    reader.get(site["home"])
    Article.objects.filter(title="Some news").update(title="Fresh news")
    assert "Fresh news" in reader.get(site["home"]).text
    with django_assert_num_queries(PAGE_BUDGETS["home"]):  # rendered, not from the cache
        reader.get(site["home"])


def test_a_change_in_the_image_library_renews_the_show_facts_too(site, committed):
    from images.models import Image
    from newsroom import freshness

    with committed():  # the site, as committed by now
        transaction.on_commit(freshness._committed)
    Client().get(site["review"])
    before = {name: freshness.current()[name] for name in freshness.TOKENS}
    with committed():
        Image.objects.create(title="A poster", alt="A poster")  # a show's poster, perhaps
    after = freshness.current()
    assert after["shows"] != before["shows"] and after["reviews"] == before["reviews"]


# A story's own parts ------------------------------------------------------------------
# Kept between generations (articles/parts.py); the page cache is off here, so each
# request makes the page again, as its first reader after a change would.


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Changes made within it are committed, as in the admin (parts made inside a
    transaction that changed something are never kept: it may be rolled back)."""
    return functools.partial(django_capture_on_commit_callbacks, execute=True)


@pytest.fixture
def story_pages(site, settings, committed):
    settings.PAGE_CACHE_ENABLED = False
    with committed():  # the site, as committed by now
        transaction.on_commit(freshness._committed)
    story = Article.objects.get(title="A review")
    Client().get(site["review"])  # its parts are kept
    return story


def test_after_another_storys_edit_a_story_reads_only_what_it_shows_of_others(
    site, story_pages, django_assert_num_queries, committed
):
    with committed():
        news = Article.objects.get(title="Some news")
        news.title = "Some later news"
        news.save()
        ArticleFactory(title="Breaking news", writers=[story_pages.writers.first()])
    # The story itself and the latest stories: not its byline, tags or notes, nor the
    # show's facts, nor "Also read" (neither story is about its show, nor one it picks).
    with django_assert_num_queries(2):
        page = Client().get(site["review"]).text
    assert "A review" in page and "Maya Okafor" in page and "James Nesbitt" in page
    assert 'content="Netflix"' in page  # the head: its tags, in Open Graph
    assert "Breaking news" in page  # the latest stories, made afresh


def add_correction(story):
    CorrectionFactory(article=story, text="An earlier version named the wrong network.")
    return "An earlier version named the wrong network."


def edit_correction_in_bulk(story):
    note = CorrectionFactory(article=story)
    Correction.objects.filter(pk=note.pk).update(text="It was filmed in Manchester.")
    return "It was filmed in Manchester."


def retitle(story):
    story.title = "A review, retitled"
    story.save()
    return '<meta property="og:title" content="A review, retitled">'


def retitle_in_bulk(story):
    Article.objects.filter(pk=story.pk).update(dek="A standfirst set in bulk")
    return "A standfirst set in bulk"


def tag(story):
    story.tags.add("Crime drama")
    return '<meta property="article:tag" content="Crime drama">'


def untag(story):
    story.tags.remove("Netflix")
    return lambda page: 'content="Netflix"' not in page


def rename_tag(story):
    tag = story.tags.get()
    tag.name = "Netflix originals"
    tag.save()
    return "Netflix originals"


def add_writer(story):
    Byline.objects.create(article=story, writer=WriterFactory(name="Ade Oyelaran"), position=2)
    return "Ade Oyelaran"


def rename_writer_in_bulk(story):
    Writer.objects.filter(name="Maya Okafor").update(bio="Maya has covered crime drama.")
    return "Maya has covered crime drama."


def drop_writer(story):
    Byline.objects.filter(article=story).delete()
    return lambda page: "Maya Okafor" not in page


def recaption_hero(story):
    story.hero = ImageFactory(alt="A still", size=(64, 36))
    story.save()
    Image.objects.filter(pk=story.hero_id).update(alt="A still from episode one")
    return 'alt="A still from episode one"'


def rename_show(story):
    Show.objects.filter(pk=story.show_id).update(title="Run Away (2026)")
    return "Run Away (2026)"


def renew_show(story):
    StatusChangeFactory(show=story.show, status="cancelled", announced_on=timezone.localdate())
    return "Cancelled"


@pytest.mark.parametrize(
    "change",
    [
        add_correction, edit_correction_in_bulk, retitle, retitle_in_bulk, tag, untag,
        rename_tag, add_writer, rename_writer_in_bulk, drop_writer, recaption_hero,
        rename_show, renew_show,
    ],
    ids=lambda change: change.__name__,
)  # fmt: skip
def test_every_change_to_what_a_story_shows_is_on_its_page_at_once(
    site, story_pages, change, committed
):
    with committed():
        expected = change(story_pages)
    for _ in range(2):  # made again, then from its kept parts
        page = Client().get(site["review"]).text
        assert expected(page) if callable(expected) else expected in page


def test_a_note_or_byline_moved_to_another_story_leaves_this_one_at_once(
    site, story_pages, committed
):
    with committed():
        other = ArticleFactory(title="Another story", writers=[WriterFactory()])
        note = CorrectionFactory(article=story_pages, text="A note that moves away.")
    for _ in range(2):  # made, then kept
        assert "A note that moves away." in Client().get(site["review"]).text
    with committed():  # as a script would: rows read afresh, then moved
        note = Correction.objects.get(pk=note.pk)
        note.article = other
        note.save()
        byline = Byline.objects.get(article=story_pages)
        byline.article = other
        byline.save()
    page = Client().get(site["review"]).text
    assert "A note that moves away." not in page and "Maya Okafor" not in page


def test_a_change_not_yet_committed_is_seen_by_its_own_thread_and_never_kept(
    site, story_pages, committed
):
    class RolledBack(Exception):
        pass

    with pytest.raises(RolledBack), transaction.atomic():
        add_correction(story_pages)
        assert "named the wrong network" in Client().get(site["review"]).text
        raise RolledBack
    with committed():  # a later change elsewhere: no renewal of this story
        ArticleFactory(title="Elsewhere", writers=[story_pages.writers.first()])
    assert "named the wrong network" not in Client().get(site["review"]).text


def test_previews_and_share_links_neither_use_nor_keep_a_storys_parts(
    site, story_pages, editor_user
):
    from .test_desk import live_form
    from .test_workflow import change_url

    editor = Client()
    editor.force_login(editor_user)
    editor.post(change_url(story_pages), live_form(story_pages, title="A headline to come"))
    preview = editor.get(reverse("articles:preview", args=[story_pages.pk])).text
    shared = Client().get(previews.share_url(story_pages)).text
    assert "A headline to come" in preview and "A headline to come" in shared
    page = Client().get(site["review"]).text  # readers still see the story as it is
    assert "A headline to come" not in page and "A review" in page


def test_a_storys_parts_hold_the_address_it_was_asked_for_at(site, story_pages, settings):
    settings.ALLOWED_HOSTS = ["testserver", "tv.example.com"]
    page = Client().get(site["review"], HTTP_HOST="tv.example.com").text
    assert 'property="og:url" content="http://tv.example.com/reviews/' in page
    assert "http%3A//tv.example.com/reviews/" in page  # the share links
    assert "testserver" not in page


def test_with_a_cache_that_keeps_nothing_story_pages_are_whole(site, settings):
    settings.PAGE_CACHE_ENABLED = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    for _ in range(2):
        page = Client().get(site["review"]).text
        assert "Maya Okafor" in page and 'content="Netflix"' in page


# "Also read" is kept too, under the story's token and its show's: every change to the
# stories it could list is in it at once.


def also_read(site):
    page = Client().get(site["review"]).text
    return page[page.index('<aside class="also-read"') :] if "also-read" in page else ""


@pytest.fixture
def listed(site, story_pages, committed):
    """A story about the review's show, and one the review picks (about another)."""
    writer = story_pages.writers.first()
    with committed():
        about = ArticleFactory(title="More about Run Away", show=story_pages.show, writers=[writer])
        about.shows.add(story_pages.show)
        pick = ArticleFactory(title="A hand-picked story", writers=[writer])
        story_pages.related.add(pick)
    for _ in range(2):  # made, then kept
        assert "More about Run Away" in also_read(site) and "A hand-picked story" in also_read(site)
    return {"about": about, "pick": pick, "writer": writer}


def test_a_new_story_about_the_show_is_in_also_read_at_once(site, story_pages, listed, committed):
    with committed():
        newer = ArticleFactory(
            title="Run Away: the finale explained", show=story_pages.show,
            writers=[listed["writer"]],
        )  # fmt: skip
        newer.shows.add(story_pages.show)
    assert "Run Away: the finale explained" in also_read(site)


def test_a_story_unpublished_or_deleted_leaves_also_read_at_once(
    site, story_pages, listed, committed
):
    with committed():
        listed["about"].status = Article.Status.DRAFT
        listed["about"].save()
    assert "More about Run Away" not in also_read(site)
    with committed():
        NewsStory.objects.get(pk=listed["pick"].pk).delete()  # as the desk deletes it
    assert "A hand-picked story" not in also_read(site)


def test_a_picked_story_retitled_or_published_is_in_also_read_at_once(
    site, story_pages, listed, committed
):
    with committed():
        listed["pick"].title = "A hand-picked story, retitled"
        listed["pick"].save()
    assert "A hand-picked story, retitled" in also_read(site)
    with committed():
        draft = ArticleFactory(
            title="Picked while a draft", status="draft", publish_at=None,
            writers=[listed["writer"]],
        )  # fmt: skip
        story_pages.related.add(draft)
    assert "Picked while a draft" not in also_read(site)
    with committed():
        draft.status, draft.publish_at = Article.Status.PUBLISHED, timezone.now()
        draft.save()
    assert "Picked while a draft" in also_read(site)


def test_a_story_taken_off_the_show_leaves_also_read_at_once(site, story_pages, listed, committed):
    with committed():
        listed["about"].shows.remove(story_pages.show)
    assert "More about Run Away" not in also_read(site)


def test_a_scheduled_story_about_the_show_is_in_also_read_at_its_time(
    site, story_pages, listed, monkeypatch, committed
):
    at = timezone.now() + timedelta(hours=2)
    with committed():
        later = ArticleFactory(
            title="Out at ten", show=story_pages.show, publish_at=at, writers=[listed["writer"]]
        )
        later.shows.add(story_pages.show)
    assert "Out at ten" not in also_read(site)
    assert "Out at ten" not in also_read(site)  # from what is kept
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(hours=2, seconds=1))
    assert "Out at ten" in also_read(site)


def test_two_renewals_at_once_keep_each_others_tokens(monkeypatch):
    first = freshness.current()["stories"]
    real = freshness._next_change_due

    def meanwhile():  # another process renews every story's token while this one renews
        monkeypatch.setattr(freshness, "_next_change_due", real)
        freshness.renew(shows=False, reviews=False, stories=True)
        return real()

    monkeypatch.setattr(freshness, "_next_change_due", meanwhile)
    freshness.renew(shows=False, reviews=False, stories=False)  # one story's change
    assert freshness.current()["stories"] != first


def test_parts_kept_for_another_story_at_the_address_are_not_used(site, settings, committed):
    from django.db import connection

    settings.PAGE_CACHE_ENABLED = False
    story = Article.objects.get(title="A review")
    other = ReviewFactory(title="Another review", writers=[WriterFactory(name="Ade Oyelaran")])
    StatusChangeFactory(show=other.show, status="renewed")
    with committed():
        transaction.on_commit(freshness._committed)
    Client().get(site["review"])  # the first review's parts are kept
    with connection.cursor() as cursor:  # by hand, unannounced: the cache cannot know
        cursor.execute("UPDATE articles_article SET slug = 'moved' WHERE id = %s", [story.pk])
        cursor.execute(
            "UPDATE articles_article SET slug = %s WHERE id = %s", [story.slug, other.pk]
        )
    page = Client().get(site["review"]).text
    assert "Another review" in page and "Ade Oyelaran" in page and "Maya Okafor" not in page
    assert "show-card-status" in page  # its show's current decision, read with it


def test_a_social_card_that_could_not_be_drawn_is_tried_again(
    site, settings, committed, monkeypatch
):
    from images import cards

    settings.PAGE_CACHE_ENABLED = False
    with committed():
        transaction.on_commit(freshness._committed)
    monkeypatch.setattr(cards, "site_card", lambda *args, **kwargs: None)  # storage down
    assert 'property="og:image"' not in Client().get(site["review"]).text
    monkeypatch.undo()
    with committed():
        Article.objects.get(title="Some news").save()  # another story: a new generation
    assert 'property="og:image"' in Client().get(site["review"]).text


@pytest.mark.parametrize("kind", ["review", "news"])
def test_a_page_made_from_kept_parts_is_the_page_made_in_full(site, story_pages, kind):
    from django.core.cache import cache

    cache.clear()  # nothing kept: made in full, then kept
    with CaptureQueriesContext(connection) as in_full:
        made = Client().get(site[kind]).text
    with CaptureQueriesContext(connection) as from_parts:
        again = Client().get(site[kind]).text
    assert len(from_parts) < len(in_full)
    assert "Maya Okafor" in again and again == made


# Holes a review found, each shut ---------------------------------------------------------


class RolledBack(Exception):
    pass


def queries(url):
    with CaptureQueriesContext(connection) as captured:
        page = Client().get(url).text
    return page, [q["sql"] for q in captured]


def test_a_stale_copy_of_a_note_saved_takes_it_off_the_story_it_is_on(site, story_pages, committed):
    with committed():
        other = ArticleFactory(title="Another story", writers=[WriterFactory()])
        note = CorrectionFactory(article=story_pages, text="A note that moves.")
    mine = Correction.objects.get(pk=note.pk)  # desk 1 opens the note (on the review)
    with committed():  # desk 2 moves it to the other story
        theirs = Correction.objects.get(pk=note.pk)
        theirs.article = other
        theirs.save()
    for _ in range(2):  # the other story's page, made and kept with the note
        assert "A note that moves." in Client().get(other.get_absolute_url()).text
    with committed():  # desk 1 saves its copy: the row is back on the review
        mine.text = "A note, edited."
        mine.save()
    assert Correction.objects.get(pk=note.pk).article_id == story_pages.pk
    assert "A note that moves." not in Client().get(other.get_absolute_url()).text


def test_a_note_saved_from_a_new_object_with_its_id_leaves_the_story_it_was_on(
    site, story_pages, committed
):
    with committed():
        other = ArticleFactory(title="Another story", writers=[WriterFactory()])
        note = CorrectionFactory(article=story_pages, text="A note that moves.")
    for _ in range(2):
        assert "A note that moves." in Client().get(site["review"]).text
    with committed():  # an import, or simple_history's revert: Model(pk=..., ...).save()
        Correction(
            pk=note.pk, article=other, kind=note.kind, text=note.text, noted_at=note.noted_at
        ).save()
    assert "A note that moves." not in Client().get(site["review"]).text


@pytest.mark.django_db(transaction=True)
def test_after_a_rolled_back_change_this_thread_keeps_parts_again(site, story_pages):
    with pytest.raises(RolledBack), transaction.atomic():  # an admin save that failed
        CorrectionFactory(article=story_pages, text="A note never committed.")
        assert "A note never committed." in Client().get(site["review"]).text  # its own
        raise RolledBack
    generation = cache.get(freshness.STATE_KEY)["generation"]
    freshness.current()  # the next request of this thread
    # What the thread made from its own changes may be in the cache: a new generation.
    assert cache.get(freshness.STATE_KEY)["generation"] != generation
    assert freshness.State.settled()
    # Another process's change renews every story's token (a writer renamed, say):
    freshness.renew(shows=False, reviews=False, stories=True)
    page, _ = queries(site["review"])  # made again...
    assert "A note never committed." not in page
    _, again = queries(site["review"])  # ...and from its kept parts: no byline read
    assert not any("articles_byline" in sql for sql in again)


def test_tokens_written_into_the_generation_by_the_release_before_are_not_lost(
    site, story_pages, committed
):
    # An old process (the release before 00562e8) renames the writer and renews as it
    # did: every token inline in the generation, none in the keys of their own.
    from people.models import Writer

    with connection.cursor() as cursor:
        cursor.execute("UPDATE people_writer SET name = 'Maya Okafor-Reid'")
    old = cache.get(freshness.STATE_KEY)
    cache.set(
        freshness.STATE_KEY,
        {
            "generation": uuid.uuid4().hex,
            "shows": uuid.uuid4().hex,
            "reviews": uuid.uuid4().hex,
            "stories": uuid.uuid4().hex,
            "next_publish": old["next_publish"],
        },
        timeout=None,
    )
    assert "Maya Okafor-Reid" in Client().get(site["review"]).text
    with committed():  # then a new process edits another story
        news = Article.objects.get(title="Some news")
        news.title = "Some later news"
        news.save()
    assert Writer.objects.filter(name="Maya Okafor-Reid").exists()
    assert "Maya Okafor-Reid" in Client().get(site["review"]).text


def test_a_hit_reads_one_key_besides_the_page(site, monkeypatch, django_assert_num_queries):
    Client().get(site["review"])
    read = []
    for name in ("get", "get_many", "add", "set", "set_many"):
        real = getattr(cache, name)
        monkeypatch.setattr(
            cache,
            name,
            lambda *a, _real=real, _name=name, **k: read.append((_name, a[0])) or _real(*a, **k),
        )
    with django_assert_num_queries(0):
        assert Client().get(site["review"]).status_code == 200
    assert [name for name, _ in read] == ["get", "get"], read


def test_a_facts_box_rendered_inside_a_rolled_back_transaction_is_not_kept(
    site, story_pages, committed
):
    with pytest.raises(RolledBack), transaction.atomic():
        Show.objects.filter(title="Run Away").update(title="A title never committed")
        assert "A title never committed" in Client().get(site["review"]).text
        raise RolledBack
    assert Show.objects.filter(title="Run Away").exists()
    page = Client().get(site["review"]).text
    assert "A title never committed" not in page


def test_taking_a_pick_off_one_story_renews_that_storys_token_only(committed):
    story, pick = ArticleFactory(), ArticleFactory()
    with committed():
        story.related.add(pick)
    before = freshness.current()["stories"]
    with committed():
        story.related.remove(pick)
    assert freshness.current()["stories"] == before
