"""Trust and freshness: honest dates, feeds that say what was typed, corrections and
updates, renewal news that knows it has moved on, and alerts for editors when a show's
facts change under a published story."""

import html
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

import feedparser
import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, Correction
from shows.models import Credit, FactChange, Show, StatusChange

from .factories import (
    ArticleFactory,
    CorrectionFactory,
    CreditFactory,
    EditorFactory,
    NetworkFactory,
    PersonFactory,
    ReviewFactory,
    SeasonFactory,
    ShowFactory,
    StatusChangeFactory,
    WriterFactory,
    WriterUserFactory,
)
from .sitemaps import whole_sitemap_text
from .test_seo import ParsedPage
from .test_workflow import story_form

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
# A valid HTML date, or date and time to the second at most with its offset (HTML's
# "valid date string" or "valid global date and time string", as the Nu checker reads them).
HTML_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z))?")
ADMIN_MODELS = {"review": "review", "news": "newsstory", "explainer": "explainer"}
ADMIN_MODELS["renewal"] = "renewalnews"


def change_url(article):
    return reverse(f"admin:articles_{ADMIN_MODELS[article.kind]}_change", args=[article.pk])


def desk_form(story, **overrides):
    """What the story form posts, its main show and shows covered included."""
    shows = {
        "show": str(story.show_id or ""),
        "shows": [str(pk) for pk in story.shows.values_list("pk", flat=True)],
    }
    return story_form(story, **{**shows, **overrides})


def seconds(when):
    return when.replace(microsecond=0)


def page_of(article):
    response = Client().get(article.get_absolute_url())
    assert response.status_code == 200
    return ParsedPage(response.text)


def news_article(page):
    return next(item for item in page.graph if item["@type"] == "NewsArticle")


def atom_entry(article):
    feed = ET.fromstring(Client().get(reverse("articles:feed-atom")).content)
    for entry in feed.iter(f"{ATOM}entry"):
        if entry.findtext(f"{ATOM}id").endswith(f"article/{article.pk}"):
            return entry
    raise AssertionError(f"{article} is not in the Atom feed")


def sitemap_lastmod(article):
    text = whole_sitemap_text(Client())
    block = re.search(
        rf"<loc>[^<]*{re.escape(article.get_absolute_url())}</loc>\s*<lastmod>([^<]+)</lastmod>",
        text,
    )
    return block.group(1)


def dates_told(article):
    """Every date readers, search engines and feed readers are told the story changed."""
    page = page_of(article)
    return {
        "json-ld": datetime.fromisoformat(news_article(page)["dateModified"]),
        "open graph": datetime.fromisoformat(page.one_meta("article:modified_time")),
        "atom": datetime.fromisoformat(atom_entry(article).findtext(f"{ATOM}updated")),
        "sitemap": sitemap_lastmod(article),
        "updated on the page": "Updated" in page.html.split('class="meta"', 2)[1][:400],
    }


@pytest.fixture
def editor_client():
    client = Client()
    client.force_login(EditorFactory(username="chief"))
    return client


# Honest dates -------------------------------------------------------------------------


def test_a_typo_fix_or_a_new_tag_changes_no_date_readers_see():
    published = timezone.now() - timedelta(days=40)
    story = ArticleFactory(publish_at=published)
    story.title = "A headline without its typo"
    story.save()
    story.tags.add("Pokémon")

    told = dates_told(story)

    assert told == {
        "json-ld": seconds(published),
        "open graph": seconds(published),
        "atom": published,
        "sitemap": timezone.localtime(published).date().isoformat(),
        "updated on the page": False,
    }


def test_an_update_note_moves_every_date_on(editor_client):
    story = ArticleFactory(publish_at=timezone.now() - timedelta(days=40))

    response = editor_client.post(
        change_url(story),
        story_form(
            story,
            **{
                "corrections-TOTAL_FORMS": "1",
                "corrections-0-kind": "update",
                "corrections-0-text": "The network has since confirmed the date.",
            },
        ),
    )

    assert response.status_code == 302
    story.refresh_from_db()
    noted = story.corrections.get().noted_at
    assert story.revised_at == noted
    told = dates_told(story)
    assert told == {
        "json-ld": seconds(noted),
        "open graph": seconds(noted),
        "atom": noted,
        "sitemap": timezone.localtime(noted).date().isoformat(),
        "updated on the page": True,
    }


def test_mark_as_updated_on_the_story_form_moves_the_date_and_an_ordinary_save_does_not(
    editor_client,
):
    story = ArticleFactory(publish_at=timezone.now() - timedelta(days=3))

    editor_client.post(change_url(story), story_form(story, body="A fixed typo."))
    story.refresh_from_db()
    assert story.revised_at is None and not story.was_updated

    before = timezone.now()
    editor_client.post(change_url(story), story_form(story, mark_updated="on"))
    story.refresh_from_db()
    assert story.revised_at >= before
    assert dates_told(story)["updated on the page"]
    assert story.history.first().history_change_reason == "Marked as updated"


