"""The reader's site: what each public page shows, hides and refuses.

Every test reads pages through the test client as an anonymous reader (or as
staff for previews) and asserts what a person looking at the page would notice.
"""

import re
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from shows.models import Credit, Show, StatusChange

from .factories import (
    ArticleFactory,
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
from .sitemaps import whole_sitemap_text

pytestmark = pytest.mark.django_db

NOT_FOUND_TEXT = "We couldn't find that page"

REVIEW_SLUG = "run-away-season-1-review"
EXPLAINER_SLUG = "is-run-away-a-true-story"
RENEWAL_SLUG = "run-away-season-2-renewal-status"
DEMO_STORIES = {
    "reviews": REVIEW_SLUG,
    "explainers": EXPLAINER_SLUG,
    "renewals": RENEWAL_SLUG,
}
SECTIONS = list(Article.SECTIONS.values())

# Page values that are not a page of results. "" is left out: see test_an_empty_page_value.
BAD_PAGES = ["0", "-1", "abc", "999999", "9" * 5000, "1.5", "1e3", " 2", "last!"]


# --- helpers -------------------------------------------------------------------------------


def section_url(section):
    return reverse("articles:section", args=[section])


def story_url(section, slug):
    return reverse("articles:detail", args=[section, slug])


def assert_site_404(response):
    assert response.status_code == 404, response.status_code
    assert NOT_FOUND_TEXT in response.text


def fragment(html, start, end):
    """The part of ``html`` from the first ``start`` to the next ``end`` after it."""
    begin = html.index(start)
    return html[begin : html.index(end, begin)]


def card_titles(html):
    """The headlines of the story cards on a page, top to bottom."""
    return re.findall(r'class="card-title"><a href="[^"]*">([^<]*)</a>', html)


def link_texts(html):
    return re.findall(r'<a [^>]*href="[^"]*"[^>]*>([^<]*)</a>', html)


def show_titles(html):
    """The shows on a page of the show index, in order."""
    return re.findall(r'class="show-tile-title">([^<]*)</span>', html)


def table_row(html, show_title):
    """The cells (<td>, tags stripped) of the comparison-table row for ``show_title``."""
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S):
        if f">{show_title}</a></th>" in row:
            return [
                re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row)
            ]
    raise AssertionError(f"no comparison row for {show_title}")


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


def make_story(kind=Article.Kind.NEWS, **fields):
    """A published story of any kind; reviews get a season and a rating unless given."""
    if kind == Article.Kind.REVIEW:
        fields.setdefault("rating", Decimal("4.0"))
        if "season" not in fields:
            fields["season"] = SeasonFactory(show=fields.pop("show", None) or ShowFactory())
    return ArticleFactory(kind=kind, **fields)


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture
def reader():
    """An anonymous reader (the `client` fixture is the logged-in editor's)."""
    return Client()


# --- 1. the URL contract -------------------------------------------------------------------

CONTRACT_URLS = [
    "/",
    "/reviews/",
    "/explainers/",
    "/renewals/",
    "/news/",
    f"/reviews/{REVIEW_SLUG}/",
    f"/explainers/{EXPLAINER_SLUG}/",
    f"/renewals/{RENEWAL_SLUG}/",
    "/shows/",
    "/shows/run-away/",
    "/renewal-tracker/",
    "/people/james-nesbitt/",
    "/writers/maya-okafor/",
    "/tags/netflix/",
    "/search/?q=run",
    "/people/",
    "/writers/",
    "/corrections/",
    "/corrections/feed/",
    "/sitemap.xml",
    "/robots.txt",
]


@pytest.mark.parametrize("url", CONTRACT_URLS)
def test_every_url_of_the_contract_answers_with_the_demo_loaded(demo, reader, url):
    assert reader.get(url).status_code == 200


def test_the_news_sitemap_is_not_served_empty(demo, reader):
    """Google's schema wants at least one story in it; the demo's are all older than two days."""
    assert reader.get("/news-sitemap.xml").status_code == 404
    ArticleFactory(title="Fresh news")
    sitemap = reader.get("/news-sitemap.xml")
    assert sitemap.status_code == 200
    assert "<news:title>Fresh news</news:title>" in sitemap.text


@pytest.mark.parametrize(
    "name, args, path",
    [
        ("home", [], "/"),
        ("articles:section", ["reviews"], "/reviews/"),
        ("articles:section", ["explainers"], "/explainers/"),
        ("articles:section", ["renewals"], "/renewals/"),
        ("articles:section", ["news"], "/news/"),
        ("articles:detail", ["reviews", REVIEW_SLUG], f"/reviews/{REVIEW_SLUG}/"),
        ("shows:index", [], "/shows/"),
        ("shows:detail", ["run-away"], "/shows/run-away/"),
        ("renewal-tracker", [], "/renewal-tracker/"),
        ("people:person", ["james-nesbitt"], "/people/james-nesbitt/"),
        ("people:writer", ["maya-okafor"], "/writers/maya-okafor/"),
        ("articles:tag", ["netflix"], "/tags/netflix/"),
        ("search", [], "/search/"),
        ("sitemap", [], "/sitemap.xml"),
        ("news-sitemap", [], "/news-sitemap.xml"),
        ("robots", [], "/robots.txt"),
    ],
)
def test_url_names_reverse_to_the_paths_of_the_contract(name, args, path):
    assert reverse(name, args=args) == path


@pytest.mark.parametrize("section, slug", DEMO_STORIES.items())
def test_each_demo_story_lives_at_its_section_url(demo, section, slug):
    assert Article.objects.get(slug=slug).get_absolute_url() == f"/{section}/{slug}/"


def test_the_sitemaps_list_the_demo_stories_and_robots_points_at_them(demo, reader):
    sitemap = whole_sitemap_text(reader)
    for section, slug in DEMO_STORIES.items():
        assert f"http://testserver/{section}/{slug}/" in sitemap
    assert "http://testserver/shows/run-away/" in sitemap
    robots = reader.get(reverse("robots")).text
    assert "Sitemap: http://testserver/sitemap.xml" in robots
    assert "Sitemap: http://testserver/news-sitemap.xml" in robots


# --- 2. unknown addresses ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        *(story_url(section, "no-such-story") for section in SECTIONS),
        reverse("shows:detail", args=["no-such-show"]),
        reverse("people:person", args=["no-such-person"]),
        reverse("people:writer", args=["no-such-writer"]),
        reverse("articles:tag", args=["no-such-tag"]),
        "/no-such-section/",
        f"/reviewz/{REVIEW_SLUG}/",
    ],
)
def test_unknown_addresses_give_the_sites_own_404(demo, reader, url):
    assert_site_404(reader.get(url))


@pytest.mark.parametrize(
    "section, slug",
    [(wrong, slug) for right, slug in DEMO_STORIES.items() for wrong in SECTIONS if wrong != right],
)
def test_a_story_under_the_wrong_section_is_not_found(demo, reader, section, slug):
    assert_site_404(reader.get(story_url(section, slug)))


# --- 3. drafts, stories in review and scheduled stories ------------------------------------

SECRET = "Hushhush"
SHARED_WORD = "quokka"


