"""Every public page costs a fixed number of SQL queries, however much it shows.

Each test builds a page with one related row of each kind, then with fifty, and asks for
it once as an anonymous reader. The budget is the same for both: a page whose count grows
with its content has an N+1 somewhere. The budgets, in queries per request:

- home: 4. The lead story and its byline; the newest four of each section and their
  bylines. (Built with n stories of each kind, so no section list is empty: an empty list
  skips its byline query.)
- section list (/reviews/): 3. Count the stories, the page of 20 with main shows, bylines.
- story pages pay one query more than listed below for their corrections and updates,
  however many, and one for the rail's latest stories on a cold cache; renewal news whose
  show has moved on pays two more (the decision since, and the newest story about it).
- review page: 7. The review with show, network, source author and season; byline; tags;
  "also read"; cast and crew; genres; the comparison table of the source author's shows
  (network, status, episode total and our rating in one query).
- renewal news page: 6. The story; byline; tags; "also read"; cast and crew; the show's
  renewal history with seasons.
- explainer page: 4. The story; byline; tags; "also read" (the table of contents comes
  from the stored HTML).
- news page: 4. The story; byline; tags; "also read".
- show index: 3. The network filter's choices, the count, the page of shows with network
  and current status. The same with a ?status= filter; filtering by network adds one query
  to look the network up (4).
- show page: 8. The show with network and source author; genres; seasons; credits with
  people; renewal history with seasons; count of its stories; the page of stories; bylines.
- renewal tracker: 3. The current decision of every show (show and status: a pass over
  the decisions' index); the shows on the page (up to 24 a status, or 60 of one status)
  with network, decision and newest renewal story; the networks to filter by.
- person page: 5. The person; credits with shows; count of stories; the page; bylines.
- writer page: 4. The writer; count of stories; the page; bylines.
- tag page: 4. The tag; count of stories; the page; bylines.
- search: 5. Count of matching stories, the page, bylines, matching shows, matching people.
  PostgreSQL matches stories with ranked full-text search (@@) and SQLite with icontains,
  but either is one count and one page, so the budget is the same on both (checked on
  PostgreSQL 15).
- sitemap.xml: 10, the index. The months with stories, each with its count and newest
  change, in one query; for shows, people, writers and tags their newest change and a
  count (for the files they need); a count of the site's own pages.
- a sitemap file: a month of stories, 2: the months (which also count its stories) and
  the page; shows, people, writers, tags or pages, 3: the months, a count and the page.
- news-sitemap.xml: 1. The stories of the last two days.
- corrections: 2. A count for the pages; the page of notes with their stories.
- people and writers indexes: 2. A count; the page with photos.

The counts hold on SQLite and PostgreSQL alike: setup uses nothing vendor-specific.
"""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction, Tag
from newsroom.views import TRACKER_PER_GROUP
from shows.models import Credit, StatusChange

from .factories import (
    ArticleFactory,
    CorrectionFactory,
    CreditFactory,
    GenreFactory,
    ImageFactory,
    NetworkFactory,
    PersonFactory,
    ReviewFactory,
    SeasonFactory,
    ShowFactory,
    StatusChangeFactory,
    WriterFactory,
)

pytestmark = pytest.mark.django_db

# A story page's budget includes the latest stories of its rail: one query, cached with
# the rail (every page shares it until something changes), so paid here, on a cold cache.
PAGE_BUDGETS = {
    "home": 5,  # the lead and its bylines, the other stories and theirs, the decisions
    "section": 3,
    # Story pages: the corrections and updates at the top are one query, however many.
    "review": 9,
    "renewal": 8,
    "renewal, moved on": 10,  # the show's decision since, and the newest story about it
    "explainer": 6,
    "news": 6,
    "show index": 3,
    "show index, network filter": 4,
    "show": 8,
    "renewal tracker": 3,  # the current decisions, the shows shown, the networks to filter by
    "person": 5,
    "writer": 4,
    "tag": 4,
    "search": 5,
    "sitemap.xml": 9,
    "news-sitemap.xml": 1,
    "corrections": 2,  # a count for the pages, and the notes with their stories
    "people": 2,
    "writers": 2,
}
SIZES = [1, 50]  # as the style asks; more than a page (20), so a page shows the same cards
SEARCH_WORD = "harbour"


