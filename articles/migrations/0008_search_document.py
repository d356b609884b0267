"""A stored search index for stories: a weighted tsvector with a GIN index on
PostgreSQL, an FTS5 table on SQLite, both kept by triggers (see articles/search.py)."""

import django.contrib.postgres.search
from django.db import migrations


def install(apps, schema_editor):
    from articles import search

    search.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from articles import search

    search.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_ascii_tags"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(install, uninstall),
    ]
