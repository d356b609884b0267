"""The editors' desk, second pass: the publish panel, autosave, drafts of live
stories, revisions that name what happened and show every change, restores that
wait for a save, tags that do not fork, share links that last, and emails.

As in test_workflow.py, everything is posted as a browser would, including what
the page never offers (a writer forging "Publish changes").
"""

import html
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import previews
from articles.forms import tags_from_text
from articles.models import Article, StoryDraft, Tag

from .factories import (
    ArticleFactory,
    ImageFactory,
    PersonFactory,
    ReviewFactory,
    SeasonFactory,
    ShowFactory,
    StatusChangeFactory,
    UserFactory,
    WriterFactory,
    member,
)
from .test_workflow import change_url, desk_messages, draft_by, logged_in, story_form

pytestmark = pytest.mark.django_db


def live_form(article, **overrides):
    """What the form of a live story posts when "Save draft of changes" is pressed."""
    data = story_form(article, was_live="1", _save="1", **overrides)
    data.pop("_publish_changes")
    return data


def field_value(page, name):
    """The value an input or textarea of the form shows."""
    found = re.search(rf'<input[^>]*\sname="{name}"[^>]*\svalue="([^"]*)"', page)
    if found:
        return html.unescape(found.group(1))
    found = re.search(rf'<textarea[^>]*\sname="{name}"[^>]*>\n?(.*?)</textarea>', page, re.S)
    return html.unescape(found.group(1)) if found else None


def panel(page):
    return re.search(r'<section class="publish-panel".*?</section>', page, re.S).group(0)


def text_of(fragment):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


# The publish panel ------------------------------------------------------------------


def test_the_panel_says_where_a_story_stands_in_words(writer_user, editor_user):
    editor = logged_in(editor_user)
    draft = draft_by(writer_user)
    assert "Draft" in text_of(panel(editor.get(change_url(draft)).text))
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.IN_REVIEW)
    assert "In review" in text_of(panel(editor.get(change_url(draft)).text))
    when = timezone.now() + timedelta(days=2)
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.PUBLISHED, publish_at=when)
    words = text_of(panel(editor.get(change_url(draft)).text))
    local = timezone.localtime(when)
    assert f"Scheduled for {local:%d %b %Y at %H:%M} {local:%Z} (Europe/London)" in words
    live = ArticleFactory()
    assert "Published" in text_of(panel(editor.get(change_url(live)).text))
    editor.post(change_url(live), live_form(live, title="A better headline"))
    assert "Published" in (words := text_of(panel(editor.get(change_url(live)).text)))
    assert "with unpublished changes" in words


def test_the_panel_offers_only_what_the_user_may_do(writer_user, editor_user):
    draft = draft_by(writer_user)
    writer_panel = panel(logged_in(writer_user).get(change_url(draft)).text)
    assert "Save draft" in writer_panel and "Submit for review" in writer_panel
    assert "Publish now" not in writer_panel and "Schedule" not in writer_panel
    assert "Preview" in writer_panel and "/preview/shared/" in writer_panel
    editor_panel = panel(logged_in(editor_user).get(change_url(draft)).text)
    for action in (
        "Publish now",
        "Schedule…",
        "Submit for review",
        "Publish at (time in Europe/London)",
    ):
        assert action in editor_panel


def test_djangos_save_row_is_only_save_and_delete_moves_away_and_asks(editor_user):
    story = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    page = logged_in(editor_user).get(change_url(story)).text
    assert "Save and add another" not in page and "Save and continue editing" not in page
    bottom = page[page.index('<div class="submit-row">') :]
    assert 'value="Save draft"' in bottom
    assert "Delete this story…" in bottom and "deletelink" not in panel(page)
    delete = reverse("admin:articles_newsstory_delete", args=[story.pk])
    assert "Are you sure" in logged_in(editor_user).get(delete).text
    assert Article.objects.filter(pk=story.pk).exists()


def test_a_save_stays_on_the_story(writer_user):
    draft = draft_by(writer_user)
    response = logged_in(writer_user).post(change_url(draft), story_form(draft, _save="1"))
    assert response["Location"] == change_url(draft)


# Drafts of live stories --------------------------------------------------------------


def test_saving_a_live_story_keeps_the_changes_off_the_site_until_published(editor_user):
    story = ArticleFactory(title="The headline readers see", body="What readers read.")
    editor, reader = logged_in(editor_user), Client()
    response = editor.post(
        change_url(story), live_form(story, title="A sharper headline", body="A new paragraph.")
    )
    assert "Saved as unpublished changes" in desk_messages(editor.get(response["Location"]))[0]
    story.refresh_from_db()
    assert story.title == "The headline readers see"
    page = reader.get(story.get_absolute_url()).text
    assert "The headline readers see" in page and "A sharper headline" not in page
    assert "A new paragraph." not in reader.get(reverse("articles:feed")).text

    form = editor.get(change_url(story)).text  # the form shows the changes to go on with
    assert field_value(form, "title") == "A sharper headline"
    preview = editor.get(reverse("articles:preview", args=[story.pk])).text
    assert "A sharper headline" in preview and "A new paragraph." in preview
    assert "Preview of unpublished changes" in preview
    shared = Client().get(previews.share_url(story)).text
    assert "A sharper headline" in shared

    data = story_form(story, title="A sharper headline", body="A new paragraph.")
    data.update(draft_token=field_value(form, "draft_token"), was_live="1")
    editor.post(change_url(story), data)  # story_form presses "Publish changes"
    story.refresh_from_db()
    assert story.title == "A sharper headline"
    assert "A sharper headline" in reader.get(story.get_absolute_url()).text
    assert not StoryDraft.objects.filter(article=story).exists()
    assert story.history.order_by("-history_date")[0].history_change_reason == "Published changes"


