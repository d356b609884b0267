"""The publishing workflow: who may move a story where, and what must hold first.

Every route into the workflow (the buttons on the story form, the bulk
actions in the list, a forged POST) goes through ``transition``, which
checks the user's role before it changes anything.

    draft ──submit──▶ in review ──publish / schedule──▶ published
      ▲                   │                                 │
      └──── send back ────┘◀──────── unpublish ─────────────┘
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from shows.models import FactChange

from . import revisions
from .models import Article, Byline, Correction, EditingPresence, StoryDraft, Tag, TaggedArticle

logger = logging.getLogger(__name__)

PUBLISH_PERMISSION = "articles.publish_article"


class Action:
    SUBMIT = "submit"
    PUBLISH = "publish"
    SCHEDULE = "schedule"
    UNPUBLISH = "unpublish"
    SEND_BACK = "send_back"

    LABELS = {
        SUBMIT: "Submit for review",
        PUBLISH: "Publish now",
        SCHEDULE: "Schedule",
        UNPUBLISH: "Unpublish",
        SEND_BACK: "Send back to draft",
    }
    DONE = {
        SUBMIT: "submitted for review",
        PUBLISH: "published",
        SCHEDULE: "scheduled",
        UNPUBLISH: "unpublished",
        SEND_BACK: "sent back to draft",
    }
    EDITORS_ONLY = {PUBLISH, SCHEDULE, UNPUBLISH, SEND_BACK}


@dataclass
class Outcome:
    message: str
    warnings: list = field(default_factory=list)


def role_group(name):
    """The Writers or Editors group. The migrations make both; a flushed database (``manage.py
    flush``, a test that empties the database) has neither, and gets them back here from
    the same definitions."""
    from django.contrib.auth.models import Group, Permission

    group, created = Group.objects.get_or_create(name=name)
    if created:
        roles = import_module("articles.migrations.0004_editorial_groups")
        tags = import_module("articles.migrations.0010_tag_permissions")
        images = import_module("articles.migrations.0013_image_permissions")
        pages = import_module("articles.migrations.0018_page_permissions")
        notes = import_module("articles.migrations.0020_correction_permissions_and_policy_page")
        grants = {**{"Writers": roles.WRITERS, "Editors": roles.EDITORS}[name]}
        grants["articles"] = [*grants["articles"], *tags.GRANTS[name], *notes.GRANTS[name]]
        grants["images"] = images.GRANTS[name]
        grants["flatpages"] = pages.GRANTS[name]
        for app_label, codenames in grants.items():
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )
    return group


def is_editor(user):
    return user.is_active and user.has_perm(PUBLISH_PERMISSION)


def is_own(article, user):
    """A writer's own story: they created it or their byline is on it."""
    if article.pk is None or article.created_by_id == user.pk:
        return True
    return article.bylines.filter(writer__user=user).exists()


def can_see(user, article):
    """Who may read a story readers cannot see yet (in the desk, its preview and its share
    link): editors, and the writers whose story it is. Not other writers, and not a
    staff account with no role."""
    if not (user.is_active and user.is_staff):
        return False
    if is_editor(user):
        return True
    return user.has_perm("articles.change_article") and is_own(article, user)


def visible_to(user, stories):
    """``stories`` narrowed to what ``user`` may see on the desk: everything for editors;
    for writers, their own stories and what is already public."""
    if is_editor(user):
        return stories
    own = Q(created_by=user) | Q(
        pk__in=Byline.objects.filter(writer__user=user).values("article_id")
    )
    return stories.filter(own | Q(pk__in=Article.objects.published().values("pk")))


def can_edit(user, article):
    """Editors edit anything; writers only their own drafts."""
    if is_editor(user):
        return True
    return article.status == Article.Status.DRAFT and is_own(article, user)


def available_actions(user, article):
    """The workflow buttons this user may press on this story now."""
    status, S = article.status, Article.Status
    actions = []
    if status == S.DRAFT and (is_editor(user) or is_own(article, user)):
        actions.append(Action.SUBMIT)
    if is_editor(user):
        if status != S.PUBLISHED or article.is_scheduled:
            actions += [Action.PUBLISH, Action.SCHEDULE]
        if status == S.PUBLISHED:
            actions.append(Action.UNPUBLISH)
        if status != S.DRAFT:
            actions.append(Action.SEND_BACK)
    return actions


def publishing_warnings(article):
    """Things an editor should know before publishing that do not block it."""
    warnings = []
    if not (article.seo_description or article.dek):
        warnings.append(
            "There is no search engine description or standfirst: search results will "
            "show a snippet of their own choosing."
        )
    if not article.hero_id:
        instead = "a card with its headline"
        if article.show_id and article.show.poster_id:
            instead = f"the key art of {article.show.title}"
        warnings.append(f"There is no hero image: its card and shares will show {instead}.")
    return warnings


