"""The editors' desk, used as an editor would: forms, inlines, errors."""

import html
from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse

from articles.models import Article
from shows.models import Credit, Show

from .factories import (
    ArticleFactory,
    PersonFactory,
    ReviewFactory,
    SeasonFactory,
    SuperuserFactory,
    WriterFactory,
)

pytestmark = pytest.mark.django_db


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def review_form(season, writer, **overrides):
    data = {
        "title": "Run Away season 1 review",
        "slug": "run-away-season-1-review",
        "dek": "A bleak, gripping thriller.",
        "body": "## The verdict\n\nA paragraph the editor typed at midnight.",
        "show": str(season.show.pk),
        "season": str(season.pk),
        "rating": "4.5",
        "verdict": "Watch it.",
        "watch_if": "You like thrillers",
        "skip_if": "You want comedy",
        "_workflow": "publish",
        "tags": "Netflix, Harlan Coben",
        **management("bylines", 1),
        "bylines-0-writer": str(writer.pk),
        "bylines-0-position": "0",
    }
    data.update(overrides)
    return data


NEWSROOM_APPS = {"articles", "shows", "people", "images", "flatpages"}  # the site's own pages too


def admin_urls(model):
    opts = model._meta
    return (
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        reverse(f"admin:{opts.app_label}_{opts.model_name}_add"),
    )


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m.__name__)
def test_every_list_and_add_form_opens_for_a_superuser(client, model):
    ReviewFactory()
    client.force_login(SuperuserFactory())
    changelist, add = admin_urls(model)
    assert client.get(changelist).status_code == 200
    # "All stories" adds nothing itself (a story is added as a review, an explainer...),
    # and sign-in records are made by signing in, never by hand.
    read_only = model is Article or model._meta.app_label == "axes"
    assert client.get(add).status_code == (403 if read_only else 200)


def test_an_editor_opens_the_newsrooms_records_and_nothing_else(editor_client):
    ReviewFactory()
    for model in admin.site._registry:
        changelist, add = admin_urls(model)
        ours = model._meta.app_label in NEWSROOM_APPS
        assert editor_client.get(changelist).status_code == (200 if ours else 403), model
        expected = 403 if model is Article or not ours else 200
        assert editor_client.get(add).status_code == expected, model


def test_an_editor_adds_a_show_with_seasons_and_cast_inline(editor_client):
    actor, other = PersonFactory(name="James Nesbitt"), PersonFactory(name="Minnie Driver")
    data = {
        "title": "Run Away",
        "slug": "run-away",
        "format": "limited",
        "premiere_date": "2026-01-01",
        "synopsis": "A father searches for his daughter.",
        **management("seasons", 2),
        "seasons-0-number": "1",
        "seasons-0-premiere_date": "2026-01-01",
        "seasons-0-episode_count": "8",
        **management("credits", 2),
        "credits-0-person": str(actor.pk),
        "credits-0-role": "cast",
        "credits-0-character_name": "Simon Greene",
        "credits-0-billing_order": "1",
        "credits-1-person": str(other.pk),
        "credits-1-role": "cast",
        "credits-1-character_name": "Ingrid Greene",
        "credits-1-billing_order": "2",
        **management("status_changes", 0),
    }
    response = editor_client.post(reverse("admin:shows_show_add"), data)
    assert response.status_code == 302, response.context["errors"]
    show = Show.objects.get(slug="run-away")
    assert [s.episode_count for s in show.seasons.all()] == [8]
    assert [str(c) for c in show.credits.order_by("billing_order")] == [
        "James Nesbitt as Simon Greene",
        "Minnie Driver as Ingrid Greene",
    ]


def test_a_duplicate_season_number_is_an_error_on_the_form(editor_client):
    data = {
        "title": "Twice",
        "slug": "twice",
        "format": "ongoing",
        **management("seasons", 2),
        "seasons-0-number": "1",
        "seasons-1-number": "1",
        **management("credits", 0),
        **management("status_changes", 0),
    }
    response = editor_client.post(reverse("admin:shows_show_add"), data)
    assert response.status_code == 200
    assert "Please correct the duplicate data for number." in response.text
    assert not Show.objects.filter(slug="twice").exists()


