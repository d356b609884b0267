from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class NewsroomConfig(AppConfig):
    default = True
    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import freshness

        freshness.watch()
        # This module is the admin site itself, imported before flatpages registers its
        # pages' admin: ours replaces it once every app's admin is in.
        from django.contrib import admin
        from django.contrib.flatpages.models import FlatPage

        from .admin import SitePageAdmin

        admin.site.unregister(FlatPage)
        admin.site.register(FlatPage, SitePageAdmin)
        # Sent per app with models (this one has none): once, after the stories' app.
        stories = self.apps.get_app_config("articles")
        post_migrate.connect(planner_statistics, sender=stories, dispatch_uid="newsroom-analyze")
        # After the sites app makes its example.com (and after a test's flush), the
        # site's own address.
        sites = self.apps.get_app_config("sites")
        post_migrate.connect(name_the_site, sender=sites, dispatch_uid="newsroom-site")


def name_the_site(using="default", **kwargs):
    from django.conf import settings
    from django.contrib.sites.models import Site

    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": settings.SITE_DOMAIN, "name": settings.SITE_NAME}
    )


def planner_statistics(using="default", **kwargs):
    """After `migrate` (every deploy), give SQLite's query planner statistics of the
    tables as they are: without them it walks the status index where a few id lookups
    would do (20 times slower for "Also read" at 5,000 stories). PostgreSQL keeps its
    own (autovacuum)."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA analysis_limit=1000")  # bounded, however big the tables
            cursor.execute("ANALYZE")


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, with the newsroom's own site (queues on the front page)."""

    default = False
    default_site = "newsroom.admin.NewsroomAdminSite"