def test_a_scheduled_story_is_never_modified_before_it_is_published():
    """Marked as updated (from the shell, say) before it was scheduled to come out."""
    story = ArticleFactory(publish_at=timezone.now() - timedelta(minutes=5))
    story.revised_at = timezone.now() - timedelta(days=1)
    story.save()

    told = dates_told(story)

    assert told["json-ld"] == seconds(story.publish_at)
    assert told["open graph"] == seconds(story.publish_at)
    assert told["atom"] == story.publish_at
    assert not told["updated on the page"]


def test_the_desk_offers_no_mark_as_updated_before_publication(editor_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    page = editor_client.get(change_url(draft)).text
    assert "Mark as updated" not in page
    assert "corrections-TOTAL_FORMS" not in page
    assert "Mark as updated" in editor_client.get(change_url(ArticleFactory())).text


@pytest.mark.parametrize(
    "url",
    ["story", "/", "/news/", "/corrections/", "/renewal-tracker/", "/news-sitemap.xml"],
)
def test_every_datetime_attribute_is_a_valid_html_date(url):
    show = ShowFactory()
    StatusChangeFactory(show=show)
    story = ArticleFactory(show=show, publish_at=timezone.now() - timedelta(seconds=90.5))
    story.revised_at = timezone.now() - timedelta(seconds=10.25)
    story.save()
    CorrectionFactory(article=story)
    url = story.get_absolute_url() if url == "story" else url

    text = Client().get(url).text

    values = re.findall(r'datetime="([^"]*)"', text)
    values += re.findall(r"<news:publication_date>([^<]*)<", text)
    assert values
    for value in values:
        assert HTML_DATETIME.fullmatch(value), value


# Person and writer breadcrumbs ----------------------------------------------------------


def test_person_and_writer_breadcrumbs_lead_to_pages_that_exist():
    person = PersonFactory(name="Ann Harbour")
    writer = WriterFactory(name="Maya Okafor")
    for profile, index, heading in [
        (person, "/people/", "People"),
        (writer, "/writers/", "Our writers"),
    ]:
        page = page_of(profile)
        crumbs = next(item for item in page.graph if item["@type"] == "BreadcrumbList")
        assert crumbs["itemListElement"][1]["item"] == f"http://testserver{index}"
        assert f'<a href="{index}">{heading}</a>' in page.html
        listing = Client().get(index)
        assert listing.status_code == 200
        assert profile.get_absolute_url() in listing.text


# Feeds say exactly what was typed ------------------------------------------------------

HOSTILE_TITLE = 'Law & Order spin-off <Untitled> lands in "May"'
HOSTILE_DEK = "It's <b>not</b> bold & a < b > c; &amp; stays as typed"


@pytest.mark.parametrize(
    "url_name, args", [("articles:feed", []), ("articles:feed-atom", []), ("show", None)]
)
def test_feeds_give_plain_text_back_exactly_as_typed(url_name, args):
    show = ShowFactory(title="Law & Order: <Untitled>", slug="law-order")
    story = ArticleFactory(title=HOSTILE_TITLE, dek=HOSTILE_DEK, show=show)
    if url_name == "show":
        url_name, args = "articles:show-feed", [show.slug]

    response = Client().get(reverse(url_name, args=args))
    parsed = feedparser.parse(response.content)

    assert not parsed.bozo
    entry = parsed.entries[0]
    assert entry.title == story.title
    # A reader shows the summary as HTML: what it shows is the standfirst, as typed.
    assert html.unescape(re.sub(r"<[^>]+>", "", entry.summary)) == story.dek
    assert "<b>" not in entry.summary  # no markup the editor did not mean
    if url_name == "articles:show-feed":
        assert parsed.feed.title == "Newsroom: Law & Order: <Untitled>"
        assert html.unescape(parsed.feed.subtitle) == "Every story about Law & Order: <Untitled>."


def test_rss_writes_a_less_than_sign_as_a_character_reference():
    ArticleFactory(title=HOSTILE_TITLE)
    raw = Client().get(reverse("articles:feed")).content.decode()
    assert "<title>Law &amp; Order spin-off &#x3C;Untitled&#x3E; lands in" in raw
    assert "&lt;" not in raw


# Corrections and updates --------------------------------------------------------------


@pytest.fixture
def corrected():
    """A review with a correction, then a clarification, then an update, a day apart."""
    story = ReviewFactory(publish_at=timezone.now() - timedelta(days=10))
    editor = EditorFactory()
    for days, kind, text in [
        (3, "correction", "An earlier version named the wrong network."),
        (2, "clarification", "The finale date is for the UK; elsewhere it is a day later."),
        (1, "update", "The network has since renewed the show."),
    ]:
        services.add_note(
            article=story,
            user=editor,
            kind=kind,
            text=text,
            when=timezone.now() - timedelta(days=days),
        )
    return story


def test_notes_are_on_the_story_newest_first_with_kind_and_date(corrected):
    page = page_of(corrected).html
    notes = re.findall(r'<li class="note note-(\w+)"><strong>(\w+)</strong>, <time', page)
    assert notes == [
        ("update", "Update"),
        ("clarification", "Clarification"),
        ("correction", "Correction"),
    ]
    assert "An earlier version named the wrong network." in page
    day = timezone.localtime(corrected.corrections.last().noted_at)
    assert f"{day:%-d %B %Y}</time>: An earlier version" in page
    assert 'href="/corrections-policy/"' in page


def test_corrections_and_clarifications_are_in_the_json_ld(corrected):
    item = news_article(page_of(corrected))
    assert [(c["@type"], c["text"]) for c in item["correction"]] == [
        ("CorrectionComment", "The finale date is for the UK; elsewhere it is a day later."),
        ("CorrectionComment", "An earlier version named the wrong network."),
    ]
    assert (
        item["dateModified"]
        == seconds(timezone.localtime(corrected.corrections.first().noted_at)).isoformat()
    )


def test_notes_are_in_the_feed_item_which_keeps_its_guid_and_is_updated(corrected):
    parsed = feedparser.parse(Client().get(reverse("articles:feed-atom")).content)
    entry = parsed.entries[0]
    assert entry.id.endswith(f"article/{corrected.pk}")
    content = entry.content[0].value
    day = f"{timezone.localtime(corrected.corrections.get(kind='correction').noted_at):%-d %B %Y}"
    assert f"<strong>Correction, {day}:</strong> An earlier version named the wrong" in content
    assert content.index("Update") < content.index("Correction")  # newest first, as on the page
    updated = datetime(*entry.updated_parsed[:6], tzinfo=UTC)
    assert updated == seconds(corrected.corrections.first().noted_at)


def test_notes_are_kept_in_the_story_history(corrected):
    reasons = list(corrected.history.values_list("history_change_reason", flat=True))
    assert "Added correction: An earlier version named the wrong network." in reasons
    note = corrected.corrections.get(kind="correction")
    pk = note.pk
    note.delete()
    assert Correction.history.filter(id=pk, history_type="-").exists()


def test_the_corrections_log_lists_corrections_of_public_stories_newest_first(corrected):
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    Correction.objects.create(article=draft, text="On a story no reader can see.")
    response = Client().get(reverse("articles:corrections"))
    text = response.text
    assert text.count('class="note note-') == 2  # the update is news, not a correction
    assert text.index("The finale date is for the UK") < text.index("An earlier version")
    assert corrected.get_absolute_url() in text
    assert "no reader can see" not in text
    assert 'href="/corrections/feed/"' in text


def test_the_corrections_log_is_paged():
    story = ArticleFactory()
    CorrectionFactory.create_batch(21, article=story)
    assert Client().get("/corrections/?page=2").text.count('class="note note-') == 1
    assert Client().get("/corrections/?page=3").status_code == 404


def test_the_corrections_feed_has_an_item_per_correction(corrected):
    # Noted later but saved first, and two noted at the same time: newest first, then the
    # last saved first.
    same_time = timezone.now() - timedelta(days=5)
    tied = [
        CorrectionFactory(article=corrected, text=f"Tied {i} & <b>plain</b>", noted_at=same_time)
        for i in (1, 2)
    ]
    parsed = feedparser.parse(Client().get(reverse("articles:corrections-feed")).content)
    assert not parsed.bozo
    assert [entry.title for entry in parsed.entries] == [
        f"Clarification: {corrected.title}",
        f"Correction: {corrected.title}",
        f"Correction: {corrected.title}",
        f"Correction: {corrected.title}",
    ]
    assert [html.unescape(entry.summary) for entry in parsed.entries[2:]] == [
        "Tied 2 & <b>plain</b>",
        "Tied 1 & <b>plain</b>",
    ]
    entry = parsed.entries[2]
    url = f"http://testserver{corrected.get_absolute_url()}"
    assert entry.link == url
    assert entry.id.endswith(f":correction/{tied[1].pk}")
    assert [tag.term for tag in entry.tags] == ["Corrections", "Correction"]
    assert entry.content[0].value == (
        "<p>Tied 2 &amp; &lt;b&gt;plain&lt;/b&gt;</p>\n"
        f'<p>On review: <a href="{url}">{html.escape(corrected.title)}</a></p>'
    )


def test_the_footer_links_the_log_and_the_policy():
    page = Client().get("/").text
    footer = page[page.index('<footer class="site-footer">') :]
    assert 'href="/corrections/">Corrections</a>' in footer
    assert 'href="/corrections-policy/">Corrections policy</a>' in footer


def test_a_note_cannot_be_added_to_a_story_readers_cannot_see():
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    with pytest.raises(Exception, match="Only a story readers can see"):
        services.add_note(article=draft, user=None, kind="correction", text="Too soon.")


def test_a_note_from_the_desk_is_dated_and_signed_and_the_log_is_fresh_at_once(editor_client):
    story = ArticleFactory(publish_at=timezone.now() - timedelta(days=2))
    assert "No corrections yet." in Client().get("/corrections/").text  # now in the cache

    editor_client.post(
        change_url(story),
        story_form(
            story,
            **{
                "corrections-TOTAL_FORMS": "1",
                "corrections-0-kind": "correction",
                "corrections-0-text": "We gave the wrong day for the finale.",
            },
        ),
    )

    note = story.corrections.get()
    assert note.created_by.username == "chief"
    assert timezone.now() - note.noted_at < timedelta(minutes=1)
    assert "We gave the wrong day for the finale." in Client().get("/corrections/").text


# Labels a reader can trust ---------------------------------------------------------------


def test_every_card_and_story_says_what_kind_of_story_it_is():
    review = ReviewFactory(title="A review of something")
    ArticleFactory(kind=Article.Kind.EXPLAINER, title="An explainer")
    home = Client().get("/").text
    for label in ("Review", "Explainer"):
        assert f'<p class="kicker">{label}' in home
    page = html.unescape(page_of(review).html)
    assert "<strong>Review:</strong> the critic's own opinion" in page


# Renewal news that knows it has moved on ------------------------------------------------


@pytest.fixture
def pending_story():
    """Renewal news reporting that a fictional show awaits its decision."""
    show = ShowFactory(title="Saltmarsh", slug="saltmarsh")
    season = SeasonFactory(show=show, number=1)
    pending = StatusChangeFactory(show=show, season=season, announced_on=date(2026, 3, 1))
    return ArticleFactory(
        kind=Article.Kind.RENEWAL,
        show=show,
        status_change=pending,
        title="Saltmarsh awaits its verdict",
        publish_at=timezone.now() - timedelta(days=30),
    )


def test_renewal_news_says_nothing_while_its_decision_is_current(pending_story):
    assert "Since this story" not in page_of(pending_story).html


def test_renewal_news_tells_readers_the_decision_since(pending_story):
    show = pending_story.show
    before = page_of(pending_story)
    newer = ArticleFactory(kind=Article.Kind.RENEWAL, show=show, title="Saltmarsh is coming back")
    StatusChangeFactory(
        show=show,
        status=StatusChange.Status.RENEWED,
        season=SeasonFactory(show=show, number=2),
        announced_on=date(2027, 3, 3),
    )

    page = page_of(pending_story)

    notice = page.html[page.html.index('id="since-story-heading"') - 4 :]
    notice = notice[: notice.index("</aside>")]
    assert re.sub(r"<[^>]+>", "", " ".join(notice.split())).startswith(
        "Since this story Saltmarsh was renewed for season 2 on 3 March 2027."
    )
    assert f'href="{newer.get_absolute_url()}">Saltmarsh is coming back</a>' in notice
    assert 'href="/renewal-tracker/#show-saltmarsh"' in notice
    assert 'id="show-saltmarsh"' in Client().get("/renewal-tracker/").text
    # Its dates and feed item are unchanged: the story itself did not change.
    assert news_article(page)["dateModified"] == news_article(before)["dateModified"]
    assert atom_entry(pending_story).findtext(f"{ATOM}updated") == atom_entry(
        pending_story
    ).findtext(f"{ATOM}published")


def test_renewal_news_without_a_decision_shows_one_announced_after_it():
    show = ShowFactory(title="Night Desk")
    StatusChangeFactory(show=show, announced_on=date(2025, 1, 1))
    story = ArticleFactory(
        kind=Article.Kind.RENEWAL, show=show, publish_at=timezone.now() - timedelta(days=3)
    )
    assert "Since this story" not in page_of(story).html

    StatusChangeFactory(
        show=show, status=StatusChange.Status.CANCELLED, announced_on=timezone.localdate()
    )

    assert "Night Desk</cite></a> was cancelled on" in page_of(story).html


# Stale-fact alerts for editors -----------------------------------------------------------


@pytest.fixture
def covered():
    """A show with a season, a cast member and a network, and a story about it published
    a week ago, its facts as they were then (the log starts empty)."""
    show = ShowFactory(title="Harbour Lights", network=NetworkFactory(name="Demo Channel"))
    season = SeasonFactory(show=show, number=1, episode_count=8, premiere_date=date(2024, 3, 1))
    credit = CreditFactory(
        show=show, person=PersonFactory(name="Ann Harbour"), character_name="Kit"
    )
    story = ArticleFactory(
        show=show, title="What we know about Harbour Lights",
        publish_at=timezone.now() - timedelta(days=7),
    )  # fmt: skip
    FactChange.objects.all().delete()
    return {"show": show, "season": season, "credit": credit, "story": story}


def new_decision(facts):
    StatusChangeFactory(
        show=facts["show"], status=StatusChange.Status.RENEWED, announced_on=date(2027, 3, 3)
    )


def more_episodes(facts):
    facts["season"].episode_count = 10
    facts["season"].save()


def new_premiere(facts):
    facts["season"].premiere_date = date(2024, 3, 8)
    facts["season"].save()


def new_season(facts):
    SeasonFactory(show=facts["show"], number=2, episode_count=6, premiere_date=None)


def new_cast(facts):
    CreditFactory(show=facts["show"], person=PersonFactory(name="Ravi Shore"), character_name="Mo")


def cast_leaves(facts):
    facts["credit"].delete()


def new_director(facts):
    CreditFactory(
        show=facts["show"], person=PersonFactory(name="Jo Lane"), role=Credit.Role.DIRECTOR,
        character_name="",
    )  # fmt: skip


def new_network(facts):
    facts["show"].network = NetworkFactory(name="Other Channel")
    facts["show"].save()


FACT_CHANGES = {
    "a status change": (new_decision, "New decision: renewed, announced 3 March 2027"),
    "an episode count": (more_episodes, "Season 1: episodes 8 → 10"),
    "a season's dates": (new_premiere, "Season 1: premiere 1 March 2024 → 8 March 2024"),
    "a new season": (new_season, "Added season 2, 6 episodes"),
    "a cast credit": (new_cast, "Credited: Ravi Shore as Mo (cast)"),
    "a credit removed": (cast_leaves, "Removed: Ann Harbour as Kit (cast)"),
    "a crew credit": (new_director, "Credited: Jo Lane (director)"),
    "the network": (new_network, "Network: Demo Channel → Other Channel"),
}


def desk(client):
    page = client.get(reverse("admin:index")).text
    queue = page[page.index('id="facts-queue-heading"') :]
    return queue[: queue.index("</section>")]


@pytest.mark.parametrize("change", FACT_CHANGES)
def test_a_fact_change_lists_the_story_on_the_desk_until_an_editor_checks_it(
    covered, editor_client, change
):
    story = covered["story"]
    assert "Every published story has been checked" in desk(editor_client)
    make, summary = FACT_CHANGES[change]

    make(covered)

    queue = desk(editor_client)
    assert '<span class="newsroom-count">1</span>' in queue
    assert story.title in queue
    assert f"Harbour Lights: {summary} <span" in html.unescape(queue)
    form = editor_client.get(change_url(story)).text
    assert summary in html.unescape(form) and "Still right" in form

    editor_client.post(change_url(story), desk_form(story, facts_still_right="on"))

    assert "Every published story has been checked" in desk(editor_client)
    assert Article.objects.get(pk=story.pk).show == covered["show"]
    assert "Still right" not in editor_client.get(change_url(story)).text


def test_an_update_note_clears_the_alert_and_a_correction_does_not(covered):
    story = covered["story"]
    more_episodes(covered)
    services.add_note(article=story, user=None, kind="correction", text="A typo in a name.")
    assert [s.pk for s in Article.objects.with_stale_facts()] == [story.pk]
    services.add_note(article=story, user=None, kind="update", text="Now ten episodes.")
    assert not Article.objects.with_stale_facts().exists()


def test_a_story_published_after_the_change_raises_no_alert(covered):
    more_episodes(covered)
    ArticleFactory(
        show=covered["show"], title="Written knowing the new count", publish_at=timezone.now()
    )
    stale = services.with_fact_changes(Article.objects.with_stale_facts())
    assert [story.title for story in stale] == ["What we know about Harbour Lights"]
    assert [c.summary for c in stale[0].fact_changes] == ["Season 1: episodes 8 → 10"]


def test_saves_that_change_no_fact_raise_no_alert(covered):
    show, season = covered["show"], covered["season"]
    show.synopsis = "A new synopsis."
    show.save()
    season.title = "A season title"
    season.save()
    covered["credit"].billing_order = 5
    covered["credit"].save()
    assert not FactChange.objects.exists()
    assert not Article.objects.with_stale_facts().exists()


def test_the_desk_lists_stale_stories_oldest_change_first_with_a_count(covered, editor_client):
    older = covered["story"]
    other_show = ShowFactory(title="Saltmarsh")
    newer = ArticleFactory(show=other_show, publish_at=timezone.now() - timedelta(days=3))
    more_episodes(covered)
    SeasonFactory(show=other_show, number=1)
    queue = desk(editor_client)
    assert '<span class="newsroom-count">2</span>' in queue
    assert queue.index(older.title) < queue.index(newer.title)
    changelist = editor_client.get(reverse("admin:articles_article_changelist") + "?facts=changed")
    assert older.title in changelist.text and newer.title in changelist.text
    assert "Changed since last checked (2)" in changelist.text


def test_the_bulk_action_marks_stories_checked(covered, editor_client):
    more_episodes(covered)
    editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "mark_facts_checked", "_selected_action": [covered["story"].pk]},
    )
    assert not Article.objects.with_stale_facts().exists()