def settle_the_setup():
    """The rows a test made are never committed (the test is one transaction), so the
    first request would renew the cache's generation for them, as a commit would have
    (see newsroom/freshness.py): have that done before the page is measured, and the
    site's address read, as every process does once."""
    from django.contrib.sites.models import Site

    from newsroom import freshness

    freshness.current()
    Site.objects.get_current()  # read once a process, then kept in memory


def read_page(url, django_assert_num_queries, budget):
    """Request ``url`` once as an anonymous reader, within exactly ``budget`` queries."""
    settle_the_setup()
    reader = Client()
    with django_assert_num_queries(budget):
        response = reader.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response


def cards(page):
    """How many story cards the page shows."""
    return page.text.count('<article class="card')


def co_writers(count):
    return WriterFactory.create_batch(count)


def day(offset):
    return date(2026, 1, 1) + timedelta(days=offset)


def story(kind=Article.Kind.NEWS, writers=2, tags=(), notes=0, **fields):
    """A published story of ``kind`` with ``writers`` fresh co-writers, ``tags`` and
    ``notes`` corrections and updates."""
    if kind == Article.Kind.REVIEW:
        article = ReviewFactory(writers=co_writers(writers), **fields)
    else:
        if kind == Article.Kind.RENEWAL and "show" not in fields:
            fields["show"] = ShowFactory()
        article = ArticleFactory(kind=kind, writers=co_writers(writers), **fields)
    if tags:
        article.tags.add(*tags)
    kinds = list(Correction.Kind)
    for i in range(notes):
        CorrectionFactory(article=article, kind=kinds[i % len(kinds)])
    return article


def status_history(show, count, last=StatusChange.Status.RENEWED):
    """``count`` status changes, one a day, the newest being ``last``."""
    season = SeasonFactory(show=show)
    changes = [
        StatusChangeFactory(
            show=show,
            season=season if i % 2 else None,
            status=StatusChange.Status.PENDING,
            announced_on=day(i),
            note=f"Update {i}.",
        )
        for i in range(count - 1)
    ]
    changes.append(
        StatusChangeFactory(show=show, season=season, status=last, announced_on=day(count))
    )
    return changes


@pytest.mark.parametrize("n", SIZES)
def test_home_page_costs_the_same_however_many_stories(n, django_assert_num_queries):
    for kind in Article.Kind:
        for i in range(n):
            story(kind, writers=2, tags=[f"Topic {i}", "Television"])

    page = read_page(reverse("home"), django_assert_num_queries, PAGE_BUDGETS["home"])

    assert 4 * min(n, 4) <= cards(page) <= 1 + 4 * min(n, 4)


@pytest.mark.parametrize("n", SIZES)
def test_section_list_costs_the_same_however_many_reviews(n, django_assert_num_queries):
    for i in range(n):
        # Every other card has a hero; the others show their show's key art.
        picture = {"hero": ImageFactory(size=(32, 18))} if i % 2 else {}
        review = story(
            Article.Kind.REVIEW, writers=3, tags=[f"Topic {i}", "Crime", "Netflix"], **picture
        )
        review.show.poster = ImageFactory(size=(20, 30))
        review.show.save()

    page = read_page(
        reverse("articles:section", args=["reviews"]),
        django_assert_num_queries,
        PAGE_BUDGETS["section"],
    )

    assert cards(page) == min(n, 20)


@pytest.mark.parametrize("n", SIZES)
def test_review_page_costs_the_same_however_big_the_show(n, django_assert_num_queries):
    author = PersonFactory(name="Source Author")
    show = ShowFactory(source_author=author)
    season = SeasonFactory(show=show)
    review = story(
        Article.Kind.REVIEW,
        writers=n,
        notes=n,
        tags=[f"Review tag {i}" for i in range(n)],
        season=season,
        show=show,
        watch_if="Reason one\nReason two",
        skip_if="Reason three",
    )
    CreditFactory.create_batch(n, show=show)
    show.genres.add(*GenreFactory.create_batch(n))
    review.related.add(*(story(writers=2) for _ in range(n)))
    for i in range(n):
        other = ShowFactory(source_author=author, premiere_date=day(i))
        status_history(other, 2)
        ReviewFactory(season=SeasonFactory(show=other), writers=co_writers(1))
    status_history(show, n)

    page = read_page(review.get_absolute_url(), django_assert_num_queries, PAGE_BUDGETS["review"])

    assert "How it compares" in page.text


