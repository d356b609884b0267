from django.apps import AppConfig

from people import text


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Stories"

    def ready(self):
        text.clean_on_save(self)