def test_writers_do_not_get_the_facts_queue(covered):
    more_episodes(covered)
    client = Client()
    client.force_login(WriterUserFactory())
    assert "facts-queue-heading" not in client.get(reverse("admin:index")).text


def test_the_desk_costs_the_same_however_many_stories_are_stale(
    editor_client, django_assert_max_num_queries
):
    def load():
        with django_assert_max_num_queries(30) as queries:
            editor_client.get(reverse("admin:index"))
        return len(queries)

    show = ShowFactory()
    ArticleFactory(show=show, publish_at=timezone.now() - timedelta(days=1))
    SeasonFactory(show=show)
    one = load()
    for _ in range(30):
        other = ShowFactory()
        ArticleFactory(show=other, publish_at=timezone.now() - timedelta(days=1))
        SeasonFactory(show=other)
        CreditFactory(show=other)
    assert load() == one


# Under the page cache ------------------------------------------------------------------


def test_story_pages_stay_cached_and_fresh_as_decisions_and_notes_arrive(
    pending_story, django_assert_num_queries
):
    from .test_query_budgets import settle_the_setup

    url = pending_story.get_absolute_url()
    Client().get(url)
    settle_the_setup()
    with django_assert_num_queries(0):
        assert "Since this story" not in Client().get(url).text  # from the cache

    StatusChangeFactory(
        show=pending_story.show, status=StatusChange.Status.CANCELLED, announced_on=date(2027, 1, 5)
    )
    assert "Saltmarsh</cite></a> was cancelled on" in Client().get(url).text

    services.add_note(article=pending_story, user=None, kind="update", text="It is over.")
    page = Client().get(url).text
    assert "It is over." in page and "see the update" in page
    settle_the_setup()
    with django_assert_num_queries(0):
        Client().get(url)


