from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Finer statistics of the words stories use: the planner then knows a rare word
    # matches a handful of stories (it guessed 500 of 100,000, and read them all in
    # date order to find 20).
    schema_editor.execute(
        "ALTER TABLE articles_article ALTER COLUMN search_document SET STATISTICS 1000"
    )
    # Any part of a headline or an address, as the desk's search asks for it
    # (Django's icontains: UPPER(column) LIKE UPPER(...)).
    for column in ("title", "slug"):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS articles_article_{column}_trgm ON articles_article"
            f" USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )
    schema_editor.execute("ANALYZE articles_article")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE articles_article ALTER COLUMN search_document SET STATISTICS -1"
    )
    for column in ("title", "slug"):
        schema_editor.execute(f"DROP INDEX IF EXISTS articles_article_{column}_trgm")


class Migration(migrations.Migration):
    """The desk's search at 100,000 stories, on PostgreSQL."""

    dependencies = [("articles", "0024_list_indexes"), ("people", "0011_folded_name_index")]

    operations = [migrations.RunPython(create, drop)]