def test_a_quick_fix_can_still_go_live_at_once(editor_user):
    story = ArticleFactory(title="A typo in teh headline")
    data = story_form(story, title="A typo fixed in the headline", was_live="1")
    logged_in(editor_user).post(change_url(story), data)
    assert "A typo fixed in the headline" in Client().get(story.get_absolute_url()).text


def test_a_writer_cannot_publish_or_discard_changes_to_a_live_story(writer_user, editor_user):
    story = ArticleFactory(title="As published", writers=[writer_user.writer])
    logged_in(editor_user).post(change_url(story), live_form(story, title="Editor's changes"))
    writer = logged_in(writer_user)
    forged = story_form(story, title="Writer's own headline")
    assert writer.post(change_url(story), forged).status_code == 403
    discard = reverse("admin:articles_newsstory_discard_changes", args=[story.pk])
    assert writer.post(discard).status_code == 403
    story.refresh_from_db()
    assert story.title == "As published"
    assert StoryDraft.objects.filter(article=story, kind=StoryDraft.Kind.CHANGES).exists()


def test_an_editor_throws_unpublished_changes_away(editor_user):
    story = ArticleFactory(title="As published")
    editor = logged_in(editor_user)
    editor.post(change_url(story), live_form(story, title="Second thoughts"))
    editor.post(reverse("admin:articles_newsstory_discard_changes", args=[story.pk]))
    assert field_value(editor.get(change_url(story)).text, "title") == "As published"


def test_two_editors_saving_changes_to_a_live_story_do_not_overwrite_each_other(editor_user):
    story = ArticleFactory(title="As published")
    other = member("deputy", "Editors")
    first, second = logged_in(editor_user), logged_in(other)
    loaded = second.get(change_url(story)).text  # both open the story
    first.post(change_url(story), live_form(story, title="The first editor's changes"))
    data = live_form(story, title="The second editor's changes")
    data["draft_token"] = field_value(loaded, "draft_token") or ""
    response = second.post(change_url(story), data)
    assert response.status_code == 200
    assert any("changed this story" in message for message in desk_messages(response))
    changes = StoryDraft.objects.get(article=story, kind=StoryDraft.Kind.CHANGES)
    assert changes.data["title"] == ["The first editor's changes"]


# Autosave and presence --------------------------------------------------------------


def autosave_url(article):
    return reverse("admin:articles_newsstory_autosave", args=[article.pk])


def test_autosave_keeps_the_form_and_never_touches_the_story_or_its_page(editor_user):
    story = ArticleFactory(title="What readers see")
    reader = Client()
    before = reader.get(story.get_absolute_url()).text
    response = logged_in(editor_user).post(
        autosave_url(story), story_form(story, title="Half-typed headline")
    )
    assert response.status_code == 200 and "saved_at" in response.json()
    story.refresh_from_db()
    assert story.title == "What readers see"
    assert reader.get(story.get_absolute_url()).text == before
    autosave = StoryDraft.objects.get(article=story, kind=StoryDraft.Kind.AUTOSAVE)
    assert autosave.data["title"] == ["Half-typed headline"]
    assert "csrfmiddlewaretoken" not in autosave.data


def test_a_reload_offers_the_autosave_and_recovers_it_into_the_form(writer_user):
    draft = draft_by(writer_user, title="Saved headline", body="Saved body.")
    writer = logged_in(writer_user)
    writer.post(autosave_url(draft), story_form(draft, body="Saved body.\n\nUnsaved paragraph."))
    page = writer.get(change_url(draft)).text
    assert "autosaved" in page and "that was never saved" in page and "?recover=1" in page
    recovered = writer.get(change_url(draft) + "?recover=1").text
    assert field_value(recovered, "body") == "Saved body.\n\nUnsaved paragraph."
    assert "Recovered the work autosaved" in recovered
    draft.refresh_from_db()
    assert draft.body == "Saved body."  # nothing saved until a button is pressed
    writer.post(change_url(draft), story_form(draft, body="Saved body.\n\nUnsaved paragraph."))
    assert not StoryDraft.objects.filter(article=draft).exists()  # saved: nothing to offer
    assert "that was never saved" not in writer.get(change_url(draft)).text


