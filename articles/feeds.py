"""RSS 2.0 and Atom feeds for every list on the site.

One base class, ``StoryFeed``, does the work; each subclass says which
stories it holds and what its channel is called. Items carry every writer of
the byline, the kind and tags as categories, the full sanitised body with
absolute URLs (spoilers replaced by a link), the hero image as media:content
and enclosure, and a guid built on the primary key, so it survives a new slug
or section.

Feed readers poll often: the page cache (newsroom/pagecache.py) answers them,
with an ETag of the feed's own bytes, so a 304 is never sent for a feed whose
stories, names or tags have changed since the reader's copy.
"""

import io
import mimetypes
import re
from dataclasses import dataclass, field
from datetime import datetime, time

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.files.storage import default_storage
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.views.decorators.cache import cache_control

from people.models import Person, Writer
from people.text import clean_tree
from shows.models import Show, StatusChange

from .markdown import strip_spoilers
from .models import Article, Correction, Tag
from .views import SECTION_KINDS, SECTION_TITLES

SITE_NAME = "Newsroom"
MEDIA_NS = "http://search.yahoo.com/mrss/"
_RELATIVE_URL = re.compile(r'(\s(?:href|src))="/(?!/)')


def guid(kind, pk):
    return f"tag:{settings.FEED_ID_AUTHORITY},2026:{kind}/{pk}"


# Generators ---------------------------------------------------------------


class CleanXml:
    """Write only characters XML allows, whatever is stored: a vertical tab pasted into
    a headline, or U+FFFF from an import, must not stop the feed (see people.text)."""

    def write(self, outfile, encoding):
        self.feed = clean_tree(self.feed)
        self.items = [clean_tree(item) for item in self.items]
        super().write(outfile, encoding)


class NewsroomRss(CleanXml, Rss201rev2Feed):
    def write(self, outfile, encoding):
        """RSS readers may take any element for HTML, so a "<" in a headline is written as
        a character reference (the same XML, but no reader mistakes it for markup, and the
        W3C validator asks for it)."""
        text = io.StringIO()
        super().write(text, encoding)
        outfile.write(text.getvalue().replace("&lt;", "&#x3C;").replace("&gt;", "&#x3E;"))

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:dc": "http://purl.org/dc/elements/1.1/",
            "xmlns:media": MEDIA_NS,
        }

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        handler.startElement("image", {})
        handler.addQuickElement("url", self.feed["image"])
        handler.addQuickElement("title", self.feed["title"])
        handler.addQuickElement("link", self.feed["link"])
        handler.endElement("image")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item["creators"]:
            handler.addQuickElement("dc:creator", name)
        if item["content"]:
            handler.addQuickElement("content:encoded", item["content"])
        if item["media"]:
            handler.addQuickElement("media:content", "", item["media"])


