"""Story search, indexed on both databases and cheap at any size.

PostgreSQL keeps a weighted ``tsvector`` per story (headline A, standfirst B,
body C) in ``Article.search_document``, with a GIN index. SQLite keeps an FTS5
index of the same three fields. Both fold case and accents for every letter:
"emilie" finds "Émilie". Both are maintained by database triggers, so every
write reaches them: a save, ``bulk_create``, ``update()``, an import.

A search is one count and one page query, and neither grows with the number of
stories that match: a word found in every story would otherwise mean counting
and ranking every story. Only the newest ``RANK_WINDOW`` matches are ranked and
paged, and the count stops one past that ("more than 1,000").
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q
from django.db.models.expressions import RawSQL

# English stemming with accents folded ("emilie" finds "Émilie"), made by install().
CONFIG = "newsroom_english"
RANK_WINDOW = 1000
FTS_TABLE = "articles_article_fts"

_POSTGRES_INSTALL = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    f"""
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{CONFIG}') THEN
        CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = english);
        ALTER TEXT SEARCH CONFIGURATION {CONFIG}
          ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
      END IF;
    END $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION articles_article_search_document() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND NEW.title IS NOT DISTINCT FROM OLD.title
         AND NEW.dek IS NOT DISTINCT FROM OLD.dek AND NEW.body IS NOT DISTINCT FROM OLD.body
         AND NEW.search_document IS NOT NULL THEN
        RETURN NEW;
      END IF;
      NEW.search_document :=
        setweight(to_tsvector('{CONFIG}', coalesce(NEW.title, '')), 'A') ||
        setweight(to_tsvector('{CONFIG}', coalesce(NEW.dek, '')), 'B') ||
        setweight(to_tsvector('{CONFIG}', coalesce(NEW.body, '')), 'C');
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS articles_article_search_document ON articles_article",
    """
    CREATE TRIGGER articles_article_search_document
    BEFORE INSERT OR UPDATE ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_document()
    """,
    """
    CREATE INDEX IF NOT EXISTS articles_article_search_document_gin
    ON articles_article USING gin (search_document) WITH (fastupdate = off)
    """,
    # Fill in rows written before the trigger existed (the trigger computes it).
    "UPDATE articles_article SET search_document = NULL WHERE search_document IS NULL",
]
_POSTGRES_UNINSTALL = [
    "DROP TRIGGER IF EXISTS articles_article_search_document ON articles_article",
    "DROP FUNCTION IF EXISTS articles_article_search_document()",
    "DROP INDEX IF EXISTS articles_article_search_document_gin",
]

_FIELDS = "title, dek, body"
_SQLITE_TRIGGERS = {
    f"{FTS_TABLE}_insert": f"""
        CREATE TRIGGER {FTS_TABLE}_insert AFTER INSERT ON articles_article BEGIN
          INSERT INTO {FTS_TABLE}(rowid, {_FIELDS}) VALUES (new.id, new.title, new.dek, new.body);
        END""",
    f"{FTS_TABLE}_delete": f"""
        CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON articles_article BEGIN
          INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_FIELDS})
          VALUES ('delete', old.id, old.title, old.dek, old.body);
        END""",
    f"{FTS_TABLE}_update": f"""
        CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE ON articles_article BEGIN
          INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_FIELDS})
          VALUES ('delete', old.id, old.title, old.dek, old.body);
          INSERT INTO {FTS_TABLE}(rowid, {_FIELDS}) VALUES (new.id, new.title, new.dek, new.body);
        END""",
}


def install(schema_connection=None):
    """Create the search index and the triggers that keep it, where missing.

    Safe to run again: the migration runs it, and so does every ``migrate``
    (see ArticlesConfig), because SQLite drops a table's triggers whenever a
    migration rebuilds the table.
    """
    conn = schema_connection or connection
    with conn.cursor() as cursor:
        columns = (
            [c.name for c in conn.introspection.get_table_description(cursor, "articles_article")]
            if "articles_article" in conn.introspection.table_names(cursor)
            else []
        )
        if "search_document" not in columns:
            return  # migrated back to before the index existed
        if conn.vendor == "postgresql":
            for sql in _POSTGRES_INSTALL:
                cursor.execute(sql)
        elif conn.vendor == "sqlite":
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                f"{_FIELDS}, content='articles_article', content_rowid='id', "
                "tokenize='unicode61 remove_diacritics 2')"
            )
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            present = {row[0] for row in cursor.fetchall()}
            missing = [sql for name, sql in _SQLITE_TRIGGERS.items() if name not in present]
            for sql in missing:
                cursor.execute(sql)
            if missing:  # rows may have changed while a trigger was gone
                cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def uninstall(schema_connection=None):
    conn = schema_connection or connection
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            for sql in _POSTGRES_UNINSTALL:
                cursor.execute(sql)
        elif conn.vendor == "sqlite":
            for name in _SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


_WORD = re.compile(r"\w", re.UNICODE)


def _fts5_query(query):
    """Every word, as a prefix: "twist émilie" -> "twist"* "émilie"* (all must match)."""
    words = [word for word in query.split() if _WORD.search(word)]
    return " ".join('"' + word.replace('"', '""') + '"*' for word in words)


def _search(query):
    return SearchQuery(query, search_type="websearch", config=CONFIG)


def matches(query):
    """The condition that a story's headline, standfirst or body match ``query``, through
    the index, unranked (the desk's story list searches this way, with other conditions)."""
    if connection.vendor == "postgresql":
        return Q(search_document=_search(query))
    fts = _fts5_query(query)
    if not fts:
        return Q(pk__in=[])
    return Q(pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [fts]))


def matching(stories, query):
    """(count, ranked): how many of ``stories`` match ``query``, counted up to
    RANK_WINDOW + 1, and at most RANK_WINDOW of them, the most relevant first."""
    found = stories.filter(matches(query))
    if connection.vendor == "postgresql":
        newest = found.order_by("-publish_at", "-pk").values("pk")[:RANK_WINDOW]
        ranked = (
            stories.filter(pk__in=newest)
            .annotate(rank=SearchRank(F("search_document"), _search(query)))
            .order_by("-rank", "-publish_at", "-pk")
        )
    else:
        ranked = found.order_by("-publish_at", "-pk")[:RANK_WINDOW]
    return found.order_by()[: RANK_WINDOW + 1].count(), ranked
