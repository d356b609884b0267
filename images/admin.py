from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.html import format_html

from .models import Image


def chosen_picture(image, ratio=None):
    """The library picture a record links to, small, for its admin page: cropped as the
    site shows it (``ratio``), else whole."""
    if not image:
        return "None chosen yet"
    small = image.rendition(ratio, 320)
    if not small:
        return image.title
    return format_html(
        '<img class="library-chosen" src="{}" alt="" width="{}" height="{}"> {}',
        default_storage.url(small["name"]),
        160,
        round(160 * small["height"] / small["width"]),
        image.title,
    )


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "title", "alt", "size", "credit", "created_at"]
    list_display_links = ["thumbnail", "title"]
    search_fields = ["title", "alt", "caption", "credit"]
    date_hierarchy = "created_at"
    readonly_fields = ["focal_point_picker"]
    fieldsets = [
        (None, {"fields": ["file", "title", "alt", "caption", "credit"]}),
        (
            "Focal point",
            {
                "fields": ["focal_point_picker", ("focal_x", "focal_y")],
                "description": "Crops for cards, social networks and search results keep "
                "this point in view. Click the part of the picture that matters most "
                "(a face, a title), then save. Without JavaScript, type the point as "
                "fractions of the width and height (0 to 1).",
            },
        ),
    ]

    class Media:
        css = {"all": ["admin/newsroom-images.css"]}
        js = ["admin/newsroom-images.js"]

    def render_change_form(self, request, context, *args, **kwargs):
        """When a save is refused, a browser cannot fill the file box in again by
        itself: say so next to the file that was chosen, rather than let it vanish."""
        form, upload = context["adminform"].form, request.FILES.get("file")
        if request.method == "POST" and form.is_bound and upload and "file" not in form.errors:
            form.add_error(
                "file",
                ValidationError(
                    "Nothing was saved, so “%(file)s” was not stored either. "
                    "Choose it again when you save.",
                    code="choose_again",
                    params={"file": upload.name},
                ),
            )
        return super().render_change_form(request, context, *args, **kwargs)

    @admin.display(description="")
    def thumbnail(self, image):
        small = image.rendition("1:1", 160)
        if not small:
            return "—"
        url = default_storage.url(small["name"])
        return format_html(
            '<img class="library-thumbnail" src="{}" alt="" width="60" height="60">', url
        )

    @admin.display(description="Size")
    def size(self, image):
        return f"{image.width} × {image.height}" if image.width else "—"

    @admin.display(description="Picture")
    def focal_point_picker(self, image):
        preview = image.rendition(None, 960) if image.pk else None
        if not preview:
            return "Save the picture first; then set its focal point here."
        return format_html(
            '<div class="focal-picker" data-x="{}" data-y="{}">'
            '<img src="{}" alt="{}" width="{}" height="{}">'
            '<span class="focal-marker" aria-hidden="true"></span></div>',
            image.focal_x,
            image.focal_y,
            default_storage.url(preview["name"]),
            image.alt,
            preview["width"],
            preview["height"],
        )
