"""The picture a page is shared with: its own image, or a card drawn for it.

Social networks and search engines show one picture per page (``og:image``). A page
gives its own where it has one (``shared_image``: the rendition nearest 1,200 px wide);
otherwise ``site_card`` draws its title on the site's colours at 1,200 × 630 (the size
Facebook, LinkedIn and X ask for), once: the card is stored under a name made from what
it says, and drawn again only if that changes.
"""

import hashlib
import io
import logging
import textwrap

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont

from .checks import UNREADABLE

logger = logging.getLogger(__name__)

CARD_SIZE = (1200, 630)
INK, ACCENT, PAPER, MUTED = (27, 27, 31), (163, 18, 42), (255, 255, 255), (200, 198, 205)
DESIGN = "1"  # bump to draw every card again after a change of design
SHARED_WIDTH = 1200


def shared_image(field, renditions, alt, width=None, height=None):
    """{url, width, height, alt} of a stored image, or None if there is none: the JPEG
    rendition nearest 1,200 px wide (at least that wide if it has one), else the file."""
    if not field:
        return None
    jpegs = sorted(
        (r for r in renditions or [] if r["format"] == "jpg" and not r.get("ratio")),
        key=lambda r: r["width"],
    )
    best = next((r for r in jpegs if r["width"] >= SHARED_WIDTH), jpegs[-1] if jpegs else None)
    if best:
        return {
            "url": default_storage.url(best["name"]),
            "width": best["width"],
            "height": best["height"],
            "alt": alt,
        }
    return {"url": field.url, "width": width, "height": height, "alt": alt}


def site_card(title, kicker="Newsroom"):
    """{url, width, height, alt} of the card for ``title`` (drawn and stored if new)."""
    title, kicker = " ".join(str(title).split()), " ".join(str(kicker).split())
    digest = hashlib.sha256(f"{DESIGN}\0{kicker}\0{title}".encode(errors="replace"))
    name = f"cards/{digest.hexdigest()[:24]}.jpg"
    if not default_storage.exists(name):
        try:
            default_storage.save(name, ContentFile(_draw(title, kicker)))
        except (*UNREADABLE, MemoryError):  # never a broken page for want of a card
            logger.exception("The social card for %r could not be drawn.", title)
            return None
    width, height = CARD_SIZE
    alt = f"{kicker}: {title}" if title and kicker != title else title or kicker
    return {"url": default_storage.url(name), "width": width, "height": height, "alt": alt}


def _draw(title, kicker):
    card = Image.new("RGB", CARD_SIZE, INK)
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, 24, CARD_SIZE[1]), fill=ACCENT)
    draw.text((80, 64), kicker.upper()[:60], fill=MUTED, font=ImageFont.load_default(size=34))
    headline, size = _fit(draw, title or "Newsroom")
    draw.multiline_text((80, 130), headline, fill=PAPER, font=headline_font(size), spacing=14)
    draw.rectangle((80, 520, 200, 528), fill=ACCENT)
    draw.text((80, 546), "Newsroom", fill=PAPER, font=ImageFont.load_default(size=40))
    out = io.BytesIO()
    card.save(out, "JPEG", quality=88, optimize=True, progressive=True)
    return out.getvalue()


def headline_font(size):
    return ImageFont.load_default(size=size)


def _fit(draw, title):
    """The headline wrapped to the card: the largest size at which it fits in four lines
    (cut short with an ellipsis if even the smallest does not)."""
    for size in (76, 64, 54, 46):
        font = headline_font(size)
        per_line = max(8, int(1040 / (font.getlength("abcdefghij") / 10)))
        lines = textwrap.wrap(title, per_line, break_long_words=True)
        if len(lines) <= 4:
            return "\n".join(lines), size
    lines = textwrap.wrap(title, per_line, break_long_words=True)[:4]
    lines[-1] = lines[-1][: per_line - 1].rstrip() + "…"
    return "\n".join(lines), size
