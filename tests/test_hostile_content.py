"""Whatever editors type, paste or import, every page, feed and sitemap still works.

A corpus of hostile text (control characters, noncharacters, bidi overrides,
accents, CJK, emoji, symbols only, markup) is stored in every text field of
every model the public site shows, through the model as the shell or an import
would. Then every public page, feed and sitemap is fetched as a reader and a
feed reader would: nothing answers 5xx, every XML document parses with a strict
parser, every feed parses cleanly, every JSON-LD block is JSON, and no page
carries a character XML or HTML refuses.
"""

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from decimal import Decimal

import feedparser
import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.test import Client
from django.urls import reverse

from articles.models import Article, Tag
from images.models import Image
from people.models import Person, Writer
from people.text import ascii_slug, clean_text
from shows.models import Credit, Genre, Network, Season, Show, StatusChange

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
from .sitemaps import sitemap_files, whole_sitemap_text

pytestmark = pytest.mark.django_db

HOSTILE = [
    "Shift\x0bEnter from Word",
    "Null\x00and\x1funit separator",
    "Noncharacters \ufffe\uffff and \U0001fffe",
    "C1 controls \x85 and \x96 from cp1252",
    "Bidi \u202eoverride\u202c and \u2066isolate\u2069",
    "Pokémon Concierge",
    "Café",
    "日本のドラマ",
    "💀",
    "!!!",
    '<script>alert("x")</script> & <b>bold</b> "quoted" \'single\'',
    "]]> </description> <!-- -->",
    "Line one\nLine two\r\nLine three\u2028after a line separator",
]
# What a strict reader refuses: what XML 1.0 forbids, and the noncharacters.
REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\U0001fffe]")


def hostile(n, field):
    value = HOSTILE[n % len(HOSTILE)]
    if isinstance(field, models.SlugField):
        value = f"{value} {n}"  # unique
    if field.max_length:
        value = value[: field.max_length]
    return value


def fill_text(instance, start=0):
    """Put hostile text in every text field of ``instance``; save it through the model."""
    n = start
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField) and not field.choices:
            if field.name in ("slug",) and isinstance(instance, Tag):
                continue  # made from the name
            setattr(instance, field.attname, hostile(n, field))
            n += 1
    instance.save()
    return instance


@pytest.fixture
def hostile_site():
    """One of everything, with hostile text everywhere."""
    network = fill_text(NetworkFactory(), 0)
    genre = fill_text(GenreFactory(), 1)
    author = fill_text(PersonFactory(), 2)
    show = ShowFactory(network=network, source_author=author)
    show.genres.add(genre)
    fill_text(show, 3)
    season = fill_text(SeasonFactory(show=show, number=1), 4)
    actor = fill_text(PersonFactory(), 5)
    fill_text(CreditFactory(show=show, person=actor), 6)
    change = fill_text(StatusChangeFactory(show=show, season=season), 7)
    writer = fill_text(WriterFactory(), 8)
    stories = [
        ReviewFactory(season=season, show=show, writers=[writer]),
        ArticleFactory(kind=Article.Kind.EXPLAINER, show=show, writers=[writer]),
        ArticleFactory(
            kind=Article.Kind.RENEWAL, show=show, status_change=change, writers=[writer]
        ),
        ArticleFactory(kind=Article.Kind.NEWS, writers=[writer]),
    ]
    for i, story in enumerate(stories):
        story.body = "\n\n".join(HOSTILE) + "\n\n## A heading \x0b with a tab\n\nEnd."
        fill_text(story, 9 + i)
        story.rating = Decimal("3.5") if story.kind == Article.Kind.REVIEW else None
        story.save()
        story.people.add(actor)
        story.tags.add(*HOSTILE[i::2])
    return {"show": show, "writer": writer, "person": actor, "stories": stories}


