"""Search returns what matches, and only that, on SQLite and PostgreSQL alike."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

from .factories import ArticleFactory, PersonFactory, ShowFactory

pytestmark = pytest.mark.django_db


def titles(client, query):
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
    return [article.title for article in response.context["articles"]]


def test_stories_without_the_words_are_not_results(client):
    ArticleFactory(title="Filming in Manchester", body="Streets of the north-west.")
    ArticleFactory(title="A cast announcement", body="Nothing about places at all.")
    assert titles(client, "manchester") == ["Filming in Manchester"]
    assert titles(client, "manchester cast") == []  # every word must match


def test_every_word_must_match_but_order_does_not(client):
    ArticleFactory(title="Genealogy clue", body="The website links the adoptees.")
    assert titles(client, "website genealogy") == ["Genealogy clue"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranking needs PostgreSQL")
def test_a_match_in_the_headline_ranks_above_a_match_in_the_body(client):
    now = timezone.now()
    ArticleFactory(title="Season two news", body="The verdict is in.", publish_at=now)
    ArticleFactory(
        title="Verdict on season one", body="Other words.", publish_at=now - timedelta(days=9)
    )
    assert titles(client, "verdict") == ["Verdict on season one", "Season two news"]


@pytest.mark.parametrize("query", ["émilie", "EMILIE", "emilie"])
def test_case_and_accents_do_not_matter(client, query):
    ArticleFactory(title="Émilie joins the cast", body="News about a casting.")
    PersonFactory(name="Émilie Dequenne")
    response = client.get(reverse("search"), {"q": query})
    assert [a.title for a in response.context["articles"]] == ["Émilie joins the cast"]
    assert [p.name for p in response.context["people"]] == ["Émilie Dequenne"]


def test_a_word_found_in_the_body_of_a_story_saved_without_its_model_is_found(client):
    story = ArticleFactory(title="Untitled", body="Nothing yet.")
    Article.objects.filter(pk=story.pk).update(body="A twist nobody saw coming.")
    assert titles(client, "twist") == ["Untitled"]
    Article.objects.filter(pk=story.pk).delete()
    assert titles(client, "twist") == []


def test_the_index_survives_a_migration_that_rebuilds_the_table(client):
    """SQLite drops a table's triggers when a migration rebuilds it; migrate puts them back
    (every migrate ends with the post_migrate signal)."""
    from django.core.management.sql import emit_post_migrate_signal

    from articles import search

    search.uninstall()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    story = ArticleFactory(title="Back again", body="The index is kept.")
    assert titles(client, "index") == [story.title]


def test_a_search_with_too_many_words_is_refused_with_a_message(client):
    response = client.get(reverse("search"), {"q": " ".join(["word"] * 11)})
    assert response.status_code == 200
    assert "That search has too many words. Try up to 10." in response.text
    assert "articles" not in response.context


def test_words_with_no_letters_find_nothing_and_do_not_fail(client):
    ArticleFactory(title="Plain story")
    for query in ['"', "!!!", "-", "* OR *", "'; DROP TABLE", "a" * 200]:
        response = client.get(reverse("search"), {"q": query})
        assert response.status_code == 200, query


def test_a_word_in_many_stories_ranks_only_the_newest_and_says_there_are_more(client, monkeypatch):
    from articles import search

    monkeypatch.setattr(search, "RANK_WINDOW", 3)
    for n in range(5):
        ArticleFactory(title=f"Twist {n}", publish_at=timezone.now() - timedelta(hours=n + 1))
    response = client.get(reverse("search"), {"q": "twist"})
    assert [a.title for a in response.context["articles"]] == ["Twist 0", "Twist 1", "Twist 2"]
    assert "More than 3 stories match" in response.text
    assert client.get(reverse("search"), {"q": "twist", "page": 2}).status_code == 404


def found(client, query):
    """The shows and the people a search lists (one request: a second is a cache hit)."""
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
    context = response.context
    return [show.title for show in context["shows"]], [person.name for person in context["people"]]


def test_coben_finds_every_show_adapted_from_harlan_coben(client):
    coben = PersonFactory(name="Harlan Coben")
    ShowFactory(title="Run Away", source_author=coben)
    ShowFactory(title="Fool Me Once", source_author=coben)
    ShowFactory(title="Harbour Lights")
    shows, people = found(client, "coben")
    assert sorted(shows) == ["Fool Me Once", "Run Away"]
    assert people == ["Harlan Coben"]


def test_part_of_a_name_finds_the_person(client):
    PersonFactory(name="James Nesbitt")
    PersonFactory(name="Minnie Driver")
    assert found(client, "nesbit")[1] == ["James Nesbitt"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram matching is PostgreSQL's")
def test_a_name_typed_a_letter_wrong_is_found_by_likeness(client):
    PersonFactory(name="James Nesbitt")
    PersonFactory(name="Minnie Driver")
    ShowFactory(title="Harbour Lights")
    shows, people = found(client, "nesbiit")
    assert people == ["James Nesbitt"] and shows == []
    assert found(client, "harbor lights")[0] == ["Harbour Lights"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
def test_names_are_found_through_the_trigram_indexes_not_by_reading_every_row():
    from django.db import transaction

    from newsroom.views import names_matching
    from people.models import Person
    from shows.models import Show

    coben = PersonFactory(name="Harlan Coben")
    ShowFactory(title="Fool Me Once", source_author=coben)
    with transaction.atomic(), connection.cursor() as cursor:
        # Only bitmap scans: a table of 50,000 is read so, when every part of the
        # condition can be served by an index (else PostgreSQL must read every row).
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
        people = names_matching(Person.objects.all(), ["name"], "Émilie").explain()
        shows = names_matching(Show.objects.all(), ["title"], "coben", person="source_author")
        plan = shows.explain()
        assert [show.title for show in shows] == ["Fool Me Once"]
    assert "people_person_folded_name_trgm" in people
    assert "shows_show_folded_title_trgm" in plan and "people_person_folded_name_trgm" in plan
    assert "Seq Scan on shows_show" not in plan


NAMES_TO_FOLD = [
    "Łódź", "Søren", "Œuvre", "Æon", "Đorđe", "Ħamrun", "Þór", "Émilie", "Straße", "İstanbul",
    "Ðórr", "ŀa", "Dvořák", "Zoë", "Ångström", "Mañana", "Çağlar",
]  # fmt: skip


def test_a_letter_without_an_accent_to_take_off_folds_to_its_plain_letters():
    from people.text import fold

    assert [fold(name) for name in ("Łódź", "Søren", "Œuvre", "Þór")] == [
        "lodz", "soren", "oeuvre", "thor",
    ]  # fmt: skip
    PersonFactory(name="Søren Malling")
    assert found(Client(), "soren")[1] == ["Søren Malling"]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="NEWSROOM_FOLD in SQL is PostgreSQL's"
)
def test_names_fold_alike_in_python_and_in_postgresql():
    from people.text import fold

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT newsroom_fold(name) FROM unnest(%s::text[]) AS name", [NAMES_TO_FOLD]
        )
        in_sql = [row[0] for row in cursor.fetchall()]
    assert in_sql == [fold(name) for name in NAMES_TO_FOLD]


def test_the_search_index_follows_saves_bulk_writes_and_deletes(client):
    story = ArticleFactory(title="Lighthouse keepers", body="A story about a lamp.")
    assert titles(client, "lighthouse") == ["Lighthouse keepers"]

    story.title = "Harbour pilots"
    story.save()
    assert titles(client, "pilots") == ["Harbour pilots"] and titles(client, "lighthouse") == []

    Article.objects.filter(pk=story.pk).update(body="Now about a ferry crossing.")
    assert titles(client, "ferry") == ["Harbour pilots"] and titles(client, "lamp") == []

    template = ArticleFactory.build(title="Bulk loaded marmalade", slug="bulk-marmalade")
    Article.objects.bulk_create([template])
    assert titles(client, "marmalade") == ["Bulk loaded marmalade"]

    Article.objects.filter(slug="bulk-marmalade").delete()
    assert titles(client, "marmalade") == []