@pytest.fixture(params=["draft", "undated draft", "in_review", "scheduled"])
def unpublished(request):
    """A show, person, writer and tag, each with a public story of every kind and an
    unpublished one (title and slug contain SECRET) that is newer and featured, so a
    leak would put it on top."""
    state = {
        "draft": {"status": Article.Status.DRAFT, "publish_at": hours_ago(0.5)},
        "undated draft": {"status": Article.Status.DRAFT, "publish_at": None},
        "in_review": {"status": Article.Status.IN_REVIEW, "publish_at": hours_ago(0.5)},
        "scheduled": {
            "status": Article.Status.PUBLISHED,
            "publish_at": timezone.now() + timedelta(days=1),
        },
    }[request.param]
    show = ShowFactory(title="Harbour Lights", slug="harbour-lights")
    season = SeasonFactory(show=show, number=1)
    StatusChangeFactory(
        show=show, status=StatusChange.Status.RENEWED, announced_on=date(2026, 3, 1)
    )
    person = PersonFactory(name="Iris Vantongeren", slug="iris-vantongeren")
    writer = WriterFactory(name="Cal Brennan", slug="cal-brennan")
    public, hidden = {}, {}
    for kind in Article.Kind.values:
        common = {"show": show, "writers": [writer]}
        if kind == Article.Kind.REVIEW:
            common["season"] = season
        public[kind] = make_story(
            kind,
            title=f"Openly {kind} story",
            slug=f"openly-{kind}",
            body=f"A {SHARED_WORD} appears.",
            publish_at=hours_ago(2),
            **common,
        )
        hidden[kind] = make_story(
            kind,
            title=f"{SECRET} {kind} story",
            slug=f"{SECRET.lower()}-{kind}",
            body=f"A {SHARED_WORD} appears, {SECRET}.",
            featured=True,
            **state,
            **common,
        )
        public[kind].tags.add("Netflix")
        hidden[kind].tags.add("Netflix", f"{SECRET} only")
        public[kind].people.add(person)
        hidden[kind].people.add(person)
    return SimpleNamespace(
        state=request.param, show=show, person=person, writer=writer, public=public, hidden=hidden
    )


def assert_public_stories_only(world, text, kinds=tuple(Article.Kind.values)):
    """The page lists the public stories of ``kinds`` and nothing of the unpublished ones."""
    for kind in kinds:
        assert world.public[kind].title in text
    assert SECRET.lower() not in text.lower()


class TestUnpublishedStoriesAreInvisibleToReaders:
    def test_their_own_url_is_not_found(self, unpublished, reader):
        for story in unpublished.hidden.values():
            assert_site_404(reader.get(story.get_absolute_url()))

    @pytest.mark.parametrize("kind, section", Article.SECTIONS.items())
    def test_section_lists(self, unpublished, reader, kind, section):
        page = reader.get(section_url(section))
        assert page.status_code == 200
        assert_public_stories_only(unpublished, page.text, [kind])

    def test_home_page(self, unpublished, reader):
        assert_public_stories_only(unpublished, reader.get(reverse("home")).text)

    def test_tag_page(self, unpublished, reader):
        page = reader.get(reverse("articles:tag", args=["netflix"]))
        assert_public_stories_only(unpublished, page.text)

    def test_show_page(self, unpublished, reader):
        page = reader.get(unpublished.show.get_absolute_url())
        assert_public_stories_only(unpublished, page.text)

    def test_person_page(self, unpublished, reader):
        page = reader.get(unpublished.person.get_absolute_url())
        assert_public_stories_only(unpublished, page.text)

    def test_writer_page(self, unpublished, reader):
        page = reader.get(unpublished.writer.get_absolute_url())
        assert_public_stories_only(unpublished, page.text)

    def test_search_results(self, unpublished, reader):
        page = reader.get(reverse("search"), {"q": SHARED_WORD})
        assert page.status_code == 200
        assert_public_stories_only(unpublished, page.text)
        by_secret = reader.get(reverse("search"), {"q": SECRET})
        assert "No stories match" in by_secret.text
        assert card_titles(by_secret.text) == []

    def test_sitemap(self, unpublished, reader):
        sitemap = whole_sitemap_text(reader)
        for story in unpublished.public.values():
            assert f"http://testserver{story.get_absolute_url()}" in sitemap
        assert "/tags/netflix/" in sitemap
        assert SECRET.lower() not in sitemap.lower()  # neither the stories nor their own tag

    def test_news_sitemap(self, unpublished, reader):
        sitemap = reader.get(reverse("news-sitemap")).text
        for story in unpublished.public.values():
            assert story.title in sitemap
        assert SECRET.lower() not in sitemap.lower()

    def test_renewal_tracker_links_the_newest_public_renewal_story(self, unpublished, reader):
        page = reader.get(reverse("renewal-tracker")).text
        group = fragment(page, 'aria-labelledby="status-renewed"', "</section>")
        assert unpublished.show.title in group
        assert unpublished.public[Article.Kind.RENEWAL].title in group
        assert SECRET.lower() not in page.lower()

    def test_also_read_under_a_public_story(self, unpublished, reader):
        story = unpublished.public[Article.Kind.NEWS]
        story.related.add(unpublished.hidden[Article.Kind.EXPLAINER])
        page = reader.get(story.get_absolute_url()).text
        assert unpublished.public[Article.Kind.REVIEW].title in fragment(
            page, '<aside class="also-read"', "</aside>"
        )
        assert SECRET.lower() not in page.lower()

    def test_staff_see_them_in_preview_with_a_notice(self, unpublished, editor_client):
        for story in unpublished.hidden.values():
            page = editor_client.get(reverse("articles:preview", args=[story.pk]))
            assert page.status_code == 200
            assert story.title in page.text
            assert "Preview: this story is" in page.text
            assert "Readers cannot see it." in page.text
            if unpublished.state == "scheduled":
                assert "scheduled for" in page.text

    def test_readers_get_404_from_the_preview_url(self, unpublished, reader):
        for story in unpublished.hidden.values():
            assert_site_404(reader.get(reverse("articles:preview", args=[story.pk])))


def test_preview_of_a_public_story_says_readers_can_see_it(editor_client):
    story = ArticleFactory()
    page = editor_client.get(reverse("articles:preview", args=[story.pk]))
    assert "Preview: this story is published. Readers can see it." in page.text


# --- 4. the review page --------------------------------------------------------------------


@pytest.fixture
def review():
    """A review whose body says nothing: every fact on the page must come from data."""
    author = PersonFactory(name="Agatha Penrose", slug="agatha-penrose")
    network = NetworkFactory(name="Streamly", slug="streamly")
    show = ShowFactory(
        title="Glass Harbour",
        slug="glass-harbour",
        network=network,
        format=Show.Format.LIMITED,
        premiere_date=date(2025, 3, 14),
        source_title="The Glass Harbour",
        source_year=2011,
        source_author=author,
    )
    show.genres.set(
        [
            GenreFactory(name="Coastal noir", slug="coastal-noir"),
            GenreFactory(name="Family saga", slug="family-saga"),
        ]
    )
    season = SeasonFactory(show=show, number=1, premiere_date=date(2025, 3, 14), episode_count=7)
    for order, (name, slug, character) in enumerate(
        [("Ada Quill", "ada-quill", "Nell Marsh"), ("Bram Oduya", "bram-oduya", "Tom Reyes")]
    ):
        person = PersonFactory(name=name, slug=slug)
        CreditFactory(show=show, person=person, character_name=character, billing_order=order)
    CreditFactory(
        show=show,
        person=PersonFactory(name="Wren Salter", slug="wren-salter"),
        role=Credit.Role.WRITER,
        character_name="",
        job="Screenplay",
    )
    other = ShowFactory(
        title="Salt Lines",
        slug="salt-lines",
        network=NetworkFactory(name="Channel Nine", slug="channel-nine"),
        premiere_date=date(2019, 6, 1),
        source_author=author,
    )
    SeasonFactory(show=other, number=1, episode_count=6)
    StatusChangeFactory(
        show=other, status=StatusChange.Status.CANCELLED, announced_on=date(2019, 9, 1)
    )
    ShowFactory(title="Unrelated Show", slug="unrelated-show")  # another author: not compared
    return ReviewFactory(
        title="Glass Harbour review",
        slug="glass-harbour-review",
        season=season,
        rating=Decimal("4.5"),
        verdict="A slow tide that pulls you under.",
        watch_if="You like slow-burn mysteries\n\nYou miss seaside crime  \n",
        skip_if="You need a twist every episode",
        body="Plain words and nothing else.",
    )


