"""Moving the pictures stored on stories, shows and profiles into the library.

Used by the data migrations that made those fields links to the library (articles 0016,
shows 0008, people 0007); keep what it does as it is. Each stored file becomes one
library image, however many rows name it: the same file, its size, its renditions,
its alt text, caption and credit, and crops around the middle. No file is copied,
moved or deleted, so a rollback (``move_out``) finds everything where it was.
"""

import logging

from .checks import UNREADABLE
from .renditions import crop_stored

logger = logging.getLogger(__name__)


def move_in(apps, label, *, file, prefix, link, title, history=None):
    """Give every row of model ``label`` whose image field ``file`` holds a picture a
    library image in its ``link`` field. The row's ``<prefix>_width``, ``_height``,
    ``_renditions``, ``_alt``, ``_credit`` and (if it has one) ``_caption`` come along;
    ``title`` makes the image's title from the row. ``history`` is a historical model's
    label whose rows naming the same file get the same link."""
    Model, Image = apps.get_model(label), apps.get_model("images", "Image")
    value = _reader(Model, prefix)
    made = {}  # file name -> library image
    for row in Model.objects.exclude(**{file: ""}).order_by("pk").iterator():
        stored = getattr(row, file)
        image = made.get(stored.name)
        if image is None:
            image = made[stored.name] = Image.objects.create(
                title=title(row)[:200],
                file=stored.name,
                width=value(row, "width"),
                height=value(row, "height"),
                renditions=_with_crops(stored, value(row, "renditions") or []),
                alt=value(row, "alt", ""),
                caption=value(row, "caption", ""),
                credit=value(row, "credit", ""),
            )
        Model.objects.filter(pk=row.pk).update(**{link: image})
    if history:
        History = apps.get_model(history)
        for name, image in made.items():
            History.objects.filter(**{file: name}).update(**{link: image})


def move_out(apps, label, *, file, prefix, link):
    """The reverse of ``move_in``: each linked row names its library image's file again."""
    Model = apps.get_model(label)
    names = {field.name for field in Model._meta.get_fields()}
    for row in Model.objects.filter(**{f"{link}__isnull": False}).select_related(link):
        image = getattr(row, link)
        values = {
            file: image.file.name,
            "width": image.width,
            "height": image.height,
            "renditions": [r for r in image.renditions if not r.get("ratio")],
            "alt": image.alt[:250],
            "caption": image.caption,
            "credit": image.credit,
        }
        values = {
            (key if key == file else f"{prefix}_{key}"): v
            for key, v in values.items()
            if key == file or f"{prefix}_{key}" in names
        }
        Model.objects.filter(pk=row.pk).update(**values)


def _reader(Model, prefix):
    names = {field.name for field in Model._meta.get_fields()}

    def value(row, key, default=None):
        name = f"{prefix}_{key}"
        return getattr(row, name) if name in names else default

    return value


def _with_crops(stored, renditions):
    """The renditions, plus crops around the middle if the file can be read; pages show
    the whole picture until it can (saving the image in the library crops it then)."""
    try:
        crops = crop_stored(stored, (0.5, 0.5))
    except (*UNREADABLE, MemoryError):
        logger.warning("%s could not be read: it has no crops yet.", stored.name)
        return list(renditions)
    return list(renditions) + crops
