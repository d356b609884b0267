from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS shows_show_folded_title_trgm"
            " ON shows_show USING gin (newsroom_fold(title) gin_trgm_ops)"
        )
        schema_editor.execute("DROP INDEX IF EXISTS shows_show_title_trgm")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS shows_show_title_trgm"
            " ON shows_show USING gin (title gin_trgm_ops)"
        )
        schema_editor.execute("DROP INDEX IF EXISTS shows_show_folded_title_trgm")


class Migration(migrations.Migration):
    """Show titles found by likeness and by any part, without regard to case or accents,
    from one trigram index (newsroom_fold comes with people 0011)."""

    dependencies = [("shows", "0012_decision_indexes"), ("people", "0011_folded_name_index")]

    operations = [migrations.RunPython(create_index, drop_index)]