def test_an_editor_publishes_a_review(editor_client, editor):
    season, writer = SeasonFactory(), WriterFactory()
    response = editor_client.post(reverse("admin:articles_review_add"), review_form(season, writer))
    assert response.status_code == 302
    review = Article.objects.get(slug="run-away-season-1-review")
    assert review.kind == Article.Kind.REVIEW
    assert review.rating == Decimal("4.5")
    assert review.is_public
    assert review.created_by == editor
    assert review.byline == [writer]
    assert list(review.shows.all()) == [season.show]
    assert sorted(review.tags.names()) == ["Harlan Coben", "Netflix"]
    assert '<h2 id="the-verdict">' in review.body_html


def test_a_review_published_without_a_rating_is_refused_and_keeps_the_text(editor_client):
    season, writer = SeasonFactory(), WriterFactory()
    form = review_form(season, writer, rating="")
    response = editor_client.post(reverse("admin:articles_review_add"), form)
    assert response.status_code == 200
    assert "A review needs a rating before it is published." in response.text
    assert "A paragraph the editor typed at midnight." in response.text
    assert 'value="Run Away season 1 review"' in response.text
    assert not Article.objects.exists()


def test_a_duplicate_slug_is_refused_and_keeps_the_text(editor_client):
    ArticleFactory(slug="run-away-season-1-review")
    season, writer = SeasonFactory(), WriterFactory()
    response = editor_client.post(reverse("admin:articles_review_add"), review_form(season, writer))
    assert response.status_code == 200
    assert "with this Slug already exists" in response.text
    assert "A paragraph the editor typed at midnight." in response.text
    assert Article.objects.count() == 1


def test_a_story_needs_a_byline(editor_client):
    season = SeasonFactory()
    form = review_form(season, WriterFactory(), **management("bylines", 0))
    response = editor_client.post(reverse("admin:articles_review_add"), form)
    assert response.status_code == 200
    assert "Please submit at least 1 form" in response.text
    assert not Article.objects.exists()


def test_the_review_form_asks_for_review_fields_and_others_do_not(editor_client):
    review_add = editor_client.get(reverse("admin:articles_review_add")).text
    explainer_add = editor_client.get(reverse("admin:articles_explainer_add")).text
    assert "Watch this if" in review_add and 'name="rating"' in review_add
    assert "Watch this if" not in explainer_add and 'name="rating"' not in explainer_add


def test_all_stories_opens_each_story_in_the_admin_of_its_kind(editor_client):
    review = ReviewFactory()
    response = editor_client.get(reverse("admin:articles_article_change", args=[review.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_review_change", args=[review.pk])


def test_the_story_list_shows_status_byline_and_show(editor_client):
    review = ReviewFactory(writers=[WriterFactory(name="Maya Okafor")])
    response = editor_client.get(reverse("admin:articles_review_changelist"))
    assert "Maya Okafor" in response.text
    assert review.show.title in response.text
    assert "Published" in response.text


def test_a_person_page_in_the_admin_lists_their_credits(editor_client):
    credit = SeasonFactory().show.credits.create(
        person=PersonFactory(), role=Credit.Role.CAST, character_name="Paige Greene"
    )
    response = editor_client.get(reverse("admin:people_person_change", args=[credit.person.pk]))
    assert 'value="Paige Greene"' in response.text


def test_a_tag_longer_than_a_tag_can_be_is_refused_and_keeps_the_text(editor_client):
    season, writer = SeasonFactory(), WriterFactory()
    long_tag = "A" * 101
    form = review_form(season, writer, tags=f"Netflix, {long_tag}")
    response = editor_client.post(reverse("admin:articles_review_add"), form)
    assert response.status_code == 200
    assert "A tag can be up to 100 characters" in response.text
    assert "has 101" in response.text
    assert "A paragraph the editor typed at midnight." in response.text
    assert not Article.objects.exists()


def test_tags_pasted_with_odd_characters_are_stored_clean_and_reused(editor_client):
    season, writer = SeasonFactory(), WriterFactory()
    ArticleFactory().tags.add("Pokémon Concierge")
    form = review_form(season, writer, tags="Pokémon\x0bConcierge, Café\uffff, 💀")
    response = editor_client.post(reverse("admin:articles_review_add"), form)
    assert response.status_code == 302
    review = Article.objects.get(slug="run-away-season-1-review")
    assert sorted(review.tags.names()) == ["Café", "Pokémon Concierge", "💀"]
    assert sorted(review.tags.values_list("slug", flat=True)) == [
        "cafe",
        "pokemon-concierge",
        "skull",
    ]


def test_a_body_over_the_limit_is_refused_on_the_form_and_keeps_the_rest(editor_client):
    season, writer = SeasonFactory(), WriterFactory()
    form = review_form(season, writer, body="word " * 20_001)
    response = editor_client.post(reverse("admin:articles_review_add"), form)
    assert response.status_code == 200
    assert "100,004 characters long; a story can be up to 100,000" in response.text
    assert 'value="Run Away season 1 review"' in response.text
    assert not Article.objects.exists()


def test_deeply_nested_html_is_refused_on_the_form(editor_client):
    season, writer = SeasonFactory(), WriterFactory()
    form = review_form(season, writer, body="<dl><dd>" * 100)
    response = editor_client.post(reverse("admin:articles_review_add"), form)
    assert response.status_code == 200
    assert "HTML tags open 200 deep; the limit is 64" in response.text
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "body, message",
    [
        ("x" * 100_001, "a story can be up to 100,000"),
        ("<div>" * 65, "the limit is 64"),
    ],
)
def test_the_live_preview_refuses_what_the_form_refuses(editor_client, body, message):
    response = editor_client.post(reverse("admin:articles_markdown_preview"), {"body": body})
    assert response.status_code == 400
    assert message in response.json()["error"]


@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/article/?status=%00",
        "/admin/articles/review/?kind=%00&q=%00",
        "/admin/autocomplete/?app_label=articles&model_name=article&field_name=show&term=%00",
        "/admin/articles/article/?publish_at__year=99999999999",
        "/admin/articles/article/?publish_at__year=2026&publish_at__month=99999999999",
        "/admin/shows/statuschange/?announced_on__year=99999999999",
    ],
)
def test_junk_in_a_desk_address_is_never_a_server_error(editor_client, url):
    ReviewFactory()
    response = editor_client.get(url, follow=True)
    assert response.status_code == 200
    if "__year=" in url:  # the list again, as Django answers any bad filter
        assert response.redirect_chain[-1][0].endswith("?e=1")