def test_review_shows_the_rating_as_text_and_as_stars(review, reader):
    page = reader.get(review.get_absolute_url()).text
    assert "<strong>4.5 out of 5</strong>" in page
    assert 'aria-label="Rated 4.5 out of 5"' in page
    assert "stars-9" in page
    assert '<p class="verdict">A slow tide that pulls you under.</p>' in page


@pytest.mark.parametrize("rating, text", [("3.0", "3"), ("0.5", "0.5"), ("5.0", "5")])
def test_review_rating_text_follows_the_rating(reader, rating, text):
    story = ReviewFactory(rating=Decimal(rating))
    page = reader.get(story.get_absolute_url()).text
    assert f"<strong>{text} out of 5</strong>" in page
    assert f'aria-label="Rated {text} out of 5"' in page


def test_review_release_details_at_a_glance_come_from_the_show(review, reader):
    page = reader.get(review.get_absolute_url()).text
    glance = fragment(page, "Release details at a glance", "</section>")
    assert "<dt>Released</dt><dd>14 March 2025</dd>" in glance
    assert "<dt>Where to watch</dt><dd>Streamly</dd>" in glance
    assert "<dt>Episodes</dt><dd>7 episodes, limited series</dd>" in glance
    assert "<dt>Genre</dt><dd>Coastal noir, Family saga</dd>" in glance
    assert (
        '<cite>The Glass Harbour</cite> (2011) by <a href="/people/agatha-penrose/">'
        "Agatha Penrose</a>"
    ) in glance


def test_review_glance_box_follows_a_change_of_network_name(review, reader):
    network = review.show.network
    network.name = "Streamly Plus"
    network.save()
    glance = fragment(
        reader.get(review.get_absolute_url()).text, "Release details at a glance", "</section>"
    )
    assert "<dd>Streamly Plus</dd>" in glance


def test_review_lists_the_cast_as_actor_as_character_with_person_links(review, reader):
    page = reader.get(review.get_absolute_url()).text
    cast = fragment(page, 'aria-labelledby="cast-heading"', "</section>")
    assert '<a href="/people/ada-quill/">Ada Quill</a> as Nell Marsh' in cast
    assert '<a href="/people/bram-oduya/">Bram Oduya</a> as Tom Reyes' in cast
    assert cast.index("Ada Quill") < cast.index("Bram Oduya")
    assert "Wren Salter" not in cast  # crew are not cast


def test_review_lists_watch_this_if_and_skip_it_if(review, reader):
    page = reader.get(review.get_absolute_url()).text
    watch = fragment(page, 'aria-labelledby="watch-heading"', "</section>")
    skip = fragment(page, 'aria-labelledby="skip-heading"', "</section>")
    assert re.findall(r"<li>(.*?)</li>", watch) == [
        "You like slow-burn mysteries",
        "You miss seaside crime",
    ]
    assert re.findall(r"<li>(.*?)</li>", skip) == ["You need a twist every episode"]


def test_review_compares_other_shows_from_the_same_source_author(review, reader):
    page = reader.get(review.get_absolute_url()).text
    table = fragment(page, 'class="comparison"', "</section>")
    assert "other adaptations of Agatha Penrose" in table
    assert table_row(table, "Salt Lines") == [
        "Channel Nine",
        "2019",
        "6",
        "Cancelled",
        "Not reviewed",
    ]
    assert table_row(table, "Glass Harbour") == ["Streamly", "2025", "7", "—", "4.5/5"]
    assert "Unrelated Show" not in table
    assert table.index("Salt Lines") < table.index("Glass Harbour")  # by premiere date


def test_comparison_shows_our_published_rating_of_the_other_show_never_a_drafts(review, reader):
    other = Show.objects.get(slug="salt-lines")
    season = other.seasons.get()
    make_story(Article.Kind.REVIEW, season=season, rating=Decimal("5.0"), status="draft")
    table = fragment(reader.get(review.get_absolute_url()).text, 'class="comparison"', "</section>")
    assert table_row(table, "Salt Lines")[-1] == "Not reviewed"

    published = make_story(
        Article.Kind.REVIEW, season=season, rating=Decimal("3.0"), slug="salt-lines-review"
    )
    table = fragment(reader.get(review.get_absolute_url()).text, 'class="comparison"', "</section>")
    assert table_row(table, "Salt Lines")[-1] == "3/5"
    assert f'href="{published.get_absolute_url()}">3/5</a>' in table


def test_comparison_follows_the_data_episodes_status_and_network(review, reader):
    other = Show.objects.get(slug="salt-lines")
    SeasonFactory(show=other, number=2, episode_count=4)
    StatusChangeFactory(
        show=other, status=StatusChange.Status.RENEWED, announced_on=date(2020, 1, 5)
    )
    other.network.name = "Channel Ten"
    other.network.save()
    table = fragment(reader.get(review.get_absolute_url()).text, 'class="comparison"', "</section>")
    assert table_row(table, "Salt Lines")[:4] == ["Channel Ten", "2019", "10", "Renewed"]


def test_review_without_other_adaptations_has_no_comparison_table(reader):
    story = ReviewFactory()
    story.show.source_author = PersonFactory()
    story.show.save()
    page = reader.get(story.get_absolute_url()).text
    assert 'class="comparison"' not in page
    assert "Release details at a glance" in page


# --- 5. renewal news, explainers and spoilers ----------------------------------------------


@pytest.fixture
def renewal_story():
    show = ShowFactory(
        title="Northern Tide",
        slug="northern-tide",
        network=NetworkFactory(name="BBC Two", slug="bbc-two"),
        format=Show.Format.ONGOING,
    )
    season_two = SeasonFactory(show=show, number=2)
    CreditFactory(
        show=show,
        person=PersonFactory(name="Hal Ember", slug="hal-ember"),
        role=Credit.Role.WRITER,
        character_name="",
        job="Screenplay",
    )
    CreditFactory(
        show=show,
        person=PersonFactory(name="Lena Frost", slug="lena-frost"),
        character_name="DI Kay Moss",
    )
    StatusChangeFactory(
        show=show,
        status=StatusChange.Status.PENDING,
        announced_on=date(2025, 2, 1),
        note="The network is in talks with the cast",
    )
    renewed = StatusChangeFactory(
        show=show,
        status=StatusChange.Status.RENEWED,
        announced_on=date(2025, 5, 20),
        season=season_two,
    )
    return make_story(
        Article.Kind.RENEWAL,
        title="Northern Tide is renewed",
        slug="northern-tide-renewed",
        show=show,
        status_change=renewed,
        body="It is coming back.",
    )


def test_renewal_story_shows_the_show_info_box_from_data(renewal_story, reader):
    page = reader.get(renewal_story.get_absolute_url()).text
    rail = fragment(page, '<aside class="rail"', "</aside>")
    card = fragment(rail, '<section class="show-card', "</section>")
    assert '<a href="/shows/northern-tide/">Northern Tide</a>' in card
    assert "On BBC Two" in card or ">Watch on BBC Two</a>" in card
    assert '<span class="badge badge-renewed">Renewed</span>' in card
    box = fragment(rail, '<section class="infobox"', "</section>")
    assert "<dt>Format</dt><dd>Ongoing series</dd>" in box
    writers = fragment(box, "<dt>Writers</dt>", "</dd>")
    assert '<a href="/people/hal-ember/">Hal Ember</a> (screenplay)' in writers
    assert "Lena Frost" not in writers
    cast = fragment(box, "<dt>Cast</dt>", "</dd>")
    assert '<a href="/people/lena-frost/">Lena Frost</a> as DI Kay Moss' in cast
    assert "Hal Ember" not in cast
    status = fragment(box, "<dt>Status</dt>", "</dd>")
    assert ">Renewed</strong>" in status
    assert "since 20 May 2025" in status
    history = fragment(box, '<ol class="history">', "</ol>")
    items = [re.sub(r"<[^>]+>", "", item) for item in re.findall(r"<li>(.*?)</li>", history)]
    assert items == [
        "20 May 2025: Renewed (season 2)",
        "1 Feb 2025: Awaiting decision. The network is in talks with the cast",
    ]
    assert f'href="{reverse("renewal-tracker")}"' in box


