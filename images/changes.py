"""Changes readers could see, announced wherever they are made.

Every model of ``images``, ``people``, ``shows`` and ``articles`` uses a manager built on
``AnnouncingQuerySet``: saving or deleting a row sends Django's own signals, and
the bulk operations that send none (``update()``, ``bulk_create()``,
``bulk_update()``) send ``content_changed`` instead. Whatever keeps the page
cache fresh (newsroom.freshness) listens to both, so a change made in the admin,
a service, the shell or a management command reaches it alike. Only raw SQL does
not: code that writes raw SQL sends ``content_changed`` itself.
"""

from django.db import models
from django.dispatch import Signal

# Sent with sender=<model> after a bulk write to that model's table.
content_changed = Signal()


class AnnouncingQuerySet(models.QuerySet):
    def update(self, **kwargs):
        rows = super().update(**kwargs)
        if rows:
            content_changed.send(sender=self.model)
        return rows

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            content_changed.send(sender=self.model)
        return created

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        rows = super().bulk_update(objs, fields, *args, **kwargs)
        if rows:
            content_changed.send(sender=self.model)
        return rows

    bulk_update.alters_data = True