# Edge cases on the desk -------------------------------------------------------------------


def test_a_scheduled_story_that_comes_out_while_its_form_is_open_still_saves(editor_client):
    story = ArticleFactory(publish_at=timezone.now() + timedelta(hours=1))
    form = story_form(story, body="Last words before it goes out.")  # as loaded: no notes part
    Article.objects.filter(pk=story.pk).update(publish_at=timezone.now() - timedelta(minutes=1))

    response = editor_client.post(change_url(story), form)

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.body == "Last words before it goes out."


def test_a_fact_change_between_scheduling_and_publication_is_flagged(covered, editor_client):
    story = ArticleFactory(
        show=covered["show"], status=Article.Status.DRAFT, publish_at=None, title="Scheduled"
    )
    editor_client.post(
        change_url(story),
        story_form(
            story,
            _workflow="schedule",
            schedule_at_0="2030-01-01",
            schedule_at_1="07:00",
            show=str(covered["show"].pk),
            shows=[str(covered["show"].pk)],
        ),
    )
    story.refresh_from_db()
    assert story.is_scheduled and story.facts_checked_at is not None
    more_episodes(covered)  # overnight, before it comes out
    Article.objects.filter(pk=story.pk).update(publish_at=timezone.now())

    assert "Scheduled" in [s.title for s in Article.objects.with_stale_facts()]


