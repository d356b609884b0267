"""Renditions: a cleaned image resized once, in WebP and JPEG, listed for ``srcset``.

Two kinds, each a list entry with its width, height, format and file name:
  * the whole picture, at IMAGE_RENDITION_WIDTHS (no wider than
    IMAGE_RENDITION_MAX_WIDTH, never upscaled);
  * for a library image, crops at the ratios pages and search engines ask for
    (CROPS: 16:9, 4:3, 1:1), each the largest box of that ratio the picture holds,
    centred on the image's focal point as nearly as its edges allow, at
    IMAGE_CROP_WIDTHS (no wider than the box). Entries carry their ``ratio``.
"""

import io
import os
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

CROPS = {"16:9": (16, 9), "4:3": (4, 3), "1:1": (1, 1)}
ENCODERS = min(4, os.cpu_count() or 1)  # threads resizing and encoding one picture
RENDITION_FORMATS = {
    "webp": ("WEBP", {"quality": 82, "method": 4}),
    "jpg": ("JPEG", {"quality": 84, "optimize": True, "progressive": True}),
}


def make_renditions(storage, stem, data, written, focal=None):
    """Write the renditions of a cleaned image; return their list for the JSON field.

    ``focal`` (x, y, each 0-1) asks for the crops too. Every name written is appended
    to ``written`` as it goes, so a caller can remove them all if something fails
    halfway.
    """
    with Image.open(io.BytesIO(data)) as original:
        original.load()
        top = min(original.width, settings.IMAGE_RENDITION_MAX_WIDTH)
        widths = sorted({w for w in settings.IMAGE_RENDITION_WIDTHS if w < top} | {top})
        renditions = _write(storage, f"{stem}-", original, widths, written, {})
        if focal is not None:
            renditions += make_crops(storage, stem, original, written, focal)
    return renditions


def make_crops(storage, stem, original, written, focal):
    """The crops of a decoded picture around ``focal`` (x, y, each 0-1), as entries."""
    crops = []
    for ratio, (across, down) in CROPS.items():
        box = crop_box(original.size, (across, down), focal)
        cropped = original.crop(box)
        top = min(cropped.width, max(settings.IMAGE_CROP_WIDTHS))
        widths = sorted({w for w in settings.IMAGE_CROP_WIDTHS if w < top} | {top})
        prefix = f"{stem}-{across}x{down}-"
        extra = {"ratio": ratio, "focal": list(focal)}  # what the crop was made around
        crops += _write(storage, prefix, cropped, widths, written, extra)
    return crops


def crop_box(size, ratio, focal):
    """The largest box of ``ratio`` (across, down) inside a picture of ``size``, centred
    on ``focal`` (x, y as fractions of the width and height) as nearly as the picture's
    edges allow: (left, top, right, bottom) in pixels."""
    (width, height), (across, down), (x, y) = size, ratio, focal
    if width * down > height * across:  # wider than the ratio: the full height
        box_width, box_height = max(1, height * across // down), height
    else:
        box_width, box_height = width, max(1, width * down // across)
    left = min(max(round(x * width - box_width / 2), 0), width - box_width)
    top = min(max(round(y * height - box_height / 2), 0), height - box_height)
    return left, top, left + box_width, top + box_height


def _write(storage, prefix, picture, widths, written, extra):
    """Resize and encode in threads (Pillow lets go of the interpreter while it works, so
    an upload takes about half the time on two cores); store one by one, in order."""
    sizes = [(width, max(1, round(picture.height * width / picture.width))) for width in widths]
    with ThreadPoolExecutor(max_workers=ENCODERS) as pool:
        resized = list(pool.map(lambda size: _resized(picture, size), sizes))
        jobs = [
            (size, image, ext, pil_format, options)
            for size, image in zip(sizes, resized, strict=True)
            for ext, (pil_format, options) in RENDITION_FORMATS.items()
        ]
        encoded = pool.map(lambda job: _encoded(*job[1:]), jobs)
        renditions = []
        for ((width, height), _, ext, _, _), data in zip(jobs, encoded, strict=True):
            name = storage.save(f"{prefix}{width}w.{ext}", ContentFile(data))
            written.append(name)
            renditions.append(
                {"width": width, "height": height, "format": ext, "name": name, **extra}
            )
    return renditions


def _resized(picture, size):
    return picture if size[0] == picture.width else picture.resize(size, Image.LANCZOS)


def _encoded(image, ext, pil_format, options):
    # Pillow's WebP writer converts other modes itself, keeping transparency (a palette's
    # too); JPEG has none to keep.
    out = io.BytesIO()
    (image.convert("RGB") if pil_format == "JPEG" else image).save(out, pil_format, **options)
    return out.getvalue()


def crop_stored(file, focal):
    """The crops (see make_crops) of a picture already in storage; if anything fails, the
    crops written so far are removed and the error raised."""
    stem, written = os.path.splitext(file.name)[0], []
    try:
        with file.open("rb") as stored, Image.open(stored) as original:
            original.load()
            return make_crops(file.storage, stem, original, written, focal)
    except Exception:
        for name in written:
            file.storage.delete(name)
        raise


def cropped(renditions, ratio):
    """``ratio`` if the renditions hold crops at it, else None: a picture not cropped yet
    stands in whole (pages fit it to the box)."""
    return ratio if any(r.get("ratio") == ratio for r in renditions or []) else None


def best(renditions, width, ratio=None, ext="jpg"):
    """The smallest rendition at least ``width`` wide, else the widest, of the whole
    picture (``ratio`` None) or of its crops at ``ratio``, in one format; None if none."""
    fitting = sorted(
        (r for r in renditions or [] if r.get("ratio") == ratio and r["format"] == ext),
        key=lambda r: r["width"],
    )
    return next((r for r in fitting if r["width"] >= width), fitting[-1] if fitting else None)


def srcset(renditions, ext, ratio=None):
    """'url 480w, url 960w' for one format of a renditions list: of the whole picture,
    or of its crops at ``ratio``."""
    return ", ".join(
        f"{default_storage.url(r['name'])} {r['width']}w"
        for r in renditions
        if r["format"] == ext and r.get("ratio") == ratio
    )
