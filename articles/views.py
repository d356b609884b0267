import re

from django.contrib import admin
from django.db.models import Exists, OuterRef, Subquery, Sum, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject
from django.views.generic import DetailView, ListView

from images.queries import among
from people.views import DeepPaginator
from shows.models import Season, Show, StatusChange, newest_decisions

from . import previews, services
from .markdown import headings, strip_spoilers
from .models import Article, Correction, Tag, byline_prefetch
from .parts import StoryParts

SECTION_KINDS = {section: kind for kind, section in Article.SECTIONS.items()}
SECTION_TITLES = {
    "reviews": "Reviews",
    "explainers": "Explainers",
    "renewals": "Renewal news",
    "news": "News",
}
SECTION_DESCRIPTIONS = {
    "reviews": "Reviews of new TV series and seasons, with ratings and a verdict.",
    "explainers": "The true stories, books and places behind the shows.",
    "renewals": "Renewed, cancelled or ending: the latest on the shows you watch.",
    "news": "Television news: casting, release dates and announcements.",
}
ALSO_READ_COUNT = 4


def story_lists():
    """What a story page shows of the story's own lists, as prefetches: its byline, tags
    and notes (made afresh each time: a prefetch is not to be shared)."""
    return (byline_prefetch(), "tags", "corrections")


class ArticleListMixin:
    """Published stories, 20 a page, with what a card shows in a fixed number of queries."""

    paginate_by = 20
    paginator_class = DeepPaginator
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_cards()


class SectionView(ArticleListMixin, ListView):
    template_name = "articles/section.html"

    def get_queryset(self):
        return super().get_queryset().filter(kind=SECTION_KINDS[self.kwargs["section"]])

    def get_context_data(self, **kwargs):
        section = self.kwargs["section"]
        title = SECTION_TITLES[section]
        return super().get_context_data(
            section=section,
            section_title=title,
            meta={"title": title, "description": SECTION_DESCRIPTIONS[section]},
            feeds=[
                {
                    "title": f"Newsroom: {title.lower()}",
                    "url": reverse("articles:section-feed", args=[section]),
                }
            ],
            breadcrumbs=[(title, None)],
            **kwargs,
        )


class TagView(ArticleListMixin, ListView):
    template_name = "articles/tag.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag.objects.in_public_stories(), slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        name = self.tag.name
        return super().get_context_data(
            tag=self.tag,
            meta={"title": f"{name}: stories", "description": f"Stories tagged {name}."},
            feeds=[
                {
                    "title": f"Newsroom: {name}",
                    "url": reverse("articles:tag-feed", args=[self.tag.slug]),
                }
            ],
            breadcrumbs=[(name, None)],
            **kwargs,
        )


class CorrectionsView(ListView):
    """Every correction and clarification on a story readers can see, newest first."""

    template_name = "articles/corrections.html"
    paginate_by = 20
    context_object_name = "notes"

    def get_queryset(self):
        return Correction.objects.in_log()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meta={
                "title": "Corrections",
                "description": "Every correction and clarification to our stories, newest first.",
            },
            feeds=[{"title": "Newsroom: corrections", "url": reverse("articles:corrections-feed")}],
            breadcrumbs=[("Corrections", None)],
            **kwargs,
        )


def also_read(article):
    """Hand-picked related stories first, then the newest about the same show.

    The candidates are found by id (the picks, the show's newest stories), so the
    database looks up a few rows by index instead of testing every published story.
    """
    picks = Article.related.through.objects.filter(from_article_id=article.pk)
    others = Article.objects.published().exclude(pk=article.pk)
    candidates = [picks.values("to_article_id")]
    if article.show_id:
        # Only the newest few about the show can follow the picks: not a busy show's 2,000.
        about_show = others.filter(shows=article.show_id).order_by("-publish_at", "-pk")
        candidates.append(about_show.values("pk")[:ALSO_READ_COUNT])
    return list(
        others.filter(among("pk", *candidates))
        .only("kind", "title", "slug", "publish_at")  # what the list shows
        .annotate(picked=Exists(picks.filter(to_article_id=OuterRef("pk"))))
        .order_by("-picked", "-publish_at")[:ALSO_READ_COUNT]
    )


def latest_stories(count=5):
    """The newest stories, for the rail of every story page (one query, cached with the
    page's fragment: see article.html)."""
    return list(
        Article.objects.published()
        .select_related("hero", "show__poster")
        .defer("body", "body_html")
        .order_by("-publish_at", "-pk")[:count]
    )