def test_renewal_info_box_follows_a_new_status_change(renewal_story, reader):
    StatusChangeFactory(
        show=renewal_story.show, status=StatusChange.Status.CANCELLED, announced_on=date(2025, 9, 9)
    )
    box = fragment(
        reader.get(renewal_story.get_absolute_url()).text, '<section class="infobox"', "</section>"
    )
    status = fragment(box, "<dt>Status</dt>", "</dd>")
    assert ">Cancelled</strong>" in status
    assert "since 9 September 2025" in status


def test_explainer_has_a_table_of_contents_linking_to_its_h2_headings(reader):
    story = make_story(
        Article.Kind.EXPLAINER,
        body="Intro.\n\n## Where it was filmed\n\nText.\n\n### A side note\n\nMore.\n\n"
        "## What is true\n\nText.",
    )
    page = reader.get(story.get_absolute_url()).text
    toc = fragment(page, '<nav class="toc"', "</nav>")
    anchors = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', toc)
    assert anchors == [
        ("where-it-was-filmed", "Where it was filmed"),
        ("what-is-true", "What is true"),
    ]
    body = fragment(page, '<div class="body">', '<nav class="share"')
    for anchor, text in anchors:
        assert f'<h2 id="{anchor}">{text}</h2>' in body
    assert "A side note" not in toc


def test_explainer_contents_show_headings_with_ampersands_and_repeats_as_written(reader):
    story = make_story(
        Article.Kind.EXPLAINER,
        body="## Fish & chips\n\nText.\n\n## Notes\n\nText.\n\n## Notes\n\nMore.",
    )
    toc = fragment(reader.get(story.get_absolute_url()).text, '<nav class="toc"', "</nav>")
    # "&amp;" in the HTML is what shows "&" to the reader; "&amp;amp;" would show "&amp;".
    assert re.findall(r'<a href="#([^"]+)">([^<]+)</a>', toc) == [
        ("fish-chips", "Fish &amp; chips"),
        ("notes", "Notes"),
        ("notes-1", "Notes"),
    ]


def test_a_heading_inside_a_spoiler_stays_out_of_the_contents(reader):
    story = make_story(
        Article.Kind.EXPLAINER,
        body="## Where it was filmed\n\nText.\n\n:::spoiler The ending\n## Who the killer is\n\n"
        "The neighbour.\n:::\n\n## What is true\n\nText.",
    )
    toc = fragment(reader.get(story.get_absolute_url()).text, '<nav class="toc"', "</nav>")
    assert "Where it was filmed" in toc and "What is true" in toc
    assert "Who the killer is" not in toc


@pytest.mark.parametrize("kind", Article.Kind.values)
def test_spoilers_are_rendered_collapsed(reader, kind):
    story = make_story(
        kind, body="Before.\n\n:::spoiler The ending\nThe lighthouse keeper did it.\n:::\n"
    )
    page = reader.get(story.get_absolute_url()).text
    assert '<details class="spoiler"><summary>Spoiler: The ending</summary>' in page
    assert re.search(r"<details[^>]*\bopen\b", page) is None
    assert "The lighthouse keeper did it." in fragment(
        page, '<details class="spoiler"', "</details>"
    )


# --- 6. also read --------------------------------------------------------------------------


def test_also_read_puts_hand_picked_stories_first_then_the_newest_about_the_show(reader):
    show = ShowFactory()
    story = make_story(title="The story itself", show=show, publish_at=hours_ago(1))
    picked = make_story(title="Picked elsewhere", publish_at=hours_ago(300))
    make_story(title="Older on the show", show=show, publish_at=hours_ago(48))
    make_story(title="Newer on the show", show=show, publish_at=hours_ago(5))
    make_story(title="Unrelated news", publish_at=hours_ago(2))
    draft_on_show = make_story(title="Draft on the show", show=show, status="draft")
    draft_picked = make_story(title="Draft picked", status="in_review")
    story.related.add(picked, draft_picked)
    # A story about the show can also be reached through "shows covered", not the main show.
    also_covering = make_story(title="Also covering the show", publish_at=hours_ago(10))
    also_covering.shows.add(show)

    page = reader.get(story.get_absolute_url()).text
    aside = fragment(page, '<aside class="also-read"', "</aside>")
    assert link_texts(aside) == [
        "Picked elsewhere",
        "Newer on the show",
        "Also covering the show",
        "Older on the show",
    ]
    assert draft_on_show.title not in page
    assert draft_picked.title not in page


def test_also_read_stops_at_four_and_never_lists_the_story_itself(reader):
    show = ShowFactory()
    story = make_story(title="The story itself", show=show, publish_at=hours_ago(1))
    for n in range(6):
        make_story(title=f"Sibling {n}", show=show, publish_at=hours_ago(2 + n))
    aside = fragment(
        reader.get(story.get_absolute_url()).text, '<aside class="also-read"', "</aside>"
    )
    assert link_texts(aside) == ["Sibling 0", "Sibling 1", "Sibling 2", "Sibling 3"]


def test_also_read_under_a_story_with_no_show_lists_only_hand_picked_stories(reader):
    story = make_story(title="Showless story")
    picked = make_story(title="Picked one", publish_at=hours_ago(30))
    make_story(title="Unpicked one", show=ShowFactory())
    story.related.add(picked)
    page = reader.get(story.get_absolute_url()).text
    assert link_texts(fragment(page, '<aside class="also-read"', "</aside>")) == ["Picked one"]


# --- 7. search -----------------------------------------------------------------------------


def test_search_finds_a_story_by_a_word_only_in_its_body(reader):
    story = make_story(title="A plain headline", dek="A plain standfirst.", body="Marmalade.")
    make_story(title="Another headline")
    page = reader.get(reverse("search"), {"q": "marmalade"})
    assert page.status_code == 200
    assert card_titles(page.text) == [story.title]


def test_search_finds_shows_by_title_and_people_by_name(reader):
    ShowFactory(title="The Lantern Keepers", slug="the-lantern-keepers")
    PersonFactory(name="Odessa Lantern", slug="odessa-lantern")
    ShowFactory(title="Something Else", slug="something-else")
    page = reader.get(reverse("search"), {"q": "lantern"}).text
    shows = fragment(page, 'aria-labelledby="shows-heading"', "</section>")
    people = fragment(page, 'aria-labelledby="people-heading"', "</section>")
    assert '<a href="/shows/the-lantern-keepers/">The Lantern Keepers</a>' in shows
    assert "Something Else" not in shows
    assert '<a href="/people/odessa-lantern/">Odessa Lantern</a>' in people


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_search_is_a_friendly_page(reader, query):
    page = reader.get(reverse("search"), {"q": query})
    assert page.status_code == 200
    assert "Type a word or two to search for." in page.text


def test_a_search_over_200_characters_is_a_friendly_page(reader):
    page = reader.get(reverse("search"), {"q": "a" * 201})
    assert page.status_code == 200
    assert "That search is too long" in page.text
    ok = reader.get(reverse("search"), {"q": "a" * 200})
    assert ok.status_code == 200
    assert "too long" not in ok.text


def test_a_search_with_a_null_character_searches_for_the_rest(reader):
    page = reader.get(reverse("search"), {"q": "run\x00"})
    assert page.status_code == 200
    assert "Search results for “run”" in page.text