class NewsroomAtom(CleanXml, Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        handler.addQuickElement("icon", self.feed["image"])
        handler.addQuickElement("logo", self.feed["image"])

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, uri in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            if uri:
                handler.addQuickElement("uri", uri)
            handler.endElement("author")
        if item["content"]:
            handler.addQuickElement("content", item["content"], {"type": "html"})
        if item["media"]:
            handler.addQuickElement("media:content", "", item["media"])


def payload_of(content):
    """An item that is no story (a decision, a correction): its text, and no picture or
    byline."""
    return {"content": content, "media": None, "creators": [], "authors": []}


# The shared base -----------------------------------------------------------


@dataclass
class FeedContext:
    """What one request's feed is about. Feed instances are shared across threads,
    so nothing request-specific is ever stored on them."""

    request: object
    subject: object = None
    extra: dict = field(default_factory=dict)

    def absolute(self, path):
        return self.request.build_absolute_uri(path)


class StoryFeed(Feed):
    """A feed of published stories. Subclasses set the title and filter the stories."""

    feed_type = NewsroomRss
    summary = "Reviews, explainers and renewal news about television."

    # What the feed is about: a model found by slug, and the story relation to it.
    subject_model = None
    story_lookup = None

    def get_subject(self, slug=None, **kwargs):
        return get_object_or_404(self.subject_model, slug=slug) if self.subject_model else None

    def stories(self, subject):
        stories = Article.objects.published()
        return stories.filter(**{self.story_lookup: subject}) if self.story_lookup else stories

    def get_object(self, request, **kwargs):
        return FeedContext(request=request, subject=self.get_subject(**kwargs))

    def link(self, context):
        return "/"

    # Channel -----------------------------------------------------------------
    # Plain text (headlines, standfirsts, names) goes where a feed expects HTML (RSS
    # descriptions, Atom's summary) escaped as text, so readers show exactly what was typed:
    # "Law & Order spin-off <Untitled>" stays whole.
    def about(self, context):
        """What the feed holds, in plain text."""
        return self.summary

    def description(self, context):
        return escape(self.about(context))

    def subtitle(self, context):  # Atom's subtitle is text
        return self.about(context)

    def feed_extra_kwargs(self, context):
        return {"image": context.absolute(static("img/newsroom-logo.png"))}

    def items(self, context):
        stories = list(
            self.stories(context.subject)
            .select_related("hero", "show__poster")
            .with_byline()
            .prefetch_related("tags", "corrections")
            .order_by("-publish_at", "-pk")[: settings.FEED_ITEMS]
        )
        for story in stories:
            story.feed = self.item_payload(context, story)
        return stories

    # Items ---------------------------------------------------------------------
    def item_payload(self, context, story):
        url = context.absolute(story.get_absolute_url())
        spoiler_note = (
            f'<p><a href="{escape(url)}">This part contains spoilers: read it on the site.</a></p>'
        )
        # Corrections and updates first (the page links them from its top): a reader who saw
        # the story before sees what changed (the item keeps its guid; Atom's updated moves).
        parts = [
            f"<p><strong>{escape(note.get_kind_display())}, "
            f"{dateformat.format(timezone.localtime(note.noted_at), 'j F Y')}:</strong> "
            f"{escape(note.text)}</p>"
            for note in story.corrections.all()
        ]
        media = None
        shared = story.shared_image  # the picture its page and JSON-LD give, too
        if shared:
            image_url = context.absolute(shared["url"])
            mime = mimetypes.guess_type(shared["name"])[0] or "image/jpeg"
            size = self.file_size(shared["name"])
            picture = story.picture  # a card of the headline is no picture for the text
            if picture:
                caption = " ".join(filter(None, (picture.caption, picture.credit)))
                parts.append(
                    f'<figure><img src="{escape(image_url)}" alt="{escape(shared["alt"])}"'
                    f' width="{shared["width"] or ""}" height="{shared["height"] or ""}">'
                    + (f"<figcaption>{escape(caption)}</figcaption>" if caption else "")
                    + "</figure>"
                )
            media = {"url": image_url, "type": mime, "medium": "image"}
            if shared["width"]:
                media.update(width=str(shared["width"]), height=str(shared["height"]))
            if size is not None:
                media["fileSize"] = str(size)
            story.feed_enclosure = Enclosure(image_url, str(size or 0), mime)
        if story.kind == Article.Kind.REVIEW and story.rating is not None:
            verdict = f" {escape(story.verdict)}" if story.verdict else ""
            parts.append(f"<p><strong>Our rating: {story.rating:g} out of 5.</strong>{verdict}</p>")
        body = strip_spoilers(story.body_html, spoiler_note)
        parts.append(_RELATIVE_URL.sub(lambda m: f'{m.group(1)}="{context.absolute("/")}', body))
        writers = story.byline
        return {
            "content": "\n".join(parts),
            "media": media,
            "creators": [writer.name for writer in writers],
            "authors": [(w.name, context.absolute(w.get_absolute_url())) for w in writers],
        }

    @staticmethod
    def file_size(name):
        try:
            return default_storage.size(name)
        except OSError:
            return None

    def item_title(self, story):
        return story.title

    def item_description(self, story):
        return escape(story.dek)

    def item_link(self, story):
        return story.get_absolute_url()

    def item_guid(self, story):
        return guid("article", story.pk)

    def item_guid_is_permalink(self, story):
        return False

    def item_pubdate(self, story):
        return story.publish_at

    def item_updateddate(self, story):
        return story.modified_at

    def item_categories(self, story):
        return [story.get_kind_display(), *(tag.name for tag in story.tags.all())]

    def item_enclosures(self, story):
        enclosure = getattr(story, "feed_enclosure", None)
        return [enclosure] if enclosure else []

    def item_extra_kwargs(self, story):
        return story.feed


class LatestFeed(StoryFeed):
    title = f"{SITE_NAME}: all stories"


class LatestAtomFeed(LatestFeed):
    feed_type = NewsroomAtom


class SectionFeed(StoryFeed):
    def get_subject(self, section):
        return section

    def stories(self, section):
        return Article.objects.published().filter(kind=SECTION_KINDS[section])

    def title(self, context):
        return f"{SITE_NAME}: {SECTION_TITLES[context.subject].lower()}"

    def link(self, context):
        return reverse("articles:section", args=[context.subject])


class ShowFeed(StoryFeed):
    subject_model = Show
    story_lookup = "shows"

    def title(self, context):
        return f"{SITE_NAME}: {context.subject.title}"

    def about(self, context):
        return f"Every story about {context.subject.title}."

    def link(self, context):
        return context.subject.get_absolute_url()


class PersonFeed(ShowFeed):
    subject_model = Person
    story_lookup = "people"

    def title(self, context):
        return f"{SITE_NAME}: {context.subject.name}"

    def about(self, context):
        return f"Every story about {context.subject.name}."


class WriterFeed(PersonFeed):
    subject_model = Writer
    story_lookup = "writers"

    def about(self, context):
        return f"Every story by {context.subject.name}."


class TagFeed(StoryFeed):
    subject_model = Tag
    story_lookup = "tags"

    def get_subject(self, slug=None, **kwargs):
        return get_object_or_404(Tag.objects.in_public_stories(), slug=slug)

    def title(self, context):
        return f"{SITE_NAME}: {context.subject.name}"

    def about(self, context):
        return f"Stories tagged {context.subject.name}."

    def link(self, context):
        return reverse("articles:tag", args=[context.subject.slug])


class RenewalTrackerFeed(StoryFeed):
    """One item per renewal decision, newest first, linking the show and its story."""

    title = f"{SITE_NAME}: renewal tracker"
    summary = "Every renewal, cancellation and final-season announcement we record."

    def link(self, context):
        return reverse("renewal-tracker")

    def items(self, context):
        changes = list(
            StatusChange.objects.select_related("show__network", "season").order_by(
                "-announced_on", "-pk"
            )[: settings.FEED_ITEMS]
        )
        stories = {
            story.status_change_id: story
            for story in Article.objects.published()
            .filter(status_change__in=changes)
            .order_by("publish_at")
            .only("kind", "slug", "title", "status_change_id")
        }
        for change in changes:
            change.story = stories.get(change.pk)
            change.feed = self.change_payload(context, change)
        return changes

    def change_payload(self, context, change):
        show_url = context.absolute(change.show.get_absolute_url())
        lines = [
            f'<p><a href="{escape(show_url)}">{escape(change.show.title)}</a>: '
            f"{escape(change.get_status_display())}"
            + (f", season {change.season.number}" if change.season else "")
            + f". Announced {dateformat.format(change.announced_on, 'j F Y')}.</p>"
        ]
        if change.note:
            lines.append(f"<p>{escape(change.note)}</p>")
        if change.story:
            story_url = context.absolute(change.story.get_absolute_url())
            lines.append(
                f'<p>Our story: <a href="{escape(story_url)}">{escape(change.story.title)}</a></p>'
            )
        return payload_of("\n".join(lines))

    def item_title(self, change):
        season = f" season {change.season.number}" if change.season else ""
        return f"{change.show.title}{season}: {change.get_status_display()}"

    def item_description(self, change):
        return escape(change.note or change.get_status_display())

    def item_link(self, change):
        return change.story.get_absolute_url() if change.story else change.show.get_absolute_url()

    def item_guid(self, change):
        return guid("status-change", change.pk)

    def item_pubdate(self, change):
        return timezone.make_aware(datetime.combine(change.announced_on, time(12)))

    def item_updateddate(self, change):
        return self.item_pubdate(change)

    def item_categories(self, change):
        return ["Renewal tracker", change.get_status_display(), change.show.title]


class CorrectionsFeed(StoryFeed):
    """One item per correction or clarification, newest first, linking its story."""

    title = f"{SITE_NAME}: corrections"
    summary = "Every correction and clarification to our stories, newest first."

    def link(self, context):
        return reverse("articles:corrections")

    def items(self, context):
        notes = list(Correction.objects.in_log()[: settings.FEED_ITEMS])
        for note in notes:
            story_url = context.absolute(note.article.get_absolute_url())
            content = (
                f"<p>{escape(note.text)}</p>\n"
                f"<p>On {escape(note.article.get_kind_display().lower())}: "
                f'<a href="{escape(story_url)}">{escape(note.article.title)}</a></p>'
            )
            note.feed = payload_of(content)
        return notes

    def item_title(self, note):
        return f"{note.get_kind_display()}: {note.article.title}"

    def item_description(self, note):
        return escape(note.text)

    def item_link(self, note):
        return note.article.get_absolute_url()

    def item_guid(self, note):
        return guid("correction", note.pk)

    def item_pubdate(self, note):
        return note.noted_at

    def item_updateddate(self, note):
        return note.noted_at

    def item_categories(self, note):
        return ["Corrections", note.get_kind_display()]


def for_readers(feed):  # pragma: no mutate block (runs once, at import)
    """A feed, with how long readers and proxies may keep it."""
    return cache_control(public=True, max_age=settings.FEED_MAX_AGE)(feed)