def transition(*, article, user, action, when=None, note=""):
    """Apply ``action`` to ``article`` in memory (the caller saves it).

    Raises PermissionDenied when the user's role does not allow it and
    ValidationError when the story is not in a state to take it.
    """
    if action not in Action.LABELS:
        raise ValidationError(f"Unknown action “{action}”.")
    if action not in available_actions(user, article):
        if action in Action.EDITORS_ONLY and not is_editor(user):
            raise PermissionDenied("Only editors can publish, schedule, unpublish or send back.")
        if not is_editor(user) and not is_own(article, user):
            raise PermissionDenied("You can only submit your own stories.")
        raise ValidationError(
            f"This story is {article.get_status_display().lower()}, so it cannot be "
            f"{Action.DONE[action]} now."
        )

    S = Article.Status
    warnings = []
    if action == Action.SUBMIT:
        article.status = S.IN_REVIEW
        article.editor_note = ""
        message = "Submitted for review. An editor will look at it next."
        event = "Submitted for review"
    elif action in (Action.PUBLISH, Action.SCHEDULE):
        now = timezone.now()
        if action == Action.SCHEDULE:
            if when is None:
                raise ValidationError("Pick the date and time to publish at.")
            if when <= now:
                raise ValidationError("A scheduled time must be in the future.")
        article.status = S.PUBLISHED
        article.publish_at = when if action == Action.SCHEDULE else now
        # The editor read it against its shows' facts as they are now: a change between
        # now and a scheduled time puts it on the desk's list once it is out.
        mark_facts_checked(article=article)
        warnings = publishing_warnings(article)
        if action == Action.SCHEDULE:
            event = f"Scheduled for {timezone.localtime(when):%d %b %Y at %H:%M %Z}"
            message = f"{event}."
        else:
            event, message = "Published", "Published. It is live now."
    elif action == Action.UNPUBLISH:
        article.status = S.DRAFT
        message = "Unpublished. Readers can no longer see it."
        event = "Unpublished"
    else:  # SEND_BACK
        article.status = S.DRAFT
        article.editor_note = note.strip()
        message = "Sent back to the writer as a draft."
        event = f"Sent back: {article.editor_note}" if article.editor_note else "Sent back"
    article._change_reason = event[:100]  # what the story's revision history calls it
    return Outcome(message=message, warnings=warnings)


def apply(*, article, user, action, when=None, note=""):
    """``transition`` plus the checks a publish needs and a save: for bulk actions. A
    story taken off the site this way loses its unpublished changes (the story form,
    which shows them, keeps them by unpublishing with them)."""
    outcome = transition(article=article, user=user, action=action, when=when, note=note)
    article.full_clean()
    article.save()
    if action in (Action.UNPUBLISH, Action.SEND_BACK):
        if discard_changes(article=article):
            outcome.warnings.append(
                f"“{article.title}” had unpublished changes; they were thrown away with it."
            )
    revisions.record_relations(article)
    notify_later(article=article, action=action, by=user)
    return outcome


# Work not yet on the story: autosaves, drafts of live stories, who is editing ----------

# Form fields an autosave never keeps: the form's own bookkeeping and its buttons.
# (The form's edit and draft tokens are kept: a recovered autosave is saved as the form
# it came from, so a save made by someone else meanwhile is never written over.)
NOT_KEPT = {"csrfmiddlewaretoken", "was_live", "restored_from", "overwrite"}
PRESENT_FOR = timedelta(seconds=45)  # the form pings every 15 seconds while open


def kept_fields(data):
    """The form as posted ({name: [values]}), without its bookkeeping."""
    return {
        name: values
        for name, values in data.lists()
        if name not in NOT_KEPT and not name.startswith("_")
    }


def _upsert(lookup, defaults):
    """update_or_create that survives two requests creating the same row at once."""
    try:
        with transaction.atomic():
            return StoryDraft.objects.update_or_create(**lookup, defaults=defaults)[0]
    except IntegrityError:
        return StoryDraft.objects.update_or_create(**lookup, defaults=defaults)[0]


def _autosave_key(user, article, story_kind):
    """Which autosave is ``user``'s of ``article``, or of their new story of a kind."""
    key = {"saved_by": user, "kind": StoryDraft.Kind.AUTOSAVE, "article": article}
    if article is None:
        key["story_kind"] = story_kind
    return key


def autosave(*, user, data, article=None, story_kind=None):
    """Keep the form as it stands as ``user``'s autosave of ``article`` (or of a new
    story of ``story_kind``). The story itself, and so every page, is left alone."""
    return _upsert(
        _autosave_key(user, article, story_kind),
        {
            "data": kept_fields(data),
            "saved_at": timezone.now(),
            "story_kind": article.kind if article else story_kind,
        },
    )