def public_urls(site):
    urls = [
        "/",
        "/search/?q=" + "Pok%C3%A9mon",
        "/search/?q=%E6%97%A5%E6%9C%AC",
        "/search/?q=%F0%9F%92%80",
        "/search/?q=%0B",
        reverse("shows:index"),
        reverse("renewal-tracker"),
        reverse("robots"),
        site["show"].get_absolute_url(),
        site["writer"].get_absolute_url(),
        site["person"].get_absolute_url(),
    ]
    for section in Article.SECTIONS.values():
        urls.append(reverse("articles:section", args=[section]))
    for story in Article.objects.all():
        urls.append(story.get_absolute_url())
    for tag in Tag.objects.all():
        urls.append(tag.get_absolute_url())
    return urls


def xml_urls(site):
    urls = [
        reverse("articles:feed"),
        reverse("articles:feed-atom"),
        reverse("articles:renewal-tracker-feed"),
        reverse("articles:show-feed", args=[site["show"].slug]),
        reverse("articles:writer-feed", args=[site["writer"].slug]),
        reverse("articles:person-feed", args=[site["person"].slug]),
        "/sitemap.xml",
        *sitemap_files(Client()),
        reverse("news-sitemap"),
    ]
    urls += [reverse("articles:section-feed", args=[s]) for s in Article.SECTIONS.values()]
    urls += [reverse("articles:tag-feed", args=[tag.slug]) for tag in Tag.objects.all()]
    return urls


def assert_clean(response, url):
    assert response.status_code == 200, f"{url}: {response.status_code}"
    text = response.content.decode()
    assert not REFUSED.search(text), f"{url} carries a character XML refuses"
    return text


def test_every_page_renders_hostile_text(client, hostile_site):
    for url in public_urls(hostile_site):
        text = assert_clean(client.get(url), url)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S):
            json.loads(block)


def test_every_feed_and_sitemap_is_well_formed_xml(client, hostile_site):
    for url in xml_urls(hostile_site):
        response = client.get(url)
        text = assert_clean(response, url)
        ET.fromstring(response.content)  # expat: strict XML 1.0
        if "/feed/" in url:
            parsed = feedparser.parse(response.content)
            assert not parsed.bozo, f"{url}: {parsed.bozo_exception}"
            assert parsed.entries, url
        assert "<script>" not in text, url


def test_the_feeds_show_the_cleaned_text(client, hostile_site):
    parsed = feedparser.parse(client.get(reverse("articles:feed")).content)
    titles = {entry.title for entry in parsed.entries}
    assert clean_text(HOSTILE[9 % len(HOSTILE)], multiline=False) in titles
    categories = {term.term for entry in parsed.entries for term in entry.tags}
    assert {"Pokémon Concierge", "日本のドラマ", "💀", "!!!"} <= categories


def test_every_sitemap_link_works(client, hostile_site):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    files = [*sitemap_files(client), reverse("news-sitemap")]
    every = [
        loc.text
        for sitemap in files
        for loc in ET.fromstring(client.get(sitemap).content).findall("s:url/s:loc", ns)
    ]
    assert len(every) > len(files)
    for sitemap in files:
        root = ET.fromstring(client.get(sitemap).content)
        locations = [loc.text for loc in root.findall("s:url/s:loc", ns)]
        for location in locations:
            assert location.startswith("http://testserver/"), location
            path = location.removeprefix("http://testserver")
            assert client.get(path).status_code == 200, location


def test_rows_written_around_the_model_still_render(client, hostile_site):
    """An import or a shell `update()` skips the model's cleaning: the writers clean."""
    story = hostile_site["stories"][0]
    Article.objects.filter(pk=story.pk).update(
        title="Imported\x0b headline \uffff", dek="Standfirst\x01 \x1f"
    )
    Writer.objects.filter(pk=hostile_site["writer"].pk).update(name="Byline\x0b\ufffe")
    Tag.objects.filter(pk=story.tags.first().pk).update(name="Tag\x0b")
    for url in [*xml_urls(hostile_site), story.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 200, url
        if url != story.get_absolute_url():
            ET.fromstring(response.content)
    page = client.get(story.get_absolute_url()).text
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S):
        assert not REFUSED.search(json.loads(block).__repr__())


