"""Uploaded images: checked by content, cleaned of metadata.

``check_image`` is the one gate, for the editors' forms and for code alike
(``field.save()`` in the shell or an import). It answers every bad file with
a message an editor understands, never an error page:
  * JPEG (and MPO, the multi-picture JPEG of phone cameras), PNG and WebP,
    judged by content, not by the file name;
  * at most IMAGE_UPLOAD_MAX_BYTES, IMAGE_MAX_PIXELS in all and IMAGE_MAX_SIDE
    on each side (WebP's own limit), all read from the header before any
    pixel is decoded; a JPEG that claims far more pixels than its bytes could
    hold (a 600-byte file "of" 6000 × 6000) is refused before decoding too;
  * then decoded in full, so a truncated or damaged file is refused here
    rather than failing later, and re-encoded with its orientation applied
    and its colours converted to sRGB: EXIF data, GPS position included, and
    colour profiles do not survive, and Display-P3 photos keep their colours.

The cleaned copy is kept on the upload, so storing it decodes nothing again.
"""

import io
import logging
import struct
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

ACCEPTED = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp"}
SAVE_AS = {"jpg": ("JPEG", {"quality": 90, "optimize": True}), "png": ("PNG", {"optimize": True}),
           "webp": ("WEBP", {"quality": 90})}  # fmt: skip
# A JPEG cannot hold more than a few hundred pixels a byte, even of one flat colour.
JPEG_MAX_PIXELS_PER_BYTE = 1000
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
# What Pillow raises on a file it cannot make sense of.
UNREADABLE = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)


@dataclass
class CleanImage:
    data: bytes
    ext: str
    width: int
    height: int


def check_image(uploaded):
    """Raise ValidationError, in an editor's words, unless ``uploaded`` is an image we take.

    Returns the cleaned copy (a CleanImage), and keeps it on ``uploaded``.
    """
    if getattr(uploaded, "newsroom_clean", None):
        return uploaded.newsroom_clean
    limit = settings.IMAGE_UPLOAD_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            f"This file is {filesizeformat(uploaded.size)}; images can be up to "
            f"{filesizeformat(limit)}. Export a smaller copy and try again.",
            code="too_large",
        )
    try:  # (Image.open reads from the start of the file wherever it was left)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(uploaded) as image:
                _check_header(image, uploaded.size)
                image.verify()  # chunk checksums and structure, before decoding
            with Image.open(uploaded) as image:
                clean = _clean(image)
    except ValidationError:
        raise
    except UnidentifiedImageError as error:
        raise ValidationError(
            "This file is not an image we can read. Upload a JPEG, PNG or WebP image.",
            code="not_image",
        ) from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except UNREADABLE as error:
        raise ValidationError(
            "This image is damaged or incomplete. Export it again and re-upload it.",
            code="damaged",
        ) from error
    finally:
        uploaded.seek(0)
    uploaded.newsroom_clean = clean
    return clean


def _check_header(image, size):
    """What the header says, checked before a single pixel is decoded."""
    kind, (width, height) = image.format, image.size
    if kind not in ACCEPTED:
        raise ValidationError(
            f"This is a {kind} image, not a JPEG, PNG or WebP one.",
            code="format",
        )
    side = settings.IMAGE_MAX_SIDE
    if width > side or height > side:
        raise ValidationError(
            f"This image is {width} × {height} pixels; images can be at most {side:,} pixels "
            "on each side. Export a smaller copy, or split a long graphic in two.",
            code="too_long_a_side",
        )
    if width * height > settings.IMAGE_MAX_PIXELS:
        raise _too_many_pixels(width, height)
    if kind in ("JPEG", "MPO") and width * height > size * JPEG_MAX_PIXELS_PER_BYTE:
        raise ValidationError(
            f"This file says it is a {width} × {height} pixel picture, but it holds only "
            f"{filesizeformat(size)}: it is damaged or incomplete. Export it again.",
            code="damaged",
        )


def _clean(image):
    """Decode in full; re-encode upright, in sRGB, without metadata."""
    ext = ACCEPTED[image.format]
    image.load()
    upright = ImageOps.exif_transpose(image)
    upright = _to_srgb(upright, image.info.get("icc_profile"))
    # sRGB needs no profile. Pillow writes no other metadata (EXIF, XMP) unless it is
    # given to save(), and the modes left (RGB, L) are all a JPEG can hold.
    upright.info.pop("icc_profile", None)
    pil_format, options = SAVE_AS[ext]
    out = io.BytesIO()
    upright.save(out, pil_format, **options)
    return CleanImage(out.getvalue(), ext, *upright.size)


def _to_srgb(image, icc):
    """The image's colours in sRGB, the space the web assumes when no profile is given.

    A colour picture with a profile (a phone's Display P3, a print shop's CMYK) is
    converted through it; CMYK without one is converted plainly. Grayscale, palette and
    black-and-white pictures need nothing; other modes (16-bit, float) become RGB.
    """
    if icc and image.mode in ("RGB", "RGBA", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            mode = "RGBA" if image.mode == "RGBA" else "RGB"
            return ImageCms.profileToProfile(image, source, SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            logger.info("Colour profile not readable; the image is kept as it is.")
    if image.mode in ("RGB", "RGBA", "L", "LA", "P", "1"):
        return image
    return image.convert("RGBA" if "A" in image.getbands() else "RGB")


def _too_many_pixels(width=None, height=None):
    size = f" ({width} × {height} pixels)" if width else ""
    limit = settings.IMAGE_MAX_PIXELS / 1_000_000
    return ValidationError(
        f"This image is too large{size}; images can have up to {limit:g} million pixels.",
        code="too_many_pixels",
    )