def test_search_without_a_query_shows_the_form(reader):
    page = reader.get(reverse("search"))
    assert page.status_code == 200
    assert '<form class="search-form"' in page.text
    assert "<h1>Search</h1>" in page.text
    assert 'role="alert"' not in page.text


def test_search_results_come_20_a_page_and_the_page_links_keep_the_query(reader):
    for age in range(1, 22):
        make_story(title=f"Otter report {age:02d}", publish_at=hours_ago(age))
    first = reader.get(reverse("search"), {"q": "otter"}).text
    assert len(card_titles(first)) == 20
    assert "(21)" in first
    assert 'rel="next" href="?q=otter&amp;page=2"' in first
    second = reader.get(reverse("search"), {"q": "otter", "page": "2"})
    assert second.status_code == 200
    assert len(card_titles(second.text)) == 1


def test_the_search_query_is_shown_back_as_text_not_markup(reader):
    page = reader.get(reverse("search"), {"q": "<b>bold</b>"}).text
    assert "<b>bold</b>" not in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


def test_search_with_no_match_says_so(reader):
    make_story()
    page = reader.get(reverse("search"), {"q": "xylophone"}).text
    assert "No stories match “xylophone”" in page


# --- 8. bad input never gives a 500 --------------------------------------------------------


@pytest.fixture
def paged_pages():
    """Each paginated reader page (with one story on it), as (path, extra query)."""
    writer = WriterFactory()
    person = PersonFactory()
    story = make_story(Article.Kind.REVIEW, title="Paged story", writers=[writer])
    story.tags.add("Netflix")
    story.people.add(person)
    story.show.title = "Paged show"
    story.show.save()
    return {
        "section": (section_url("reviews"), {}),
        "tag": (reverse("articles:tag", args=["netflix"]), {}),
        "writer": (writer.get_absolute_url(), {}),
        "person": (person.get_absolute_url(), {}),
        "show": (story.show.get_absolute_url(), {}),
        "shows index": (reverse("shows:index"), {}),
        "search": (reverse("search"), {"q": "paged"}),
    }


def first_page_of(response, which):
    """The first page of a list, as a reader sees it: its one story (or show)."""
    listed = "Paged show" if which == "shows index" else "Paged story"
    return response.status_code == 200 and listed in response.text


PAGED = ["section", "tag", "writer", "person", "show", "shows index", "search"]


@pytest.mark.parametrize("which", PAGED)
def test_page_numbers_readers_type_by_hand(paged_pages, reader, which):
    """Every list pages the same way: one that does not exist is the site's own 404,
    whatever was typed; an empty page number is the first page."""
    path, query = paged_pages[which]
    assert first_page_of(reader.get(path, {**query, "page": "1"}), which)
    assert first_page_of(reader.get(path, {**query, "page": ""}), which)
    for value in BAD_PAGES:
        assert_site_404(reader.get(path, {**query, "page": value}))


@pytest.mark.parametrize(
    "junk, first_page",
    [
        ("page=%00", True),  # NUL is dropped: page=
        ("page=%ff%fe", False),  # not UTF-8: not a number
        ("page=1&page=abc", False),  # the last value counts
        ("page[]=1", True),  # not the page parameter at all
        ("page=%", False),
        ("&&=&", True),
    ],
)
def test_junk_query_strings_are_the_first_page_or_a_404_never_an_error(
    paged_pages, reader, junk, first_page
):
    for which in PAGED:
        path, query = paged_pages[which]
        base = "&".join(f"{k}={v}" for k, v in query.items())
        response = reader.get(f"{path}?{base}&{junk}" if base else f"{path}?{junk}")
        if first_page:
            assert first_page_of(response, which), which
        else:
            assert_site_404(response)


def test_unknown_show_filters_are_ignored_with_a_notice(reader):
    shows = [ShowFactory(title=f"Listed {n}") for n in range(3)]
    page = reader.get(reverse("shows:index"), {"network": "zzz", "status": "bogus"})
    assert page.status_code == 200
    assert "Some filters were not recognised and were ignored." in page.text
    for show in shows:
        assert show.title in page.text


def test_a_null_character_in_an_address_is_dropped_before_any_page_sees_it(reader):
    ShowFactory(title="Still listed")
    assert reader.get(section_url("reviews"), {"page": "\x00"}).status_code == 200  # page 1
    shows = reader.get(reverse("shows:index"), {"network": "\x00", "status": "1\x00"})
    assert shows.status_code == 200 and "Still listed" in shows.text


@pytest.mark.parametrize("junk", ["9" * 5000, "<script>"])
def test_junk_show_filters_never_give_an_error(reader, junk):
    ShowFactory()
    page = reader.get(reverse("shows:index"), {"network": junk, "status": junk})
    assert page.status_code == 200
    assert "were ignored" in page.text


def test_a_status_filter_narrows_the_shows_index_to_current_status(reader):
    limited = ShowFactory(title="Limited One")
    StatusChangeFactory(show=limited, status=StatusChange.Status.LIMITED)
    was_limited = ShowFactory(title="Renewed Since")
    StatusChangeFactory(show=was_limited, status="limited", announced_on=date(2025, 1, 1))
    StatusChangeFactory(show=was_limited, status="renewed", announced_on=date(2025, 6, 1))
    ShowFactory(title="No Status Yet")
    page = reader.get(reverse("shows:index"), {"status": "limited"})
    assert page.status_code == 200
    assert "were ignored" not in page.text
    listed = show_titles(page.text)
    assert listed == ["Limited One"]


def test_the_next_page_link_of_a_filtered_shows_index_keeps_the_filter(reader):
    for n in range(51):
        StatusChangeFactory(show=ShowFactory(title=f"Limited {n:02d}"), status="limited")
    StatusChangeFactory(show=ShowFactory(title="Zz Renewed"), status="renewed")
    first = reader.get(reverse("shows:index"), {"status": "limited"}).text
    next_href = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = reader.get(reverse("shows:index") + next_href)
    assert second.status_code == 200
    listed = show_titles(second.text)
    assert listed == ["Limited 50"], f"{next_href} lost the filter"


def test_a_network_filter_narrows_the_shows_index(reader):
    ShowFactory(title="On Netflix", network=NetworkFactory(name="Netflix", slug="netflix"))
    ShowFactory(title="On the BBC", network=NetworkFactory(name="BBC One", slug="bbc-one"))
    page = reader.get(reverse("shows:index"), {"network": "netflix"})
    listed = show_titles(page.text)
    assert listed == ["On Netflix"]


# --- 9. pagination -------------------------------------------------------------------------


def test_a_section_of_21_stories_shows_20_then_1_newest_first(reader):
    # Created out of date order, so the order on the page must come from the dates.
    ages = [(n * 8) % 21 + 1 for n in range(21)]
    for age in ages:
        make_story(title=f"Bulletin {age:02d} hours old", publish_at=hours_ago(age))
    make_story(kind=Article.Kind.EXPLAINER, title="Not news")
    expected = [f"Bulletin {age:02d} hours old" for age in range(1, 22)]

    first = reader.get(section_url("news"))
    assert card_titles(first.text) == expected[:20]
    assert "Page 1 of 2" in first.text
    assert 'rel="next" href="?page=2"' in first.text

    second = reader.get(section_url("news"), {"page": "2"})
    assert second.status_code == 200
    assert card_titles(second.text) == expected[20:]
    assert "Page 2 of 2" in second.text
    assert_site_404(reader.get(section_url("news"), {"page": "3"}))


