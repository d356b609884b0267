from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.html import format_html

from .fields import CheckedImageFormField
from .models import Image


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


def chosen_picture(image, ratio=None):
    """The library picture a record links to, small, for its admin page: cropped as the
    site shows it (``ratio``), else whole."""
    small = image and (image.rendition(ratio, 320) if ratio else None)
    small = small or (image and image.rendition(None, 320))
    if not small:
        return "None chosen yet" if not image else image.title
    return format_html(
        '<img class="library-chosen" src="{}" alt="" width="{}" height="{}"> {}',
        default_storage.url(small["name"]),
        160,
        round(160 * small["height"] / small["width"]),
        image.title,
    )


@admin.register(Image)
class ImageAdmin(AsksAgainForImages, admin.ModelAdmin):
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

    @admin.display(description="")
    def thumbnail(self, image):
        small = image.rendition("1:1", 160) or image.rendition(None, 160)
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
