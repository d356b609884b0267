"""The image library: a picture uploaded once, with its alt text, caption, credit and
focal point, and its renditions (whole and cropped around the focal point), reused
wherever the site shows it."""

import logging

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction

from .changes import AnnouncingQuerySet
from .fields import CheckedImageField
from .renditions import best, crop_stored, cropped

FRACTION = [MinValueValidator(0.0), MaxValueValidator(1.0)]
logger = logging.getLogger(__name__)


class Image(models.Model):
    title = models.CharField(
        max_length=200, help_text="What the picture shows, to find it in the library."
    )
    file = CheckedImageField(
        "Image",
        upload_to="images/%Y/%m/",
        width_field="width",
        height_field="height",
        renditions_field="renditions",
        help_text="JPEG, PNG or WebP, up to 10 MB. Location data is removed on upload.",
    )
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    renditions = models.JSONField(default=list, blank=True, editable=False)
    alt = models.CharField(
        "Alt text",
        max_length=300,
        help_text="What a reader who cannot see the picture needs to know. Required.",
    )
    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(
        max_length=200, blank=True, help_text='Who made it, e.g. "Photo: Netflix".'
    )
    focal_x = models.FloatField(
        "Focal point, across", default=0.5, validators=FRACTION,
        help_text="Click the picture to set it: crops keep this point in view.",
    )  # fmt: skip
    focal_y = models.FloatField("Focal point, down", default=0.5, validators=FRACTION)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = models.Manager.from_queryset(AnnouncingQuerySet)()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="image_focal_point_inside",
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # A stored picture whose crops were made around another point (or not yet made:
        # a row put in from the shell) is cropped again; a fresh upload is cropped as
        # it is stored (images.fields).
        cropped_at = next((r["focal"] for r in self.renditions if r.get("ratio")), None)
        stale = self.file and self.file._committed and cropped_at != list(self.focal_point)
        replaced = []
        if stale and not self.file.storage.exists(self.file.name):
            # Its file is gone (a row put in by hand, a lost disk): what was typed is
            # saved; the crops are made when the file is back and the picture saved.
            logger.warning("%s is missing: it was not cropped.", self.file.name)
        elif stale:
            replaced = self._crop_again()
        super().save(*args, **kwargs)
        if replaced:  # the old crops, once no saved row names them
            storage = self.file.storage
            transaction.on_commit(lambda: [storage.delete(name) for name in replaced])

    @property
    def focal_point(self):
        return (self.focal_x, self.focal_y)

    def _crop_again(self):
        """New crops around the moved focal point; returns the names of the old ones."""
        old = [r["name"] for r in self.renditions if r.get("ratio")]
        crops = crop_stored(self.file, self.focal_point)
        self.renditions = [r for r in self.renditions if not r.get("ratio")] + crops
        return old

    def rendition(self, ratio, width, ext="jpg"):
        """The smallest rendition at least ``width`` wide (else the widest) of the crops
        at ``ratio``, or of the whole picture (no ratio, or not cropped yet); None if
        there is none."""
        return best(self.renditions, width, cropped(self.renditions, ratio), ext)