@pytest.mark.parametrize("n", SIZES)
def test_renewal_page_costs_the_same_however_long_the_history(n, django_assert_num_queries):
    show = ShowFactory()
    CreditFactory.create_batch(n, show=show)
    CreditFactory.create_batch(n, show=show, role=Credit.Role.WRITER, character_name="")
    changes = status_history(show, n)
    renewal = story(
        Article.Kind.RENEWAL,
        writers=2,
        notes=n,
        tags=["Renewals"],
        show=show,
        status_change=changes[-1],
    )

    page = read_page(renewal.get_absolute_url(), django_assert_num_queries, PAGE_BUDGETS["renewal"])

    assert "Renewal history" in page.text
    assert "Since this story" not in page.text


@pytest.mark.parametrize("n", SIZES)
def test_renewal_news_that_has_moved_on_costs_the_same(n, django_assert_num_queries):
    show = ShowFactory()
    changes = status_history(show, n + 1)
    renewal = story(
        Article.Kind.RENEWAL,
        show=show,
        status_change=changes[0],
        publish_at=timezone.now() - timedelta(days=2),
    )
    for _ in range(n):
        story(Article.Kind.RENEWAL, show=show, notes=1)

    page = read_page(
        renewal.get_absolute_url(), django_assert_num_queries, PAGE_BUDGETS["renewal, moved on"]
    )

    assert "Since this story" in page.text


@pytest.mark.parametrize("n", SIZES)
def test_explainer_page_costs_the_same_however_long_the_story(n, django_assert_num_queries):
    body = "\n\n".join(f"## Heading {i}\n\nWords about part {i}." for i in range(n))
    explainer = story(
        Article.Kind.EXPLAINER, writers=2, notes=n, tags=[f"Topic {i}" for i in range(n)], body=body
    )
    explainer.related.add(*(story(writers=2) for _ in range(n)))

    page = read_page(
        explainer.get_absolute_url(), django_assert_num_queries, PAGE_BUDGETS["explainer"]
    )

    assert f"Heading {n - 1}" in page.text


@pytest.mark.parametrize("n", SIZES)
def test_news_page_costs_the_same_however_many_tags_and_writers(n, django_assert_num_queries):
    news = story(Article.Kind.NEWS, writers=n, notes=n, tags=[f"Topic {i}" for i in range(n)])

    page = read_page(news.get_absolute_url(), django_assert_num_queries, PAGE_BUDGETS["news"])

    assert news.byline[-1].name in page.text


@pytest.mark.parametrize(
    "query, budget",
    [
        ("", "show index"),
        ("?status=renewed", "show index"),
        ("?status=renewed&network=network-shared", "show index, network filter"),
    ],
)
@pytest.mark.parametrize("n", SIZES)
def test_show_index_costs_the_same_however_many_shows(n, query, budget, django_assert_num_queries):
    network = NetworkFactory(name="Shared", slug="network-shared")
    for i in range(n):
        status_history(ShowFactory(network=network if i % 2 == 0 else NetworkFactory()), 3)

    page = read_page(
        reverse("shows:index") + query, django_assert_num_queries, PAGE_BUDGETS[budget]
    )

    shown = (n + 1) // 2 if "network" in query else n
    assert page.text.count('class="badge badge-renewed"') == shown


@pytest.mark.parametrize("n", SIZES)
def test_show_page_costs_the_same_however_big_the_show(n, django_assert_num_queries):
    show = ShowFactory(source_author=PersonFactory())
    for number in range(1, n + 1):
        SeasonFactory(show=show, number=number)
    CreditFactory.create_batch(n, show=show)
    CreditFactory.create_batch(n, show=show, role=Credit.Role.PRODUCER, character_name="")
    status_history(show, n)
    show.genres.add(*GenreFactory.create_batch(n))
    for _ in range(n):
        story(writers=2, show=show)

    page = read_page(show.get_absolute_url(), django_assert_num_queries, PAGE_BUDGETS["show"])

    assert cards(page) == min(n, 20)


