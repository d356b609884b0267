from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager, _TaggableManager
from taggit.models import NaturalKeyManager, TagBase, TaggedItemBase

from images import cards
from images.changes import AnnouncingQuerySet
from images.models import Image
from people.models import Person, Writer
from people.text import ascii_slug, ascii_slug_constraint, clean_text, fallback_slug
from shows.models import FactChange, Season, Show, StatusChange

from .markdown import check_body, reading_time, render_markdown

# 0.0, 0.5 … 5.0: values keep one decimal place so a saved rating matches its choice.
RATING_CHOICES = [
    ((Decimal(n) / 2).quantize(Decimal("0.1")), f"{Decimal(n) / 2:g} out of 5") for n in range(11)
]


class RevisionRelations(models.Model):
    """What a revision of a story held beyond its own columns: its byline, shows, people,
    tags, "Also read" and hero image text, as they were when it was saved (filled in by
    articles.revisions.record_relations once the form's lists are saved)."""

    relations = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        abstract = True


# Every save of a story keeps a revision: who, when, status and content (the
# rendered HTML is derived, so it is not kept).
REVISIONS = HistoricalRecords(
    excluded_fields=[
        "body_html",
        "reading_time_min",
        "reading_time_max",
        "search_document",
        "share_revoked_at",
    ],
    bases=[RevisionRelations],
    verbose_name="story revision",
)


def _clean_names(tags):
    """Names cleaned like any text, and matched to the tags that exist whatever their
    case ("crime drama" is the tag "Crime drama"; "POKÉMON" is "Pokémon", which the
    database's own case-insensitive match misses on SQLite), once each."""
    names = [clean_text(t, multiline=False) if isinstance(t, str) else t for t in tags]
    wanted = [name.casefold() for name in names if isinstance(name, str)]
    known = dict(Tag.objects.filter(folded__in=wanted).values_list("folded", "name"))
    chosen, seen = [], set()
    for name in names:
        if isinstance(name, str):
            if name == "" or name.casefold() in seen:
                continue
            seen.add(name.casefold())
            name = known.get(name.casefold(), name)
        chosen.append(name)
    return chosen


class CleanTagManager(_TaggableManager):
    """Tag names are cleaned like any saved text before they are looked up, so "Café\x0b"
    from an import finds the tag stored as "Café" rather than colliding with it."""

    def add(self, *tags, **kwargs):
        return super().add(*_clean_names(tags), **kwargs)

    def set(self, tags, **kwargs):
        return super().set(_clean_names(tags), **kwargs)

    def remove(self, *tags):
        return super().remove(*_clean_names(tags))


