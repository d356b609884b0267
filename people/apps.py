from django.apps import AppConfig
from django.db.backends.signals import connection_created

from . import text


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People and writers"

    def ready(self):
        text.clean_on_save(self)
        connection_created.connect(text.register_sql_functions, dispatch_uid="newsroom-fold")