def test_a_new_story_is_autosaved_and_recovered_too(writer_user):
    writer = logged_in(writer_user)
    writer.post(
        reverse("admin:articles_newsstory_autosave_new"),
        {"title": "A story not saved yet", "body": "Its first lines."},
    )
    add = reverse("admin:articles_newsstory_add")
    assert "?recover=1" in writer.get(add).text
    assert field_value(writer.get(add + "?recover=1").text, "title") == "A story not saved yet"


def test_nobody_autosaves_into_a_story_they_may_not_change(writer_user, editor_user):
    embargoed = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, created_by=editor_user)
    live = ArticleFactory()
    writer = logged_in(writer_user)
    assert writer.post(autosave_url(embargoed), {"title": "x"}).status_code == 404
    assert writer.post(autosave_url(live), {"title": "x"}).status_code in (403, 404)
    assert not StoryDraft.objects.exists()


def test_the_second_person_to_open_a_story_sees_who_else_has_it_open(editor_user):
    story = ArticleFactory()
    editor_user.first_name, editor_user.last_name = "Maya", "Okafor"
    editor_user.save()
    other = logged_in(member("deputy", "Editors"))
    logged_in(editor_user).get(change_url(story))
    page = other.get(change_url(story)).text
    assert "Maya Okafor also has this story open" in text_of(page)
    ping = other.post(autosave_url(story), {"_autosave": "ping"}).json()
    assert ping["also_editing"] == ["Maya Okafor"]
    logged_in(editor_user).post(reverse("admin:articles_newsstory_leave", args=[story.pk]))
    assert other.post(autosave_url(story), {"_autosave": "ping"}).json()["also_editing"] == []


# Revisions -----------------------------------------------------------------------------


def test_the_history_names_every_event_with_who_and_when(writer_user, editor_user):
    writer, editor = logged_in(writer_user), logged_in(editor_user)
    writer.post(
        reverse("admin:articles_newsstory_add"),
        {
            "title": "A story", "slug": "a-story", "body": "Words.", "tags": "",
            "bylines-TOTAL_FORMS": "1", "bylines-INITIAL_FORMS": "0",
            "bylines-MIN_NUM_FORMS": "1", "bylines-MAX_NUM_FORMS": "1000",
            "bylines-0-writer": str(writer_user.writer.pk), "bylines-0-position": "0",
        },
    )  # fmt: skip
    story = Article.objects.get(slug="a-story")
    writer.post(change_url(story), story_form(story, _workflow="submit"))
    story.refresh_from_db()
    editor.post(change_url(story), story_form(story, _workflow="send_back", note="Needs a source."))
    story.refresh_from_db()
    writer.post(change_url(story), story_form(story, body="Words, with a source."))
    story.refresh_from_db()
    when = timezone.localtime() + timedelta(days=1)
    editor.post(
        change_url(story),
        story_form(
            story, _workflow="schedule",
            schedule_at_0=when.date().isoformat(), schedule_at_1="09:30",
        ),
    )  # fmt: skip
    story.refresh_from_db()
    editor.post(change_url(story), story_form(story, _workflow="publish"))
    story.refresh_from_db()
    editor.post(change_url(story), live_form(story, title="A story, changed"))
    form = editor.get(change_url(story)).text  # showing the changes it will unpublish with
    editor.post(
        change_url(story),
        story_form(
            story, _workflow="unpublish", title="A story, changed",
            draft_token=field_value(form, "draft_token"),
        ),
    )  # fmt: skip
    assert writer.post(autosave_url(story), {"title": "Typing…"}).status_code == 200
    page = text_of(editor.get(reverse("admin:articles_newsstory_history", args=[story.pk])).text)
    events = re.findall(
        r"\b(Created|Submitted|Sent back|Scheduled|Published|Unpublished|Updated|Autosaved)\b",
        re.sub(r"Unpublished changes saved", "", page[page.index("Headline") :]),
    )
    for event in ("Created", "Submitted", "Sent back", "Updated", "Scheduled", "Published",
                  "Unpublished", "Autosaved"):  # fmt: skip
        assert event in events, event
    assert "Needs a source." in page  # the note sent back with the story
    assert "writer" in page and "chief" in page  # who, by user name (no full names set)