def test_stories_out_at_the_same_moment_are_each_on_exactly_one_page(reader):
    moment = hours_ago(2)
    for i in range(45):
        make_story(title=f"Same moment {i:02d}", publish_at=moment)
    pages = [card_titles(reader.get(section_url("news"), {"page": n}).text) for n in (1, 2, 3)]
    assert [len(page) for page in pages] == [20, 20, 5]
    everyone = [title for page in pages for title in page]
    assert sorted(everyone) == sorted(f"Same moment {i:02d}" for i in range(45))
    assert everyone == [f"Same moment {i:02d}" for i in reversed(range(45))]  # newest entry first


def test_an_empty_section_says_so(reader):
    page = reader.get(section_url("explainers"))
    assert page.status_code == 200
    assert "No stories here yet." in page.text


# --- 10. home page and renewal tracker -----------------------------------------------------


def home_parts(reader):
    page = reader.get(reverse("home")).text
    lead = card_titles(fragment(page, '<section class="lead"', "</section>"))
    blocks = {  # a section with nothing new has no block: []
        section: card_titles(fragment(page, f'aria-labelledby="section-{section}"', "</section>"))
        if f'aria-labelledby="section-{section}"' in page
        else []
        for section in SECTIONS
    }
    return lead, blocks


def test_home_lead_is_the_newest_featured_story(reader):
    make_story(title="Newest news", publish_at=hours_ago(1))
    make_story(title="Old feature", featured=True, publish_at=hours_ago(50))
    make_story(Article.Kind.REVIEW, title="Newer feature", featured=True, publish_at=hours_ago(20))
    lead, blocks = home_parts(reader)
    assert lead == ["Newer feature"]
    assert blocks["news"] == ["Newest news", "Old feature"]


def test_home_lead_is_the_newest_story_when_none_is_featured(reader):
    make_story(title="Yesterday", publish_at=hours_ago(24))
    make_story(Article.Kind.EXPLAINER, title="Just now", publish_at=hours_ago(0.1))
    lead, blocks = home_parts(reader)
    assert lead == ["Just now"]
    assert blocks["explainers"] == []  # not repeated below
    assert blocks["news"] == ["Yesterday"]


def test_a_lead_story_gives_way_after_three_days(reader):
    make_story(title="Old feature", featured=True, publish_at=hours_ago(73))
    make_story(Article.Kind.REVIEW, title="Review of yesterday", publish_at=hours_ago(24))
    lead, blocks = home_parts(reader)
    assert lead == ["Review of yesterday"]
    assert blocks["news"] == ["Old feature"]


def test_the_home_page_shows_no_empty_section(reader):
    make_story(Article.Kind.REVIEW, title="A review", publish_at=hours_ago(2))
    make_story(Article.Kind.REVIEW, title="Another review", publish_at=hours_ago(3))
    page = reader.get(reverse("home")).text
    assert 'aria-labelledby="section-reviews"' in page
    for section in ("explainers", "renewals", "news"):
        assert f'aria-labelledby="section-{section}"' not in page
    assert "Nothing new here yet" not in page


def test_only_the_lead_story_gets_the_large_lead_card(reader):
    make_story(title="The lead", featured=True)
    for kind in Article.Kind.values:
        make_story(kind, title=f"A {kind} story", publish_at=hours_ago(3))
    page = reader.get(reverse("home")).text
    assert page.count("card-lead") == 1
    assert re.findall(r'<h2 class="card-title"><a [^>]*>([^<]*)</a>', page) == ["The lead"]
    smaller = re.findall(r'<h3 class="card-title"><a [^>]*>([^<]*)</a>', page)
    assert {f"A {kind} story" for kind in Article.Kind.values} <= set(smaller)


def test_home_section_blocks_list_their_newest_four_stories(reader):
    make_story(title="Lead", featured=True, publish_at=hours_ago(10))
    for kind in Article.Kind.values:
        for age in (6, 2, 4, 1, 5, 3):
            make_story(kind, title=f"{kind} {age}h", publish_at=hours_ago(age))
    lead, blocks = home_parts(reader)
    assert lead == ["Lead"]
    for kind, section in Article.SECTIONS.items():
        assert blocks[section] == [f"{kind} {age}h" for age in (1, 2, 3, 4)]


def test_home_with_no_stories_says_so(reader):
    page = reader.get(reverse("home"))
    assert page.status_code == 200
    assert "No stories yet." in page.text


def test_renewal_tracker_groups_shows_by_current_status_with_date_and_newest_story(reader):
    renewed = ShowFactory(title="Comeback Kid", slug="comeback-kid")
    StatusChangeFactory(show=renewed, status="pending", announced_on=date(2025, 2, 1))
    StatusChangeFactory(show=renewed, status="renewed", announced_on=date(2025, 9, 10))
    cancelled = ShowFactory(title="Gone Too Soon", slug="gone-too-soon")
    StatusChangeFactory(show=cancelled, status="renewed", announced_on=date(2024, 1, 1))
    StatusChangeFactory(show=cancelled, status="cancelled", announced_on=date(2025, 3, 4))
    ShowFactory(title="Never Decided", slug="never-decided")  # no history: not tracked
    make_story(
        Article.Kind.RENEWAL, title="Old renewal story", show=renewed, publish_at=hours_ago(90)
    )
    newest = make_story(
        Article.Kind.RENEWAL, title="New renewal story", show=renewed, publish_at=hours_ago(3)
    )
    make_story(title="A news story about it", show=renewed, publish_at=hours_ago(1))

    page = reader.get(reverse("renewal-tracker")).text
    renewed_group = fragment(page, 'aria-labelledby="status-renewed"', "</section>")
    cancelled_group = fragment(page, 'aria-labelledby="status-cancelled"', "</section>")
    assert '>Renewed</span> <span class="meta">(1)</span>' in renewed_group
    assert "Comeback Kid" in renewed_group
    assert 'Announced <time datetime="2025-09-10">10 September 2025</time>' in renewed_group
    assert f'<a class="story-link" href="{newest.get_absolute_url()}">New renewal story</a>' in (
        renewed_group
    )
    assert "Gone Too Soon" not in renewed_group
    assert "Gone Too Soon" in cancelled_group
    assert "4 March 2025" in cancelled_group
    assert "story-link" not in cancelled_group
    assert "Never Decided" not in page
    assert 'aria-labelledby="status-pending"' not in page


def test_the_tracker_shows_the_newest_decisions_of_each_status_and_links_to_all(
    reader, monkeypatch
):
    from newsroom import views

    monkeypatch.setattr(views, "TRACKER_PER_GROUP", 2)
    monkeypatch.setattr(views, "TRACKER_PER_PAGE", 2)
    for i in range(5):
        show = ShowFactory(title=f"Renewed {i}", slug=f"renewed-{i}")
        StatusChangeFactory(show=show, status="renewed", announced_on=date(2025, 1, 1 + i))
    gone = ShowFactory(title="Cancelled one", slug="cancelled-one")
    StatusChangeFactory(show=gone, status="cancelled", announced_on=date(2024, 6, 1))

    page = reader.get(reverse("renewal-tracker")).text
    renewed = fragment(page, 'aria-labelledby="status-renewed"', "</section>")
    assert '<span class="meta">(5)</span>' in renewed  # how many, not how many shown
    assert "Renewed 4" in renewed and "Renewed 3" in renewed  # the newest two
    assert "Renewed 2" not in renewed
    assert 'href="?status=renewed">All 5 shows in “Renewed” →</a>' in renewed
    cancelled = fragment(page, 'aria-labelledby="status-cancelled"', "</section>")
    assert "Cancelled one" in cancelled and "All 1" not in cancelled  # all shown

    everyone = []
    for number in (1, 2, 3):
        page = reader.get(reverse("renewal-tracker") + f"?status=renewed&page={number}")
        assert page.status_code == 200
        everyone += re.findall(r"Renewed \d", page.text.split("<h1>")[1])
        assert "All 5 shows" not in page.text and "Cancelled one" not in page.text
    assert everyone == ["Renewed 4", "Renewed 3", "Renewed 2", "Renewed 1", "Renewed 0"]
    assert (
        'rel="next" href="?status=renewed&amp;page=2"'
        in reader.get(reverse("renewal-tracker") + "?status=renewed").text
    )
    assert reader.get(reverse("renewal-tracker") + "?status=renewed&page=4").status_code == 404


