from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.postgres.search import TrigramWordSimilarity
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sites.shortcuts import get_current_site
from django.db import connection
from django.db.models import DateTimeField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, Least
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.generic import TemplateView

from articles import search as story_search
from articles.models import Article
from articles.views import SECTION_TITLES
from images.queries import among
from people.models import Person
from people.sitemaps import sitemap_file
from people.text import Folded, clean_text, fold
from people.views import page_of_stories
from shows.forms import ShowFilterForm
from shows.models import Show, StatusChange

from . import sitemaps

LATEST_PER_SECTION = 4
SEARCH_MAX_LENGTH = 200
SEARCH_MAX_WORDS = 10
SEARCH_PER_PAGE = 20
LATEST_ON_HOME = 6
DECISIONS_ON_HOME = 4
TRACKER_PER_GROUP = 24
TRACKER_PER_PAGE = 60


def newest(stories, count):
    """The ids of the newest ``count`` of ``stories``: an index range, however many there are."""
    return stories.order_by("-publish_at", "-pk").values("pk")[:count]


NEVER = datetime(9999, 12, 31, tzinfo=UTC)


def since_newest(stories, count):
    """The publish time of the ``count``-th newest of ``stories`` (of the oldest, if there
    are fewer): a lower bound that lets a query read only the index range of its stories
    (it would read the whole index, filtering by id, to find them)."""
    nth = stories.order_by("-publish_at", "-pk").values("publish_at")[count - 1 : count]
    oldest = stories.order_by("publish_at", "pk").values("publish_at")[:1]
    none = Value(NEVER, output_field=DateTimeField())  # no stories: no bound (SQLite's
    return Coalesce(Subquery(nth), Subquery(oldest), none)  # MIN() of a NULL is NULL)


def among_newest(stories, groups):
    """``stories`` narrowed to the newest few of each of ``groups`` (a list of (stories,
    count)), in one query that reads only the index range they lie in."""
    wanted = Q()
    for group, count in groups:
        wanted |= Q(pk__in=newest(group, count))
    bounds = [since_newest(group, count) for group, count in groups]
    since = Least(*bounds) if len(bounds) > 1 else bounds[0]
    return stories.filter(wanted, publish_at__gte=since)


class HomeView(TemplateView):
    """The lead story, the latest stories, the newest few of each section and the latest
    renewal decisions, in five queries.

    Each list is found by id among the newest few of its kind (a short index range),
    never by ranking every published story.
    """

    template_name = "newsroom/home.html"

    def get_context_data(self, **kwargs):
        published = Article.objects.published()
        # The lead: the newest story marked "Lead story" in the last few days, else the
        # newest story; an old lead gives way by itself.
        fresh = timezone.now() - Article.LEAD_FOR
        leads = published.filter(featured=True, publish_at__gt=fresh)
        lead = (
            among_newest(published, [(leads, 1), (published, 1)])
            .for_cards()
            .order_by("-featured", "-publish_at")
            .first()
        )
        below = published.exclude(pk=lead.pk) if lead else published  # never twice
        in_sections = [
            (below.filter(kind=kind), LATEST_PER_SECTION) for kind in Article.Kind.values
        ]
        # The "Latest" list comes in the same query: the newest few of any kind.
        latest_of_all = (below, LATEST_ON_HOME)
        ranked = list(
            among_newest(below, [*in_sections, latest_of_all])
            .for_cards()
            .order_by("-publish_at", "-pk")
        )
        latest = ranked[:LATEST_ON_HOME]
        by_kind = {}
        for article in ranked:
            if len(by_kind.get(article.kind, [])) < LATEST_PER_SECTION:
                by_kind.setdefault(article.kind, []).append(article)
        decisions = StatusChange.objects.select_related("show", "season").order_by(
            "-announced_on", "-pk"
        )[:DECISIONS_ON_HOME]
        sections = [
            (section, SECTION_TITLES[section], by_kind[kind])
            for kind, section in Article.SECTIONS.items()
            if kind in by_kind  # no empty blocks
        ]
        return super().get_context_data(
            lead=lead,
            latest=latest,
            sections=sections,
            decisions=decisions,
            feeds=[
                {"title": "Newsroom: all stories", "url": reverse("articles:feed")},
                {
                    "title": "Newsroom: all stories (Atom)",
                    "url": reverse("articles:feed-atom"),
                    "type": "application/atom+xml",
                },
            ],
            meta={
                "title": "Newsroom: TV reviews, explainers and renewal news",
                "description": "Reviews, true-story explainers and renewal news about the "
                "TV shows people are watching.",
            },
            **kwargs,
        )