def test_still_right_vouches_only_for_the_changes_the_form_showed(covered, editor_client):
    story = covered["story"]
    more_episodes(covered)
    form = desk_form(story, facts_still_right="on")
    seen = html.unescape(editor_client.get(change_url(story)).text)
    form["facts_seen_until"] = re.search(r'name="facts_seen_until" value="([^"]+)"', seen).group(1)
    new_network(covered)  # arrives while the form is open

    editor_client.post(change_url(story), form)

    stale = services.with_fact_changes(Article.objects.with_stale_facts())
    assert [c.summary for c in stale[0].fact_changes] == ["Network: Demo Channel → Other Channel"]
    assert story.history.first().history_change_reason == "Facts checked: still right"


def test_a_note_sent_with_an_unpublish_is_kept_but_marks_nothing(editor_client):
    story = ArticleFactory(publish_at=timezone.now() - timedelta(days=1))
    response = editor_client.post(
        change_url(story),
        story_form(
            story,
            _workflow="unpublish",
            **{
                "corrections-TOTAL_FORMS": "1",
                "corrections-0-kind": "correction",
                "corrections-0-text": "Written as it was pulled.",
            },
        ),
        follow=True,
    )
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT and story.revised_at is None
    assert story.corrections.get().text == "Written as it was pulled."
    assert "readers will see it if it is published again" in response.text
    assert "Written as it was pulled." not in Client().get("/corrections/").text


