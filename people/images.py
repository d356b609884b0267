"""Uploaded images: checked by content, cleaned of metadata, resized once.

Used by every image on the site (writer and person photos, show posters,
story hero images). It lives in ``people``, the lowest layer, so ``shows``
and ``articles`` can use it too.

On upload, ``CheckedImageField``:
  * accepts JPEG, PNG and WebP judged by content, not by the file name;
  * refuses files over IMAGE_UPLOAD_MAX_BYTES and images over IMAGE_MAX_PIXELS
    (decompression bombs) with a message an editor understands;
  * re-encodes the image with its orientation applied, which drops EXIF data,
    GPS position included;
  * writes renditions at IMAGE_RENDITION_WIDTHS in WebP and JPEG, and lists
    them in a JSON field beside the image, for ``srcset``.
"""

import io
import os
import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.db.models.fields.files import ImageFieldFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
RENDITION_FORMATS = {
    "webp": ("WEBP", {"quality": 82, "method": 4}),
    "jpg": ("JPEG", {"quality": 84, "optimize": True, "progressive": True}),
}


def check_image(uploaded):
    """Raise ValidationError, in an editor's words, unless ``uploaded`` is an image we take."""
    limit = settings.IMAGE_UPLOAD_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            f"This file is {filesizeformat(uploaded.size)}; images can be up to "
            f"{filesizeformat(limit)}. Export a smaller copy and try again.",
            code="too_large",
        )
    uploaded.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(uploaded) as image:
                kind, (width, height) = image.format, image.size
                if kind not in ACCEPTED:
                    raise ValidationError(
                        f"This is a {kind or 'file of an unknown kind'}, not a JPEG, PNG or "
                        "WebP image.",
                        code="format",
                    )
                if width * height > settings.IMAGE_MAX_PIXELS:
                    raise _too_many_pixels(width, height)
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except UnidentifiedImageError as error:
        raise ValidationError(
            "This file is not an image we can read. Upload a JPEG, PNG or WebP image.",
            code="not_image",
        ) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            "This image is damaged or incomplete. Export it again and re-upload it.",
            code="damaged",
        ) from error
    finally:
        uploaded.seek(0)


def _too_many_pixels(width=None, height=None):
    size = f" ({width} × {height} pixels)" if width else ""
    limit = settings.IMAGE_MAX_PIXELS / 1_000_000
    return ValidationError(
        f"This image is too large{size}; images can have up to {limit:g} million pixels.",
        code="too_many_pixels",
    )


def clean_copy(uploaded):
    """The image re-encoded without metadata, turned the way its EXIF says. (bytes, ext)"""
    uploaded.seek(0)
    with Image.open(uploaded) as source:
        kind = source.format
        image = ImageOps.exif_transpose(source)
        out = io.BytesIO()
        if kind == "JPEG":
            image.convert("RGB").save(out, "JPEG", quality=90, optimize=True)
        elif kind == "PNG":
            image.save(out, "PNG", optimize=True)
        else:
            image.save(out, "WEBP", quality=90)
    return out.getvalue(), ACCEPTED[kind]


def make_renditions(field_file):
    """Write the renditions of a stored image; return their list for the JSON field."""
    storage = field_file.storage
    stem = os.path.splitext(field_file.name)[0]
    renditions = []
    with storage.open(field_file.name) as stored, Image.open(stored) as original:
        original.load()
        widths = sorted({w for w in settings.IMAGE_RENDITION_WIDTHS if w < original.width})
        widths.append(original.width)
        for width in widths:
            height = round(original.height * width / original.width)
            resized = (
                original
                if width == original.width
                else original.resize((width, height), Image.LANCZOS)
            )
            for ext, (pil_format, options) in RENDITION_FORMATS.items():
                image = resized.convert("RGB") if pil_format == "JPEG" else resized
                out = io.BytesIO()
                image.save(out, pil_format, **options)
                name = storage.save(f"{stem}-{width}w.{ext}", ContentFile(out.getvalue()))
                renditions.append({"width": width, "height": height, "format": ext, "name": name})
    return renditions


def srcset(renditions, ext):
    """'url 480w, url 960w' for one format of a renditions list."""
    return ", ".join(
        f"{default_storage.url(r['name'])} {r['width']}w" for r in renditions if r["format"] == ext
    )


class CheckedImageFormField(forms.ImageField):
    def to_python(self, data):
        if data is None or not hasattr(data, "size"):
            return super().to_python(data)
        check_image(data)  # our messages first: Django's say only "not a valid image"
        return super().to_python(data)


class CheckedImageFieldFile(ImageFieldFile):
    """Every way a file is stored (a form upload, ``field.save()`` in code) comes here."""

    def save(self, name, content, save=True):
        data, ext = clean_copy(content)
        base = os.path.splitext(os.path.basename(name))[0]
        super().save(f"{base}.{ext}", ContentFile(data), save=False)
        self.field.update_dimension_fields(self.instance, force=True)  # after any rotation
        if self.field.renditions_field:
            setattr(self.instance, self.field.renditions_field, make_renditions(self))
        if save:
            self.instance.save()


class CheckedImageField(models.ImageField):
    """An ImageField that checks uploads, strips metadata and writes renditions when stored."""

    attr_class = CheckedImageFieldFile

    def __init__(self, *args, renditions_field=None, **kwargs):
        self.renditions_field = renditions_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["renditions_field"] = self.renditions_field
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CheckedImageFormField, **kwargs})

    def pre_save(self, model_instance, add):
        file = super().pre_save(model_instance, add)  # a fresh upload is stored (and cleaned) here
        if not file and self.renditions_field:
            setattr(model_instance, self.renditions_field, [])  # the image was cleared
        return file
