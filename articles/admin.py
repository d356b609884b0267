from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from .models import Article, Byline, Explainer, NewsStory, RenewalNews, Review


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 0
    min_num = 1
    autocomplete_fields = ["writer"]
    fields = ["writer", "position"]
    verbose_name = "writer"
    verbose_name_plural = "Byline (in the order readers see it)"

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("validate_min", True)  # every story has at least one writer
        return super().get_formset(request, obj, **kwargs)


STORY = ("Story", {"fields": ["title", "slug", "dek", "body"]})
PUBLISHING = ("Publishing", {"fields": ["status", "publish_at", "featured"]})
COVERAGE = ("What it covers", {"fields": ["show", "shows", "people", "tags", "related"]})
HERO = ("Hero image", {"fields": ["hero_image", "hero_alt", "hero_caption", "hero_credit"]})
SEO = ("Search engines", {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]})


class ArticleAdminBase(admin.ModelAdmin):
    list_display = ["title", "state", "publish_at", "byline_names", "show_titles", "updated_at"]
    list_filter = ["status", "shows", "writers"]
    search_fields = ["title", "dek", "body", "slug"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["show", "shows", "people", "related", "season", "status_change"]
    inlines = [BylineInline]
    list_per_page = 50
    save_on_top = True
    fieldsets = [STORY, PUBLISHING, COVERAGE, HERO, SEO]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("show")
            .prefetch_related("bylines__writer", "shows")
        )

    @admin.display(description="Status", ordering="status")
    def state(self, obj):
        if obj.is_scheduled:
            return format_html(
                "Scheduled for {}", timezone.localtime(obj.publish_at).strftime("%d %b %Y %H:%M")
            )
        return obj.get_status_display()

    @admin.display(description="Byline")
    def byline_names(self, obj):
        return ", ".join(writer.name for writer in obj.byline)

    @admin.display(description="Shows")
    def show_titles(self, obj):
        return ", ".join(show.title for show in obj.shows.all())

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.include_main_show()


@admin.register(Article)
class ArticleAdmin(ArticleAdminBase):
    """Every story in one list; each opens in the admin of its kind."""

    list_display = ["title", "kind", "state", "publish_at", "byline_names", "show_titles"]
    list_filter = ["status", "kind", "shows", "writers"]

    def has_add_permission(self, request):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        model = KIND_ADMINS[article.kind]
        return redirect(
            reverse(f"admin:articles_{model._meta.model_name}_change", args=[article.pk])
        )


@admin.register(Review)
class ReviewAdmin(ArticleAdminBase):
    list_display = ["title", "state", "rating", "publish_at", "byline_names", "show_titles"]
    fieldsets = [
        STORY,
        ("The review", {"fields": ["show", "season", "rating", "verdict", "watch_if", "skip_if"]}),
        PUBLISHING,
        ("Also covers", {"fields": ["shows", "people", "tags", "related"]}),
        HERO,
        SEO,
    ]


@admin.register(Explainer)
class ExplainerAdmin(ArticleAdminBase):
    pass


@admin.register(RenewalNews)
class RenewalNewsAdmin(ArticleAdminBase):
    fieldsets = [
        STORY,
        ("The renewal", {"fields": ["show", "status_change"]}),
        PUBLISHING,
        ("Also covers", {"fields": ["shows", "people", "tags", "related"]}),
        HERO,
        SEO,
    ]


@admin.register(NewsStory)
class NewsStoryAdmin(ArticleAdminBase):
    pass


KIND_ADMINS = {
    Article.Kind.REVIEW: Review,
    Article.Kind.EXPLAINER: Explainer,
    Article.Kind.RENEWAL: RenewalNews,
    Article.Kind.NEWS: NewsStory,
}
