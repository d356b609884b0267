from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from images.fields import CheckedImageFormField

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


class AsksAgainForImages:
    """When a save is refused (any error, in the form or an inline), a browser cannot
    fill the file box in again by itself: say so next to each image that was chosen,
    rather than let it vanish without a word."""

    def render_change_form(self, request, context, *args, **kwargs):
        form = context["adminform"].form
        if request.method == "POST" and form.is_bound:
            for name, field in form.fields.items():
                upload = request.FILES.get(form.add_prefix(name))
                if isinstance(field, CheckedImageFormField) and upload and name not in form.errors:
                    form.add_error(
                        name,
                        ValidationError(
                            "Nothing was saved, so “%(file)s” was not stored either. "
                            "Choose it again when you save.",
                            code="choose_again",
                            params={"file": upload.name},
                        ),
                    )
        return super().render_change_form(request, context, *args, **kwargs)


class ProfileAdmin(AsksAgainForImages, admin.ModelAdmin):
    form = CleanTextModelForm
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    list_per_page = 50

    @admin.display(description="Photo", boolean=True)
    def has_photo(self, obj):
        return bool(obj.photo)


@admin.register(Person)
class PersonAdmin(ProfileAdmin):
    list_display = ["name", "slug", "has_photo"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "born_on", "bio"]}),
        ("Photo", {"fields": ["photo", "photo_alt", "photo_credit"]}),
    ]


@admin.register(Writer)
class WriterAdmin(ProfileAdmin):
    list_display = ["name", "job_title", "login", "has_photo"]
    search_fields = ["name", "job_title", "user__username"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "job_title", "bio", "user"]}),
        ("Photo", {"fields": ["photo", "photo_alt", "photo_credit"]}),
    ]

    @admin.display(description="Login", ordering="user__username")
    def login(self, obj):
        return obj.user.get_username() if obj.user else format_html("<em>{}</em>", "none")