# --- what the model does with the text -------------------------------------------------


@pytest.mark.parametrize(
    "model, text_fields",
    [
        (Article, ["title", "dek", "body", "verdict", "watch_if", "seo_title"]),
        (Image, ["title", "alt", "caption", "credit"]),
        (Person, ["name", "bio"]),
        (Writer, ["name", "job_title", "bio"]),
        (Show, ["title", "synopsis", "filming_locations", "source_title"]),
        (StatusChange, ["note"]),
        (Credit, ["character_name", "job"]),
        (Season, ["title"]),
        (Network, ["name"]),
        (Genre, ["name"]),
        (Tag, ["name"]),
    ],
)
def test_saving_removes_what_xml_refuses_from_every_model(model, text_fields):
    factories = {
        Article: ArticleFactory,
        Image: ImageFactory,
        Person: PersonFactory,
        Writer: WriterFactory,
        Show: ShowFactory,
        StatusChange: StatusChangeFactory,
        Credit: CreditFactory,
        Season: SeasonFactory,
        Network: NetworkFactory,
        Genre: GenreFactory,
        Tag: lambda: Tag.objects.create(name="A tag"),
    }
    obj = factories[model]()
    for name in text_fields:
        setattr(obj, name, "Shift\x0bEnter\x00 \ufffe done")
    obj.save()
    obj.refresh_from_db()
    for name in text_fields:
        multiline = isinstance(model._meta.get_field(name), models.TextField)
        assert getattr(obj, name) == ("Shift\nEnter  done" if multiline else "Shift Enter  done")


def test_a_headline_pasted_from_word_keeps_its_line_break_as_a_space():
    story = ArticleFactory(title="Run Away\x0bSeason 2", body="One\x0bTwo")
    story.refresh_from_db()
    assert story.title == "Run Away Season 2"
    assert story.body == "One\nTwo"


@pytest.mark.parametrize(
    "factory, field",
    [
        (ArticleFactory, "title"),
        (ArticleFactory, "dek"),
        (PersonFactory, "name"),
        (ShowFactory, "title"),
        (StatusChangeFactory, "note"),
        (lambda: Tag.objects.create(name="Short"), "name"),
    ],
)
def test_values_longer_than_their_column_are_refused_on_every_database(factory, field):
    obj = factory()
    limit = type(obj)._meta.get_field(field).max_length
    setattr(obj, field, "x" * (limit + 1))
    with pytest.raises(ValidationError) as refused:
        obj.save()
    assert f"the limit is {limit}" in str(refused.value)


def test_a_slug_stored_from_the_shell_is_made_a_working_one():
    show = ShowFactory(slug="Café Society")
    assert show.slug == "cafe-society"
    assert show.get_absolute_url() == "/shows/cafe-society/"


# --- tags ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, slug",
    [
        ("Pokémon Concierge", "pokemon-concierge"),
        ("Café", "cafe"),
        ("日本のドラマ", ascii_slug("日本のドラマ")),
        ("💀", "skull"),
    ],
)
def test_every_tag_gets_an_ascii_slug_and_a_working_page(client, name, slug):
    ArticleFactory(title="Tagged story").tags.add(name)
    tag = Tag.objects.get(name=name)
    assert tag.slug == slug and tag.slug.isascii() and tag.slug
    page = client.get(tag.get_absolute_url())
    assert page.status_code == 200 and "Tagged story" in page.text
    feed = feedparser.parse(client.get(reverse("articles:tag-feed", args=[tag.slug])).content)
    assert [entry.title for entry in feed.entries] == ["Tagged story"]


def test_tags_of_symbols_only_get_stable_distinct_slugs(client):
    story = ArticleFactory()
    story.tags.add("!!!", "???", "★★★")
    slugs = {tag.name: tag.slug for tag in Tag.objects.all()}
    assert len(set(slugs.values())) == 3
    assert all(slug.startswith("tag-") and slug.isascii() for slug in slugs.values())
    for name in ("!!!", "★★★"):  # stable: the same name, the same slug, whatever came first
        Tag.objects.all().delete()
        story.tags.add(name)
        assert Tag.objects.get().slug == slugs[name]