def test_compare_shows_every_field_that_changed_with_words_marked(editor_user):
    show, other_show = ShowFactory(title="Harbour Lights"), ShowFactory(title="Copper Hill")
    season = SeasonFactory(show=show, number=1)
    first, second = WriterFactory(name="Tom Reilly"), WriterFactory(name="Maya Okafor")
    picture = ImageFactory(title="Harbour at dusk", alt="Boats at dusk")
    review = ReviewFactory(
        show=show, season=season, rating="3.0", verdict="Slow but sure.",
        watch_if="You like boats", skip_if="You want car chases",
        seo_title="Old search title", seo_description="Old description.",
        hero=picture, writers=[first],
    )  # fmt: skip
    person = PersonFactory(name="James Nesbitt")
    story = ArticleFactory(title="A related story")
    editor = logged_in(editor_user)
    url = reverse("admin:articles_review_change", args=[review.pk])
    data = story_form(
        review, tags="Crime drama", shows=[str(show.pk)], watch_if="You like boats",
        skip_if="You want car chases", seo_title="Old search title",
        seo_description="Old description.",
    )  # fmt: skip
    editor.post(url, data)
    review.refresh_from_db()
    picture.alt = "Fishing boats moored at dusk"
    picture.save()
    new_picture = ImageFactory(title="Harbour at dawn", alt="The harbour at dawn")
    data = story_form(
        review, rating="4.5", verdict="Slow, sure and worth it.",
        watch_if="You like boats\nYou like the sea", skip_if="",
        seo_title="New search title", seo_description="New description.",
        hero=str(new_picture.pk), tags="Crime drama, Thriller",
        shows=[str(show.pk), str(other_show.pk)], people=[str(person.pk)],
        related=[str(story.pk)],
    )  # fmt: skip
    data.update({"bylines-0-writer": str(second.pk)})
    editor.post(url, data)
    old, new = review.history.order_by("-history_date")[:2][::-1]
    page = editor.get(
        reverse("admin:articles_review_compare", args=[review.pk]),
        {"a": old.history_id, "b": new.history_id},
    ).text
    rows = dict(
        re.findall(r'<th scope="row">(.*?)</th><td><div class="diff-text">(.*?)</div>', page, re.S)
    )
    for label in ("Rating", "Verdict", "Watch this if…", "Skip it if…", "Search engine title",
                  "Search engine description", "Hero image", "Tags", "Byline", "Shows",
                  "People", "Also read"):  # fmt: skip
        assert label in rows, label
    assert "<del>3</del><ins>4.5</ins> out of 5" in html.unescape(rows["Rating"])
    assert "<ins>and worth it.</ins>" in html.unescape(rows["Verdict"])
    assert "<ins>Thriller</ins>" in rows["Tags"]
    assert "<del>Tom Reilly</del>" in rows["Byline"] and "<ins>Maya Okafor</ins>" in rows["Byline"]
    assert "<ins>Copper Hill</ins>" in rows["Shows"]
    assert "<ins>James Nesbitt</ins>" in rows["People"]
    assert "<ins>A related story</ins>" in rows["Also read"]
    assert "Harbour at <del>dusk</del><ins>dawn</ins>" in rows["Hero image"]
    assert "Alt text: <del>Boats</del><ins>The harbour</ins>" in rows["Hero image"]
    assert "Headline" not in rows


def test_restore_loads_a_revision_into_the_form_and_changes_nothing_until_saved(editor_user):
    story = ArticleFactory(title="Original headline", body="Original body.")
    editor = logged_in(editor_user)
    editor.post(change_url(story), story_form(story, title="Rewritten", body="Rewritten body."))
    story.refresh_from_db()
    original = story.history.order_by("history_date").first()
    history = editor.get(reverse("admin:articles_newsstory_history", args=[story.pk])).text
    assert f"?revision={original.history_id}" in history and "Load into the form" in history
    page = editor.get(change_url(story) + f"?revision={original.history_id}").text
    assert field_value(page, "title") == "Original headline"
    assert field_value(page, "body") == "Original body."
    assert "Nothing has changed yet" in page
    story.refresh_from_db()
    assert story.title == "Rewritten"
    assert "Rewritten" in Client().get(story.get_absolute_url()).text

    data = story_form(story, title="Original headline", body="Original body.")
    data["restored_from"] = field_value(page, "restored_from")
    editor.post(change_url(story), data)
    story.refresh_from_db()
    assert story.title == "Original headline"
    newest = story.history.order_by("-history_date").first()
    assert newest.history_change_reason.startswith("Restored the revision of")


def test_a_writer_cannot_restore_into_a_live_story(writer_user):
    story = ArticleFactory(title="Live headline", writers=[writer_user.writer])
    story.title = "Later headline"
    story.save()
    original = story.history.order_by("history_date").first()
    writer = logged_in(writer_user)
    page = writer.get(change_url(story) + f"?revision={original.history_id}").text
    assert 'name="_save"' not in page  # read-only: nothing to save it with
    data = story_form(story, title="Live headline", restored_from=str(original.history_id))
    assert writer.post(change_url(story), data).status_code == 403
    story.refresh_from_db()
    assert story.title == "Later headline"


# Fewer mistakes ------------------------------------------------------------------------


def test_tags_match_without_regard_to_case(editor_user):
    existing = Tag.objects.create(name="Crime drama")
    story = ArticleFactory()
    logged_in(editor_user).post(
        change_url(story), story_form(story, tags="crime drama, CRIME DRAMA")
    )
    assert list(story.tags.all()) == [existing]
    assert Tag.objects.count() == 1


