from django.apps import AppConfig

from people import text


class ShowsConfig(AppConfig):
    name = "shows"
    verbose_name = "Shows"

    def ready(self):
        text.clean_on_save(self)
        from . import facts

        facts.watch()