def test_a_very_long_tag_gets_a_slug_of_90_characters_and_a_working_page(client):
    name = ("a tag pasted from a press release that goes on and on " * 2)[:100]
    ArticleFactory(title="Long-tagged").tags.add(name)
    tag = Tag.objects.get()
    assert tag.name == name.strip()
    assert len(tag.slug) == 90 and tag.slug.startswith("a-tag-pasted-from-a-press")
    assert "Long-tagged" in client.get(tag.get_absolute_url()).text


def test_tags_that_transliterate_alike_get_distinct_slugs():
    ArticleFactory().tags.add("Pokémon", "Pokemon")
    assert sorted(Tag.objects.values_list("slug", flat=True)) == ["pokemon", "pokemon_1"]


def test_the_sitemap_lists_every_tag_page(client):
    ArticleFactory().tags.add("Pokémon Concierge", "💀", "!!!")
    sitemap = whole_sitemap_text(client)
    for tag in Tag.objects.all():
        assert f"http://testserver/tags/{tag.slug}/" in sitemap


@pytest.mark.django_db(transaction=True)
def test_existing_tags_are_migrated_to_working_ascii_slugs():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("articles", "0006_image_renditions")]
    after = [("articles", "0007_ascii_tags")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    story = old.get_model("articles", "Article").objects.create(
        kind="news", title="Old story", slug="old-story", status="draft"
    )
    tags = {
        name: old.get_model("taggit", "Tag").objects.create(name=name, slug=slug)
        for name, slug in [("Pokémon", "pokémon"), ("💀", "💀"), ("!!!", ""), ("Plain", "plain")]
    }
    for tag in tags.values():
        old.get_model("articles", "TaggedArticle").objects.create(content_object=story, tag=tag)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    migrated = new.get_model("articles", "Tag").objects.order_by("name")
    slugs = {tag.name: tag.slug for tag in migrated}
    assert slugs["Pokémon"] == "pokemon" and slugs["💀"] == "skull" and slugs["Plain"] == "plain"
    assert slugs["!!!"].startswith("tag-")
    assert {tag.pk for tag in migrated} == {tag.pk for tag in tags.values()}
    tagged = new.get_model("articles", "TaggedArticle").objects.filter(content_object_id=story.pk)
    assert tagged.count() == 4
    # New tags get new ids after the copied ones.
    assert new.get_model("articles", "Tag").objects.create(name="New", slug="new").pk > max(
        tag.pk for tag in tags.values()
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_a_tag_used_only_on_drafts_has_no_page_yet(client):
    from django.utils import timezone

    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    draft.tags.add("Embargoed topic")
    scheduled = ArticleFactory(publish_at=timezone.now() + timedelta(days=1))
    scheduled.tags.add("Tomorrow's news")
    for name in ("Embargoed topic", "Tomorrow's news"):
        tag = Tag.objects.get(name=name)
        assert client.get(tag.get_absolute_url()).status_code == 404
        assert client.get(reverse("articles:tag-feed", args=[tag.slug])).status_code == 404
    ArticleFactory().tags.add("Embargoed topic")
    assert client.get(Tag.objects.get(name="Embargoed topic").get_absolute_url()).status_code == 200


def test_the_database_refuses_a_slug_no_address_could_hold():
    from django.db import IntegrityError, transaction

    story = ArticleFactory()
    story.tags.add("Fine")
    for model, pk in ((Tag, Tag.objects.get().pk), (Article, story.pk), (Show, ShowFactory().pk)):
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.filter(pk=pk).update(slug="café au lait")


def test_invisible_characters_never_make_a_tag_or_a_headline_of_their_own():
    story = ArticleFactory(title="\u200bRun Away\ufeff")
    story.tags.add("a\u200b", "\u200b", "Soft\u00adhyphen")
    story.refresh_from_db()
    assert story.title == "Run Away"
    assert sorted(story.tags.names()) == ["Softhyphen", "a"]
