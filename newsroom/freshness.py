"""One rule keeps every cached page fresh: whatever readers could see changes, the whole
page cache is replaced, from the next request on, on every app server.

The rule is a *generation*: a random token kept in the shared cache. Every cached
page is stored under the generation current when it was rendered (see pagecache.py).
A change readers could see (any save, delete or bulk write of a model of ``images``,
``people``, ``shows`` or ``articles``, however it is made: see images.changes) makes a new
generation, and every page stored under the old one is never served again. Nothing
lists which pages show what, so nothing can be forgotten: a renamed writer is gone
from story pages, feeds and the home page alike. (Invalidation by generation is easier
to prove right than purging lists of URLs; the price is that any change empties the
cache, which at a newsroom's pace of a change a minute costs little.)

Parts of pages that show only a show's facts (its cast, seasons, status) are cached
too, under a second token, ``shows``, which changes only with the records they are made
from: anything in ``shows``, and people (not writers). The comparison table of a review also shows
our ratings, so it is cached under ``shows`` and a third token, ``reviews``, which
changes with any review. Editing a news story renders its page again, but not the facts
box of the show it is about.

The parts of a story page made from the story alone (its headline, text, byline, tags
and notes: articles/parts.py) are cached under a token of that story, which changes
whenever the story, its byline, tags or notes change, and under the ``shows`` token
(the show's card sits among them) and a fourth token, ``stories``, which changes with
anything else a story page shows and no story owns (a renamed writer or tag, a change
made in bulk, a deleted story, anything unsure). Its "Also read" list is kept under
those and a token of its show, which changes with any story about the show; a change
to a story renews the tokens of the stories that pick it too. Editing one story renders
the others' pages again, but not their text.

A scheduled story needs no change to appear: it becomes visible when its time comes (and
a lead story leaves the top of the home page when its time there ends). So the
generation also carries the time of the next such change, and the first request at or
after that time makes a new generation itself. No worker, no cron.

A change made outside a transaction makes a new generation at once. Inside one, it is
made twice, however many rows the transaction writes: before this thread next reads the
generation (only this thread's connection sees the change before the commit), and again
when the transaction commits, so that no page rendered from the data before the commit
(by a reader quicker than the commit) outlives it. A demo load or an import of a
thousand rows in one transaction empties the cache (and calls a CDN's purge hook) once,
not a thousand times.

With a read replica (replica.py), a generation also carries how far the primary's log
had got when it was made: a page stored under it is read from the replica only if the
replica has replayed that far, so a lagging replica never fills the new generation
with the old rows.
"""

import threading
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Q
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_delete,
    pre_save,
)
from django.dispatch import Signal
from django.utils import timezone
from simple_history.models import HistoricalChanges

from articles import parts
from images.changes import content_changed

from . import replica

STATE_KEY = "freshness"
TOKENS = ("shows", "reviews", "stories")
# What a generation written by this release says of itself: its tokens are kept apart.
# (One written before is made again, rather than read without the tokens it held.)
FORMAT = {"tokens": "apart"}
WATCHED_APPS = ("images", "people", "shows", "articles", "flatpages", "sites", "redirects")

# Sent whenever every cached page becomes out of date: the hook for a proxy or CDN in
# front (connect a receiver that purges it; see the README). Nothing in Newsroom needs it.
pages_invalidated = Signal()


def _next_change_due():
    """When a page next changes by itself: a scheduled story comes out, or a lead story's
    time at the top of the home page ends (Article.LEAD_FOR after it came out)."""
    from articles.models import Article

    now = timezone.now()
    # From the primary, even while a page is read from the replica (replica.py).
    published = Article.objects.using(DEFAULT_DB_ALIAS).filter(status=Article.Status.PUBLISHED)
    coming = published.filter(publish_at__gt=now).order_by("publish_at")
    leading = published.filter(
        featured=True, publish_at__gt=now - Article.LEAD_FOR, publish_at__lte=now
    ).order_by("publish_at")
    upcoming = coming.values_list("publish_at", flat=True).first()
    lead_since = leading.values_list("publish_at", flat=True).first()
    lead_ends = lead_since + Article.LEAD_FOR if lead_since else None
    return min((time for time in (upcoming, lead_ends) if time), default=None)


def renew(*, shows=True, reviews=True, stories=True, story_ids=(), show_ids=()):
    """Make a new generation (and look up the next scheduled publish for it); the facts
    and stories tokens too, if the change can touch them, and the tokens of the stories
    in ``story_ids`` and the shows in ``show_ids`` (see _renew_stories)."""
    # Pages of this generation, and parts under these tokens, are read from the replica
    # only once it has replayed this far (replica.py): past the change behind them.
    # (Inside a transaction the change is not committed yet, but the generation is made
    # again once it is.)
    position = replica.primary_position() if settings.READ_REPLICA else None
    touched = {"shows": shows, "reviews": reviews, "stories": stories}
    # Each token in a key of its own, written alone: two renewals at once cannot undo
    # each other. The tokens first: whoever reads the new generation reads them too.
    tokens = {_token_key(name): (uuid.uuid4().hex, position) for name in TOKENS if touched[name]}
    if story_ids or show_ids:
        tokens.update(_renew_stories(story_ids, show_ids))
    cache.set_many(tokens, timeout=None)
    state = {"generation": uuid.uuid4().hex, "next_publish": _next_change_due(), **FORMAT}
    if position is not None:
        state["wal_position"] = position
    cache.set(STATE_KEY, state, timeout=None)
    pages_invalidated.send(sender=None, generation=state["generation"])
    return State(state)