def made_by():  # pragma: no mutate block (runs once, at import)
    """Who made a row (a story, a note): kept when the account goes, never edited."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )


def modified(story=""):
    """Article.modified_at as a database expression: the last significant update, never
    before publication, else the publish time. ``story`` is the path to the story from
    the model queried ("" for Article itself)."""
    publish_at, revised_at = f"{story}publish_at", f"{story}revised_at"
    return Greatest(publish_at, Coalesce(revised_at, publish_at))


def is_published(story=""):
    """The condition of ArticleQuerySet.published(), for a query of another model: ``story``
    is the path to the story ("content_object__" from a tagging)."""
    return Q(
        **{f"{story}status": Article.Status.PUBLISHED, f"{story}publish_at__lte": timezone.now()}
    )


class ArticleQuerySet(AnnouncingQuerySet):
    def published(self):
        """What the public may see: published, and due. The only definition of it."""
        return self.filter(is_published())

    def with_byline(self):
        """Prefetch the byline, writers included, in one query."""
        return self.prefetch_related(byline_prefetch())

    def with_modified_at(self):
        """Annotate ``modified``: Article.modified_at, in the database (for sitemaps)."""
        return self.annotate(modified=modified())

    def with_stale_facts(self):
        """The published stories about a show whose facts changed (shows.facts) after an
        editor last checked the story (publishing or scheduling it counts; a story that
        never went through the desk counts from its publish time), the longest waiting
        first. Adds ``checked_at`` and ``stale_since`` (the first change it has not been
        checked against)."""
        changes = FactChange.objects.filter(
            show__articles=OuterRef("pk"), changed_at__gt=OuterRef("checked_at")
        ).order_by("changed_at")
        # Filtered by EXISTS first (the database can answer it from the log's index),
        # so the time of the first change is looked up only for the stories it finds.
        return (
            self.published()
            .annotate(checked_at=Coalesce("facts_checked_at", "publish_at"))
            .filter(Exists(changes))
            .annotate(stale_since=Subquery(changes.values("changed_at")[:1]))
            .order_by("stale_since", "pk")
        )

    def for_cards(self):
        """Everything a story card shows (main show, picture, byline) in two queries in all; not
        the body, which a card never shows (and a search for a common word would sort)."""
        return self.select_related("hero", "show__poster").with_byline().defer("body", "body_html")


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_queryset(self):
        # Pages never read the search document (a few KB a story): it stays in the database.
        return super().get_queryset().defer("search_document")


class Article(models.Model):
    class Kind(models.TextChoices):
        REVIEW = "review", "Review"
        EXPLAINER = "explainer", "Explainer"
        RENEWAL = "renewal", "Renewal news"
        NEWS = "news", "News"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"

    # The URL section of each kind: /reviews/<slug>/ and so on.
    SECTIONS = {
        Kind.REVIEW: "reviews",
        Kind.EXPLAINER: "explainers",
        Kind.RENEWAL: "renewals",
        Kind.NEWS: "news",
    }
    # What each kind of story is, told to readers beside its label (the Trust Project's
    # "type of work").
    TYPES_OF_WORK = {
        Kind.REVIEW: "the critic's own opinion of what they watched, with a rating.",
        Kind.EXPLAINER: "background and context: the facts, books and places behind a show.",
        Kind.RENEWAL: "reported news of whether a show returns, from its network or makers.",
        Kind.NEWS: "reported news about television.",
    }
    # How long a story marked "Lead story" may stay at the top of the home page.
    LEAD_FOR = timedelta(days=3)

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NEWS)
    title = models.CharField("Headline", max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The last part of the story's web address. Changing it breaks old links.",
    )
    dek = models.CharField(
        "Standfirst",
        max_length=300,
        blank=True,
        help_text="One or two sentences under the headline that say why to read on.",
    )
    body = models.TextField(
        blank=True,
        validators=[check_body],
        help_text="Markdown. ## for headings, | for tables, :::spoiler … ::: for spoilers, "
        ":::pullquote … ::: for pull quotes.",
    )
    body_html = models.TextField(editable=False, blank=True)
    # Kept by a database trigger on PostgreSQL (see search.py); unused on SQLite.
    search_document = SearchVectorField(null=True, editable=False)
    reading_time_min = models.PositiveSmallIntegerField(editable=False, default=1)
    reading_time_max = models.PositiveSmallIntegerField(editable=False, default=1)

    hero = models.ForeignKey(
        Image,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hero_of",
        verbose_name="Hero image",
        help_text="A picture from the library (or add one with +). Its alt text, caption "
        "and credit come with it.",
    )

    writers = models.ManyToManyField(
        Writer, through="Byline", related_name="articles", verbose_name="byline"
    )
    show = models.ForeignKey(
        Show,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_articles",
        verbose_name="main show",
        help_text="The show this story is mainly about. Required for reviews and renewal news.",
    )
    shows = models.ManyToManyField(
        Show,
        related_name="articles",
        blank=True,
        verbose_name="shows covered",
        help_text="Every show the story is about; the main show is added by itself.",
    )
    people = models.ManyToManyField(
        Person, related_name="articles", blank=True, verbose_name="people covered"
    )
    tags = TaggableManager(through="TaggedArticle", blank=True, manager=CleanTagManager)
    related = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        verbose_name="also read",
        help_text="Hand-picked stories to recommend under this one, in addition to the "
        "newest about the same show.",
    )

    seo_title = models.CharField(
        "Search engine headline",
        max_length=70,
        blank=True,
        help_text="Shown in search results instead of the headline. Up to 70 characters.",
    )
    seo_description = models.CharField(
        "Search engine description",
        max_length=160,
        blank=True,
        help_text="Shown under the link in search results. Up to 160 characters; the "
        "standfirst is used when empty.",
    )
    featured = models.BooleanField(
        "Lead story",
        default=False,
        help_text="Put this story at the top of the home page, for up to three days.",
    )

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        "Publish at",
        null=True,
        blank=True,
        db_index=True,
        help_text="When readers can see the story. Set by “Publish now” or “Schedule”.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Any save (bookkeeping only, never shown to readers).
    updated_at = models.DateTimeField(auto_now=True)
    revised_at = models.DateTimeField(
        "Last significant update",
        null=True,
        blank=True,
        editable=False,
        help_text="Set by “Mark as updated” or by adding a correction, clarification or "
        "update: the only time readers, feeds and search engines are told the story changed.",
    )
    facts_checked_at = models.DateTimeField(
        "Facts last checked",
        null=True,
        blank=True,
        editable=False,
        help_text="When an editor last confirmed the story still matches its shows' facts "
        "(“Still right”, or an update note).",
    )
    editor_note = models.TextField(
        "Note from the editor",
        blank=True,
        help_text="Why the story was sent back; cleared when it is submitted again.",
    )
    created_by = made_by()

    # Reviews
    season = models.ForeignKey(
        Season,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name="season reviewed",
    )
    rating = models.DecimalField(
        max_digits=2,
        decimal_places=1,
        null=True,
        blank=True,
        choices=RATING_CHOICES,
        help_text="Out of 5, in half stars.",
    )
    verdict = models.CharField(
        max_length=300, blank=True, help_text="The review in one sentence, shown with the rating."
    )
    watch_if = models.TextField("Watch this if…", blank=True, help_text="One reason per line.")
    skip_if = models.TextField("Skip it if…", blank=True, help_text="One reason per line.")

    # Share links made before this time no longer open the story (articles.previews).
    share_revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Renewal news
    status_change = models.ForeignKey(
        StatusChange,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name="status change reported",
        help_text="The renewal decision this story reports, if there is one yet.",
    )

    objects = ArticleManager()
    history = REVISIONS

    class Meta:
        ordering = ["-publish_at", "-pk"]
        get_latest_by = "publish_at"
        permissions = [("publish_article", "Can publish, schedule, unpublish and send back")]
        indexes = [
            # What readers see (published(), newest first) and the desk's queues by status;
            # with the revision time, the sitemap's months and dates come from the index
            # alone (PostgreSQL), not from the stories' rows.
            models.Index(fields=["status", "publish_at", "revised_at"], name="article_status_time"),
            # A section's stories, newest first: its pages (the ids of page 1,000 come
            # from the index alone) and its count.
            models.Index(fields=["kind", "status", "publish_at", "id"], name="article_kind_time"),
            # Whether a story is public, from the index alone: how many stories a
            # person's, a show's or a tag's page has.
            models.Index(fields=["id", "status", "publish_at"], name="article_visibility"),
            # A show's stories of one kind, newest first: show pages, our newest review.
            models.Index(fields=["show", "kind", "status", "publish_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True)
                | models.Q(rating__in=[value for value, _ in RATING_CHOICES]),
                name="rating_half_steps_0_to_5",
                violation_error_message="A rating is 0 to 5 in half steps.",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(publish_at__isnull=False),
                name="published_has_publish_at",
            ),
            ascii_slug_constraint("article"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.render_body()
        self.fill_in()
        super().save(*args, **kwargs)
        self.include_main_show()

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"section": self.section, "slug": self.slug})

    def render_body(self):
        """The derived fields of the body: its HTML and its reading time."""
        self.body_html = render_markdown(self.body)
        self.reading_time_min, self.reading_time_max = reading_time(self.body)

    @property
    def section(self):
        return self.SECTIONS[self.kind]

    @property
    def type_of_work(self):
        return self.TYPES_OF_WORK[self.kind]

    @property
    def picture(self):
        """The story's picture, for its card and its shares: its hero, else its show's
        poster, else None (what the card query already reads: see for_cards)."""
        return self.hero or (self.show.poster if self.show_id else None)

    @cached_property
    def shared_image(self):
        """The picture the story is shared with: its own, else a card with its headline."""
        return cards.shared_image(self.picture) or cards.site_card(
            self.title, self.get_kind_display()
        )

    @property
    def modified_at(self):
        """When the story last changed in a way readers are told of: its last significant
        update, and never before it was published; else its publish time."""
        if self.revised_at and self.publish_at and self.revised_at > self.publish_at:
            return self.revised_at
        return self.publish_at

    @property
    def was_updated(self):
        return self.modified_at != self.publish_at

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and (
            self.publish_at is not None and self.publish_at > timezone.now()
        )

    @property
    def byline(self):
        """The writers in byline order (uses prefetched bylines when present)."""
        return [b.writer for b in self.bylines.all()]

    @property
    def watch_if_list(self):
        return [line.strip() for line in self.watch_if.splitlines() if line.strip()]

    @property
    def skip_if_list(self):
        return [line.strip() for line in self.skip_if.splitlines() if line.strip()]

    @property
    def reading_time_label(self):
        low, high = self.reading_time_min, self.reading_time_max
        return f"{low} min read" if low == high else f"{low}–{high} min read"

    def fill_in(self):
        """What follows from what the editor chose: 'published' with no time means now,
        and the season reviewed or the decision reported names the main show."""
        if self.status == self.Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()
        if not self.show_id:
            if self.season_id:
                self.show = self.season.show
            elif self.status_change_id:
                self.show = self.status_change.show

    def clean(self):
        errors = {}
        self.fill_in()
        if self.season_id and self.show_id and self.season.show_id != self.show_id:
            errors["season"] = f"That season is not a season of {self.show}."
        if self.status_change_id and self.show_id and self.status_change.show_id != self.show_id:
            errors["status_change"] = f"That status change is not about {self.show}."

        if self.status == self.Status.PUBLISHED:
            if self.kind == self.Kind.REVIEW:
                if not self.show_id:
                    errors.setdefault("show", "A review needs the show it reviews.")
                if not self.season_id:
                    errors.setdefault("season", "A review needs the season it reviews.")
                if self.rating is None:
                    errors["rating"] = "A review needs a rating before it is published."
            if self.kind == self.Kind.RENEWAL and not self.show_id:
                errors.setdefault("show", "Renewal news needs the show it is about.")
            if self.hero_id and not self.hero.alt.strip():
                errors["hero"] = (
                    "This picture has no alt text. Describe it in the image library for "
                    "readers who cannot see it, then publish."
                )
        if errors:
            raise ValidationError(errors)

    def include_main_show(self):
        """Keep the main show among the shows covered, so show pages list the story."""
        if self.show_id:
            self.shows.add(self.show_id)


def byline_prefetch():
    """A story's byline, writers and their photos included, as one prefetch."""
    return models.Prefetch("bylines", queryset=Byline.objects.select_related("writer__photo"))


