from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS people_person_name_trgm "
            "ON people_person USING gin (name gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS people_person_name_trgm")


class Migration(migrations.Migration):
    """Names found by likeness on PostgreSQL (search: "nesbit" finds James Nesbitt)."""

    dependencies = [("people", "0008_photo_fields_removed")]

    # On PostgreSQL only (Django's TrigramExtension fails when rolled back on SQLite).
    operations = [migrations.RunPython(create_index, drop_index)]
