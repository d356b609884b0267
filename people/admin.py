from django.contrib import admin
from django.utils.html import format_html

from .models import Person, Writer


class ProfileAdmin(admin.ModelAdmin):
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
