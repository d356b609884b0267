from django.db import migrations

from images.legacy import move_in, move_out

FIELDS = {"file": "hero_image", "prefix": "hero", "link": "hero"}


def forwards(apps, schema_editor):
    move_in(
        apps, "articles.Article", **FIELDS, title=lambda story: story.title,
        history="articles.HistoricalArticle",
    )  # fmt: skip


def backwards(apps, schema_editor):
    move_out(apps, "articles.Article", **FIELDS)


class Migration(migrations.Migration):
    dependencies = [("articles", "0015_hero_from_library")]

    operations = [migrations.RunPython(forwards, backwards)]