def autosave_of(*, user, article=None, story_kind=None):
    return StoryDraft.objects.filter(**_autosave_key(user, article, story_kind)).first()


def forget_autosave(*, user, article=None, story_kind=None):
    """The work is saved (or thrown away): its autosave is no longer needed."""
    StoryDraft.objects.filter(**_autosave_key(user, article, story_kind)).delete()


def save_changes(*, article, user, data, snapshot):
    """Keep changes to a live story without publishing them: readers keep seeing the
    story as it is; previews and share links show the changes."""
    if not is_editor(user):
        raise PermissionDenied("Only editors can change a published story.")
    article._pending_changes = _upsert(
        {"article": article, "kind": StoryDraft.Kind.CHANGES},
        {
            "data": kept_fields(data),
            "snapshot": snapshot,
            "saved_by": user,
            "saved_at": timezone.now(),
            "story_kind": article.kind,
        },
    )
    return article._pending_changes


def pending_changes(article):
    """The unpublished changes to a live story, if an editor saved some. Read once for a
    story object (the form, its stale-save check and the panel all ask)."""
    if not hasattr(article, "_pending_changes"):
        changes = StoryDraft.objects.filter(article=article, kind=StoryDraft.Kind.CHANGES)
        article._pending_changes = (
            changes.select_related("saved_by").first() if article.pk else None
        )
    return article._pending_changes


def discard_changes(*, article, user=None):
    """Throw away the unpublished changes to a story (an editor's choice when ``user``
    is given; publishing or unpublishing the story otherwise)."""
    if user is not None and not is_editor(user):
        raise PermissionDenied("Only editors can discard changes to a published story.")
    dropped, _ = StoryDraft.objects.filter(article=article, kind=StoryDraft.Kind.CHANGES).delete()
    article._pending_changes = None
    return dropped


def display_name(user, default="Someone"):
    """How the desk names a person: their full name, else their user name."""
    return (user.get_full_name() or user.get_username()) if user else default


def here(*, article, user):
    """``user`` has the story's form open now; returns the others who have."""
    EditingPresence.objects.update_or_create(
        article=article, user=user, defaults={"seen_at": timezone.now()}
    )
    return also_editing(article=article, user=user)


def also_editing(*, article, user):
    return list(
        EditingPresence.objects.filter(article=article, seen_at__gte=timezone.now() - PRESENT_FOR)
        .exclude(user=user)
        .select_related("user")
        .order_by("seen_at")
    )


def left(*, article, user):
    EditingPresence.objects.filter(article=article, user=user).delete()


# Tags -------------------------------------------------------------------------------


def merge_tags(*, into, tags):
    """Fold ``tags`` into ``into``: every story keeps all its tags (with ``into`` in place
    of the others), and the old tags' pages and feeds redirect to ``into``'s. Returns the
    names merged."""
    site = Site.objects.get_current()
    names = []
    with transaction.atomic():
        for tag in tags:
            if tag.pk == into.pk:
                continue
            has_into = TaggedArticle.objects.filter(tag=into).values("content_object_id")
            moved = TaggedArticle.objects.filter(tag=tag)
            moved.exclude(content_object_id__in=has_into).update(tag=into)
            old, new = tag.get_absolute_url(), into.get_absolute_url()
            for old_path, new_path in ((old, new), (f"{old}feed/", f"{new}feed/")):
                Redirect.objects.update_or_create(
                    site=site, old_path=old_path, defaults={"new_path": new_path}
                )
            # Addresses that pointed at the old tag point straight at the new one.
            Redirect.objects.filter(site=site, new_path=old).update(new_path=new)
            Redirect.objects.filter(site=site, new_path=f"{old}feed/").update(
                new_path=f"{new}feed/"
            )
            names.append(tag.name)
            tag.delete()
        Tag.objects.filter(pk=into.pk).update(updated_at=timezone.now())
    return names


# Telling people ---------------------------------------------------------------------

WHO_HEARS = {  # who is emailed when a story moves, and what it is called
    Action.SUBMIT: ("editors", "submitted for review"),
    Action.SEND_BACK: ("writers", "sent back to you"),
    Action.SCHEDULE: ("writers", "scheduled"),
    Action.PUBLISH: ("writers", "published"),
}