def test_save_pressed_twice_adds_a_note_once_and_says_it_was_you(editor_client):
    story = ArticleFactory(publish_at=timezone.now() - timedelta(days=1))
    form = story_form(
        story,
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-text": "The finale is on a Sunday.",
        },
    )
    editor_client.post(change_url(story), form)

    second = editor_client.post(change_url(story), form)
    assert "You changed this story on" in html.unescape(second.text)
    editor_client.post(change_url(story), {**form, "overwrite": "on"})  # forced

    assert story.corrections.count() == 1


def test_too_long_a_note_is_refused_with_a_reason_not_cut_short(editor_client):
    story = ArticleFactory(publish_at=timezone.now() - timedelta(days=1))
    page = editor_client.get(change_url(story)).text
    assert 'maxlength="1000"' not in page
    response = editor_client.post(
        change_url(story),
        story_form(
            story,
            **{
                "corrections-TOTAL_FORMS": "1",
                "corrections-0-kind": "correction",
                "corrections-0-text": "x" * 1269,
            },
        ),
    )
    assert response.status_code == 200
    assert "at most 1000 characters (it has 1269)" in html.unescape(response.text)
    assert not story.corrections.exists()


def test_writers_reading_a_published_story_get_no_editor_controls():
    client = Client()
    writer = WriterUserFactory()
    client.force_login(writer)
    story = ArticleFactory(writers=[WriterFactory(user=writer)])
    page = client.get(change_url(story)).text
    assert "Since publication" not in page and "field-mark_updated" not in page