class Byline(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    writer = models.ForeignKey(Writer, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)

    objects = AnnouncingQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "writer"], name="unique_byline_writer"),
        ]

    def __str__(self):
        return str(self.writer)


class CorrectionQuerySet(AnnouncingQuerySet):
    def published(self):
        """What /corrections/ lists: corrections and clarifications (not updates) on the
        stories readers can see."""
        return self.filter(kind__in=Correction.ADMITTED, article__in=Article.objects.published())

    def in_log(self):
        """The corrections log (its page and its feed): published(), newest first, each
        with its story, but not the story's text."""
        return (
            self.published()
            .select_related("article")
            .defer(*(f"article__{name}" for name in ("body", "body_html", "search_document")))
            .order_by("-noted_at", "-pk")
        )


class Correction(models.Model):
    """A dated note on a published story, listed under its text and linked from its top:
    what was wrong and is now right, what was unclear, or what has happened since."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        UPDATE = "update", "Update"

    # What /corrections/ lists and JSON-LD calls a correction; an update is news, not an error.
    ADMITTED = [Kind.CORRECTION, Kind.CLARIFICATION]

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(
        max_length=1000,
        help_text="Plain text, shown to readers as written. A correction says what was wrong "
        "and what is right; a clarification, what was unclear and what was meant; an update, "
        "what has happened since.",
    )
    noted_at = models.DateTimeField("Dated", default=timezone.now, editable=False)
    created_by = made_by()

    objects = CorrectionQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="correction revision")

    class Meta:
        ordering = ["-noted_at", "-pk"]
        verbose_name = "correction or update"
        verbose_name_plural = "corrections and updates"
        indexes = [models.Index(fields=["kind", "noted_at"])]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.noted_at:%d %b %Y}"


class StoryDraft(models.Model):
    """Work on a story that is not the story yet: an autosave of one person's open form,
    or an editor's changes to a live story, kept off the site until they are published.
    Readers never see either (newsroom.freshness does not watch this table)."""

    class Kind(models.TextChoices):
        AUTOSAVE = "autosave", "Autosaved"
        CHANGES = "changes", "Unpublished changes"

    private_to_the_desk = True

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="drafts"
    )
    # A new story's autosave has no article yet: it belongs to its author and its kind.
    story_kind = models.CharField(max_length=20, choices=Article.Kind.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    saved_at = models.DateTimeField(default=timezone.now)
    data = models.JSONField(default=dict)  # the form as it was posted: {name: [values]}
    snapshot = models.JSONField(default=dict, blank=True)  # articles.revisions.snapshot_of

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "saved_by"],
                condition=models.Q(kind="autosave", article__isnull=False),
                name="one_autosave_per_story_and_person",
            ),
            models.UniqueConstraint(
                fields=["saved_by", "story_kind"],
                condition=models.Q(kind="autosave", article__isnull=True),
                name="one_new_story_autosave_per_person_and_kind",
            ),
            models.UniqueConstraint(
                fields=["article"],
                condition=models.Q(kind="changes"),
                name="one_set_of_changes_per_story",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.saved_at:%d %b %Y %H:%M}"


class EditingPresence(models.Model):
    """Who has a story's form open, as their browser last said (every few seconds)."""

    private_to_the_desk = True

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="one_presence_per_story")
        ]

    def __str__(self):
        return f"{self.user} on {self.article_id}"