def shows_from_same_source_author(show):
    """The comparison table of a review: every show adapted from the same author.

    One query: network, current status, episode total and our newest review's
    rating come in as joins and subqueries.
    """
    if not show.source_author_id:
        return []
    episodes = (
        Season.objects.filter(show=OuterRef("pk"))
        .values("show")
        .annotate(total=Sum("episode_count"))
        .values("total")
    )
    our_review = (
        Article.objects.published()
        .filter(kind=Article.Kind.REVIEW, show=OuterRef("pk"))
        .order_by("-publish_at")
    )
    shows = list(
        Show.objects.filter(source_author_id=show.source_author_id)
        .select_related("network")
        .with_current_status()
        .annotate(
            episode_total=Subquery(episodes),
            our_rating=Subquery(our_review.values("rating")[:1]),
            our_review_slug=Subquery(our_review.values("slug")[:1]),
        )
        .order_by("premiere_date", "title")
    )
    return shows if len(shows) > 1 else []


def cast_and_crew(show):
    return list(show.credits.select_related("person").order_by("role", "billing_order", "pk"))


# The opening of a story: its first paragraph, with any headings above it.
OPENING = re.compile(
    r"(?:<h[2-6][^>]*>[^<]*(?:<(?!/h[2-6])[^<]*)*</h[2-6]>\n?)*<p>.*?</p>\n?", re.S
)


def split_opening(body_html):
    """The story's opening (its first paragraph, with any headings above it) and the
    rest, so the facts box can sit between them; a body that opens with anything else
    (a list, a table, a quote) has no opening of its own."""
    body_html = body_html or ""
    opening = OPENING.match(body_html)
    if not opening:
        return "", body_html
    return opening.group(), body_html[opening.end() :]


def since_this_story(article):
    """For renewal news: the show's decision, if it is no longer the one the story
    reports (or, for a story that reports none, if it was announced after the story came
    out), with the newest renewal story about the show since; else None. No query
    unless the story has moved on."""
    if article.kind != Article.Kind.RENEWAL or article.publish_at is None:
        return None
    decision = article.show_decision
    if decision is None:
        return None
    if article.status_change_id:
        if article.status_change_id == decision:
            return None
    else:
        # Announced after the day the story came out, or that day but recorded after it.
        published_on = timezone.localdate(article.publish_at)
        if article.show_decision_on < published_on or (
            article.show_decision_on == published_on
            and article.show_decision_saved <= article.publish_at
        ):
            return None
    newer = (
        Article.objects.published()
        .filter(kind=Article.Kind.RENEWAL, show=article.show_id, publish_at__gt=article.publish_at)
        .only("kind", "slug", "title")
        .order_by("-publish_at", "-pk")
        .first()
    )
    return {
        "decision": StatusChange.objects.select_related("season").filter(pk=decision).first(),
        "newer_story": newer,
    }