def _token_key(name):
    return f"freshness:{name}"


class State(dict):
    """The generation a page is served from: ``generation``, ``next_publish`` and (with a
    replica) ``wal_position``. The tokens (``shows``, ``reviews``, ``stories``) are read
    when first asked for (a cached page needs none of them), or by read_tokens()."""

    def __missing__(self, name):
        if name not in TOKENS:
            raise KeyError(name)
        self.read_tokens()
        return self[name]

    def read_tokens(self):
        """Read the tokens now: before a page is read from the replica, whose position
        must then be past the change behind each of them too (``wal_position``). A
        thread that owes a renewal gets tokens nothing is kept under."""
        if not self.settled():
            self.update({token: uuid.uuid4().hex for token in TOKENS})
            return
        keys = [_token_key(token) for token in TOKENS]
        found = parts.kept_tokens(keys, lambda: (uuid.uuid4().hex, None))
        positions = [self.get("wal_position")]
        for token, key in zip(TOKENS, keys, strict=True):
            value, position = found.get(key) or (uuid.uuid4().hex, None)  # keeps nothing
            self[token] = value
            positions.append(position)
        positions = [position for position in positions if position]
        if positions:
            self["wal_position"] = max(positions, key=replica.position)

    @staticmethod
    def settled():
        """Whether this thread owes no renewal: what it reads is what others may read.
        (Inside a transaction that changed something, it reads its own changes, which
        may yet be rolled back: nothing made from them may be kept.)"""
        return not (_pending.on_commit and transaction.get_connection().in_atomic_block)


def _renew_stories(story_ids, show_ids):
    """New tokens (by key) for the stories in ``story_ids`` and for those that pick them
    for "Also read" (by their addresses as they are now: the ones their pages are read
    from), and for the shows they are about and were about (``show_ids``), whose stories
    "Also read" lists (see articles/parts.py)."""
    from articles.models import Article

    articles = Article.objects.using(DEFAULT_DB_ALIAS)
    picks = Article.related.through.objects.using(DEFAULT_DB_ALIAS)
    about = Article.shows.through.objects.using(DEFAULT_DB_ALIAS)
    pickers = picks.filter(to_article_id__in=story_ids).values("from_article_id")
    addresses = articles.filter(Q(pk__in=story_ids) | Q(pk__in=pickers))
    shows = about.filter(article_id__in=story_ids).values_list("show_id", flat=True)
    tokens = {
        parts.token_key(kind, slug): uuid.uuid4().hex
        for kind, slug in addresses.values_list("kind", "slug")
    }
    tokens.update({parts.show_key(pk): uuid.uuid4().hex for pk in {*show_ids, *shows}})
    return tokens


def current():
    """The generation pages are served from now: a new one if this thread changed
    something since it last asked, or a scheduled story has become due (or the cache
    lost the state)."""
    if _pending.on_commit and not transaction.get_connection().in_atomic_block:
        # The transaction that owed these ended without a commit (rolled back): what it
        # read of its own changes may be in the cache, so renew once, then owe nothing.
        touches, _pending.on_commit, _pending.now = _pending.on_commit, {}, {}
        return renew(**touches)
    if _pending.now:
        touches, _pending.now = _pending.now, {}
        return renew(**touches)
    state = cache.get(STATE_KEY)
    if state is None or state.get("tokens") != FORMAT["tokens"]:
        return renew()
    due = state["next_publish"]
    if due is not None and timezone.now() >= due:
        return renew()
    return State(state)


def for_request(request):
    """The generation a request is served from: read once a request."""
    if getattr(request, "freshness", None) is None:
        request.freshness = current()
    return request.freshness


class _Pending(threading.local):
    """Renewals this thread owes, inside a transaction: before its next read of the
    generation (``now``), and once it commits (``on_commit``); each maps a token to
    whether it must be renewed, and ``story_ids`` and ``show_ids`` to the stories and
    shows whose tokens must be."""

    def __init__(self):
        self.now, self.on_commit = {}, {}


_pending = _Pending()


def changed(sender=None, instance=None, signal=None, show_ids=(), **kwargs):
    """Something readers could see changed (a signal receiver, or call it directly);
    ``show_ids``: shows a story has just been taken off (m2m_changed)."""
    touches = {
        "shows": _touches_shows(sender),
        "reviews": _touches_reviews(sender, instance),
        **_touches_stories(sender, instance, signal, **kwargs),
    }
    if show_ids:
        touches["show_ids"] = frozenset(show_ids)
    if not transaction.get_connection().in_atomic_block:
        renew(**touches)
        return
    for owed in (_pending.now, _pending.on_commit):
        for token, touched in touches.items():
            if token in ("story_ids", "show_ids"):
                owed[token] = owed.get(token, frozenset()) | touched
            else:
                owed[token] = owed.get(token, False) or touched
    # One callback a change, in case a savepoint that registered an earlier one is rolled
    # back; the first to run renews for them all.
    transaction.on_commit(_committed)


