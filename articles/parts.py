"""The parts of a story page made from the story alone, kept between generations.

Any change readers could see makes a new generation (newsroom/freshness.py), and every
page is made again for its next reader; most changes are to other stories. A story
page's head (Open Graph and structured data) and its text, with the headline, byline,
rail, notes, tags and writers, are made only from the story, its byline, tags and
notes, and its show's facts. They are kept under the story's own token, which its
changes renew, the ``shows`` token (the show's card and facts are among them) and the
``stories`` token (a renamed writer or tag, a change in bulk, anything unsure). Its
"Also read" list is kept under those and its show's token. After another story's edit,
the page is made again without reading or rendering any of that; the latest stories,
"Since this story" and the review's comparison table (under its own tokens) are made
as before.

Parts are kept only from rows anyone may read: not while the page is read from a read
replica (it may lag behind the token), nor inside a transaction that changed something
(it may be rolled back), nor with a social card that could not be drawn this time.

Templates mark the parts with ``{% part "name" %}…{% endpart %}`` (templatetags/site.py).
Previews and share links keep none: what they show is not what readers see.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS


def token_key(kind, slug):
    """Where the token of the story at an address is kept (newsroom/freshness.py renews
    it): by kind and slug, so that a page can find its parts before it reads the story."""
    return "story-token:" + hashlib.sha256(f"{kind}/{slug}".encode()).hexdigest()[:32]


def story_token(kind, slug):
    """The token of a story's parts: a new one if the cache has lost it, and None if the
    cache keeps nothing (then no part is kept)."""
    return _token(token_key(kind, slug))


def show_key(pk):
    """Where the token of a show's stories is kept, for the "Also read" lists of the
    stories about it (newsroom/freshness.py renews it)."""
    return f"show-stories-token:{pk}"


def kept_tokens(keys, make):
    """The tokens kept under ``keys``, by key: one the cache has lost is made anew
    (``make()``) and added, then read again (if two processes add at once, the first
    wins for both). A key a cache that keeps nothing leaves out has no token."""
    found = cache.get_many(keys)
    lost = [key for key in keys if key not in found]
    for key in lost:
        cache.add(key, make(), timeout=None)
    if lost:
        found.update(cache.get_many(lost))
    return found


def _token(key):
    return kept_tokens([key], lambda: uuid.uuid4().hex).get(key)


class StoryParts:
    """The kept parts of a story's page, looked up before the story is read (a render
    from data read before a change is then kept under a token the change replaces):
    ``found`` if they are in the cache (None if not), and the parts ``made`` while the
    page renders, kept once it has rendered."""

    def __init__(self, request, kind, slug):
        self.key, self.pk, self.may_keep = None, None, False
        self.found, self.made = None, {}
        # The generation the page is served from (newsroom's page cache sets it on every
        # request); without it, or with a cache that keeps nothing, every part is made.
        state = getattr(request, "freshness", None)
        if state is None:
            return
        # The generation first: reading it renews whatever this thread still owes.
        tokens = (state["stories"], state["shows"])
        token = story_token(kind, slug)
        if token is None:
            return
        self.may_keep = state.settled() and (
            getattr(request, "database", DEFAULT_DB_ALIAS) == DEFAULT_DB_ALIAS
        )
        # Scheme, host and path: the parts hold the page's own absolute address.
        address = request.build_absolute_uri(request.path)
        inputs = (kind, slug, token, *tokens, address)
        self.key = "story-parts:" + hashlib.sha256(repr(inputs).encode()).hexdigest()
        self.found = cache.get(self.key)

    @property
    def cached(self):
        return self.found is not None

    def are_for(self, article):
        """Whether the parts found are ``article``'s (the story at that address when they
        were made is the one there now, unless the cache is wrong): else none are used."""
        self.pk = article.pk
        if self.found is not None and self.found.get("pk") != article.pk:
            self.found = None
        return self.cached

    def also_read(self, article, make):
        """The story's "Also read" list, ``make(article)``, kept under the story's token
        (its picks), its show's (the newest stories about it) and the stories token (a
        scheduled story coming out renews it); the show's token is read before the list
        is made."""
        show = _token(show_key(article.show_id)) if self.key and article.show_id else ""
        if self.key is None or self.pk != article.pk or show is None:
            return make(article)
        inputs = (self.key, show, article.pk)
        key = "also-read:" + hashlib.sha256(repr(inputs).encode()).hexdigest()
        found = cache.get(key)
        if found is None:
            found = make(article)
            if self.may_keep:
                cache.set(key, found, settings.PAGE_CACHE_TIMEOUT)
        return found

    def get(self, name):
        return self.found.get(name) if self.found else None

    def keep(self, name, html):
        self.made[name] = html

    def spoil(self):
        """Keep nothing of this page (a part came out as it should not stay)."""
        self.may_keep = False

    def save(self, response):
        """Keep the parts a page has made (a post-render callback: returns nothing)."""
        if self.may_keep and self.made and not self.found:
            cache.set(self.key, {"pk": self.pk, **self.made}, settings.PAGE_CACHE_TIMEOUT)
