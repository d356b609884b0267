"""Renditions: a cleaned image resized once, at IMAGE_RENDITION_WIDTHS (no wider than
IMAGE_RENDITION_MAX_WIDTH), in WebP and JPEG, listed for ``srcset``."""

import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

RENDITION_FORMATS = {
    "webp": ("WEBP", {"quality": 82, "method": 4}),
    "jpg": ("JPEG", {"quality": 84, "optimize": True, "progressive": True}),
}


def make_renditions(storage, stem, data, written):
    """Write the renditions of a cleaned image; return their list for the JSON field.

    Every name written is appended to ``written`` as it goes, so a caller can remove
    them all if something fails halfway.
    """
    renditions = []
    with Image.open(io.BytesIO(data)) as original:
        original.load()
        top = min(original.width, settings.IMAGE_RENDITION_MAX_WIDTH)
        widths = sorted({w for w in settings.IMAGE_RENDITION_WIDTHS if w < top} | {top})
        for width in widths:
            height = max(1, round(original.height * width / original.width))
            resized = (
                original
                if width == original.width
                else original.resize((width, height), Image.LANCZOS)
            )
            for ext, (pil_format, options) in RENDITION_FORMATS.items():
                # Pillow's WebP writer converts other modes itself, keeping transparency
                # (a palette's too); JPEG has none to keep.
                image = resized.convert("RGB") if pil_format == "JPEG" else resized
                out = io.BytesIO()
                image.save(out, pil_format, **options)
                name = storage.save(f"{stem}-{width}w.{ext}", ContentFile(out.getvalue()))
                written.append(name)
                renditions.append({"width": width, "height": height, "format": ext, "name": name})
    return renditions


def srcset(renditions, ext):
    """'url 480w, url 960w' for one format of a renditions list."""
    return ", ".join(
        f"{default_storage.url(r['name'])} {r['width']}w" for r in renditions if r["format"] == ext
    )
