"""The publishing workflow: who may move a story where, and what must hold first.

Every route into the workflow (the buttons on the story form, the bulk
actions in the list, a forged POST) goes through ``transition``, which
checks the user's role before it changes anything.

    draft ──submit──▶ in review ──publish / schedule──▶ published
      ▲                   │                                 │
      └──── send back ────┘◀──────── unpublish ─────────────┘
"""

from dataclasses import dataclass, field
from importlib import import_module

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone

from shows.models import FactChange

from .models import Article, Byline, Correction

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
        message = (
            f"Scheduled for {timezone.localtime(when):%d %b %Y at %H:%M}."
            if action == Action.SCHEDULE
            else "Published. It is live now."
        )
    elif action == Action.UNPUBLISH:
        article.status = S.DRAFT
        message = "Unpublished. Readers can no longer see it."
    else:  # SEND_BACK
        article.status = S.DRAFT
        article.editor_note = note.strip()
        message = "Sent back to the writer as a draft."
    return Outcome(message=message, warnings=warnings)


def apply(*, article, user, action, when=None, note=""):
    """``transition`` plus the checks a publish needs and a save: for bulk actions."""
    outcome = transition(article=article, user=user, action=action, when=when, note=note)
    article.full_clean()
    article.save()
    return outcome


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