@pytest.mark.parametrize("n", SIZES)
def test_renewal_tracker_costs_the_same_however_many_shows(n, django_assert_num_queries):
    for _ in range(n):
        show = ShowFactory()
        status_history(show, 3)
        story(Article.Kind.RENEWAL, writers=1, show=show)
        story(Article.Kind.RENEWAL, writers=1, show=show)

    page = read_page(
        reverse("renewal-tracker"), django_assert_num_queries, PAGE_BUDGETS["renewal tracker"]
    )

    assert page.text.count('class="story-link"') == min(n, TRACKER_PER_GROUP)  # all renewed


@pytest.mark.parametrize("n", SIZES)
def test_person_page_costs_the_same_however_many_roles(n, django_assert_num_queries):
    person = PersonFactory()
    CreditFactory.create_batch(n, person=person)
    for _ in range(n):
        story(writers=2).people.add(person)

    page = read_page(person.get_absolute_url(), django_assert_num_queries, PAGE_BUDGETS["person"])

    assert cards(page) == min(n, 20)


@pytest.mark.parametrize("n", SIZES)
def test_writer_page_costs_the_same_however_many_stories(n, django_assert_num_queries):
    writer = WriterFactory()
    for _ in range(n):
        ArticleFactory(writers=[writer, *co_writers(2)])

    page = read_page(writer.get_absolute_url(), django_assert_num_queries, PAGE_BUDGETS["writer"])

    assert cards(page) == min(n, 20)


@pytest.mark.parametrize("n", SIZES)
def test_tag_page_costs_the_same_however_many_stories(n, django_assert_num_queries):
    for i in range(n):
        story(writers=3, tags=["Harlan Coben", f"Topic {i}"])
    tag = Tag.objects.get(name="Harlan Coben")

    page = read_page(
        reverse("articles:tag", args=[tag.slug]), django_assert_num_queries, PAGE_BUDGETS["tag"]
    )

    assert cards(page) == min(n, 20)


@pytest.mark.parametrize("n", SIZES)
def test_search_costs_the_same_however_many_matches(n, django_assert_num_queries):
    for i in range(n):
        story(writers=2, title=f"Harbour story {i}", body=f"The harbour, part {i}.")
        ShowFactory(title=f"Harbour Lights {i}")
        PersonFactory(name=f"Ann Harbour {i}")

    page = read_page(
        reverse("search") + f"?q={SEARCH_WORD}", django_assert_num_queries, PAGE_BUDGETS["search"]
    )

    assert cards(page) == min(n, 20)
    assert "Harbour Lights" in page.text and "Ann Harbour" in page.text


@pytest.mark.parametrize("url_name", ["sitemap", "news-sitemap"])
@pytest.mark.parametrize("n", SIZES)
def test_sitemaps_cost_the_same_however_much_content(n, url_name, django_assert_num_queries):
    for i in range(n):
        story(writers=1, tags=[f"Topic {i}"], show=ShowFactory())
        PersonFactory()
    ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    ArticleFactory(publish_at=timezone.now() - timedelta(days=3))
    url = reverse(url_name)

    page = read_page(url, django_assert_num_queries, PAGE_BUDGETS[url.strip("/")])

    assert page.text.count("<loc>") >= (1 if url_name == "sitemap" else n)


@pytest.mark.parametrize("section", ["month", "shows", "people", "writers", "tags", "pages"])
@pytest.mark.parametrize("n", SIZES)
def test_each_sitemap_file_costs_the_same_however_much_content(
    n, section, django_assert_num_queries
):
    for i in range(n):
        story(writers=1, tags=[f"Topic {i}"], show=ShowFactory())
        PersonFactory()
    if section == "month":
        newest = Article.objects.published().latest("publish_at").publish_at
        section = f"stories-{timezone.localtime(newest):%Y-%m}"  # this month, or the last
    if section == "pages":
        from django.contrib.flatpages.models import FlatPage

        for i in range(n):
            FlatPage.objects.create(url=f"/page-{i}/", title=f"Page {i}").sites.add(1)
    url = reverse("sitemap-section", args=[section])
    read_page(url, django_assert_num_queries, 2)  # how many there are, and the page of them


