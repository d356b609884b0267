from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class NewsroomConfig(AppConfig):
    default = True
    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self):
        from . import freshness

        freshness.watch()


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, with the newsroom's own site (queues on the front page)."""

    default = False
    default_site = "newsroom.admin.NewsroomAdminSite"