class TagQuerySet(AnnouncingQuerySet):
    def in_public_stories(self):
        """Tags readers can see: those on at least one public story. A tag used only on
        drafts has no page yet, so its name cannot give an embargoed story away."""
        public = TaggedArticle.objects.filter(content_object__in=Article.objects.published())
        return self.filter(pk__in=public.values("tag_id"))


class Tag(TagBase):
    """A tag on stories. Its slug is ASCII whatever its name, so every tag has a page
    and a feed: "Pokémon Concierge" is /tags/pokemon-concierge/, and a name with no
    letters at all ("!!!") gets a stable slug of its own."""

    slug = models.SlugField(max_length=100, unique=True)
    # The name with case folded away: how tags are matched and suggested, in any language.
    folded = models.CharField(max_length=100, db_index=True, editable=False, default="")
    updated_at = models.DateTimeField(auto_now=True)

    objects = NaturalKeyManager.from_queryset(TagQuerySet)()

    class Meta:
        ordering = ["name"]
        constraints = [ascii_slug_constraint("tag")]

    def save(self, *args, **kwargs):
        self.folded = self.name.casefold()[:100]
        super().save(*args, **kwargs)

    def slugify(self, tag, i=None):
        slug = ascii_slug(tag, max_length=90) or fallback_slug(tag)
        return slug if i is None else f"{slug}_{i}"

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})