def test_tags_are_suggested_as_you_type(writer_user):
    for name in ("Crime drama", "Drama", "Pokémon", "Comedy"):
        Tag.objects.create(name=name)
    suggest = reverse("admin:articles_tag_suggest")
    writer = logged_in(writer_user)
    assert writer.get(suggest, {"q": "dra"}).json()["tags"] == ["Drama", "Crime drama"]
    assert writer.get(suggest, {"q": "POKÉ"}).json()["tags"] == ["Pokémon"]
    story = ArticleFactory()
    story.tags.add("POKÉMON")  # the tag that exists, not a second one
    assert list(story.tags.names()) == ["Pokémon"] and Tag.objects.count() == 4
    assert writer.get(suggest, {"q": ""}).json()["tags"] == []
    assert Client().get(suggest, {"q": "dra"}).status_code == 302  # the desk's only


def merge(client, tags, into):
    return client.post(
        reverse("admin:articles_tag_changelist"),
        {
            "action": "merge_tags",
            "_selected_action": [str(tag.pk) for tag in tags],
            "apply": "1",
            "into": str(into.pk),
        },
    )


def test_merging_tags_keeps_every_storys_tags_and_redirects_the_old_pages(editor_user):
    kept, duplicate = Tag.objects.create(name="Crime drama"), Tag.objects.create(name="crime-drama")
    other = Tag.objects.create(name="Thriller")
    one, both, neither = ArticleFactory(), ArticleFactory(), ArticleFactory()
    one.tags.add(duplicate, other)
    both.tags.add(kept, duplicate)
    neither.tags.add(other)
    old_url = duplicate.get_absolute_url()
    merge(logged_in(editor_user), [kept, duplicate], kept)
    assert not Tag.objects.filter(pk=duplicate.pk).exists()
    assert set(one.tags.names()) == {"Crime drama", "Thriller"}
    assert set(both.tags.names()) == {"Crime drama"}
    assert set(neither.tags.names()) == {"Thriller"}
    reader = Client()
    response = reader.get(old_url)
    assert response.status_code == 301 and response["Location"] == kept.get_absolute_url()
    assert reader.get(old_url + "feed/")["Location"] == kept.get_absolute_url() + "feed/"
    assert one.title in reader.get(kept.get_absolute_url()).text


def test_a_writer_cannot_merge_tags(writer_user):
    a, b = Tag.objects.create(name="Drama"), Tag.objects.create(name="drama!")
    writer = logged_in(writer_user)
    page = writer.get(reverse("admin:articles_tag_changelist"))
    assert page.status_code in (200, 403) and "merge_tags" not in page.text
    merge(writer, [a, b], a)
    assert Tag.objects.count() == 2


def test_a_new_story_starts_with_the_signed_in_writer_near_the_top(writer_user):
    page = logged_in(writer_user).get(reverse("admin:articles_review_add")).text
    chosen = re.search(r'name="bylines-0-writer".*?</select>', page, re.S).group(0)
    assert re.search(rf'<option value="{writer_user.writer.pk}" selected', chosen)
    assert page.index('id="bylines-group"') < page.index("The review</h2>")


def test_the_season_menu_lists_only_the_main_shows_seasons(editor_user):
    show, other = ShowFactory(title="Harbour Lights"), ShowFactory(title="Copper Hill")
    mine, theirs = SeasonFactory(show=show, number=1), SeasonFactory(show=other, number=1)
    answer = logged_in(editor_user).get(
        reverse("admin:autocomplete"),
        {
            "app_label": "articles", "model_name": "review", "field_name": "season",
            "term": "", "show": str(show.pk),
        },
    ).json()  # fmt: skip
    ids = [int(item["id"]) for item in answer["results"]]
    assert ids == [mine.pk] and theirs.pk not in ids


def test_share_links_can_be_withdrawn_by_hand_and_say_when_they_expire(editor_user):
    story = ArticleFactory(status=Article.Status.DRAFT, publish_at=None, title="Shared story")
    editor = logged_in(editor_user)
    old_link = previews.share_url(story)
    page = text_of(editor.get(change_url(story)).text)
    until = timezone.localtime() + timedelta(hours=48)
    assert f"until {until:%-d %b %Y}" in page and "(Europe/London)" in page
    editor.post(reverse("admin:articles_newsstory_revoke_share_links", args=[story.pk]))
    response = Client().get(old_link)
    assert response.status_code == 404 and "withdrawn" in response.text
    story.refresh_from_db()
    assert "Shared story" in Client().get(previews.share_url(story)).text


def test_the_body_gets_thirty_lines_and_the_seo_fields_their_previews(editor_user):
    story = ArticleFactory(hero=ImageFactory(alt="A harbour"))
    page = logged_in(editor_user).get(change_url(story)).text
    body = re.search(r'<textarea[^>]*name="body"[^>]*>', page).group(0)
    assert 'rows="30"' in body
    card = re.search(r'data-card-image="([^"]*)"', page).group(1)
    assert card.startswith("/media/") and card.endswith(".jpg")
    assert 'data-site-css="/static/css/site.css"' in page


# Telling people ---------------------------------------------------------------------


