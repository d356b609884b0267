"""The picture a page is shared with: its own image, or a card drawn for it.

Social networks and search engines show one picture per page (``og:image``). A page
gives its own where it has one (``shared_image``: the rendition nearest 1,200 px wide);
otherwise ``site_card`` draws a title on the site's colours at 1,200 × 630 (the size
Facebook, LinkedIn and X ask for), once: the card is stored under a name made from what
it says, and drawn again only if that changes. Only stored records (a story, a show, a
person) get a card of their own title, so what strangers type (a search) never makes a
card; every other page shares the site's.
"""

import hashlib
import io
import logging
import textwrap

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont

from .checks import UNREADABLE

logger = logging.getLogger(__name__)

CARD_SIZE = (1200, 630)
INK, ACCENT, PAPER, MUTED = (27, 27, 31), (163, 18, 42), (255, 255, 255), (200, 198, 205)
DESIGN = "1"  # bump to draw every card again after a change of design
SHARED_WIDTH = 1200
SHARED_RATIO = "16:9"  # what a large card shows, cropped around the focal point
CARD_KNOWN_FOR = 86400  # seconds a card is taken to be stored without asking again


def shared_image(image):
    """The shared picture (see _shared) of a library image, None if there is none: its 16:9 crop
    nearest 1,200 px wide, else its JPEG rendition nearest that, else the file itself."""
    if not image or not image.file:
        return None
    chosen = image.rendition(SHARED_RATIO, SHARED_WIDTH)
    if chosen:
        name, width, height = chosen["name"], chosen["width"], chosen["height"]
    else:
        name, width, height = image.file.name, image.width, image.height
    return _shared(name, width, height, image.alt)


def site_wide_card():
    """The card of every page that is no stored record of its own (home, lists, search)."""
    return site_card("Reviews, explainers and renewal news about TV")


def site_card(title, kicker="Newsroom"):
    """The shared picture (see _shared) of the card for ``title``, drawn and stored if new."""
    title, kicker = " ".join(str(title).split()), " ".join(str(kicker).split())
    digest = hashlib.sha256(f"{DESIGN}\0{kicker}\0{title}".encode(errors="replace"))
    name = f"cards/{digest.hexdigest()[:24]}.jpg"
    # Asking the storage costs a request when it is a bucket: what it said is kept.
    if not cache.get(f"card:{name}"):
        if not default_storage.exists(name):
            try:
                default_storage.save(name, ContentFile(_draw(title, kicker)))
            except (*UNREADABLE, MemoryError):  # never a broken page for want of a card
                logger.exception("The social card for %r could not be drawn.", title)
                return None
        cache.set(f"card:{name}", True, CARD_KNOWN_FOR)
    alt = f"{kicker}: {title}" if title and kicker != title else title or kicker
    return _shared(name, *CARD_SIZE, alt)


def _shared(name, width, height, alt):
    """The picture as pages, structured data and feeds give it: its storage ``name``
    (for its size and type), URL, size in pixels and alt text."""
    url = default_storage.url(name)
    return {"name": name, "url": url, "width": width, "height": height, "alt": alt}


def _draw(title, kicker):
    card = Image.new("RGB", CARD_SIZE, INK)
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, 24, CARD_SIZE[1]), fill=ACCENT)
    draw.text((80, 64), kicker.upper()[:60], fill=MUTED, font=ImageFont.load_default(size=34))
    headline, font = _fit(title or "Newsroom")
    draw.multiline_text((80, 130), headline, fill=PAPER, font=font, spacing=14)
    draw.rectangle((80, 520, 200, 528), fill=ACCENT)
    draw.text((80, 546), "Newsroom", fill=PAPER, font=ImageFont.load_default(size=40))
    out = io.BytesIO()
    card.save(out, "JPEG", quality=88, optimize=True, progressive=True)
    return out.getvalue()


def _fit(title):
    """The headline wrapped to the card, and its font: the largest size at which it fits
    in four lines (cut short with an ellipsis if even the smallest does not)."""
    for size in (76, 64, 54, 46):
        font = ImageFont.load_default(size=size)
        per_line = max(8, int(1040 / (font.getlength("abcdefghij") / 10)))
        lines = textwrap.wrap(title, per_line, break_long_words=True)
        if len(lines) <= 4:
            return "\n".join(lines), font
    lines = lines[:4]
    lines[-1] = lines[-1][: per_line - 1].rstrip() + "…"
    return "\n".join(lines), font