def test_a_shows_current_decision_is_its_newest_and_of_two_on_one_day_the_last_entered():
    show = ShowFactory()
    StatusChangeFactory(show=show, status="pending", announced_on=date(2025, 1, 1))
    StatusChangeFactory(show=show, status="renewed", announced_on=date(2025, 3, 1))
    StatusChangeFactory(show=show, status="cancelled", announced_on=date(2025, 3, 1))
    other = ShowFactory()
    StatusChangeFactory(show=other, status="ending", announced_on=date(2024, 1, 1))
    current = dict(StatusChange.objects.current().values_list("show_id", "status"))
    assert current == {show.pk: "cancelled", other.pk: "ending"}
    annotated = Show.objects.with_current_status().values_list("pk", "current_status")
    assert dict(annotated) == current  # one meaning of "current", however it is asked


def test_a_story_ends_with_who_wrote_it(reader):
    maya = WriterFactory(
        name="Maya Okafor", job_title="TV Critic",
        bio="Maya has reviewed crime drama for a decade. She lives by the sea.",
    )  # fmt: skip
    tom = WriterFactory(name="Tom Reilly", job_title="", bio="")
    story = make_story(title="Two bylines", writers=[maya, tom])
    page = reader.get(story.get_absolute_url()).text
    about = fragment(page, '<aside class="about-writers"', "</aside>")
    assert 'aria-label="About the writers"' in about
    assert f'<a href="{maya.get_absolute_url()}">Maya Okafor</a>' in about
    assert ", TV Critic" in about and "reviewed crime drama for a decade" in about
    assert about.index("Maya Okafor") < about.index("Tom Reilly")  # byline order
    assert '<span class="writer-initials" aria-hidden="true">T</span>' in about  # no photo
    assert page.index("about-writers") > page.index('<div class="body">')


@pytest.mark.parametrize("kind, box", [("review", "glance"), ("renewal", "infobox")])
def test_the_facts_box_comes_after_the_opening_paragraph(reader, kind, box):
    story = make_story(kind, body="The opening line.\n\nThe second paragraph.")
    if kind == "renewal":
        story.show = story.show or ShowFactory()
        story.save()
    page = reader.get(story.get_absolute_url()).text
    assert page.index("The opening line.") < page.index(f'class="{box}"')
    assert page.index(f'class="{box}"') < page.index("The second paragraph.")


def test_a_heading_above_the_opening_paragraph_comes_with_it(reader):
    story = make_story(
        "renewal", show=ShowFactory(), body="## The latest\n\nVery unlikely.\n\nWhy not."
    )
    page = reader.get(story.get_absolute_url()).text
    assert page.index("The latest") < page.index("Very unlikely.") < page.index('class="infobox"')
    assert page.index('class="infobox"') < page.index("Why not.")


def test_a_body_that_opens_with_a_list_keeps_the_facts_box_first(reader):
    story = make_story("review", body="- One\n- Two\n\nA paragraph.")
    page = reader.get(story.get_absolute_url()).text
    assert page.index('class="glance"') < page.index("<li>One</li>")


def test_a_body_stored_unbalanced_from_the_shell_still_renders(reader):
    story = make_story(body="Fine.")
    Article.objects.filter(pk=story.pk).update(body_html="<p>never closed <em>at all")
    page = reader.get(story.get_absolute_url())
    assert page.status_code == 200 and "never closed" in page.text


def cards_by_title(page):
    return {
        card_titles(card)[0]: card
        for card in page.split('<article class="card')[1:]
        if card_titles(card)
    }


def test_cards_show_the_storys_hero_else_its_shows_poster_lazily(reader):
    hero = make_story(title="With a hero", publish_at=hours_ago(3))
    hero.hero = ImageFactory(alt="A still", size=(1600, 900))
    hero.save()
    show = ShowFactory(poster=ImageFactory(alt="Key art", size=(800, 1200)))
    make_story(title="Poster only", show=show, publish_at=hours_ago(2))
    make_story(title="No picture", publish_at=hours_ago(1))
    cards = cards_by_title(reader.get(reverse("articles:section", args=["news"])).text)
    # Both cropped to the card's 16:9 around their focal points.
    assert hero.hero.file.name.rsplit(".", 1)[0] + "-16x9-480w.jpg" in cards["With a hero"]
    assert show.poster.file.name.rsplit(".", 1)[0] + "-16x9-480w.jpg" in cards["Poster only"]
    for title in ("With a hero", "Poster only"):
        assert "has-picture" in cards[title] and 'loading="lazy"' in cards[title]
        assert 'alt=""' in cards[title]  # the headline beside it says what it is
    assert "<img" not in cards["No picture"] and "has-picture" not in cards["No picture"]


def test_the_lead_storys_picture_is_fetched_first(reader):
    make_story(title="The lead", featured=True, hero=ImageFactory(size=(1600, 900)))
    lead_card = fragment(reader.get(reverse("home")).text, '<section class="lead"', "</section>")
    assert 'fetchpriority="high"' in lead_card and 'loading="lazy"' not in lead_card


# --- the rail: the show, its facts and the latest stories ---------------------------------


def test_a_story_about_a_show_has_its_card_after_the_opening_poster_status_and_where_to_watch(
    reader,
):
    network = NetworkFactory(name="Streamly", website="https://streamly.example/")
    show = ShowFactory(title="Harbour Lights", network=network, poster=ImageFactory(alt="Key art"))
    StatusChangeFactory(show=show, status=StatusChange.Status.CANCELLED)
    story = make_story(show=show, body="The opening paragraph.\n\n## Later\n\nMore words.")
    page = reader.get(story.get_absolute_url()).text
    rail = fragment(page, '<aside class="rail"', "</aside>")
    assert page.index("The opening paragraph.") < page.index('<aside class="rail"')
    assert page.index('<aside class="rail"') < page.index('id="later"')  # before the rest
    assert '<span class="badge badge-cancelled">Cancelled</span>' in rail  # in words too
    assert '<a href="https://streamly.example/" rel="noopener">Watch on Streamly</a>' in rail
    assert show.poster.file.name.rsplit(".", 1)[0] in rail


def test_a_network_without_a_site_is_named_not_linked(reader):
    show = ShowFactory(network=NetworkFactory(name="Channel Nine", website=""))
    page = reader.get(make_story(show=show).get_absolute_url()).text
    card = fragment(page, '<section class="show-card', "</section>")
    assert "On Channel Nine" in card and "Watch on" not in card


def test_a_story_about_no_show_has_no_show_card(reader):
    page = reader.get(make_story().get_absolute_url()).text
    assert 'class="rail"' not in page and "show-card" not in page


def test_every_story_page_lists_the_five_latest_stories_and_a_new_one_joins_at_once(reader):
    for hours in range(7, 0, -1):
        make_story(title=f"Story filed {hours} hours ago", publish_at=hours_ago(hours))
    old = make_story(title="An old story", publish_at=hours_ago(48))
    latest = fragment(
        reader.get(old.get_absolute_url()).text, '<aside class="rail rail-latest"', "</aside>"
    )
    titles = re.findall(r'class="latest-title" href="[^"]+">([^<]+)</a>', latest)
    assert titles == [f"Story filed {hours} hours ago" for hours in range(1, 6)]
    make_story(title="Just filed", publish_at=hours_ago(0.1))
    latest = fragment(
        reader.get(old.get_absolute_url()).text, '<aside class="rail rail-latest"', "</aside>"
    )
    assert re.findall(r'class="latest-title" href="[^"]+">([^<]+)</a>', latest)[0] == "Just filed"