def test_editors_hear_of_a_submission_and_writers_of_what_happens_next(
    writer_user, editor_user, django_capture_on_commit_callbacks
):
    writer_user.email, editor_user.email = "tom@example.com", "maya@example.com"
    writer_user.save()
    editor_user.save()
    draft = draft_by(writer_user, title="A story to tell")
    with django_capture_on_commit_callbacks(execute=True):
        logged_in(writer_user).post(change_url(draft), story_form(draft, _workflow="submit"))
    assert [message.to for message in mail.outbox] == [["maya@example.com"]]
    assert "A story to tell" in mail.outbox[0].subject
    draft.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        logged_in(editor_user).post(
            change_url(draft), story_form(draft, _workflow="send_back", note="Add a source.")
        )
    assert mail.outbox[1].to == ["tom@example.com"] and "Add a source." in mail.outbox[1].body
    draft.refresh_from_db()
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.IN_REVIEW)
    draft.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        logged_in(editor_user).post(change_url(draft), story_form(draft, _workflow="publish"))
    assert mail.outbox[2].to == ["tom@example.com"] and "published" in mail.outbox[2].subject


@pytest.mark.django_db(transaction=True)  # the email goes once the save is committed
def test_a_mail_server_down_never_blocks_the_story(writer_user, editor_user, monkeypatch):
    editor_user.email = "maya@example.com"
    editor_user.save()

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr("articles.services.send_mail", refuse)
    draft = draft_by(writer_user)
    writer = logged_in(writer_user)
    response = writer.post(change_url(draft), story_form(draft, _workflow="submit"), follow=True)
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW
    assert any("could not be sent" in message for message in desk_messages(response))