def test_a_name_that_only_looks_new_is_refused_on_the_form_not_with_an_error(editor_client):
    from articles.models import Tag

    Tag.objects.create(name="Café")
    response = editor_client.post(reverse("admin:articles_tag_add"), {"name": "Cafe\u0301"})
    assert response.status_code == 200
    assert "There is a tag “Café” already" in html.unescape(response.text)
    assert Tag.objects.count() == 1


def test_text_that_grows_when_cleaned_is_measured_after_cleaning(editor_client):
    season, writer = SeasonFactory(), WriterFactory()
    headline = "\u0958" * 150  # 150 characters typed, 300 once in Unicode NFC
    response = editor_client.post(
        reverse("admin:articles_review_add"), review_form(season, writer, title=headline)
    )
    assert response.status_code == 200
    assert "Ensure this value has at most 200 characters (it has 300)." in response.text
    assert not Article.objects.exists()


def test_deleting_a_story_lists_its_bylines_by_writer(editor_client):
    story = ArticleFactory(title="A story to delete", writers=[WriterFactory(name="Ines Duarte")])
    url = reverse("admin:articles_newsstory_delete", args=[story.pk])
    page = editor_client.get(url).text
    assert "Byline: Ines Duarte" in page


@pytest.mark.parametrize("name", ["Writers", "Editors"])
def test_a_role_made_again_after_a_flush_has_every_right_the_migrations_gave(name):
    from importlib import import_module

    from django.contrib.auth.models import Group
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from articles.services import role_group

    def rights():
        return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))

    Group.objects.filter(name__in=["Writers", "Editors"]).delete()  # as a flush leaves it
    apps = MigrationLoader(connection).project_state().apps  # the models as migrations see them
    for migration in ("0004_editorial_groups", "0010_tag_permissions",
                      "0013_image_permissions", "0018_page_permissions",
                      "0020_correction_permissions_and_policy_page"):  # fmt: skip
        module = import_module(f"articles.migrations.{migration}")
        for operation in module.Migration.operations:
            operation.code(apps, None)  # what `migrate` does
    migrated = rights()
    Group.objects.filter(name=name).delete()
    assert set(role_group(name).permissions.values_list("codename", flat=True)) == migrated
    assert {"view_flatpage", "view_image"} <= migrated
