"""The domain model: constraints, the publishing rule, per-kind validation."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Review
from shows.models import Show, StatusChange

from .factories import (
    ArticleFactory,
    ImageFactory,
    PersonFactory,
    ReviewFactory,
    SeasonFactory,
    ShowFactory,
    StatusChangeFactory,
    WriterFactory,
)

pytestmark = pytest.mark.django_db


def refuses(callable_):
    """The database refuses the write (and the test can go on using it)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


class TestConstraints:
    def test_slugs_are_unique(self):
        ArticleFactory(slug="same")
        ShowFactory(slug="same")
        PersonFactory(slug="same")
        WriterFactory(slug="same")
        refuses(lambda: ArticleFactory(slug="same"))
        refuses(lambda: ShowFactory(slug="same"))
        refuses(lambda: PersonFactory(slug="same"))
        refuses(lambda: WriterFactory(slug="same"))

    def test_a_show_has_one_season_of_each_number(self):
        show = ShowFactory()
        SeasonFactory(show=show, number=1)
        SeasonFactory(show=ShowFactory(), number=1)  # another show's season 1 is fine
        refuses(lambda: SeasonFactory(show=show, number=1))

    def test_a_finale_cannot_precede_its_premiere(self):
        refuses(lambda: SeasonFactory(premiere_date=date(2026, 2, 1), finale_date=date(2026, 1, 1)))

    @pytest.mark.parametrize("rating", ["0.0", "0.5", "3.0", "4.5", "5.0"])
    def test_ratings_in_half_steps_from_0_to_5_are_stored(self, rating):
        review = ReviewFactory(rating=Decimal(rating))
        review.refresh_from_db()
        assert review.rating == Decimal(rating)

    @pytest.mark.parametrize("rating", ["5.5", "-0.5", "4.3", "9.9"])
    def test_the_database_refuses_other_ratings(self, rating):
        review = ReviewFactory()
        refuses(lambda: Article.objects.filter(pk=review.pk).update(rating=Decimal(rating)))

    def test_the_form_refuses_other_ratings_with_a_message(self):
        review = ReviewFactory.build(rating=Decimal("4.3"), season=SeasonFactory())
        with pytest.raises(ValidationError) as error:
            review.full_clean(exclude=["slug"])
        assert "rating" in error.value.message_dict

    def test_a_writer_appears_once_in_a_byline(self):
        writer = WriterFactory()
        article = ArticleFactory(writers=[writer])
        refuses(lambda: article.bylines.create(writer=writer, position=1))


class TestPublished:
    def test_only_published_and_due_stories_are_public(self):
        now = timezone.now()
        public = ArticleFactory(publish_at=now - timedelta(minutes=1))
        ArticleFactory(status=Article.Status.DRAFT)
        ArticleFactory(status=Article.Status.IN_REVIEW)
        ArticleFactory(publish_at=now + timedelta(hours=1))  # scheduled
        assert list(Article.objects.published()) == [public]

    def test_a_scheduled_story_becomes_public_when_its_time_comes(self):
        scheduled = ArticleFactory(publish_at=timezone.now() + timedelta(seconds=1))
        assert scheduled.is_scheduled
        assert not Article.objects.published().exists()
        Article.objects.filter(pk=scheduled.pk).update(
            publish_at=timezone.now() - timedelta(seconds=1)
        )
        assert list(Article.objects.published()) == [scheduled]

    def test_publishing_without_a_time_publishes_now(self):
        before = timezone.now()
        article = ArticleFactory(publish_at=None)
        assert before <= article.publish_at <= timezone.now()
        assert article.is_public

    def test_a_draft_keeps_an_empty_publish_time(self):
        assert ArticleFactory(status=Article.Status.DRAFT, publish_at=None).publish_at is None

    def test_proxies_see_only_their_kind(self):
        review = ReviewFactory()
        ArticleFactory()
        assert list(Review.objects.published()) == [review]
        assert Review().kind == Article.Kind.REVIEW