def test_bulk_publishing_tells_the_writers_too(
    writer_user, editor_user, django_capture_on_commit_callbacks
):
    writer_user.email = "tom@example.com"
    writer_user.save()
    story = draft_by(writer_user)
    Article.objects.filter(pk=story.pk).update(status=Article.Status.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        logged_in(editor_user).post(
            reverse("admin:articles_newsstory_changelist"),
            {"action": "publish_now", "_selected_action": [str(story.pk)]},
        )
    assert [message.to for message in mail.outbox] == [["tom@example.com"]]


def test_the_desk_lists_live_stories_with_changes_waiting(editor_user):
    waiting = ArticleFactory(title="Live with changes waiting")
    ArticleFactory(title="Live and settled")
    logged_in(editor_user).post(change_url(waiting), live_form(waiting, title="Changed"))
    page = logged_in(editor_user).get(reverse("admin:index")).text
    queue = page[page.index("Live, with unpublished changes") :]
    queue = queue[: queue.index("</section>")]
    assert "Live with changes waiting" in queue and "Live and settled" not in queue


def test_a_reviews_unpublished_rating_shows_in_its_preview_only(editor_user):
    review = ReviewFactory(rating="3.0")
    url = reverse("admin:articles_review_change", args=[review.pk])
    editor = logged_in(editor_user)
    editor.post(url, live_form(review, rating="4.5", verdict="Better than we said."))
    preview = editor.get(reverse("articles:preview", args=[review.pk])).text
    assert "4.5 out of 5" in preview and "Better than we said." in preview
    page = Client().get(review.get_absolute_url()).text
    assert "3 out of 5" in page and "Better than we said." not in page


def test_a_save_that_does_not_touch_the_lists_keeps_them_in_its_revision(editor_user):
    story = ArticleFactory(title="Before")
    logged_in(editor_user).post(change_url(story), story_form(story, tags="Crime drama"))
    story.refresh_from_db()
    story.title = "After, saved from the shell"
    story.save()
    newest = story.history.order_by("-history_date", "-history_id").first()
    assert newest.relations["tags"] == ["Crime drama"]


@pytest.mark.parametrize(
    ("typed", "tags"),
    [
        ("Crime drama", ["Crime drama"]),
        ("Crime drama, Harlan Coben", ["Crime drama", "Harlan Coben"]),
        ('"Law, Order", Thriller', ["Law, Order", "Thriller"]),
        ("  Thriller ,, thriller ", ["Thriller"]),
    ],
)
def test_tags_are_split_on_commas_only(editor_user, typed, tags):
    story = ArticleFactory()
    logged_in(editor_user).post(change_url(story), story_form(story, tags=typed))
    assert sorted(story.tags.names()) == tags
    page = logged_in(editor_user).get(change_url(story)).text
    assert sorted(tags_from_text(field_value(page, "tags"))) == tags  # shown as it reads back


def test_work_recovered_after_someone_else_saved_never_writes_over_their_save(
    writer_user, editor_user
):
    draft = draft_by(writer_user, title="The writer's headline", body="Saved body.")
    writer = logged_in(writer_user)
    writer.post(autosave_url(draft), story_form(draft, body="Saved body.\n\nTyped, not saved."))
    editor = logged_in(editor_user)
    editor.post(change_url(draft), story_form(draft, title="The editor's headline"))
    page = writer.get(change_url(draft)).text
    assert "that was never saved" in page  # still offered after someone else's save
    recovered = writer.get(change_url(draft) + "?recover=1").text
    data = story_form(draft, body="Saved body.\n\nTyped, not saved.")
    data["edit_token"] = field_value(recovered, "edit_token")
    response = writer.post(change_url(draft), data)
    assert response.status_code == 200  # refused as stale, the text still on the form
    assert any("Maya Okafor" in m or "chief" in m for m in desk_messages(response))
    draft.refresh_from_db()
    assert draft.title == "The editor's headline" and draft.body == "Saved body."


def test_the_tag_list_refuses_a_tag_that_exists_in_another_case(editor_user):
    Tag.objects.create(name="Pokémon")
    response = logged_in(editor_user).post(reverse("admin:articles_tag_add"), {"name": "POKÉMON"})
    assert response.status_code == 200
    assert "There is a tag “Pokémon” already" in html.unescape(response.text)
    assert Tag.objects.count() == 1


def test_compare_does_not_mark_line_breaks_typed_in_another_kind(editor_user):
    story = ArticleFactory(body="First line.\nSecond line.\nThird line.")
    story.body = "First line.\r\nSecond line.\r\nThird line, changed."
    story.save()
    old, new = story.history.order_by("history_date")[:2]
    page = (
        logged_in(editor_user)
        .get(
            reverse("admin:articles_newsstory_compare", args=[story.pk]),
            {"a": old.history_id, "b": new.history_id},
        )
        .text
    )
    assert "<del>line.</del><ins>line, changed.</ins>" in page
    assert "<del>First" not in page and "<del>Second" not in page


def test_a_preview_that_moves_a_story_to_another_show_shows_that_shows_status(editor_user):
    cancelled, renewed = ShowFactory(title="Copper Hill"), ShowFactory(title="Harbour Lights")
    StatusChangeFactory(show=cancelled, status="cancelled")
    StatusChangeFactory(show=renewed, status="renewed")
    story = ArticleFactory(show=cancelled)
    other = ArticleFactory(show=renewed, title="Another story about Harbour Lights")
    editor = logged_in(editor_user)
    editor.post(change_url(story), live_form(story, show=str(renewed.pk)))
    preview = text_of(editor.get(reverse("articles:preview", args=[story.pk])).text)
    assert "Harbour Lights Renewed" in preview
    page = text_of(Client().get(other.get_absolute_url()).text)
    assert "Harbour Lights Renewed" in page and "Cancelled" not in page


def test_loading_a_revision_that_recorded_no_lists_keeps_the_storys_own(editor_user):
    show, person = ShowFactory(title="Harbour Lights"), PersonFactory(name="James Nesbitt")
    story = ArticleFactory(title="First")
    story.shows.add(show)
    story.people.add(person)
    story.title = "Second"
    story.save()  # from the shell: its revisions record no lists
    first = story.history.order_by("history_date").first()
    page = logged_in(editor_user).get(change_url(story) + f"?revision={first.history_id}").text
    assert field_value(page, "title") == "First"
    people = re.search(r'<select name="people".*?</select>', page, re.S).group(0)
    assert f'<option value="{person.pk}" selected>' in people


def test_a_preview_of_changes_survives_a_picture_deleted_since(editor_user):
    story = ArticleFactory()
    picture = ImageFactory(alt="A harbour")
    editor = logged_in(editor_user)
    editor.post(change_url(story), live_form(story, hero=str(picture.pk), title="New picture"))
    picture.delete()
    response = editor.get(reverse("articles:preview", args=[story.pk]))
    assert response.status_code == 200 and "New picture" in response.text


def test_a_bulk_unpublish_throws_the_unpublished_changes_away_and_says_so(editor_user):
    story = ArticleFactory(title="As published")
    editor = logged_in(editor_user)
    editor.post(change_url(story), live_form(story, title="Pending change"))
    response = editor.post(
        reverse("admin:articles_newsstory_changelist"),
        {"action": "unpublish", "_selected_action": [str(story.pk)]},
        follow=True,
    )
    assert any("thrown away" in message for message in desk_messages(response))
    assert not StoryDraft.objects.filter(article=story).exists()
    preview = editor.get(reverse("articles:preview", args=[story.pk])).text
    assert "As published" in preview and "Pending change" not in preview


@pytest.mark.parametrize(
    "path",
    ["{change}?revision=²", "{change}?revision=99999999999999999999999", "{change}?recover=1"],
)
def test_odd_addresses_on_the_story_form_are_no_error(editor_user, path):
    story = ArticleFactory()
    assert logged_in(editor_user).get(path.format(change=change_url(story))).status_code == 200


def test_odd_input_to_the_season_menu_and_the_tags_is_no_error(editor_user):
    editor = logged_in(editor_user)
    answer = editor.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "review", "field_name": "season", "show": "²"},
    )
    assert answer.status_code == 200
    story = ArticleFactory()
    editor.post(change_url(story), story_form(story, tags="crime\r\ndrama, Thriller"))
    assert sorted(story.tags.names()) == ["Thriller", "crime drama"]
    response = editor.post(change_url(story), story_form(story, tags='"Law, Order'))
    assert response.status_code in (200, 302)


