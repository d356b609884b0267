from django.db import migrations


def create(apps, schema_editor):
    """NEWSROOM_FOLD(text) on PostgreSQL, as SQLite has it (people.text.fold): lower case
    without accents. Immutable, with the dictionary named, so that an index can hold it."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            " WHERE e.extname = 'unaccent'"
        )
        (schema,) = cursor.fetchone()
    schema_editor.execute(
        "CREATE OR REPLACE FUNCTION newsroom_fold(text) RETURNS text"
        " LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS"
        f" $$ SELECT lower({schema}.unaccent('{schema}.unaccent'::regdictionary, $1)) $$"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS people_person_folded_name_trgm"
        " ON people_person USING gin (newsroom_fold(name) gin_trgm_ops)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS people_person_name_trgm")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS people_person_name_trgm"
        " ON people_person USING gin (name gin_trgm_ops)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS people_person_folded_name_trgm")
    schema_editor.execute("DROP FUNCTION IF EXISTS newsroom_fold(text)")


class Migration(migrations.Migration):
    """Names found by likeness and by any part, without regard to case or accents, from
    one trigram index (search: "nesbit" finds James Nesbitt, "emilie" finds Émilie)."""

    dependencies = [("people", "0010_updated_at_index")]

    # On PostgreSQL only.
    operations = [migrations.RunPython(create, drop)]
