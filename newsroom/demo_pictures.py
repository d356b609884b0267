"""The demo's pictures, drawn here so the demo needs nothing downloaded: title cards for
stories (16:9), key art for shows (2:3), portraits for people and writers (1:1). Each is
an illustration, credited as one, in colours picked from its subject's name so every
show and person keeps the same look from one run to the next."""

import hashlib
import io
import textwrap

from PIL import Image, ImageDraw, ImageFont

# (top, bottom) of a gradient, each dark enough for white text at 4.5:1 or more.
PALETTES = [
    ((122, 18, 38), (34, 8, 20)),  # oxblood
    ((20, 78, 110), (8, 24, 44)),  # harbour blue
    ((26, 92, 72), (8, 32, 28)),  # pine
    ((88, 44, 120), (26, 12, 44)),  # plum
    ((136, 70, 16), (44, 20, 6)),  # amber
    ((52, 60, 78), (16, 18, 26)),  # slate
]
WHITE, SOFT = (255, 255, 255), (236, 228, 232)


def palette(key):
    """The palette for ``key``: the same every run, spread over PALETTES."""
    return PALETTES[hashlib.sha256(key.encode()).digest()[0] % len(PALETTES)]


def title_card(title, kicker, key):
    """A story's hero: its headline's subject on a gradient, 1,200 x 675 (16:9)."""
    top, bottom = palette(key)
    picture = _gradient((1600, 900), top, bottom)
    draw = ImageDraw.Draw(picture)
    draw.rectangle((96, 150, 240, 162), fill=WHITE)
    draw.text((96, 190), kicker.upper(), fill=SOFT, font=_font(44))
    _wrapped(draw, (96, 270), title, width=22, size=118, fill=WHITE)
    draw.text((96, 780), "NEWSROOM", fill=SOFT, font=_font(36))
    return _jpeg(picture, 1200)


def key_art(title, network, key):
    """A show's poster: its title large over a circle motif, the network on top, 1,200 x
    1,800 (2:3: wide enough for a 1,200 px 16:9 crop). The title sits in the middle band,
    where that crop keeps it."""
    top, bottom = palette(key)
    picture = _gradient((1400, 2100), top, bottom)
    draw = ImageDraw.Draw(picture)
    tint = tuple(min(255, c + 38) for c in top)
    draw.ellipse((252, 224, 1148, 1120), outline=tint, width=34)
    draw.ellipse((462, 434, 938, 910), fill=tint)
    draw.text((700, 126), network.upper(), fill=SOFT, font=_font(56), anchor="mm")
    _wrapped(draw, (700, 1330), title.upper(), width=12, size=150, fill=WHITE, centred=True)
    draw.text((700, 1960), "A NEWSROOM ILLUSTRATION", fill=SOFT, font=_font(40), anchor="mm")
    return _jpeg(picture, 1200)


def portrait(name, key):
    """A person's picture: a head-and-shoulders silhouette on a gradient, 600 x 600."""
    top, bottom = palette(key)
    picture = _gradient((800, 800), top, bottom)
    draw = ImageDraw.Draw(picture)
    tint = tuple(min(255, c + 60) for c in top)
    draw.ellipse((270, 150, 530, 430), fill=tint)  # head
    draw.rounded_rectangle((150, 470, 650, 900), radius=220, fill=tint)  # shoulders
    initials = "".join(part[0] for part in name.split()[:2]).upper()
    draw.text((740, 740), initials, fill=SOFT, font=_font(48), anchor="rs")
    return _jpeg(picture, 600)


def _gradient(size, top, bottom):
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def _font(size):
    return ImageFont.load_default(size=size)


def _wrapped(draw, at, text, *, width, size, fill, centred=False):
    lines = textwrap.wrap(text, width)[:4] or [""]
    font = _font(size)
    x, y = at
    for line in lines:
        if centred:
            draw.text((x, y), line, fill=fill, font=font, anchor="mt")
        else:
            draw.text((x, y), line, fill=fill, font=font)
        y += int(size * 1.12)


def _jpeg(picture, width):
    """The picture as a JPEG ``width`` pixels wide: drawn larger and scaled down, the
    lettering stays crisp."""
    height = round(picture.height * width / picture.width)
    out = io.BytesIO()
    picture.resize((width, height), Image.LANCZOS).save(out, "JPEG", quality=90)
    return out.getvalue()