class RenewalTrackerView(TemplateView):
    """Every show with a renewal history, grouped by its current status: the newest
    TRACKER_PER_GROUP decisions of each, with a link to all of them (``?status=``,
    TRACKER_PER_PAGE a page). Three queries however many shows: the current decisions
    (a number and a date a show), the shows on the page with their newest renewal
    stories, and the networks to filter by."""

    template_name = "newsroom/renewal_tracker.html"

    def get_context_data(self, **kwargs):
        form = ShowFilterForm(self.request.GET or None)
        chosen = form.filters()
        decisions = StatusChange.objects.current()
        if "network" in chosen:
            decisions = decisions.filter(show__network=chosen["network"])
        if "status" in chosen:
            decisions = decisions.filter(status=chosen["status"])
        members = {status: [] for status in StatusChange.Status.values}
        rows = decisions.order_by("-announced_on", "show__title", "show_id")
        for show_id, status in rows.values_list("show_id", "status"):
            members[status].append(show_id)
        page = None
        if "status" in chosen:
            page = page_of_stories(self.request, members[chosen["status"]], TRACKER_PER_PAGE)
            shown = {chosen["status"]: list(page.object_list)}
        else:
            shown = {status: ids[:TRACKER_PER_GROUP] for status, ids in members.items()}
        on_page = [pk for ids in shown.values() for pk in ids]
        # With the newest renewal story of each (an index range a show).
        renewals = (
            Article.objects.published()
            .filter(kind=Article.Kind.RENEWAL, show=OuterRef("pk"))
            .order_by("-publish_at", "-pk")
        )
        shows = (
            Show.objects.filter(pk__in=on_page)
            .select_related("network", "poster")
            .with_current_decision()
            .annotate(
                story_slug=Subquery(renewals.values("slug")[:1]),
                story_title=Subquery(renewals.values("title")[:1]),
            )
            .in_bulk()
        )
        for show in shows.values():
            show.newest_story = show.story_slug and Article(
                kind=Article.Kind.RENEWAL, slug=show.story_slug, title=show.story_title
            )
        query = {name: value for name, value in self.request.GET.items() if name != "page"}
        groups = [
            {
                "status": status,
                "label": StatusChange.Status(status).label,
                "shows": [shows[pk] for pk in ids if pk in shows],
                "total": len(members[status]),
                "all": f"?{urlencode({**query, 'status': status})}",
            }
            for status, ids in shown.items()
            if ids
        ]
        return super().get_context_data(
            form=form,
            groups=groups,
            page_obj=page,
            meta={
                "title": "Renewal tracker: which TV shows are renewed or cancelled",
                "description": "Every show we follow by renewal status: renewed, cancelled, "
                "ending or awaiting a decision, with the date of the latest news.",
            },
            breadcrumbs=[("Renewal tracker", None)],
            feeds=[
                {
                    "title": "Newsroom: renewal tracker",
                    "url": reverse("articles:renewal-tracker-feed"),
                }
            ],
            **kwargs,
        )


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search",
        max_length=SEARCH_MAX_LENGTH,
        strip=True,
        error_messages={
            "max_length": "That search is too long. Try a few words, up to %(limit_value)d "
            "characters."
        },
    )

    def clean_q(self):
        query = self.cleaned_data["q"]
        if len(query.split()) > SEARCH_MAX_WORDS:
            raise forms.ValidationError(
                f"That search has too many words. Try up to {SEARCH_MAX_WORDS}.", code="words"
            )
        return query