def test_a_decision_announced_the_day_a_story_came_out_shows_if_recorded_after_it():
    show = ShowFactory(title="Low Tide")
    story = ArticleFactory(
        kind=Article.Kind.RENEWAL, show=show, publish_at=timezone.now() - timedelta(minutes=5)
    )
    StatusChangeFactory(
        show=show, status=StatusChange.Status.RENEWED, announced_on=timezone.localdate()
    )
    assert "Since this story" in page_of(story).html


def test_facts_typed_as_text_in_the_shell_are_logged_as_dates(covered):
    season = covered["season"]
    season.premiere_date = "2024-03-01"  # the same date, as text
    season.save()
    assert not FactChange.objects.exists()
    StatusChange.objects.create(
        show=covered["show"], status=StatusChange.Status.RENEWED, announced_on="2027-03-03"
    )
    assert FactChange.objects.get().summary == "New decision: renewed, announced 3 March 2027"


def test_a_site_page_cannot_take_the_address_of_a_list(editor_client):
    from django.contrib.flatpages.models import FlatPage

    response = editor_client.post(
        reverse("admin:flatpages_flatpage_add"),
        {"url": "/corrections/", "title": "Ours", "content": "Text."},
    )
    assert "already one of the site's own lists" in html.unescape(response.text)
    assert not FlatPage.objects.filter(url="/corrections/").exists()


def test_a_saved_note_is_not_rewritten_but_can_be_removed(editor_client):
    story = ArticleFactory(publish_at=timezone.now() - timedelta(days=1))
    note = CorrectionFactory(article=story, text="As first written.")
    editor_client.post(
        change_url(story),
        story_form(
            story, **{"corrections-0-text": "Quietly changed.", "corrections-0-kind": "update"}
        ),
    )
    note.refresh_from_db()
    assert (note.kind, note.text) == ("correction", "As first written.")

    story.refresh_from_db()
    editor_client.post(change_url(story), story_form(story, **{"corrections-0-DELETE": "on"}))
    assert not story.corrections.exists()
    assert Correction.history.filter(text="As first written.", history_type="-").exists()


# The fact log, word for word --------------------------------------------------------------


def logged():
    return list(FactChange.objects.order_by("pk").values_list("kind", "summary"))


def test_the_log_describes_each_change_in_words(covered):
    show, season, credit = covered["show"], covered["season"], covered["credit"]
    season.number, season.finale_date, season.episode_count = 3, date(2024, 4, 1), None
    season.save()
    SeasonFactory(show=show, number=4, episode_count=None, premiere_date=date(2027, 3, 1))
    credit.character_name = "Kit Marsh"
    credit.save()
    CreditFactory(show=show, person=PersonFactory(name="Ravi Shore"), character_name="")
    decision = StatusChangeFactory(show=show, status=StatusChange.Status.PENDING)
    decision.status = StatusChange.Status.CANCELLED
    decision.save()
    show.network = None
    show.save()
    show.network = NetworkFactory(name="Night Channel")
    show.save()

    assert logged() == [
        ("season", "Season 1: number 1 → 3; finale none → 1 April 2024; episodes 8 → none"),
        ("season", "Added season 4, premiere 1 March 2027"),
        ("credit", "Credit changed: now Ann Harbour as Kit Marsh (cast)"),
        ("credit", "Credited: Ravi Shore (cast)"),
        ("status", "New decision: still awaiting a decision, announced 1 January 2026"),
        ("status", "Decision changed: now cancelled, announced 1 January 2026"),
        ("network", "Network: Demo Channel → none"),
        ("network", "Network: none → Night Channel"),
    ]


def test_removals_are_logged_and_a_deleted_show_takes_its_log_with_it(covered):
    covered["credit"].delete()
    assert logged() == [("credit", "Removed: Ann Harbour as Kit (cast)")]
    other = ShowFactory()
    SeasonFactory(show=other)
    CreditFactory(show=other)
    ShowFactory.create_batch(2)
    FactChange.objects.all().delete()

    other.delete()
    gone = ShowFactory()
    CreditFactory(show=gone)
    FactChange.objects.all().delete()
    Show.objects.filter(pk=gone.pk).delete()  # a bulk delete, too

    assert logged() == []


def test_a_summary_fits_its_column_however_long_the_name():
    show = ShowFactory()
    credit = CreditFactory(
        show=show, person=PersonFactory(name="N" * 150), character_name="C" * 180
    )
    credit.delete()
    assert [len(summary) for _, summary in logged()] == [300, 300]


def test_loading_a_fixture_logs_nothing(covered):
    from django.core import serializers

    season = covered["season"]
    season.episode_count = 12
    data = serializers.serialize("json", [season])
    for obj in serializers.deserialize("json", data):
        obj.save()  # raw, as loaddata saves
    assert not FactChange.objects.exists()


