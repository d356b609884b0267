"""``{% picture image sizes ratio=… upto=… %}``: a library image as a responsive <picture>.

WebP and JPEG ``srcset``s of its crops at ``ratio`` ("16:9", "4:3", "1:1"), or of the
whole picture (no ratio, or a picture not cropped yet), with the width and height of
what is shown so the page does not jump as it loads. Lazy below the fold; ``eager``
for the largest picture of the first screen, which the browser fetches first.
"""

from django import template
from django.core.files.storage import default_storage

from images.renditions import best, cropped, srcset

register = template.Library()


@register.inclusion_tag("images/picture.html")
def picture(image, sizes, ratio=None, alt=None, eager=False, css_class="", upto=None):
    """``upto``: the widest rendition a small picture needs (a thumbnail shown 8rem wide
    is 384 px on the sharpest phone): the page names no larger ones."""
    if not image or not image.file:
        return {"image": None}
    renditions = image.renditions or []
    ratio = cropped(renditions, ratio)
    if upto:
        smallest = min((r["width"] for r in renditions if r.get("ratio") == ratio), default=0)
        renditions = [r for r in renditions if r["width"] <= max(upto, smallest)]
    shown = best(renditions, 960, ratio)
    if shown:
        src, width, height = default_storage.url(shown["name"]), shown["width"], shown["height"]
    else:
        src, width, height = image.file.url, image.width, image.height
    return {
        "image": image,
        "src": src,
        "width": width,
        "height": height,
        "webp": srcset(renditions, "webp", ratio),
        "jpg": srcset(renditions, "jpg", ratio),
        "sizes": sizes,
        "alt": image.alt if alt is None else alt,
        "eager": eager,
        "css_class": css_class,
    }