def recipients(*, article, action, by):
    """The addresses to tell: every editor when a story is submitted; the story's
    writers when it is sent back, scheduled or published. Never the one who did it."""
    audience, _ = WHO_HEARS[action]
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if audience == "editors":
        app_label, codename = PUBLISH_PERMISSION.split(".")
        granted = Permission.objects.filter(codename=codename, content_type__app_label=app_label)
        users = users.filter(
            Q(is_superuser=True)
            | Q(groups__permissions__in=granted)
            | Q(user_permissions__in=granted)
        )
    else:
        users = users.filter(Q(writer__bylines__article=article) | Q(pk=article.created_by_id))
    return sorted(set(users.exclude(pk=by.pk).values_list("email", flat=True)))


def notify(*, article, action, by):
    """Email the people who need to know that ``by`` moved the story. A failed email is
    logged and reported, never raised: the story has moved whatever the mail server
    says. Returns whether every email went."""
    if action not in WHO_HEARS:
        return True
    try:
        to = recipients(article=article, action=action, by=by)
        if not to:
            return True
        _, done = WHO_HEARS[action]
        name = display_name(by)
        link = f"https://{settings.SITE_DOMAIN}" + reverse(
            f"admin:articles_{article._meta.model_name}_change", args=[article.pk]
        )
        lines = [f"“{article.title}” was {done} by {name}."]
        if action == Action.SCHEDULE:
            lines.append(
                f"It goes live {timezone.localtime(article.publish_at):%d %b %Y at %H:%M %Z}."
            )
        if action == Action.SEND_BACK and article.editor_note:
            lines.append(f"Note from the editor:\n{article.editor_note}")
        lines.append(f"Open it on the desk: {link}")
        send_mail(
            subject=f"{article.title}: {done}"[:150],
            message="\n\n".join(lines),
            from_email=None,
            recipient_list=to,
        )
        return True
    except Exception:  # a mail server down or refusing must not undo the story's move
        logger.exception("Could not email about story %s (%s)", article.pk, action)
        return False


def notify_later(*, article, action, by, failed=None):
    """``notify`` once the move is saved for good (never for a save that rolled back);
    ``failed`` is called if the email could not be sent."""

    def send():
        if not notify(article=article, action=action, by=by) and failed:
            failed()

    transaction.on_commit(send)


# Honest dates, corrections and facts that moved on ------------------------------------


def mark_updated(*, article, when=None):
    """An editor says a change matters to readers: the story shows "Updated" with this
    time, and feeds, search engines and sitemaps are told (the caller saves)."""
    article.revised_at = when or timezone.now()


def mark_facts_checked(*, article, when=None):
    """An editor has read the story against its shows' facts as they are now and found it
    still right: the desk stops listing it until the facts change again (the caller saves)."""
    article.facts_checked_at = when or timezone.now()


def add_note(*, article, user, kind, text, when=None):
    """Add a correction, clarification or update to a published story, dated now (or
    ``when``), and mark the story updated (see ``noted``)."""
    if not article.is_public:
        raise ValidationError(
            "Only a story readers can see takes corrections and updates; change a draft "
            "or a scheduled story instead."
        )
    note = Correction(
        article=article, kind=kind, text=text, noted_at=when or timezone.now(), created_by=user
    )
    note.full_clean()
    note.save()
    noted(article=article, notes=[note])
    return note


def noted(*, article, notes):
    """After notes were added to a story (``add_note``, or the story form): it is updated
    as of the newest note, an update note also says its facts were checked, and the
    story's revision history records what was added."""
    newest = max(note.noted_at for note in notes)
    mark_updated(article=article, when=max(newest, article.revised_at or newest))
    fields = ["revised_at", "updated_at"]
    if any(note.kind == Correction.Kind.UPDATE for note in notes):
        mark_facts_checked(article=article, when=newest)
        fields.append("facts_checked_at")
    article._change_reason = "; ".join(
        f"Added {note.get_kind_display().lower()}: {note.text}" for note in notes
    )[:100]
    article.save(update_fields=fields)


def with_fact_changes(stories):
    """``stories`` (from Article.objects.with_stale_facts()) as a list, each with
    ``fact_changes``: what changed in its shows since it was last checked, oldest first.
    Three queries, however many stories and changes."""
    stories = list(stories)
    shows_of = {}
    for article_id, show_id in Article.shows.through.objects.filter(
        article_id__in=[story.pk for story in stories]
    ).values_list("article_id", "show_id"):
        shows_of.setdefault(article_id, set()).add(show_id)
    changes = list(
        FactChange.objects.filter(
            show_id__in=set().union(*shows_of.values()),
            changed_at__gt=min(story.checked_at for story in stories),
        ).select_related("show")
        if shows_of
        else []
    )
    for story in stories:
        shows = shows_of.get(story.pk, set())
        story.fact_changes = [
            change
            for change in changes
            if change.show_id in shows and change.changed_at > story.checked_at
        ]
    return stories
