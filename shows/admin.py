from django.contrib import admin
from django.db import models

from images.admin import chosen_picture
from people.admin import ForgivingDates, PersonAdmin
from people.forms import CleanTextModelForm
from people.models import Person
from people.text import record_number

from .models import Credit, Genre, Network, Season, Show, StatusChange


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ["name", "website"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Genre)
class GenreAdmin(admin.ModelAdmin):
    form = CleanTextModelForm
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class SeasonInline(admin.TabularInline):
    form = CleanTextModelForm
    model = Season
    extra = 1
    fields = ["number", "title", "premiere_date", "finale_date", "episode_count"]


class CreditInline(admin.TabularInline):
    form = CleanTextModelForm
    model = Credit
    extra = 1
    autocomplete_fields = ["person"]
    fields = ["person", "role", "character_name", "job", "billing_order"]
    verbose_name = "cast or crew credit"
    verbose_name_plural = "Cast and crew"


class StatusChangeInline(admin.TabularInline):
    form = CleanTextModelForm
    model = StatusChange
    extra = 0
    fields = ["status", "season", "announced_on", "note"]
    verbose_name_plural = "Renewal history (the newest entry is the current status)"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "season":
            show_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Season.objects.filter(show_id=show_id).select_related("show")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Show)
class ShowAdmin(admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ["title", "network", "format", "status", "premiere_date"]
    list_filter = ["format", "network", "genres"]
    search_fields = ["title", "source_title"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["network", "source_author", "poster"]
    readonly_fields = ["chosen_poster"]
    filter_horizontal = ["genres"]
    inlines = [SeasonInline, CreditInline, StatusChangeInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "network", "format", "premiere_date", "genres"]}),
        ("About", {"fields": ["synopsis", "filming_locations"]}),
        ("Source work", {"fields": ["source_title", "source_year", "source_author"]}),
        ("Poster or key art", {"fields": ["poster", "chosen_poster"]}),
    ]

    @admin.display(description="Chosen picture")
    def chosen_poster(self, obj):
        return chosen_picture(obj.poster)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("network").with_current_status()

    @admin.display(description="Current status", ordering="current_status")
    def status(self, obj):
        return StatusChange.Status(obj.current_status).label if obj.current_status else "—"


@admin.register(Season)
class SeasonAdmin(admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ["__str__", "premiere_date", "episode_count"]
    search_fields = ["show__title", "title"]
    autocomplete_fields = ["show"]
    list_select_related = ["show"]

    def get_search_results(self, request, queryset, search_term):
        """A story form's season menu lists only the seasons of the show chosen above it
        (its script sends the show's id as ``show``)."""
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        show = record_number(request.GET.get("show"))
        if request.GET.get("field_name") == "season" and show is not None:
            queryset = queryset.filter(show_id=show)
        return queryset, duplicates


@admin.register(StatusChange)
class StatusChangeAdmin(ForgivingDates, admin.ModelAdmin):
    form = CleanTextModelForm
    list_display = ["show", "status", "season", "announced_on", "note"]
    list_filter = ["status"]
    search_fields = ["show__title", "note"]
    autocomplete_fields = ["show", "season"]
    date_hierarchy = "announced_on"
    list_select_related = ["show", "season__show"]


class PersonCreditInline(admin.TabularInline):
    form = CleanTextModelForm
    model = Credit
    extra = 0
    autocomplete_fields = ["show"]
    fields = ["show", "role", "character_name", "job", "billing_order"]
    verbose_name_plural = "Credits"


# The person admin lives in `people`, which knows nothing of shows; the
# credits inline is added here, one layer up.
admin.site.unregister(Person)


@admin.register(Person)
class PersonWithCreditsAdmin(PersonAdmin):
    inlines = [PersonCreditInline]
