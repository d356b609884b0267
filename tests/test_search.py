"""Search returns what matches, and only that, on SQLite and PostgreSQL alike."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from .factories import ArticleFactory

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
