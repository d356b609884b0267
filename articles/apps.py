from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate

from people import text


def _install_search(sender, using, **kwargs):
    from . import search

    search.install(connections[using])


def _carry_relations(sender, instance, history_instance, **kwargs):
    from . import revisions

    revisions.carry_relations(instance, history_instance)


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Stories"

    def ready(self):
        text.clean_on_save(self)
        # SQLite drops a table's triggers when a migration rebuilds it: put them back.
        post_migrate.connect(_install_search, sender=self, dispatch_uid="articles-search")
        # A revision starts with the lists of the one before it (see revisions.py).
        from simple_history.signals import pre_create_historical_record

        pre_create_historical_record.connect(
            _carry_relations, sender=self.get_model("HistoricalArticle"), dispatch_uid="relations"
        )