def names_matching(queryset, fields, query, person=None):
    """Rows one of whose ``fields`` holds every word of ``query``, ignoring case and
    accents (both sides folded by NEWSROOM_FOLD: people.text.fold), or whose ``person``
    (a path to a Person, e.g. a show's "source_author") has such a name. On PostgreSQL a
    name with a word like what was typed matches too (pg_trgm's word similarity over
    0.6), the closest first; both are served by the trigram indexes of the folded names
    (a person's through a subquery of people, not a join that would fold every name)."""
    words = query.split()
    if connection.vendor != "postgresql":  # the names, the person's too, hold every word
        names = [*fields, f"{person}__name"] if person else fields
        folded = {f"folded_{i}": Folded(name) for i, name in enumerate(names)}
        every_word = Q()
        for name in folded:
            every_word |= Q(*[Q(**{f"{name}__icontains": fold(word)}) for word in words])
        return queryset.alias(**folded).filter(every_word)
    folded = {f"folded_{i}": Folded(field) for i, field in enumerate(fields)}
    queryset = queryset.alias(**folded)
    typed = Folded(Value(query))
    match = Q()
    for name in folded:
        match |= Q(*[Q(**{f"{name}__contains": Folded(Value(word))}) for word in words])
        match |= Q(**{f"{name}__trigram_word_similar": typed})  # pg_trgm's %> operator
    scores = [TrigramWordSimilarity(typed, name) for name in folded]
    if person:
        people = names_matching(Person.objects.all(), ["name"], query).order_by()
        match |= among(f"{person}_id", people.values("pk"))
        scores.append(TrigramWordSimilarity(typed, Folded(f"{person}__name")))
    likeness = Greatest(*scores) if len(scores) > 1 else scores[0]
    return queryset.filter(match).annotate(likeness=likeness).order_by("-likeness", "pk")


def search(request):
    query = request.GET.get("q")
    form = SearchForm({"q": clean_text(query, multiline=False)} if query is not None else None)
    context = {
        "form": form,
        "meta": {"title": "Search", "description": "Search stories, shows and people."},
        "breadcrumbs": [("Search", None)],
    }
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"]
        count, ranked = story_search.matching(Article.objects.published().for_cards(), query)
        window = story_search.RANK_WINDOW
        page = page_of_stories(request, ranked, SEARCH_PER_PAGE, count=min(count, window))
        context.update(
            query=query,
            total=count,
            more_than_window=count > window,
            rank_window=window,
            page_obj=page,
            articles=page.object_list,
            # Shows by title, or by the author of the book they are adapted from ("coben").
            shows=names_matching(
                Show.objects.select_related("network", "poster"),
                ["title"],
                query,
                person="source_author",
            )[:10],
            people=names_matching(Person.objects.select_related("photo"), ["name"], query)[:10],
        )
        context["meta"]["title"] = f"Search results for “{query}”"
    return render(request, "newsroom/search.html", context)


@cache_control(max_age=3600, public=True)
def robots_txt(request):
    return render(request, "robots.txt", content_type="text/plain")


@cache_control(max_age=300, public=True)
def news_sitemap(request):
    """Google News sitemap: stories published in the last two days."""
    since = timezone.now() - timedelta(days=2)
    stories = list(
        Article.objects.published().filter(publish_at__gte=since).order_by("-publish_at")[:1000]
    )
    if not stories:
        # Google's schema wants at least one story in a news sitemap: with none, there is none.
        raise Http404("No stories in the last two days.")
    return render(
        request,
        "newsroom/news_sitemap.xml",
        {"articles": stories, "language": settings.LANGUAGE_CODE.split("-")[0]},
        content_type="application/xml",
    )


def sitemap_index(request):
    """/sitemap.xml: the index of the sitemap files (newsroom.sitemaps)."""
    return sitemap_views.index(
        request, sitemaps=sitemaps.sections(), sitemap_url_name="sitemap-section"
    )


def sitemap_section(request, section):
    """One file of the index: a month of stories, or the shows, people… (``?p=`` pages)."""
    found = sitemaps.section(section)
    if found is None:
        raise Http404("No such sitemap file.")
    return sitemap_file(request, found)


def page(request, url):
    """One of the site's own pages (About, Standards and ethics...), written by editors
    in the admin (django.contrib.flatpages) in Markdown, sanitised like a story."""
    flatpage = get_object_or_404(FlatPage, url=f"/{url}", sites=get_current_site(request).id)
    return render(
        request,
        "flatpages/default.html",
        {
            "flatpage": flatpage,
            "meta": {"title": flatpage.title, "description": f"{flatpage.title}: Newsroom"},
            "breadcrumbs": [(flatpage.title, None)],
        },
    )
