from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.utils.html import format_html

from images.admin import chosen_picture

from .forms import CleanTextModelForm
from .models import Person, Writer


class ForgivingChangeList(ChangeList):
    """A date in the list's date links that no calendar holds (?publish_at__year=
    99999999999) is a bad link, answered like any other (the list with "?e=1"), not a 500:
    Django turns a ValueError into that, but not the OverflowError of a huge number."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


class ForgivingDates:
    def get_changelist(self, request, **kwargs):
        return ForgivingChangeList


class ProfileAdmin(admin.ModelAdmin):
    form = CleanTextModelForm
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    list_per_page = 50

    autocomplete_fields = ["photo"]
    readonly_fields = ["chosen_photo"]

    @admin.display(description="Photo", boolean=True)
    def has_photo(self, obj):
        return obj.photo_id is not None

    @admin.display(description="Chosen photo")
    def chosen_photo(self, obj):
        return chosen_picture(obj.photo, "1:1")


@admin.register(Person)
class PersonAdmin(ProfileAdmin):
    list_display = ["name", "slug", "has_photo"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "born_on", "bio"]}),
        ("Photo", {"fields": ["photo", "chosen_photo"]}),
    ]


@admin.register(Writer)
class WriterAdmin(ProfileAdmin):
    list_display = ["name", "job_title", "login", "has_photo"]
    search_fields = ["name", "job_title", "user__username"]
    autocomplete_fields = ["user", "photo"]
    list_select_related = ["user"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "job_title", "bio", "user"]}),
        ("Photo", {"fields": ["photo", "chosen_photo"]}),
    ]

    @admin.display(description="Login", ordering="user__username")
    def login(self, obj):
        return obj.user.get_username() if obj.user else format_html("<em>{}</em>", "none")
