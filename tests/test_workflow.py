"""The editors' desk: roles, the review workflow, previews, revisions and stale saves.

Everything is enforced on the server: these tests post what a browser would,
including requests the page never offers (a writer forging "publish").
"""

import html
import io
import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles import previews
from articles.models import Article

from .factories import (
    ArticleFactory,
    ImageFactory,
    ReviewFactory,
    SeasonFactory,
    ShowFactory,
    UserFactory,
    WriterFactory,
    member,
)

pytestmark = pytest.mark.django_db


def png_bytes(size=(40, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, format="PNG")
    return out.getvalue()


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def change_url(article):
    model = {"review": "review", "news": "newsstory", "explainer": "explainer"}[article.kind]
    return reverse(f"admin:articles_{model}_change", args=[article.pk])


def story_form(article, **overrides):
    """What the change form posts for ``article``, as loaded now."""
    data = {
        "title": article.title,
        "slug": article.slug,
        "dek": article.dek,
        "body": article.body,
        "tags": "",
        "hero": str(article.hero_id or ""),
        "edit_token": article.updated_at.isoformat(),
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "1",
        "bylines-MIN_NUM_FORMS": "1",
        "bylines-MAX_NUM_FORMS": "1000",
    }
    byline = article.bylines.first()
    data.update(
        {
            "bylines-0-id": str(byline.pk),
            "bylines-0-article": str(article.pk),
            "bylines-0-writer": str(byline.writer_id),
            "bylines-0-position": "0",
        }
    )
    if article.kind == Article.Kind.REVIEW:
        data.update(
            show=str(article.show_id),
            season=str(article.season_id),
            rating=str(article.rating) if article.rating is not None else "",
            verdict=article.verdict,
        )
    if article.is_public:  # the corrections and updates below a published story
        data["_publish_changes"] = "1"  # straight to readers (the default keeps a draft)
        notes = list(article.corrections.order_by("-noted_at", "-pk"))
        data.update(
            {
                "corrections-TOTAL_FORMS": str(len(notes)),
                "corrections-INITIAL_FORMS": str(len(notes)),
                "corrections-MIN_NUM_FORMS": "0",
                "corrections-MAX_NUM_FORMS": "1000",
            }
        )
        for i, note in enumerate(notes):
            data.update(
                {
                    f"corrections-{i}-id": str(note.pk),
                    f"corrections-{i}-article": str(article.pk),
                    f"corrections-{i}-kind": note.kind,
                    f"corrections-{i}-text": note.text,
                }
            )
    data.update(overrides)
    return data


def draft_by(user, **kwargs):
    return ArticleFactory(
        status=Article.Status.DRAFT, publish_at=None, created_by=user,
        writers=[user.writer], **kwargs,
    )  # fmt: skip


# Roles ----------------------------------------------------------------------------


def test_the_groups_exist_with_the_publish_permission_only_for_editors(writer_user, editor_user):
    assert editor_user.has_perm("articles.publish_article")
    assert not writer_user.has_perm("articles.publish_article")
    assert writer_user.has_perm("articles.add_review")
    assert not writer_user.has_perm("articles.delete_review")


def test_a_writer_creates_a_draft_review(writer_user):
    season = SeasonFactory()
    response = logged_in(writer_user).post(
        reverse("admin:articles_review_add"),
        {
            "title": "A first look",
            "slug": "a-first-look",
            "body": "Words.",
            "show": season.show_id,
            "season": season.pk,
            "tags": "",
            "bylines-TOTAL_FORMS": "1",
            "bylines-INITIAL_FORMS": "0",
            "bylines-MIN_NUM_FORMS": "1",
            "bylines-MAX_NUM_FORMS": "1000",
            "bylines-0-writer": writer_user.writer.pk,
            "bylines-0-position": "0",
        },
    )
    assert response.status_code == 302
    review = Article.objects.get(slug="a-first-look")
    assert review.status == Article.Status.DRAFT
    assert review.created_by == writer_user


def test_a_writer_edits_their_own_draft(writer_user):
    draft = draft_by(writer_user)
    response = logged_in(writer_user).post(change_url(draft), story_form(draft, title="Better"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Better"


def test_a_writer_cannot_edit_or_even_open_someone_elses_draft(writer_user, editor_user):
    other = draft_by(editor_user)
    client = logged_in(writer_user)
    response = client.post(change_url(other), story_form(other, title="Mine now"), follow=True)
    assert "doesn’t exist" in response.text  # the desk's word for "not yours to see"
    assert other.body not in response.text
    other.refresh_from_db()
    assert other.title != "Mine now"


@pytest.mark.parametrize("status", ["in_review", "published"])
def test_a_writer_cannot_edit_their_story_once_submitted_or_published(writer_user, status):
    story = draft_by(writer_user)
    Article.objects.filter(pk=story.pk).update(status=status, publish_at=timezone.now())
    story.refresh_from_db()
    response = logged_in(writer_user).post(change_url(story), story_form(story, title="Late fix"))
    assert response.status_code == 403
    story.refresh_from_db()
    assert story.title != "Late fix"


def test_a_writer_submits_their_draft_for_review(writer_user):
    draft = draft_by(writer_user)
    response = logged_in(writer_user).post(
        change_url(draft), story_form(draft, _workflow="submit"), follow=True
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW
    assert "Submitted for review" in response.text


@pytest.mark.parametrize("action", ["publish", "schedule", "unpublish", "send_back"])
def test_a_writer_forging_an_editors_action_is_refused_and_nothing_changes(writer_user, action):
    draft = draft_by(writer_user)
    form = story_form(
        draft,
        title="Forged",
        _workflow=action,
        schedule_at_0=(timezone.localdate() + timedelta(days=1)).isoformat(),
        schedule_at_1="09:00",
    )
    response = logged_in(writer_user).post(change_url(draft), form)
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT and draft.title != "Forged"
    assert not Article.objects.published().exists()


def test_a_writer_forging_a_bulk_publish_changes_nothing(writer_user):
    draft = draft_by(writer_user)
    response = logged_in(writer_user).post(
        reverse("admin:articles_newsstory_changelist"),
        {"action": "publish_now", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


@pytest.mark.parametrize("action", ["publish", "schedule", "unpublish", "send_back"])
def test_the_workflow_itself_refuses_a_writer_an_editors_action(writer_user, action):
    """Behind the buttons and the bulk actions: even a request that reaches the workflow
    directly (the desk hides these actions from writers) changes nothing."""
    from django.core.exceptions import PermissionDenied

    from articles import services

    story = (
        submitted(writer_user) if action in ("unpublish", "send_back") else draft_by(writer_user)
    )
    if action == "unpublish":
        Article.objects.filter(pk=story.pk).update(status="published", publish_at=timezone.now())
        story.refresh_from_db()
    before = story.status
    with pytest.raises(PermissionDenied):
        services.apply(
            article=story, user=writer_user, action=action,
            when=timezone.now() + timedelta(days=1),
        )  # fmt: skip
    story.refresh_from_db()
    assert story.status == before


def test_a_writer_cannot_submit_someone_elses_draft_in_bulk(writer_user, editor_user):
    from django.core.exceptions import PermissionDenied

    from articles import services

    other_writer = member("other", "Writers")
    WriterFactory(user=other_writer)
    theirs = draft_by(other_writer)
    response = logged_in(writer_user).post(
        reverse("admin:articles_newsstory_changelist"),
        {"action": "submit_for_review", "_selected_action": [theirs.pk]},
        follow=True,
    )
    assert response.status_code == 200
    with pytest.raises(PermissionDenied):
        services.apply(article=theirs, user=writer_user, action="submit")
    theirs.refresh_from_db()
    assert theirs.status == Article.Status.DRAFT


def test_the_bulk_actions_a_writer_is_offered_do_not_include_publishing(writer_user):
    request = type("R", (), {"user": writer_user, "GET": {}, "POST": {}})()
    model_admin = admin.site._registry[Article]
    assert set(model_admin.get_actions(request)) == {"submit_for_review"}


def test_a_writer_cannot_make_their_story_the_lead(writer_user, editor_user):
    draft = draft_by(writer_user)
    page = logged_in(writer_user).get(change_url(draft)).text
    assert 'name="featured"' not in page  # shown, not offered
    logged_in(writer_user).post(change_url(draft), story_form(draft, featured="on"))
    draft.refresh_from_db()
    assert draft.featured is False
    story = submitted(writer_user)
    logged_in(editor_user).post(change_url(story), story_form(story, featured="on"))
    story.refresh_from_db()
    assert story.featured is True


def test_a_writer_edits_a_draft_an_editor_started_under_their_byline(writer_user, editor_user):
    story = ArticleFactory(
        status=Article.Status.DRAFT, publish_at=None, created_by=editor_user,
        writers=[writer_user.writer],
    )  # fmt: skip
    response = logged_in(writer_user).post(
        change_url(story), story_form(story, title="Finished by the writer")
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.title == "Finished by the writer"


def test_a_writer_cannot_delete_a_story(writer_user):
    draft = draft_by(writer_user)
    response = logged_in(writer_user).post(
        reverse("admin:articles_newsstory_delete", args=[draft.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Article.objects.filter(pk=draft.pk).exists()


# Editors' actions and pre-publish checks -------------------------------------------


def submitted(writer_user, **kwargs):
    story = draft_by(writer_user, **kwargs)
    Article.objects.filter(pk=story.pk).update(status=Article.Status.IN_REVIEW)
    story.refresh_from_db()
    return story


def test_an_editor_publishes_a_submitted_story(writer_user, editor_user):
    story = submitted(writer_user, seo_description="Why to read it.")
    response = logged_in(editor_user).post(
        change_url(story), story_form(story, _workflow="publish"), follow=True
    )
    story.refresh_from_db()
    assert story.is_public
    assert "Published" in response.text


def test_an_editor_schedules_and_the_story_appears_on_time(writer_user, editor_user, monkeypatch):
    story = submitted(writer_user)
    when = timezone.localtime() + timedelta(hours=2)
    logged_in(editor_user).post(
        change_url(story),
        story_form(
            story,
            _workflow="schedule",
            schedule_at_0=when.date().isoformat(),
            schedule_at_1=when.strftime("%H:%M"),
        ),
    )
    story.refresh_from_db()
    assert story.is_scheduled
    assert not Article.objects.published().filter(pk=story.pk).exists()
    reader = Client()
    assert reader.get(story.get_absolute_url()).status_code == 404

    later = timezone.now() + timedelta(hours=2, minutes=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    assert Article.objects.published().filter(pk=story.pk).exists()
    assert reader.get(story.get_absolute_url()).status_code == 200


def test_scheduling_in_the_past_is_an_error_on_the_form(writer_user, editor_user):
    story = submitted(writer_user)
    response = logged_in(editor_user).post(
        change_url(story),
        story_form(story, _workflow="schedule", schedule_at_0="2020-01-01", schedule_at_1="09:00"),
    )
    assert response.status_code == 200
    assert "A scheduled time must be in the future." in response.text
    story.refresh_from_db()
    assert story.status == Article.Status.IN_REVIEW


def test_an_editor_unpublishes(editor_user):
    story = ArticleFactory(writers=[editor_user.writer])
    logged_in(editor_user).post(change_url(story), story_form(story, _workflow="unpublish"))
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT
    assert not story.is_public


def test_sending_back_leaves_a_note_the_writer_sees(writer_user, editor_user):
    story = submitted(writer_user)
    logged_in(editor_user).post(
        change_url(story),
        story_form(story, _workflow="send_back", note="Check the episode count."),
    )
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT
    page = logged_in(writer_user).get(change_url(story))
    assert "Check the episode count." in page.text
    logged_in(writer_user).post(change_url(story), story_form(story, _workflow="submit"))
    story.refresh_from_db()
    assert story.editor_note == ""  # cleared on resubmission


def test_a_review_without_a_rating_cannot_be_published_and_keeps_the_text(writer_user, editor_user):
    season = SeasonFactory()
    review = ReviewFactory(
        status=Article.Status.IN_REVIEW, publish_at=None, rating=None, season=season,
        writers=[writer_user.writer], body="Typed at midnight.",
    )  # fmt: skip
    response = logged_in(editor_user).post(
        change_url(review), story_form(review, _workflow="publish")
    )
    assert response.status_code == 200
    assert "A review needs a rating before it is published." in response.text
    assert "Typed at midnight." in response.text
    review.refresh_from_db()
    assert review.status == Article.Status.IN_REVIEW


def test_a_hero_image_without_alt_text_blocks_publishing(writer_user, editor_user):
    story = submitted(writer_user)
    story.hero = ImageFactory(alt="")  # stored from the shell, where nothing asks for it
    story.save()
    response = logged_in(editor_user).post(
        change_url(story), story_form(story, _workflow="publish")
    )
    assert "This picture has no alt text. Describe it in the image library" in response.text
    story.refresh_from_db()
    assert story.status == Article.Status.IN_REVIEW


def test_a_review_without_a_rating_cannot_be_scheduled_either(writer_user, editor_user):
    review = ReviewFactory(
        status="in_review", publish_at=None, rating=None, writers=[writer_user.writer]
    )
    when = timezone.localtime() + timedelta(hours=2)
    response = logged_in(editor_user).post(
        change_url(review),
        story_form(
            review,
            _workflow="schedule",
            schedule_at_0=when.date().isoformat(),
            schedule_at_1=when.strftime("%H:%M"),
        ),
    )
    assert "A review needs a rating before it is published." in response.text
    review.refresh_from_db()
    assert review.status == Article.Status.IN_REVIEW and review.publish_at is None


def test_bulk_scheduling_runs_the_same_checks_as_publishing(editor_user):
    review = ReviewFactory(status="in_review", publish_at=None, rating=None)
    when = timezone.localtime() + timedelta(days=1)
    response = logged_in(editor_user).post(
        reverse("admin:articles_review_changelist"),
        {
            "action": "schedule",
            "_selected_action": [review.pk],
            "apply": "1",
            "when_0": when.date().isoformat(),
            "when_1": "08:30",
        },
        follow=True,
    )
    assert "needs a rating" in response.text
    review.refresh_from_db()
    assert not review.is_scheduled


def test_a_missing_meta_description_is_a_warning_not_a_block(writer_user, editor_user):
    story = submitted(writer_user, dek="", seo_description="")
    response = logged_in(editor_user).post(
        change_url(story), story_form(story, _workflow="publish"), follow=True
    )
    story.refresh_from_db()
    assert story.is_public
    assert "no search engine description" in response.text


def test_bulk_schedule_asks_for_a_time_then_schedules(writer_user, editor_user):
    stories = [submitted(writer_user), submitted(writer_user)]
    client = logged_in(editor_user)
    url = reverse("admin:articles_newsstory_changelist")
    selection = {"action": "schedule", "_selected_action": [s.pk for s in stories]}
    asked = client.post(url, selection)
    assert "Publish at" in asked.text
    when = timezone.localtime() + timedelta(days=1)
    client.post(
        url,
        {**selection, "apply": "1", "when_0": when.date().isoformat(), "when_1": "08:30"},
    )
    for story in stories:
        story.refresh_from_db()
        assert story.is_scheduled


def test_bulk_publish_reports_what_it_could_not_publish(writer_user, editor_user):
    good = submitted(writer_user)
    bad = ReviewFactory(status="in_review", publish_at=None, rating=None)
    client = logged_in(editor_user)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [good.pk, bad.pk]},
        follow=True,
    )
    good.refresh_from_db(), bad.refresh_from_db()
    assert good.is_public and not bad.is_public
    assert "needs a rating" in response.text


def test_the_desk_front_page_shows_the_queues(writer_user, editor_user):
    old = submitted(writer_user, title="Waiting longest")
    Article.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=2))
    submitted(writer_user, title="Waiting since today")
    ArticleFactory(title="Going out tomorrow", publish_at=timezone.now() + timedelta(days=1))
    draft_by(editor_user, title="My own draft")
    ArticleFactory(title="Out already")
    page = logged_in(editor_user).get(reverse("admin:index")).text
    assert page.index("Waiting longest") < page.index("Waiting since today")
    for title in ("Going out tomorrow", "My own draft", "Out already"):
        assert title in page


# Previews -------------------------------------------------------------------------


def test_a_shared_preview_link_shows_a_draft_to_anyone_and_is_not_indexed(writer_user):
    draft = draft_by(writer_user, title="Secret draft")
    response = Client().get(previews.share_url(draft))
    assert response.status_code == 200
    assert "Secret draft" in response.text
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex' in response.text


def test_a_tampered_preview_link_is_refused(writer_user):
    url = previews.share_url(draft_by(writer_user))
    response = Client().get(url[:-3] + "abc/")
    assert response.status_code == 404
    assert "<p>This preview link is not valid.</p>" in response.text


def test_a_share_link_works_for_48_hours_and_not_after(writer_user, monkeypatch):
    import time as real_time

    draft = draft_by(writer_user, title="Shared draft")
    url = previews.share_url(draft)
    now = real_time.time()
    monkeypatch.setattr("django.core.signing.time.time", lambda: now + 47 * 3600)
    assert "Shared draft" in Client().get(url).text
    monkeypatch.setattr("django.core.signing.time.time", lambda: now + 49 * 3600)
    response = Client().get(url)
    assert response.status_code == 404 and "expired" in response.text


def test_a_preview_link_expires(writer_user, settings):
    draft = draft_by(writer_user)
    url = previews.share_url(draft)
    settings.PREVIEW_LINK_MAX_AGE = -1  # as if 48 hours had passed
    response = Client().get(url)
    assert response.status_code == 404
    assert "<p>This preview link has expired; ask for a new one.</p>" in response.text


def test_a_share_link_survives_edits_and_shows_the_latest_version(writer_user):
    draft = draft_by(writer_user, title="First headline")
    url = previews.share_url(draft)
    draft.title = "Edited headline"
    draft.save()
    response = Client().get(url)
    assert response.status_code == 200
    assert "Edited headline" in response.text and "First headline" not in response.text


def test_the_story_form_offers_a_preview_and_a_share_link(writer_user):
    draft = draft_by(writer_user)
    page = logged_in(writer_user).get(change_url(draft)).text
    assert reverse("articles:preview", args=[draft.pk]) in page
    assert "/preview/shared/" in page


def embargoed(editor_user):
    """An editor's story scheduled for tomorrow: nobody else may read it yet."""
    return ArticleFactory(
        title="Embargoed: a big cancellation",
        body="Not before ten tomorrow.",
        publish_at=timezone.now() + timedelta(days=1),
        created_by=editor_user,
        writers=[editor_user.writer],
    )


def test_a_writer_cannot_open_read_or_share_an_editors_embargoed_story(writer_user, editor_user):
    story = embargoed(editor_user)
    client = logged_in(writer_user)
    for url in (
        change_url(story),
        reverse("admin:articles_newsstory_history", args=[story.pk]),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_newsstory_changelist"),
        reverse("admin:index"),
    ):
        page = client.get(url, follow=True).text
        assert "Embargoed: a big cancellation" not in page, url
        assert "/preview/shared/" not in page, url
    assert client.get(reverse("articles:preview", args=[story.pk])).status_code == 404


def test_a_writer_cannot_reach_an_embargoed_story_through_also_read(writer_user, editor_user):
    story = embargoed(editor_user)
    draft = draft_by(writer_user)
    form = story_form(draft, title="", related=[str(story.pk)])  # refused: no headline
    page = logged_in(writer_user).post(change_url(draft), form).text
    assert "Select a valid choice" in page
    assert "Embargoed: a big cancellation" not in page
    assert not draft.related.exists()


def test_view_on_site_opens_a_preview_for_those_allowed_and_nothing_for_others(
    writer_user, editor_user
):
    from django.contrib.contenttypes.models import ContentType

    story = embargoed(editor_user)
    kind = ContentType.objects.get_for_model(Article).pk
    url = reverse("admin:view_on_site", args=[kind, story.pk])
    assert logged_in(writer_user).get(url).status_code == 404
    response = logged_in(editor_user).get(url)
    assert response["Location"] == reverse("articles:preview", args=[story.pk])
    public = ArticleFactory()
    response = logged_in(writer_user).get(reverse("admin:view_on_site", args=[kind, public.pk]))
    assert response["Location"].endswith(public.get_absolute_url())


def test_a_writer_still_sees_published_stories_and_their_own(writer_user, editor_user):
    ArticleFactory(title="Out for everyone")
    draft_by(writer_user, title="My own draft")
    page = logged_in(writer_user).get(reverse("admin:articles_article_changelist")).text
    assert "Out for everyone" in page and "My own draft" in page


def test_a_writer_sees_what_they_started_and_not_an_unowned_draft(writer_user, editor_user):
    colleague = WriterFactory(name="Ada Brandt")
    ArticleFactory(
        title="Started for a colleague", status=Article.Status.DRAFT, publish_at=None,
        created_by=writer_user, writers=[colleague],
    )  # fmt: skip
    ArticleFactory(
        title="An imported draft", status=Article.Status.DRAFT, publish_at=None,
        created_by=None, writers=[colleague],
    )  # fmt: skip
    page = logged_in(writer_user).get(reverse("admin:articles_article_changelist")).text
    assert "Started for a colleague" in page
    assert "An imported draft" not in page


def test_an_editor_previews_and_shares_any_story(writer_user, editor_user):
    draft = draft_by(writer_user, title="The writer's draft")
    client = logged_in(editor_user)
    assert "/preview/shared/" in client.get(change_url(draft)).text
    preview = client.get(reverse("articles:preview", args=[draft.pk]))
    assert preview.status_code == 200 and "The writer's draft" in preview.text


def test_a_writer_previews_their_own_story_in_any_status(writer_user):
    story = draft_by(writer_user, title="Mine, in review")
    Article.objects.filter(pk=story.pk).update(status=Article.Status.IN_REVIEW)
    preview = logged_in(writer_user).get(reverse("articles:preview", args=[story.pk]))
    assert preview.status_code == 200 and "Mine, in review" in preview.text


@pytest.mark.parametrize("who", ["staff without a role", "signed-in reader", "anonymous"])
def test_nobody_else_previews_a_draft(writer_user, who):
    draft = draft_by(writer_user, title="Private draft")
    client = Client()
    if who != "anonymous":
        client.force_login(UserFactory(username="other", is_staff=who.startswith("staff")))
    response = client.get(reverse("articles:preview", args=[draft.pk]))
    assert response.status_code == 404
    assert "Private draft" not in response.text


def test_a_staff_account_without_a_role_sees_no_story_on_the_desk(writer_user):
    draft_by(writer_user, title="Private draft")
    client = logged_in(UserFactory(username="roleless", is_staff=True))
    assert "Private draft" not in client.get(reverse("admin:index")).text
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 403


# Revisions ------------------------------------------------------------------------


def test_every_save_keeps_a_revision_with_who_and_status(writer_user, editor_user):
    story = submitted(writer_user, title="First title")
    logged_in(editor_user).post(
        change_url(story), story_form(story, title="Second title", _workflow="publish")
    )
    latest = story.history.order_by("-history_date").first()
    assert latest.title == "Second title"
    assert latest.history_user == editor_user
    assert latest.status == Article.Status.PUBLISHED
    history = logged_in(editor_user).get(
        reverse("admin:articles_newsstory_history", args=[story.pk])
    )
    assert "Second title" in history.text and "First title" in history.text


def test_two_revisions_compare_word_by_word(editor_user):
    story = ArticleFactory(body="The cast is strong.\nThe plot is thin.")
    story.body = "The cast is strong.\nThe plot is gripping."
    story.save()
    old, new = story.history.order_by("history_date")[:2]
    page = logged_in(editor_user).get(
        reverse("admin:articles_newsstory_compare", args=[story.pk]),
        {"a": old.history_id, "b": new.history_id},
    )
    assert page.status_code == 200
    assert "<del>thin.</del><ins>gripping.</ins>" in page.text
    assert '<th scope="row">Body</th>' in page.text
    assert '<th scope="row">Headline</th>' not in page.text  # unchanged fields are not listed


def test_comparing_nonsense_revisions_is_a_404_not_an_error(editor_user):
    story = ArticleFactory()
    page = logged_in(editor_user).get(
        reverse("admin:articles_newsstory_compare", args=[story.pk]), {"a": "x", "b": "999"}
    )
    assert page.status_code == 404


def test_a_bulk_action_never_writes_back_text_saved_after_the_list_was_loaded(editor_user):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.test import RequestFactory

    from articles.admin import NewsStoryAdmin
    from articles.models import NewsStory
    from articles.services import Action

    story = ArticleFactory(body="The text when the list was loaded.")
    listed = list(NewsStory.objects.filter(pk=story.pk))  # the list an editor has open
    story.body = "A paragraph saved from the story form meanwhile."
    story.save()

    request = RequestFactory().post("/")
    request.user, request.session = editor_user, {}
    request._messages = FallbackStorage(request)
    NewsStoryAdmin(NewsStory, admin.site)._bulk(request, listed, Action.UNPUBLISH)
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT
    assert story.body == "A paragraph saved from the story form meanwhile."


def test_who_may_read_a_storys_history(writer_user, editor_user):
    """Earlier versions can hold what was cut before publication: editors read any
    story's history, writers only their own stories'."""
    published_by_editor = ArticleFactory(created_by=editor_user, writers=[editor_user.writer])
    own = draft_by(writer_user)
    writer, editor = logged_in(writer_user), logged_in(editor_user)

    def history(story):
        return reverse("admin:articles_newsstory_history", args=[story.pk])

    def compare(story):
        first, last = story.history.order_by("history_date")[:1].get(), story.history.latest()
        url = reverse("admin:articles_newsstory_compare", args=[story.pk])
        return f"{url}?a={first.history_id}&b={last.history_id}"

    assert writer.get(history(own)).status_code == 200
    assert writer.get(compare(own)).status_code == 200
    assert writer.get(history(published_by_editor)).status_code == 404
    assert writer.get(compare(published_by_editor)).status_code == 404
    assert editor.get(history(own)).status_code == 200
    assert editor.get(history(published_by_editor)).status_code == 200


def test_the_compare_page_shows_names_as_text_never_as_markup(editor_user):
    editor_user.first_name = '<img src=x onerror="alert(1)">'
    editor_user.save()
    story = ArticleFactory(body="Before.")
    client = logged_in(editor_user)
    client.post(change_url(story), story_form(story, body="After."))
    old, new = story.history.order_by("history_date")[:2]
    page = client.get(
        reverse("admin:articles_newsstory_compare", args=[story.pk]),
        {"a": old.history_id, "b": new.history_id},
    ).text
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page


# Stale saves ----------------------------------------------------------------------


def test_a_save_on_a_stale_copy_is_refused_naming_who_changed_it(writer_user, editor_user):
    story = submitted(writer_user, title="Before")
    stale = story_form(story, body="My careful rewrite.")
    editor = logged_in(editor_user)
    editor.post(change_url(story), story_form(story, title="Editor's headline"))

    response = editor.post(change_url(story), {**stale, "title": "Mine"})
    assert response.status_code == 200
    assert "changed this story on" in response.text
    assert "My careful rewrite." in response.text  # nothing the second person typed is lost
    story.refresh_from_db()
    assert story.title == "Editor's headline"

    forced = editor.post(change_url(story), {**stale, "title": "Mine", "overwrite": "on"})
    assert forced.status_code == 302
    story.refresh_from_db()
    assert story.title == "Mine"


@pytest.mark.parametrize("button", ["publish", "send_back", "submit"])
def test_a_workflow_button_on_a_stale_copy_is_refused_too(writer_user, editor_user, button):
    story = submitted(writer_user) if button != "submit" else draft_by(writer_user)
    stale = story_form(story, body="An old copy of the text.", _workflow=button)
    logged_in(editor_user).post(change_url(story), story_form(story, body="The newer text."))
    presser = editor_user if button != "submit" else writer_user
    if button == "submit":  # an editor's save leaves a writer's draft a draft
        Article.objects.filter(pk=story.pk).update(status="draft")
    response = logged_in(presser).post(change_url(story), stale)
    assert "changed this story on" in response.text
    story.refresh_from_db()
    assert story.body == "The newer text."


def test_the_stale_message_names_the_person(writer_user, editor_user):
    editor_user.first_name, editor_user.last_name = "Maya", "Okafor"
    editor_user.save()
    story = submitted(writer_user)
    stale = story_form(story)
    logged_in(editor_user).post(change_url(story), story_form(story, title="Newer"))
    other_editor = member("second", "Editors")
    response = logged_in(other_editor).post(change_url(story), stale)
    assert "Maya Okafor changed this story" in response.text


# Writing --------------------------------------------------------------------------


def test_the_live_preview_renders_through_the_sites_pipeline(writer_user):
    client = logged_in(writer_user)
    url = reverse("admin:articles_markdown_preview")
    response = client.post(url, {"body": "## Hi\n\n:::spoiler End\nX\n:::\n<script>x</script>"})
    html = response.json()["html"]
    assert '<h2 id="hi">' in html and '<details class="spoiler">' in html
    assert "<script" not in html
    assert client.get(url).status_code == 405
    assert Client().post(url, {"body": "x"}).status_code == 302  # to the login page


def test_the_story_form_has_formatting_help(writer_user):
    page = logged_in(writer_user).get(reverse("admin:articles_review_add")).text
    for hint in (":::spoiler", ":::pullquote", "| --- |", "## Heading"):
        assert hint in page


def test_ratings_are_offered_in_half_steps(writer_user):
    page = logged_in(writer_user).get(reverse("admin:articles_review_add")).text
    menu = re.search(r'<select name="rating".*?</select>', page, re.S).group(0)
    options = re.findall(r'<option value="([0-9.]+)"[^>]*>([^<]+)</option>', menu)
    assert [value for value, _ in options] == [f"{n / 2:.1f}" for n in range(11)]
    assert ("4.5", "4.5 out of 5") in options


@pytest.mark.parametrize("role", ["writer_user", "editor_user"])
def test_both_roles_can_set_the_byline(request, role):
    page = logged_in(request.getfixturevalue(role)).get(reverse("admin:articles_review_add"))
    assert 'name="bylines-TOTAL_FORMS"' in page.text


# What the desk says, word for word --------------------------------------------------


def desk_messages(response):
    """The messages at the top of a desk page, and the form's errors, as shown."""
    found = re.findall(r'<li class="(?:success|warning|error|info)">(.*?)</li>', response.text)
    found += re.findall(r'<ul class="errorlist[^"]*"[^>]*>\s*<li>(.*?)</li>', response.text)
    return [html.unescape(text) for text in found]


@pytest.mark.parametrize(
    "action, start, message",
    [
        ("submit", "draft", "Submitted for review. An editor will look at it next."),
        ("publish", "in_review", "Published. It is live now."),
        ("unpublish", "published", "Unpublished. Readers can no longer see it."),
        ("send_back", "in_review", "Sent back to the writer as a draft."),
    ],
)
def test_each_workflow_button_says_what_it_did(writer_user, editor_user, action, start, message):
    story = draft_by(writer_user, seo_description="Why read it.")
    Article.objects.filter(pk=story.pk).update(status=start, publish_at=timezone.now())
    story.refresh_from_db()
    response = logged_in(editor_user).post(
        change_url(story), story_form(story, _workflow=action), follow=True
    )
    assert message in desk_messages(response)


def test_scheduling_says_when_in_the_newsrooms_time(writer_user, editor_user):
    story = submitted(writer_user, seo_description="Why read it.")
    when = timezone.localtime() + timedelta(days=1)
    response = logged_in(editor_user).post(
        change_url(story),
        story_form(
            story, _workflow="schedule",
            schedule_at_0=when.date().isoformat(), schedule_at_1="09:30",
        ),
        follow=True,
    )  # fmt: skip
    scheduled = f"Scheduled for {when:%d %b %Y} at 09:30 "  # then GMT or BST, as it will be
    assert any(message.startswith(scheduled) for message in desk_messages(response))


def test_publish_now_ignores_a_time_typed_in_the_schedule_box(writer_user, editor_user):
    story = submitted(writer_user)
    later = timezone.localtime() + timedelta(days=3)
    logged_in(editor_user).post(
        change_url(story),
        story_form(
            story, _workflow="publish",
            schedule_at_0=later.date().isoformat(), schedule_at_1="09:30",
        ),
    )  # fmt: skip
    story.refresh_from_db()
    assert story.is_public and story.publish_at < timezone.now()


def test_publishing_warns_word_for_word_about_what_is_missing(writer_user, editor_user):
    story = submitted(writer_user, dek="", seo_description="")
    response = logged_in(editor_user).post(
        change_url(story), story_form(story, dek="", _workflow="publish"), follow=True
    )
    shown = desk_messages(response)
    assert (
        "There is no search engine description or standfirst: search results will show a "
        "snippet of their own choosing." in shown
    )
    assert "There is no hero image: its card and shares will show a card with its headline." in (
        shown
    )


def test_publishing_without_a_hero_says_the_shows_key_art_stands_in(writer_user, editor_user):
    show = ShowFactory(title="Harbour Lights", poster=ImageFactory())
    story = submitted(writer_user, show=show)
    response = logged_in(editor_user).post(
        change_url(story), story_form(story, show=show.pk, _workflow="publish"), follow=True
    )
    assert (
        "There is no hero image: its card and shares will show the key art of Harbour Lights."
        in desk_messages(response)
    )


def test_a_standfirst_alone_is_enough_for_search_results(writer_user, editor_user):
    story = submitted(writer_user, dek="A standfirst.", seo_description="")
    response = logged_in(editor_user).post(
        change_url(story), story_form(story, _workflow="publish"), follow=True
    )
    assert not any("search engine description" in m for m in desk_messages(response))


def test_the_workflow_explains_each_refusal_word_for_word(writer_user, editor_user):
    from django.core.exceptions import PermissionDenied, ValidationError

    from articles import services

    other = member("other", "Writers")
    WriterFactory(user=other)
    theirs, mine = draft_by(other), draft_by(writer_user)
    with pytest.raises(PermissionDenied, match="^You can only submit your own stories.$"):
        services.transition(article=theirs, user=writer_user, action="submit")
    with pytest.raises(
        PermissionDenied, match="^Only editors can publish, schedule, unpublish or send back.$"
    ):
        services.transition(article=mine, user=writer_user, action="publish")
    published = ArticleFactory()
    with pytest.raises(ValidationError) as refused:
        services.transition(article=published, user=editor_user, action="submit")
    assert refused.value.messages == [
        "This story is published, so it cannot be submitted for review now."
    ]
    with pytest.raises(ValidationError) as refused:
        services.transition(article=mine, user=editor_user, action="schedule")
    assert refused.value.messages == ["Pick the date and time to publish at."]
    with pytest.raises(ValidationError) as refused:
        services.transition(article=mine, user=editor_user, action="dance")
    assert refused.value.messages == ["Unknown action “dance”."]


def test_a_time_that_is_now_is_not_in_the_future(editor_user, monkeypatch):
    from django.core.exceptions import ValidationError

    from articles import services

    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)
    with pytest.raises(ValidationError) as refused:
        services.transition(article=ArticleFactory(status="in_review", publish_at=None),
                            user=editor_user, action="schedule", when=now)  # fmt: skip
    assert refused.value.messages == ["A scheduled time must be in the future."]


def test_sending_back_without_a_note_leaves_no_note(editor_user):
    from articles import services

    story = ArticleFactory(status="in_review", publish_at=None, editor_note="An old note")
    services.apply(article=story, user=editor_user, action="send_back")
    story.refresh_from_db()
    assert story.editor_note == "" and story.status == Article.Status.DRAFT
    services.apply(article=story, user=editor_user, action="submit")
    services.apply(article=story, user=editor_user, action="send_back", note=" Cut it. ")
    story.refresh_from_db()
    assert story.editor_note == "Cut it."


def test_only_active_staff_may_ever_see_a_draft(writer_user):
    from articles import services

    draft = draft_by(writer_user)
    reader = UserFactory(username="reader")  # signed in, not staff
    assert services.can_see(reader, draft) is False
    writer_user.is_active = False
    assert services.can_see(writer_user, draft) is False
