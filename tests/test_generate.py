"""`manage.py generate N`: the benchmark corpus, shaped like a real site's."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from articles.models import Article
from people.models import Person, Writer
from shows.models import Show

pytestmark = pytest.mark.django_db


def test_the_corpus_has_a_long_tail_of_shows_and_everything_pages_need():
    out = StringIO()
    call_command("generate", 400, shows=40, people=100, writers=5, stdout=out)
    assert "Generated 400 stories, 40 shows, 100 people, 5 writers." in out.getvalue()
    assert Article.objects.published().count() == 400
    assert (Show.objects.count(), Person.objects.count(), Writer.objects.count()) == (40, 100, 5)
    per_show = sorted(
        Show.objects.annotate(n=Count("articles")).values_list("n", flat=True), reverse=True
    )
    assert per_show[0] >= 60 and per_show[0] > 5 * per_show[len(per_show) // 2]  # a long tail
    stories = Article.objects.annotate(
        writers_n=Count("bylines", distinct=True),
        people_n=Count("people", distinct=True),
        tags_n=Count("taggedarticle", distinct=True),
    )
    assert set(stories.values_list("writers_n", "people_n", "tags_n")) == {(2, 1, 3)}
    assert all(Article.objects.values_list("body_html", flat=True))


def test_the_default_shape_is_a_mid_size_site():
    out = StringIO()
    call_command("generate", 1000, stdout=out)
    assert "Generated 1000 stories, 50 shows, 500 people, 20 writers." in out.getvalue()
