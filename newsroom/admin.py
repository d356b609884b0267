from django import forms
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.contrib.flatpages.forms import FlatpageForm
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import redirect
from django.urls import Resolver404, path, resolve, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from articles.models import Article, StoryDraft
from articles.services import can_see, is_editor, visible_to, with_fact_changes

from . import two_factor

QUEUE_LENGTH = 10


class NewsroomAdminSite(admin.AdminSite):
    """The editors' desk: the usual admin, with the newsroom's queues on its front page."""

    site_header = "Newsroom"
    site_title = "Newsroom editors' desk"
    index_title = "Editors' desk"
    index_template = "admin/newsroom_index.html"

    # Two-factor sign-in (see two_factor.py) ------------------------------------------
    def has_permission(self, request):
        return super().has_permission(request) and two_factor.state(request) == two_factor.OK

    def login(self, request, extra_context=None):
        """Past the password, ask for the code or for setting two-factor sign-in up."""
        user = request.user
        if request.method == "GET" and user.is_active and user.is_staff:
            step = two_factor.state(request)
            if step != two_factor.OK:
                name = "two_factor_verify" if step == two_factor.NEEDS_CODE else "two_factor"
                return redirect(f"{reverse(f'admin:{name}')}?{request.GET.urlencode()}")
        return super().login(request, extra_context)

    def get_urls(self):
        def staff_only(view):
            @never_cache
            def wrapped(request):
                if not (request.user.is_active and request.user.is_staff):
                    return redirect_to_login(request.get_full_path(), reverse("admin:login"))
                return view(self, request)

            return wrapped

        return [
            path(
                "r/<int:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            ),
            path("two-factor/", staff_only(two_factor.setup), name="two_factor"),
            path("two-factor/verify/", staff_only(two_factor.verify), name="two_factor_verify"),
            path(
                "two-factor/cancel/",
                require_POST(staff_only(two_factor.cancel)),
                name="two_factor_cancel",
            ),
            *super().get_urls(),
        ]

    def view_on_site(self, request, content_type_id, object_id):
        """The desk's "View on site" link. A story readers cannot see yet opens in its
        preview, for those who may see it; for anyone else it does not exist (Django's
        own shortcut would tell any staff member its address, and so its headline)."""
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None and issubclass(model, Article):
            try:
                article = Article.objects.get(pk=object_id)
            except (Article.DoesNotExist, ValueError, ValidationError) as error:
                raise Http404("No such story.") from error
            if not article.is_public:
                if not can_see(request.user, article):
                    raise Http404("No such story.")
                return redirect("articles:preview", pk=article.pk)
        return shortcut(request, content_type_id, object_id)

    def index(self, request, extra_context=None):
        return super().index(request, {**(extra_context or {}), **self.queues(request)})

    def queues(self, request):
        user = request.user
        now = timezone.now()
        stories = visible_to(user, Article.objects.select_related("created_by").with_byline())
        mine = Q(created_by=user) | Q(bylines__writer__user=user)
        changes = StoryDraft.objects.filter(article=OuterRef("pk"), kind=StoryDraft.Kind.CHANGES)
        return {
            "is_editor": is_editor(user),
            "in_review": stories.filter(status=Article.Status.IN_REVIEW).order_by("updated_at")[
                :QUEUE_LENGTH
            ],
            "scheduled": stories.filter(
                status=Article.Status.PUBLISHED, publish_at__gt=now
            ).order_by("publish_at")[:QUEUE_LENGTH],
            "my_drafts": stories.filter(mine, status=Article.Status.DRAFT)
            .distinct()
            .order_by("-updated_at")[:QUEUE_LENGTH],
            "recently_published": stories.published().order_by("-publish_at")[:QUEUE_LENGTH],
            # Live stories with changes saved but not yet published, oldest first.
            "unpublished_changes": stories.published()
            .annotate(changes_saved_at=Subquery(changes.values("saved_at")[:1]))
            .filter(changes_saved_at__isnull=False)
            .order_by("changes_saved_at")[:QUEUE_LENGTH],
            **(self.facts_changed() if is_editor(user) else {}),
        }

    def facts_changed(self):
        """Published stories whose shows' facts changed since they were last checked, the
        longest waiting first, with what changed (for editors: they alone may update them)."""
        stale = Article.objects.with_stale_facts()
        return {
            "facts_changed": with_fact_changes(stale.with_byline()[:QUEUE_LENGTH]),
            "facts_changed_count": stale.count(),
        }


# The site's own pages (About, Standards and ethics...): django.contrib.flatpages, kept
# simple. One site, one word per address, Markdown like a story; no templates to pick.
class SitePageForm(FlatpageForm):
    url = forms.RegexField(
        label="Address",
        max_length=100,
        regex=r"^/[a-z0-9]+(?:-[a-z0-9]+)*/$",
        help_text="One word or words-with-dashes between slashes, e.g. “/standards/”.",
        error_messages={
            "invalid": "Use lower-case letters, digits and dashes between two slashes, "
            "e.g. “/standards/”."
        },
    )

    class Meta(FlatpageForm.Meta):
        fields = ["url", "title", "content"]
        labels = {"content": "Text"}
        help_texts = {"content": "Markdown, as in stories: headings, lists, links."}

    def clean_url(self):
        url = super().clean_url()
        try:
            taken = resolve(url).url_name != "page"
        except Resolver404:
            taken = False
        if taken:
            raise ValidationError(
                "That address is already one of the site's own lists; choose another.",
                code="taken",
            )
        return url

    def clean(self):
        self.cleaned_data["sites"] = [Site.objects.get_current()]  # the duplicate check
        return super().clean()


class SitePageAdmin(admin.ModelAdmin):  # registered by NewsroomConfig.ready, over Django's
    form = SitePageForm
    fields = ["url", "title", "content"]
    list_display = ["title", "url"]
    search_fields = ["url", "title", "content"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.sites.add(Site.objects.get_current())
