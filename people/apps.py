from django.apps import AppConfig, apps
from django.db.backends.signals import connection_created

from . import text


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People and writers"

    def ready(self):
        text.clean_on_save(self)
        # The image library sits below this app and knows no text rules of its own: its
        # titles, alt texts, captions and credits are cleaned like everything else.
        text.clean_on_save(apps.get_app_config("images"))
        connection_created.connect(text.register_sql_functions, dispatch_uid="newsroom-fold")