class ArticleDetailView(DetailView):
    """A story page. Each kind adds the facts it needs, all read from the show's records.

    The parts made from the story alone are kept between generations (parts.py): its
    byline, tags and notes are read only when they are not (previews and share links
    keep no parts, and read them with the story)."""

    context_object_name = "article"
    keeps_parts = True
    parts = None

    def visible_stories(self):
        return Article.objects.published().filter(kind=SECTION_KINDS[self.kwargs["section"]])

    def get_queryset(self):
        # The show's current decision, for its card in the rail and (renewal news only) to
        # tell whether the story has moved on, in the same query.
        kept = self.parts and self.parts.cached
        current = newest_decisions("show_id")
        decision = {} if kept else {"show_status": Subquery(current.values("status")[:1])}
        if self.kwargs.get("section") in (None, Article.SECTIONS[Article.Kind.RENEWAL]):
            decision.update(
                show_decision=Subquery(current.values("pk")[:1]),
                show_decision_on=Subquery(current.values("announced_on")[:1]),
                show_decision_saved=Subquery(current.values("updated_at")[:1]),
            )
        stories = self.visible_stories().annotate(**decision)
        if kept:  # the text, the card, the hero and the facts are in the kept parts
            return stories.select_related("show").defer("body", "body_html")
        stories = stories.select_related(
            "hero", "show__network", "show__poster", "show__source_author", "season"
        )
        return stories if self.keeps_parts else stories.prefetch_related(*story_lists())

    def get_object(self, queryset=None):
        if self.keeps_parts:
            kind = SECTION_KINDS[self.kwargs["section"]]
            self.parts = StoryParts(self.request, kind, self.kwargs["slug"])
        article = super().get_object(queryset)
        if self.parts:
            found = self.parts.cached
            if not self.parts.are_for(article):
                if found:  # kept for another story: read this one in full
                    article = super().get_object(queryset)
                prefetch_related_objects([article], *story_lists())
        return article

    def shared_image(self, article):
        image = article.shared_image
        if image is None and self.parts:
            self.parts.spoil()  # a card that could not be drawn: the next reader tries again
        return image

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.parts:
            response.add_post_render_callback(self.parts.save)
        return response

    def get_template_names(self):
        return [f"articles/{self.object.kind}.html", "articles/article.html"]

    def get_context_data(self, **kwargs):
        article = self.object
        # What the kept parts hold is worked out only if they are made (parts.py).
        text = SimpleLazyObject(lambda: split_opening(article.body_html))
        status = getattr(article, "show_status", None)
        context = {
            "opening": SimpleLazyObject(lambda: text[0]),
            "rest": SimpleLazyObject(lambda: text[1]),
            "also_read": self.parts.also_read(article, also_read)
            if self.parts
            else also_read(article),
            "since_this_story": since_this_story(article),
            "latest": SimpleLazyObject(latest_stories),
            "show_status": StatusChange.Status(status) if status else None,
            "parts": self.parts,
            "meta": {
                "title": article.seo_title or article.title,
                "description": article.seo_description or article.dek,
                "type": "article",
                "image": SimpleLazyObject(lambda: self.shared_image(article)),
            },
            "breadcrumbs": [
                (SECTION_TITLES[article.section], f"/{article.section}/"),
                (article.title, None),
            ],
            "feeds": [{"title": "Newsroom: all stories", "url": reverse("articles:feed")}],
        }
        if article.show:
            context["feeds"].append(
                {
                    "title": f"Newsroom: {article.show.title}",
                    "url": reverse("articles:show-feed", args=[article.show.slug]),
                }
            )
        show = article.show
        # The show's facts are read only if its facts box is not in the cache already
        # ({% cache %} in the templates, under the facts generation: see freshness.py).
        if article.kind == Article.Kind.REVIEW and show:
            context["credits"] = SimpleLazyObject(lambda: cast_and_crew(show))
            context["genres"] = SimpleLazyObject(lambda: list(show.genres.all()))
            context["comparison"] = SimpleLazyObject(lambda: shows_from_same_source_author(show))
        elif article.kind == Article.Kind.RENEWAL and show:
            context["credits"] = SimpleLazyObject(lambda: cast_and_crew(show))
            context["status_history"] = SimpleLazyObject(
                lambda: list(show.status_changes.select_related("season"))
            )
        elif article.kind == Article.Kind.EXPLAINER:
            # Headings inside a spoiler would give the spoiler away.
            context["toc"] = SimpleLazyObject(
                lambda: [h for h in headings(strip_spoilers(article.body_html)) if h[0] == 2]
            )
        return super().get_context_data(**context, **kwargs)


def never_indexed(response):
    """Previews are for the people they are shown to: no caches, no search engines."""
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


class NoIndexMixin:
    def render_to_response(self, context, **kwargs):
        return never_indexed(super().render_to_response(context, **kwargs))


class ArticlePreviewView(NoIndexMixin, ArticleDetailView):
    """A story as readers will see it, whatever its status, for the people who may see it
    before readers do (services.can_see). Never cached or indexed."""

    keeps_parts = False

    def visible_stories(self):
        return Article.objects.all()

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        # Signed in to the desk as the desk requires (two-factor sign-in included), and
        # allowed to see this story before readers do.
        on_the_desk = admin.site.has_permission(self.request)
        if not (on_the_desk and services.can_see(self.request.user, article)):
            raise Http404("No story here.")
        article, self.pending_changes = previews.latest_version(article)
        return article

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            preview=True, pending_changes=self.pending_changes, **kwargs
        )


class SharedPreviewView(NoIndexMixin, ArticleDetailView):
    """A story by signed link, for a reader without an account (see previews.py)."""

    keeps_parts = False

    def get_object(self, queryset=None):
        try:
            article = previews.article_for_token(self.kwargs["token"], self.get_queryset())
        except previews.LinkInvalid as error:
            self.link_error = str(error)
            return None
        article, self.pending_changes = previews.latest_version(article)
        return article

    def visible_stories(self):
        return Article.objects.all()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object is None:
            return never_indexed(
                render(
                    request,
                    "articles/preview_link_invalid.html",
                    {"message": self.link_error},
                    status=404,
                )
            )
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            preview=True, pending_changes=self.pending_changes, **kwargs
        )
