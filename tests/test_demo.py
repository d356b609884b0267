"""`manage.py demo`: the content a new user sees, loaded as often as they like."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import Article
from shows.models import Show

pytestmark = pytest.mark.django_db


def row_counts():
    return {
        model._meta.label: model.objects.count()
        for app in ("people", "shows", "articles", "taggit")
        for model in apps.get_app_config(app).get_models()
    }


def test_running_the_demo_twice_changes_nothing(settings, capsys):
    settings.DEBUG = True
    call_command("demo")
    first = row_counts()
    call_command("demo")
    assert row_counts() == first
    assert first["articles.Article"] == 5
    assert first["articles.Byline"] == 6
    assert first["articles.Correction"] == 1


def test_the_demo_tells_every_kind_of_story_about_run_away(settings):
    call_command("demo")
    show = Show.objects.get(slug="run-away")
    assert show.network.name == "Netflix"
    assert show.format == Show.Format.LIMITED
    assert show.source_author.name == "Harlan Coben"
    assert show.latest_status_change.status == "limited"
    assert [(s.number, s.episode_count) for s in show.seasons.all()] == [(1, 8)]
    cast = [str(c) for c in show.credits.filter(role="cast").order_by("billing_order")]
    assert cast[0] == "James Nesbitt as Simon Greene"
    assert len(cast) == 5
    assert Show.objects.filter(source_author=show.source_author).count() == 4

    public = Article.objects.published().filter(show=show)
    assert sorted(public.values_list("kind", flat=True)) == ["explainer", "renewal", "review"]
    review = public.get(kind="review")
    assert str(review.rating) == "4.5"
    assert review.season.number == 1
    assert review.related.count() == 2
    assert all(a.byline and a.tags.exists() for a in public)
    explainer = public.get(kind="explainer")
    hero = explainer.hero
    assert hero.file and hero.alt and hero.credit == "Illustration: Newsroom"
    assert (hero.width, hero.height) == (1200, 675)


def test_every_show_story_person_and_writer_in_the_demo_has_a_picture_drawn_for_it():
    from images.models import Image
    from people.models import Person, Writer
    from shows.models import StatusChange

    call_command("demo")
    for model, field in ((Show, "poster"), (Article, "hero"), (Person, "photo"), (Writer, "photo")):
        assert not model.objects.filter(**{f"{field}__isnull": True}).exists(), model
    for image in Image.objects.all():
        assert image.alt and image.credit == "Illustration: Newsroom", image.title
        ratios = {r.get("ratio") for r in image.renditions}
        assert ratios == {None, "16:9", "4:3", "1:1"}, image.title
    current = {show.current_status for show in Show.objects.with_current_status()}
    assert current == set(StatusChange.Status.values)  # the tracker shows every decision


def test_the_demo_login_exists_only_in_debug(settings, capsys):
    settings.DEBUG = False
    call_command("demo")
    assert not get_user_model().objects.exists()
    assert "no demo login" in capsys.readouterr().out

    settings.DEBUG = True
    call_command("demo")
    printed = capsys.readouterr().out
    editor = get_user_model().objects.get(username="editor")
    writer = get_user_model().objects.get(username="writer")
    assert editor.check_password("newsroom-editor") and editor.has_perm("articles.publish_article")
    assert writer.check_password("newsroom-writer")
    assert not writer.has_perm("articles.publish_article")
    assert writer.has_perm("articles.add_review")
    assert editor.writer.name == "Maya Okafor" and writer.writer.name == "Tom Reilly"
    assert "editor / newsroom-editor" in printed
    assert "writer / newsroom-writer" in printed


def test_the_demo_loads_into_an_emptied_database_roles_and_all(settings):
    """`manage.py flush` (make bench runs it) empties the roles the migrations made."""
    from django.contrib.auth.models import Group

    Group.objects.all().delete()
    settings.DEBUG = True
    call_command("demo")
    editor = get_user_model().objects.get(username="editor")
    assert editor.has_perm("articles.publish_article")