class TaggedArticle(TaggedItemBase):
    tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, related_name="%(app_label)s_%(class)s_items"
    )
    content_object = models.ForeignKey(Article, on_delete=models.CASCADE)

    objects = NaturalKeyManager.from_queryset(AnnouncingQuerySet)()


class KindManager(ArticleManager):
    def __init__(self, kind):  # pragma: no mutate block (runs once, at import)
        super().__init__()
        self.kind = kind

    def get_queryset(self):
        return super().get_queryset().filter(kind=self.kind)


class KindMixin:
    """For the per-kind proxies the admin edits: each keeps its own kind on save."""

    KIND = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = self.KIND


class Review(KindMixin, Article):
    KIND = Article.Kind.REVIEW
    objects = KindManager(KIND)

    class Meta:
        proxy = True


class Explainer(KindMixin, Article):
    KIND = Article.Kind.EXPLAINER
    objects = KindManager(KIND)

    class Meta:
        proxy = True


class RenewalNews(KindMixin, Article):
    KIND = Article.Kind.RENEWAL
    objects = KindManager(KIND)

    class Meta:
        proxy = True
        verbose_name = "renewal news story"
        verbose_name_plural = "renewal news"


class NewsStory(KindMixin, Article):
    KIND = Article.Kind.NEWS
    objects = KindManager(KIND)

    class Meta:
        proxy = True
        verbose_name = "news story"
        verbose_name_plural = "news"


# Saves through a proxy (the admin of each kind) send signals with the proxy as
# sender; record their revisions exactly as the story's own.
for _proxy in (Review, Explainer, RenewalNews, NewsStory):
    models.signals.post_save.connect(REVISIONS.post_save, sender=_proxy, weak=False)
    models.signals.pre_delete.connect(REVISIONS.pre_delete, sender=_proxy, weak=False)
    models.signals.post_delete.connect(REVISIONS.post_delete, sender=_proxy, weak=False)
