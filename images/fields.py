"""Image fields that check every file stored through them (see checks.py) and write
its renditions (see renditions.py); if anything fails halfway, the files written are
removed."""

import os

from django import forms
from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import ImageFieldFile

from .checks import UNREADABLE, check_image
from .renditions import make_renditions


class CheckedImageFormField(forms.ImageField):
    def to_python(self, data):
        if data:  # an upload (None or empty when no file was chosen)
            check_image(data)  # our messages first: Django's say only "not a valid image"
        return super().to_python(data)


class CheckedImageFieldFile(ImageFieldFile):
    """Every way a file is stored (a form upload, ``field.save()`` in code) comes here."""

    def save(self, name, content, save=True):
        clean = check_image(content)
        base = os.path.splitext(os.path.basename(name))[0]
        written = []
        try:
            super().save(f"{base}.{clean.ext}", ContentFile(clean.data), save=False)
            written.append(self.name)
            # A first image's size (Django sets it itself only when one is replaced).
            self.field.update_dimension_fields(self.instance)
            if self.field.renditions_field:
                stem = os.path.splitext(self.name)[0]
                # A model with a focal point (a library image) gets crops around it too.
                focal = getattr(self.instance, "focal_point", None)
                renditions = make_renditions(self.storage, stem, clean.data, written, focal)
                setattr(self.instance, self.field.renditions_field, renditions)
        except Exception:
            for stored in written:  # leave no half-made image behind
                self.storage.delete(stored)
            raise
        if save:
            self.instance.save()


class CheckedImageField(models.ImageField):
    """An ImageField that checks uploads, strips metadata and writes renditions when stored."""

    attr_class = CheckedImageFieldFile

    def __init__(self, *args, renditions_field=None, **kwargs):  # pragma: no mutate block (import)
        self.renditions_field = renditions_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["renditions_field"] = self.renditions_field
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CheckedImageFormField, **kwargs})

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        """Django reads a stored picture's size when a row without it is loaded; a file
        gone from storage (or unreadable) leaves the size unknown instead of failing
        every page that shows the row."""
        try:
            super().update_dimension_fields(instance, force, *args, **kwargs)
        except UNREADABLE:
            pass

    def pre_save(self, model_instance, add):
        file = super().pre_save(model_instance, add)  # a fresh upload is stored (and cleaned) here
        if not file and self.renditions_field:
            setattr(model_instance, self.renditions_field, [])  # the image was cleared
        return file
