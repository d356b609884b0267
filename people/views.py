from django.core.paginator import InvalidPage, Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.views.generic import DetailView, ListView

from .models import Person, Writer

ARTICLES_PER_PAGE = 20


class DeepPaginator(Paginator):
    """Pages of stories whose ids are found first, then the page's rows by id (a deferred
    join): page 1,000 of a section reads 19,980 entries of an index and 20 stories, where
    OFFSET read 19,980 stories with their pictures and shows and threw them away. A list
    cut short already (search's first 1,000) is paged as Django pages it."""

    def _get_page(self, object_list, number, paginator):
        whole = self.object_list
        if (
            isinstance(object_list, QuerySet)
            and object_list.query.low_mark  # past the first page
            and not whole.query.is_sliced
        ):
            object_list = whole.filter(pk__in=object_list.values("pk"))
        return super()._get_page(object_list, number, paginator)


def page_of_stories(request, stories, per_page=ARTICLES_PER_PAGE, count=None):
    """The page ?page= asks for; a page that does not exist is a 404, never an error.

    ``count``, when the caller has counted already, saves the paginator a query.
    """
    paginator = DeepPaginator(stories, per_page)
    if count is not None:
        paginator.count = count
    try:
        return paginator.page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404("No such page.") from error


class ProfileIndexView(ListView):
    """Everyone of a kind, A to Z, so a breadcrumb always leads somewhere."""

    template_name = "people/index.html"
    context_object_name = "profiles"
    paginate_by = 60
    title = description = ""

    def get_queryset(self):
        return self.model.objects.select_related("photo").order_by("name", "pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.title,
            meta={"title": self.title, "description": self.description},
            breadcrumbs=[(self.title, None)],
            **kwargs,
        )


class PersonIndexView(ProfileIndexView):
    model = Person
    title = "People"
    description = "Actors, writers, directors and authors of the shows we cover, A to Z."


class WriterIndexView(ProfileIndexView):
    model = Writer
    title = "Our writers"
    description = "The critics and reporters who write Newsroom's reviews, explainers and news."


class PersonDetailView(DetailView):
    model = Person
    template_name = "people/person.html"
    context_object_name = "person"

    def get_queryset(self):
        # Credits reach shows through the reverse relation; people knows nothing of shows.
        credits = Person.credits.rel.related_model.objects.select_related("show__poster")
        return Person.objects.select_related("photo").prefetch_related(
            Prefetch("credits", queryset=credits.order_by("show__premiere_date", "billing_order"))
        )

    def get_context_data(self, **kwargs):
        person = self.object
        page = page_of_stories(self.request, person.articles.published().for_cards())
        return super().get_context_data(
            page_obj=page,
            articles=page.object_list,
            meta={
                "title": f"{person.name}: TV roles and stories",
                "description": person.bio
                or f"{person.name}'s TV credits and our stories about them.",
                "image": person.shared_image,
                "type": "profile",
            },
            breadcrumbs=[("People", reverse("people:index")), (person.name, None)],
            feeds=[
                {
                    "title": f"Newsroom: {person.name}",
                    "url": reverse("articles:person-feed", args=[person.slug]),
                }
            ],
            **kwargs,
        )


class WriterDetailView(DetailView):
    template_name = "people/writer.html"
    context_object_name = "writer"
    queryset = Writer.objects.select_related("photo")

    def get_context_data(self, **kwargs):
        writer = self.object
        page = page_of_stories(self.request, writer.articles.published().for_cards())
        return super().get_context_data(
            page_obj=page,
            articles=page.object_list,
            meta={
                "title": f"{writer.name}, {writer.job_title}" if writer.job_title else writer.name,
                "description": writer.bio or f"Stories by {writer.name}.",
                "image": writer.shared_image,
                "type": "profile",
            },
            breadcrumbs=[("Our writers", reverse("people:writers")), (writer.name, None)],
            feeds=[
                {
                    "title": f"Newsroom: stories by {writer.name}",
                    "url": reverse("articles:writer-feed", args=[writer.slug]),
                }
            ],
            **kwargs,
        )
