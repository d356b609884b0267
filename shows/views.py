from django.db.models import OuterRef, Prefetch, Subquery
from django.urls import reverse
from django.views.generic import DetailView, ListView

from people.views import page_of_stories

from .forms import ShowFilterForm
from .models import Credit, Show, StatusChange


class ShowListView(ListView):
    template_name = "shows/index.html"
    context_object_name = "shows"
    paginate_by = 50

    def get_queryset(self):
        self.form = ShowFilterForm(self.request.GET or None)
        return self.form.apply(
            Show.objects.select_related("network", "poster").with_current_status()
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            form=self.form,
            statuses=dict(StatusChange.Status.choices),
            meta={
                "title": "TV shows",
                "description": "Every show we cover, by network and renewal status.",
            },
            breadcrumbs=[("Shows", None)],
            **kwargs,
        )


class ShowDetailView(DetailView):
    template_name = "shows/show.html"
    context_object_name = "show"

    def get_queryset(self):
        # Our newest review of the show, in the same query (shows know nothing of
        # stories: the relation is read from the other side).
        reviews = (
            Show.articles.rel.related_model.objects.published()
            .filter(kind="review", show=OuterRef("pk"))
            .order_by("-publish_at", "-pk")
        )
        return (
            Show.objects.select_related("network", "poster", "source_author")
            .annotate(
                our_rating=Subquery(reviews.values("rating")[:1]),
                our_review_title=Subquery(reviews.values("title")[:1]),
                our_review_slug=Subquery(reviews.values("slug")[:1]),
            )
            .prefetch_related(
                "genres",
                "seasons",
                Prefetch("credits", queryset=Credit.objects.select_related("person__photo")),
                Prefetch("status_changes", queryset=StatusChange.objects.select_related("season")),
            )
        )

    def get_context_data(self, **kwargs):
        show = self.object
        stories = show.articles.published().for_cards()
        page = page_of_stories(self.request, stories)
        credits = list(show.credits.all())
        return super().get_context_data(
            page_obj=page,
            articles=page.object_list,
            cast=[c for c in credits if c.role == Credit.Role.CAST],
            crew=[c for c in credits if c.role != Credit.Role.CAST],
            meta={
                "title": f"{show.title}: cast, seasons and renewal status",
                "description": show.synopsis
                or f"{show.title}: cast, seasons, renewal status and every story we ran.",
                "image": show.shared_image,
            },
            breadcrumbs=[("Shows", "/shows/"), (show.title, None)],
            feeds=[
                {
                    "title": f"Newsroom: {show.title}",
                    "url": reverse("articles:show-feed", args=[show.slug]),
                }
            ],
            **kwargs,
        )