def test_add_note_keeps_who_and_when_and_the_story_checked_as_of_an_update(corrected):
    notes = list(corrected.corrections.order_by("noted_at"))
    assert all(note.created_by.groups.filter(name="Editors").exists() for note in notes)
    days = [round((timezone.now() - note.noted_at) / timedelta(days=1)) for note in notes]
    assert days == [3, 2, 1]
    corrected.refresh_from_db()
    assert corrected.facts_checked_at == notes[-1].noted_at  # the update's date, not today's
    with pytest.raises(Exception) as refused:
        services.add_note(
            article=ArticleFactory(status=Article.Status.DRAFT, publish_at=None),
            user=None,
            kind="update",
            text="Too soon.",
        )
    assert refused.value.messages == [
        "Only a story readers can see takes corrections and updates; change a draft or a "
        "scheduled story instead."
    ]


def test_notes_added_together_are_one_revision_and_touch_nothing_else(editor_client):
    story = ArticleFactory(publish_at=timezone.now() - timedelta(days=1), title="As loaded")
    stale = Article.objects.get(pk=story.pk)
    Article.objects.filter(pk=story.pk).update(title="Renamed meanwhile")
    one = Correction.objects.create(article=stale, kind="correction", text="First.")
    two = Correction.objects.create(article=stale, kind="update", text="Second.")

    services.noted(article=stale, notes=[one, two])

    story.refresh_from_db()
    assert story.title == "Renamed meanwhile"  # only the dates were written
    reason = story.history.first().history_change_reason
    assert reason == "Added correction: First.; Added update: Second."
    long = Correction.objects.create(article=stale, kind="update", text="x" * 200)
    services.noted(article=stale, notes=[long])
    assert len(story.history.first().history_change_reason) == 100  # as long as it may be
    assert services.with_fact_changes([]) == []


def test_each_stale_story_lists_only_its_own_shows_changes(covered):
    other = ShowFactory(title="Saltmarsh")
    elsewhere = ArticleFactory(show=other, publish_at=timezone.now() - timedelta(days=3))
    unrelated = ShowFactory(title="Night Desk")
    SeasonFactory(show=unrelated)  # no story covers it: flags nothing
    assert not Article.objects.with_stale_facts().exists()
    SeasonFactory(show=other, number=1, episode_count=None, premiere_date=None)
    more_episodes(covered)

    stale = services.with_fact_changes(Article.objects.with_stale_facts())

    assert [(s.pk, [c.summary for c in s.fact_changes]) for s in stale] == [
        (elsewhere.pk, ["Added season 1"]),
        (covered["story"].pk, ["Season 1: episodes 8 → 10"]),
    ]
    lonely = Article.objects.annotate(checked_at=F("publish_at")).get(
        pk=ArticleFactory(publish_at=timezone.now() - timedelta(days=9)).pk
    )
    with_one = services.with_fact_changes([*Article.objects.with_stale_facts(), lonely])
    assert with_one[-1].fact_changes == []  # a story with no show has no changes to list


def test_forged_marks_and_notes_on_a_story_readers_could_not_see_change_nothing(editor_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    editor_client.post(
        change_url(draft),
        story_form(
            draft,
            _workflow="publish",
            mark_updated="on",
            **{
                "corrections-TOTAL_FORMS": "1",
                "corrections-INITIAL_FORMS": "0",
                "corrections-0-kind": "correction",
                "corrections-0-text": "Forged onto a draft.",
            },
        ),
    )
    draft.refresh_from_db()
    assert draft.is_public and not draft.was_updated  # published now, not "updated"
    assert not draft.corrections.exists()


def test_a_forged_or_broken_seen_time_is_no_error_and_no_pass_for_later_changes(
    covered, editor_client
):
    story = covered["story"]
    more_episodes(covered)
    for seen in ("2024-13-01T00:00:00+00:00", "2999-01-01T00:00:00+00:00"):
        response = editor_client.post(
            change_url(story), desk_form(story, facts_still_right="on", facts_seen_until=seen)
        )
        assert response.status_code == 302
        story.refresh_from_db()
        assert story.facts_checked_at <= timezone.now()
    new_network(covered)
    assert [s.pk for s in Article.objects.with_stale_facts()] == [story.pk]


def test_the_same_words_as_an_old_note_make_a_new_note(editor_client):
    story = ArticleFactory(publish_at=timezone.now() - timedelta(days=30))
    CorrectionFactory(
        article=story, kind="update", text="Updated.", noted_at=timezone.now() - timedelta(days=20)
    )
    story.refresh_from_db()
    editor_client.post(
        change_url(story),
        story_form(
            story,
            **{
                "corrections-TOTAL_FORMS": "2",
                "corrections-1-kind": "update",
                "corrections-1-text": "Updated.",
            },
        ),
    )
    assert story.corrections.count() == 2


def test_the_facts_filter_counts_only_the_stories_of_its_list(covered, editor_client):
    more_episodes(covered)  # a news story is stale; no review is
    page = editor_client.get(reverse("admin:articles_review_changelist")).text
    assert "Changed since last checked (0)" in page
    page = editor_client.get(reverse("admin:articles_newsstory_changelist")).text
    assert "Changed since last checked (1)" in page