class TestPerKindValidation:
    def full_clean(self, article):
        with pytest.raises(ValidationError) as error:
            article.full_clean()
        return error.value.message_dict

    def test_a_review_needs_show_season_and_rating_to_be_published(self):
        review = Article(kind=Article.Kind.REVIEW, title="R", slug="r", status="published")
        errors = self.full_clean(review)
        assert errors["show"] == ["A review needs the show it reviews."]
        assert errors["season"] == ["A review needs the season it reviews."]
        assert errors["rating"] == ["A review needs a rating before it is published."]

    def test_a_scheduled_review_is_checked_as_a_published_one(self):
        review = Article(
            kind=Article.Kind.REVIEW, title="R", slug="r", status="published",
            publish_at=timezone.now() + timedelta(days=1),
        )  # fmt: skip
        assert set(self.full_clean(review)) >= {"show", "season", "rating"}

    def test_a_hero_image_needs_its_description_to_be_published(self):
        story = ArticleFactory(hero=ImageFactory(alt="  "))
        assert self.full_clean(story)["hero"] == [
            "This picture has no alt text. Describe it in the image library for readers who "
            "cannot see it, then publish."
        ]

    def test_a_draft_review_may_be_incomplete(self):
        Article(kind=Article.Kind.REVIEW, title="R", slug="r", status="draft").full_clean()

    def test_the_season_brings_its_show(self):
        season = SeasonFactory()
        review = Article(
            kind=Article.Kind.REVIEW, title="R", slug="r", status="published",
            season=season, rating=Decimal("4.0"),
        )  # fmt: skip
        review.full_clean()
        assert review.show == season.show

    def test_the_season_must_belong_to_the_show(self):
        review = ReviewFactory.build(show=ShowFactory(title="Run Away"), season=SeasonFactory())
        assert self.full_clean(review)["season"] == ["That season is not a season of Run Away."]

    def test_renewal_news_needs_a_show_to_be_published(self):
        renewal = Article(kind=Article.Kind.RENEWAL, title="N", slug="n", status="published")
        assert self.full_clean(renewal)["show"] == ["Renewal news needs the show it is about."]

    def test_the_reported_status_change_must_be_about_the_show(self):
        renewal = Article(
            kind=Article.Kind.RENEWAL, title="N", slug="n", status="draft",
            show=ShowFactory(title="Run Away"), status_change=StatusChangeFactory(),
        )  # fmt: skip
        assert self.full_clean(renewal)["status_change"] == [
            "That status change is not about Run Away."
        ]

    def test_explainers_and_news_need_no_show(self):
        for kind in (Article.Kind.EXPLAINER, Article.Kind.NEWS):
            Article(kind=kind, title="E", slug=f"e-{kind}", status="published").full_clean()


class TestDerivedFields:
    def test_the_body_is_rendered_once_on_save(self):
        article = ArticleFactory(body="## Where it was filmed\n\nIn *Manchester*.")
        assert '<h2 id="where-it-was-filmed">' in article.body_html
        assert "<em>Manchester</em>" in article.body_html

    def test_reading_time_is_a_range_in_minutes(self):
        article = ArticleFactory(body="word " * 1000)
        assert (article.reading_time_min, article.reading_time_max) == (4, 6)
        assert article.reading_time_label == "4–6 min read"
        assert ArticleFactory(body="Short.").reading_time_label == "1 min read"

    def test_the_main_show_is_among_the_shows_covered(self):
        review = ReviewFactory()
        assert list(review.shows.all()) == [review.show]
        assert list(review.show.articles.published()) == [review]

    def test_the_byline_keeps_its_order(self):
        first, second = WriterFactory(name="Zoe"), WriterFactory(name="Adam")
        article = ArticleFactory(writers=[first, second])
        assert article.byline == [first, second]


class TestShowStatus:
    def test_the_current_status_is_the_latest_change(self):
        show = ShowFactory()
        StatusChangeFactory(show=show, status="renewed", announced_on=date(2024, 5, 1))
        latest = StatusChangeFactory(show=show, status="ending", announced_on=date(2025, 6, 1))
        StatusChangeFactory(show=show, status="pending", announced_on=date(2023, 1, 1))
        assert show.latest_status_change == latest
        annotated = Show.objects.with_current_status().get(pk=show.pk)
        assert annotated.current_status == StatusChange.Status.ENDING
        assert annotated.current_status_on == date(2025, 6, 1)

    def test_a_show_without_changes_has_no_status(self):
        show = ShowFactory()
        assert show.latest_status_change is None
        assert Show.objects.with_current_status().get(pk=show.pk).current_status is None


def test_a_review_made_in_the_shell_keeps_what_it_was_given():
    review = Review(title="Made by hand", slug="made-by-hand", body="Text.")
    assert (review.title, review.slug, review.kind) == ("Made by hand", "made-by-hand", "review")


def test_a_renewal_story_reporting_a_decision_is_about_that_decisions_show():
    change = StatusChangeFactory()
    story = ArticleFactory(kind=Article.Kind.RENEWAL, status_change=change, show=None)
    story.refresh_from_db()
    assert story.show == change.show
    assert list(story.shows.all()) == [change.show]