def test_tag_suggestions_are_for_the_desks_roles_only(writer_user):
    Tag.objects.create(name="Embargoed renewal")
    nobody = UserFactory(username="no-role", is_staff=True)
    response = logged_in(nobody).get(reverse("admin:articles_tag_suggest"), {"q": "emb"})
    assert response.status_code == 403


def test_the_story_lists_show_filter_offers_the_shows_covered_lately(editor_user):
    recent, old = ShowFactory(title="Harbour Lights"), ShowFactory(title="Long Gone")
    ArticleFactory(show=recent, title="About Harbour Lights")
    ArticleFactory(
        show=old, title="About Long Gone", publish_at=timezone.now() - timedelta(days=400)
    )
    editor = logged_in(editor_user)
    page = editor.get(reverse("admin:articles_article_changelist")).text
    assert f"?show={recent.pk}" in page and f"?show={old.pk}" not in page
    narrowed = editor.get(reverse("admin:articles_article_changelist"), {"show": old.pk}).text
    assert "About Long Gone" in narrowed and "About Harbour Lights" not in narrowed


def test_the_story_lists_search_finds_body_words_through_the_index_and_headline_parts(
    editor_user,
):
    ArticleFactory(title="Harbour Lights renewed", body="The network confirmed a third run.")
    ArticleFactory(title="Copper Hill cancelled", slug="copper-hill-axed", body="No more.")
    editor = logged_in(editor_user)

    def listed(term):
        page = editor.get(reverse("admin:articles_article_changelist"), {"q": term}).text
        return sorted(re.findall(r'<th class="field-title"><a href="[^"]*">([^<]+)</a>', page))

    assert listed("confirmed") == ["Harbour Lights renewed"]  # a body word, by the index
    assert listed("Harb") == ["Harbour Lights renewed"]  # part of a headline
    assert listed("axed") == ["Copper Hill cancelled"]  # the address
    assert listed("nothing like this") == []


def test_compare_does_not_list_a_body_that_differs_only_by_a_final_line_break(editor_user):
    story = ArticleFactory(body="First line.\nLast line.\n")  # as an import leaves it
    editor = logged_in(editor_user)
    editor.post(change_url(story), live_form(story, body="First line.\r\nLast line."))
    page = editor.get(
        reverse("admin:articles_newsstory_compare", args=[story.pk]), {"a": "live", "b": "changes"}
    ).text
    assert '<th scope="row">Body</th>' not in page
    assert "Nothing readers see differs" in page


def test_the_history_compares_unpublished_changes_with_the_story_at_first(editor_user):
    story = ArticleFactory(title="As published")
    editor = logged_in(editor_user)
    editor.post(change_url(story), live_form(story, title="As it will be"))
    page = editor.get(reverse("admin:articles_newsstory_history", args=[story.pk])).text
    newest = story.history.order_by("-history_date").first()
    assert re.search(rf'name="a" value="{newest.history_id}"[^>]*checked', page)
    assert re.search(r'name="b" value="changes"[^>]*checked', page)
    assert len(re.findall(r'name="b"[^>]*checked', page)) == 1


def test_a_search_of_the_story_list_finds_headline_body_and_address_without_date_links(
    editor_client,
):
    ArticleFactory(title="The harbour twist", slug="harbour-twist")
    ArticleFactory(title="Quiet week", body="A twist nobody saw coming.")
    ArticleFactory(title="Casting news", slug="casting-twist-news")
    ArticleFactory(title="Nothing here", body="Plain words.")
    url = reverse("admin:articles_article_changelist")
    found = editor_client.get(url, {"q": "twist"})
    assert found.status_code == 200 and found.text.count('class="action-select"') == 3
    assert "Nothing here" not in found.text
    assert "publish_at__year=" not in found.text  # no dates to drill into while searching
    assert "publish_at__year=" in editor_client.get(url).text


def test_the_story_lists_writer_filter_offers_the_writers_of_late(editor_user):
    lately, long_ago = WriterFactory(name="Ada Lately"), WriterFactory(name="Bo Longago")
    ArticleFactory(title="Lately written", writers=[lately])
    ArticleFactory(
        title="Written long ago",
        writers=[long_ago],
        publish_at=timezone.now() - timedelta(days=400),
    )
    editor = logged_in(editor_user)
    page = editor.get(reverse("admin:articles_article_changelist")).text
    assert f"?writer={lately.pk}" in page and f"?writer={long_ago.pk}" not in page
    narrowed = editor.get(reverse("admin:articles_article_changelist"), {"writer": long_ago.pk})
    assert "Written long ago" in narrowed.text and "Lately written" not in narrowed.text
    assert (
        editor.get(reverse("admin:articles_article_changelist"), {"writer": "x"}).status_code == 200
    )