def test_the_tracker_says_which_season_each_decision_concerns_with_its_note_and_poster(reader):
    show = ShowFactory(title="Harbour Lights", poster=ImageFactory(alt="Key art"))
    season = SeasonFactory(show=show, number=2)
    StatusChangeFactory(
        show=show, status="cancelled", season=season, announced_on=date(2025, 1, 20),
        note="Cancelled after two seasons.",
    )  # fmt: skip
    page = reader.get(reverse("renewal-tracker")).text
    group = fragment(page, 'aria-labelledby="status-cancelled"', "</section>")
    assert '<span class="badge badge-cancelled">Cancelled</span>' in group  # in words
    assert "Season 2 · Announced" in group
    assert "Cancelled after two seasons." in group
    assert show.poster.file.name.rsplit(".", 1)[0] in group


def test_the_tracker_filters_by_network_and_decision_and_ignores_nonsense(reader):
    streamly, channel = NetworkFactory(slug="streamly"), NetworkFactory(slug="channel-9")
    for title, network, status in (
        ("Renewed on Streamly", streamly, "renewed"),
        ("Cancelled on Streamly", streamly, "cancelled"),
        ("Renewed on Channel 9", channel, "renewed"),
    ):
        StatusChangeFactory(show=ShowFactory(title=title, network=network), status=status)
    url = reverse("renewal-tracker")

    def titles(query):
        page = reader.get(url, query)
        assert page.status_code == 200
        return sorted(re.findall(r'class="tracker-title"><a href="[^"]+">([^<]+)</a>', page.text))

    assert titles({"network": "streamly"}) == ["Cancelled on Streamly", "Renewed on Streamly"]
    assert titles({"status": "renewed"}) == ["Renewed on Channel 9", "Renewed on Streamly"]
    assert titles({"network": "streamly", "status": "renewed"}) == ["Renewed on Streamly"]
    assert titles({"network": "no-such", "status": "ｒｅｎｅｗｅｄ"}) == [
        "Cancelled on Streamly", "Renewed on Channel 9", "Renewed on Streamly",
    ]  # fmt: skip
    assert "were not recognised" in reader.get(url, {"status": "nonsense"}).text
    empty = reader.get(url, {"network": "channel-9", "status": "cancelled"}).text
    assert "No show matches these filters." in empty


def test_the_home_page_lists_the_six_latest_stories_beside_the_lead_never_the_lead(reader):
    make_story(title="The lead", featured=True, publish_at=hours_ago(1))
    for hours in range(2, 10):
        make_story(title=f"Filed {hours} hours ago", publish_at=hours_ago(hours))
    page = reader.get(reverse("home")).text
    latest = fragment(page, '<section class="home-latest"', "</section>")
    titles = re.findall(r'class="latest-title" href="[^"]+">([^<]+)</a>', latest)
    assert titles == [f"Filed {hours} hours ago" for hours in range(2, 8)]
    assert page.index('<section class="lead"') < page.index('<section class="home-latest"')


def test_the_home_page_shows_the_latest_renewal_decisions_in_words(reader):
    for day, status in enumerate(["pending", "renewed", "cancelled", "ending", "limited"], 1):
        StatusChangeFactory(
            show=ShowFactory(title=f"Show {status}"), status=status,
            announced_on=date(2025, 6, day),
        )  # fmt: skip
    make_story(title="Something to lead with")
    teaser = fragment(
        reader.get(reverse("home")).text, '<section class="tracker-teaser"', "</section>"
    )
    assert re.findall(r'class="badge badge-(\w+)">', teaser) == [
        "limited",
        "ending",
        "cancelled",
        "renewed",
    ]  # fmt: skip (newest first, four of them)
    assert '<span class="badge badge-cancelled">Cancelled</span>' in teaser
    assert f'href="{reverse("renewal-tracker")}"' in teaser


def test_a_show_page_gives_its_status_where_to_watch_our_review_and_a_face_for_each_role(reader):
    network = NetworkFactory(name="Streamly", website="https://streamly.example/")
    show = ShowFactory(title="Harbour Lights", network=network, poster=ImageFactory(alt="Key art"))
    StatusChangeFactory(show=show, status="renewed", announced_on=date(2025, 4, 2))
    season = SeasonFactory(show=show)
    make_story(Article.Kind.REVIEW, title="Older review", season=season, publish_at=hours_ago(9))
    newest = make_story(
        Article.Kind.REVIEW, title="Harbour Lights review", season=season,
        rating=Decimal("3.5"), publish_at=hours_ago(2),
    )  # fmt: skip
    pictured = PersonFactory(name="Ana Vidal", photo=ImageFactory(alt="Ana Vidal"))
    CreditFactory(show=show, person=pictured, role="cast", character_name="Kay")
    CreditFactory(show=show, person=PersonFactory(name="Sam Ortiz"), role="cast")
    page = reader.get(show.get_absolute_url()).text
    facts = fragment(page, '<aside class="infobox"', "</aside>")
    assert '<span class="badge badge-renewed">Renewed</span>' in facts
    assert '<a href="https://streamly.example/" rel="noopener">Streamly</a>' in facts
    review = fragment(page, '<p class="our-review">', "</p>")
    assert "3.5 out of 5" in review
    assert f'<a href="{newest.get_absolute_url()}">Harbour Lights review</a>' in review
    cast = fragment(page, 'id="cast-heading"', "</section>")
    assert pictured.photo.file.name.rsplit(".", 1)[0] + "-1x1-" in cast  # a round crop
    assert '<span class="person-initials" aria-hidden="true">S</span>' in cast  # no photo


def test_the_show_index_is_a_wall_of_key_art_with_status_in_words(reader):
    show = ShowFactory(title="Harbour Lights", poster=ImageFactory(name="harbour.png"))
    StatusChangeFactory(show=show, status="ending")
    later = ShowFactory(title="Night Desk", poster=ImageFactory(name="night-desk.png"))
    ShowFactory(title="No Art Yet")
    page = reader.get(reverse("shows:index")).text
    assert show_titles(page) == ["Harbour Lights", "Night Desk", "No Art Yet"]
    first, second = (
        re.search(
            rf'<img src="[^"]*{re.escape(s.poster.file.name.rsplit(".", 1)[0])}[^>]*>', page
        ).group()
        for s in (show, later)
    )
    assert 'fetchpriority="high"' in first and 'loading="lazy"' in second  # the first screen's
    assert '<span class="poster-placeholder" aria-hidden="true">N</span>' in page
    assert '<span class="badge badge-ending">Final season announced</span>' in page


def test_shows_and_people_found_by_search_come_with_their_pictures(reader):
    show = ShowFactory(title="Harbour Lights", poster=ImageFactory(alt="Key art"))
    pictured = PersonFactory(name="Harbour Master", photo=ImageFactory(alt="A portrait"))
    PersonFactory(name="Harbour Pilot")
    CreditFactory(show=show, person=pictured, role="cast", character_name="The master")
    page = reader.get(reverse("search"), {"q": "harbour"}).text
    shows = fragment(page, 'id="shows-heading"', "</section>")
    people = fragment(page, 'id="people-heading"', "</section>")
    assert show.poster.file.name.rsplit(".", 1)[0] in shows
    assert pictured.photo.file.name.rsplit(".", 1)[0] + "-1x1-" in people
    assert '<span class="person-initials" aria-hidden="true">H</span>' in people
    credits = fragment(
        reader.get(pictured.get_absolute_url()).text, 'id="credits-heading"', "</section>"
    )
    assert show.poster.file.name.rsplit(".", 1)[0] in credits and "as The master" in credits
