from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS shows_show_title_trgm "
            "ON shows_show USING gin (title gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS shows_show_title_trgm")


class Migration(migrations.Migration):
    """Show titles found by likeness on PostgreSQL (pg_trgm comes with people 0009)."""

    dependencies = [("shows", "0010_fact_changes"), ("people", "0009_trigram_name_index")]

    operations = [migrations.RunPython(create_index, drop_index)]
