from django.apps import AppConfig

from . import text


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People and writers"

    def ready(self):
        text.clean_on_save(self)