@pytest.mark.parametrize("n", SIZES)
def test_the_corrections_log_costs_the_same_however_long(n, django_assert_num_queries):
    for _ in range(n):
        story(Article.Kind.REVIEW, writers=1, notes=3)

    page = read_page(
        reverse("articles:corrections"), django_assert_num_queries, PAGE_BUDGETS["corrections"]
    )

    assert page.text.count('class="note note-') == min(2 * n, 20)  # updates are not listed


@pytest.mark.parametrize(
    "url_name, budget", [("people:index", "people"), ("people:writers", "writers")]
)
@pytest.mark.parametrize("n", SIZES)
def test_people_and_writers_indexes_cost_the_same_however_many(
    n, url_name, budget, django_assert_num_queries
):
    for _ in range(n):
        PersonFactory(photo=ImageFactory())
        WriterFactory(photo=ImageFactory())

    page = read_page(reverse(url_name), django_assert_num_queries, PAGE_BUDGETS[budget])

    assert page.text.count("<li>") >= n


@pytest.mark.parametrize("n", SIZES)
def test_the_desks_story_list_costs_the_same_however_many_stories(n, editor_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article as Story

    for _ in range(n):
        story(writers=1, tags=["Topic"], show=ShowFactory())
    url = reverse("admin:articles_article_changelist")
    editor_client.get(url)  # the session and the sign-in, settled
    with CaptureQueriesContext(connection) as queries:
        page = editor_client.get(url)
    assert page.status_code == 200
    assert page.text.count('class="action-select"') == min(n, 50) == Story.objects.count()
    # One count of the stories, never two; the same number of queries at 1 and at 50.
    counts = [
        q["sql"]
        for q in queries
        if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "articles_article"')
    ]
    assert len(counts) <= 2  # the list's, and the facts filter's own
    # The session, the user, the filters, one count, the page; PostgreSQL asks the planner
    # for the table's size first (a small table is then counted).
    assert len(queries) == (16 if connection.vendor == "postgresql" else 15)


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="the planner's estimate is PostgreSQL's (SQLite counts: see the test above)",
)
def test_the_desks_whole_list_is_counted_by_the_planners_estimate(editor_client, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.admin import EstimatedCountPaginator

    for _ in range(3):
        story(writers=1, tags=["Topic"], show=ShowFactory())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    monkeypatch.setattr(EstimatedCountPaginator, "EXACT_BELOW", 0)  # as if 100,000 rows
    with CaptureQueriesContext(connection) as queries:
        page = editor_client.get(reverse("admin:articles_article_changelist"))
    assert "3 articles" in page.text
    whole = 'SELECT COUNT(*) AS "__count" FROM "articles_article"'
    assert not [q for q in queries if q["sql"] == whole]


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="the planner's estimate is PostgreSQL's",
)
def test_a_search_of_the_desks_list_that_matches_many_is_counted_by_the_planners_estimate(
    editor_client, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.admin import EstimatedCountPaginator

    for i in range(3):
        story(writers=1, title=f"Harbour twist {i}", body="A twist at the harbour.")
    story(writers=1, title="Something else", body="Nothing to find.")
    monkeypatch.setattr(EstimatedCountPaginator, "EXACT_BELOW", 0)  # as if 100,000 matched
    url = reverse("admin:articles_article_changelist") + "?q=twist"
    with CaptureQueriesContext(connection) as queries:
        page = editor_client.get(url)
    assert page.status_code == 200 and page.text.count('class="action-select"') == 3
    assert any(q["sql"].startswith("EXPLAIN (FORMAT JSON)") for q in queries)
    assert not [
        q for q in queries if q["sql"].startswith("SELECT COUNT(*)") and "twist" in q["sql"]
    ]