def _committed():
    if _pending.on_commit:
        touches, _pending.on_commit, _pending.now = _pending.on_commit, {}, {}
        renew(**touches)


def _touches_shows(sender):
    """Whether a change can alter a show's facts: anything in shows, a person or an
    image (a poster, a photo in the cast; a writer's byline is no fact of a show);
    unsure: yes."""
    if sender is None:
        return True
    return sender._meta.app_label in ("shows", "images") or sender._meta.label == "people.Person"


def _touches_reviews(sender, instance):
    """Whether a change can alter the ratings a comparison table shows (unsure: yes)."""
    if sender is None:
        return True
    if sender._meta.app_label != "articles":
        return False
    if sender._meta.model_name in ("byline", "taggedarticle", "tag") or sender._meta.auto_created:
        return False
    kind = getattr(instance, "kind", None)
    return kind is None or kind == "review"


# The rows that belong to one story, by the field holding the story's id.
STORY_OF = {
    "articles.Byline": "article_id",
    "articles.Correction": "article_id",
    "articles.TaggedArticle": "content_object_id",
    "articles.Article_related": "from_article_id",  # its picks for "Also read"
    "articles.Article_shows": "article_id",
    "articles.Article_people": "article_id",
}
BEFORE = "_newsroom_story_before"  # the story a row belonged to before it was written


def _touches_stories(sender, instance, signal=None, created=False, raw=False, **kwargs):
    """Which stories' own parts a change can alter: some stories' (``story_ids``), or
    every story's (``stories``). A show's facts reach them through the ``shows`` token,
    and a story's revision is kept with the save that changes the story. A deleted story
    may be in any "Also read" list, and is no longer there to ask; unsure: every story's."""
    from articles.models import Article

    if sender is not None and issubclass(sender, HistoricalChanges):
        return {"stories": False}
    if signal is post_delete and isinstance(instance, Article):
        return {"stories": True}
    stories = None if raw else _stories_of(sender, instance, created)
    if stories:
        return {"stories": False, "story_ids": frozenset(stories)}
    if sender is not None and _touches_shows(sender):
        return {"stories": False}
    return {"stories": True}


def _stories_of(sender, instance, created):
    """The ids of the stories a change belongs to (a note, byline or tagging moved from
    one story to another belongs to both), or None if it cannot tell."""
    from articles.models import Article

    if isinstance(instance, Article):  # the story, or one of its lists changed from its side
        return {instance.pk}
    field = STORY_OF.get(sender._meta.label) if sender is not None else None
    if field is None or not isinstance(instance, sender):
        return None
    story, before = getattr(instance, field), instance.__dict__.pop(BEFORE, False)
    if created:
        return {story}
    if before is False:  # written without pre_save or pre_delete: where it was is unknown
        return None
    return {story, before} - {None}


def _before_written(sender, instance, raw=False, using=DEFAULT_DB_ALIAS, **kwargs):
    """Which story a row of a story's list belongs to in the database, as it is about to
    be written or deleted (pre_save, pre_delete): the copy in hand may be out of date."""
    field = STORY_OF[sender._meta.label]
    rows = sender._base_manager.using(using).filter(pk=instance.pk)
    instance.__dict__[BEFORE] = (
        rows.values_list(field, flat=True).first() if instance.pk is not None else None
    )


def watch():  # pragma: no mutate block (runs once, at start-up)
    """Connect the rule to every write path of the watched apps (NewsroomConfig.ready)."""
    from django.apps import apps

    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if getattr(model, "private_to_the_desk", False):  # autosaves, who is editing
                continue
            uid = f"freshness-{model._meta.label}"
            post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}-save")
            post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}-delete")
            m2m_changed.connect(_m2m_changed, sender=model, weak=False, dispatch_uid=f"{uid}-m2m")
    for label in STORY_OF:
        model, uid = apps.get_model(label), f"freshness-{label}-before"
        pre_save.connect(_before_written, sender=model, weak=False, dispatch_uid=f"{uid}-save")
        pre_delete.connect(_before_written, sender=model, weak=False, dispatch_uid=f"{uid}-delete")
    content_changed.connect(changed, weak=False, dispatch_uid="freshness-bulk")
    post_migrate.connect(_migrated, weak=False, dispatch_uid="freshness-migrate")


def _migrated(**kwargs):
    changed()


def _m2m_changed(sender, action, instance, reverse, model, pk_set, **kwargs):
    """A list changed from a story's side (its tags, shows, people, picks) is that
    story's change, and the shows it is taken off are those shows' too; changed from the
    other side, or cleared (which names nothing), anyone's."""
    if not action.startswith("post_"):
        return
    off_shows = model._meta.label == "shows.Show" and action == "post_remove"
    if reverse or action == "post_clear":
        changed(sender=sender)
    else:
        changed(sender=sender, instance=instance, show_ids=pk_set if off_shows else ())
