"""The read replica, tried as readers and editors would meet it.

A public page missing from the cache is read from the replica once the replica has
replayed the latest change; a replica behind it is passed over, so a reader never gets
(and the cache never keeps) the page as it was before the change; signed-in staff and
the admin always read from the primary, and everything is written there; a replica that
does not answer costs a warning in the log, never an error page.

The test database has a second name, "replica" (tests/settings.py): the same rows, as
on a replica that has caught up. How far the primary's log has got and how far the
replica has replayed it are PostgreSQL's to say; where a test needs a replica that lags,
``log`` stands in for both.
"""

import logging
import re

import pytest
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from newsroom import freshness, replica
from shows.models import Show

from .factories import ArticleFactory, ReviewFactory, SeasonFactory, ShowFactory
from .test_project import manage

PRIMARY_URL = "postgres://newsroom@db.internal:5432/newsroom"
REPLICA_URL = "postgres://newsroom@replica.internal:5432/newsroom"
with_both_databases = pytest.mark.django_db(databases=["default", "replica"], transaction=True)


@pytest.fixture
def replica_on(settings, monkeypatch):
    """Public pages may be read from the replica; this process has not met it yet."""
    settings.READ_REPLICA = "replica"
    monkeypatch.setattr(replica, "_replayed", 0)
    monkeypatch.setattr(replica, "_unreachable_until", 0.0)


class Log:
    """The primary's write-ahead log, which every change moves on, and how far the
    replica has replayed it: behind until told to catch up."""

    def __init__(self):
        self.written = self.replayed = 0x16B3748
        self.asked = 0

    def primary_position(self):
        self.written += 0x200
        return f"0/{self.written:X}"

    def replayed_position(self, connection):
        self.asked += 1
        return f"0/{self.replayed:X}"

    def catch_up(self):
        self.replayed = self.written


@pytest.fixture
def log(replica_on, monkeypatch):
    log = Log()
    monkeypatch.setattr(replica, "primary_position", log.primary_position)
    monkeypatch.setattr(replica, "replayed_position", log.replayed_position)
    return log


def read_by(client, url):
    """The page at ``url`` and the queries it cost on the primary and on the replica."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as secondary,
    ):
        page = client.get(url)
    return page, primary.captured_queries, secondary.captured_queries


# Readers -------------------------------------------------------------------------------


@with_both_databases
def test_a_page_missing_from_the_cache_is_read_from_the_replica_once_it_has_caught_up(
    replica_on,
):
    story = ArticleFactory(title="Harbour Lights returns")
    page, on_primary, on_replica = read_by(Client(), story.get_absolute_url())
    assert page.status_code == 200 and "Harbour Lights returns" in page.text
    assert on_replica, "the replica was not read"
    assert on_primary == []


@with_both_databases
def test_a_replica_behind_the_latest_change_is_passed_over_and_the_page_shows_the_change(log):
    story = ArticleFactory(title="Old headline")
    log.catch_up()
    reader = Client()
    page, _, on_replica = read_by(reader, story.get_absolute_url())
    assert "Old headline" in page.text and on_replica

    story.title = "New headline"
    story.save()  # the replica has not replayed this yet
    page, on_primary, on_replica = read_by(reader, story.get_absolute_url())
    assert "New headline" in page.text and "Old headline" not in page.text
    assert on_replica == [] and on_primary
    # What the cache kept is the new page too.
    assert "New headline" in reader.get(story.get_absolute_url()).text

    log.catch_up()
    page, on_primary, on_replica = read_by(reader, reverse("home"))
    assert "New headline" in page.text
    assert on_replica and on_primary == []


@with_both_databases
def test_a_replica_known_to_be_past_the_latest_change_is_not_asked_again(log):
    first, second = ArticleFactory(), ArticleFactory()
    log.catch_up()
    reader = Client()
    read_by(reader, first.get_absolute_url())
    assert log.asked == 1
    page, _, on_replica = read_by(reader, second.get_absolute_url())
    assert page.status_code == 200 and on_replica
    assert log.asked == 1


@with_both_databases
def test_a_generation_made_before_the_replica_was_named_is_read_from_the_primary(
    replica_on, settings
):
    settings.READ_REPLICA = ""
    story = ArticleFactory(title="From before")  # no log position with its generation
    settings.READ_REPLICA = "replica"
    page, on_primary, on_replica = read_by(Client(), story.get_absolute_url())
    assert "From before" in page.text
    assert on_replica == [] and on_primary


@with_both_databases
def test_an_unreachable_replica_costs_a_warning_and_the_page_comes_from_the_primary(
    replica_on, monkeypatch, caplog
):
    story, other = ArticleFactory(title="Still here"), ArticleFactory(title="Also here")
    unreachable = connections["replica"]
    unreachable.close()
    # Nothing listens there (PostgreSQL); no such folder (SQLite).
    monkeypatch.setitem(unreachable.settings_dict, "HOST", "127.0.0.1")
    monkeypatch.setitem(unreachable.settings_dict, "PORT", "9")
    monkeypatch.setitem(unreachable.settings_dict, "NAME", "/no/such/folder/replica.sqlite3")
    reader = Client()
    with caplog.at_level(logging.WARNING, logger="newsroom.replica"):
        page = reader.get(story.get_absolute_url())
        assert page.status_code == 200 and "Still here" in page.text
        # Left alone for a while: the next page does not wait for it again.
        assert "Also here" in reader.get(other.get_absolute_url()).text
    warnings = [r for r in caplog.records if r.name == "newsroom.replica"]
    assert len(warnings) == 1 and "cannot be reached" in warnings[0].getMessage()
    unreachable.close()


# Editors -------------------------------------------------------------------------------


@with_both_databases
def test_signed_in_editors_and_the_admin_never_read_from_the_replica(replica_on, editor_client):
    story = ArticleFactory(title="Desk copy")
    for url in (
        story.get_absolute_url(),
        reverse("home"),
        reverse("articles:preview", args=[story.pk]),
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_newsstory_change", args=[story.pk]),
    ):
        page, on_primary, on_replica = read_by(editor_client, url)
        assert page.status_code == 200, url
        assert on_replica == [] and on_primary, url


@with_both_databases
def test_a_story_read_from_the_replica_is_saved_to_the_primary(log):
    story = ArticleFactory(title="Old headline")
    log.catch_up()
    with replica.reading_from_replica(freshness.current()) as chosen:
        assert chosen == "replica"
        copy = Article.objects.get(pk=story.pk)
        assert copy._state.db == "replica"
        copy.title = "New headline"
        with (
            CaptureQueriesContext(connections["default"]) as on_primary,
            CaptureQueriesContext(connections["replica"]) as on_replica,
        ):
            copy.save()
    writes = ("INSERT", "UPDATE", "DELETE")
    assert any(q["sql"].lstrip().upper().startswith("UPDATE") for q in on_primary)
    assert not any(q["sql"].lstrip().upper().startswith(writes) for q in on_replica)
    assert Article.objects.using("default").get(pk=story.pk).title == "New headline"


# Log positions -------------------------------------------------------------------------


def test_log_positions_compare_as_positions_not_as_text():
    position = replica.position
    assert position("0/16B3748") == 0x16B3748
    assert position("0/9") < position("0/10")
    assert position("0/FFFFFFFF") < position("1/0")
    assert position("1/0") == 1 << 32


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's log only")
@with_both_databases
def test_on_postgresql_each_change_carries_the_primarys_log_position(replica_on):
    ArticleFactory()
    before = freshness.current()["wal_position"]
    assert re.fullmatch(r"[0-9A-F]+/[0-9A-F]+", before)
    ArticleFactory()
    after = freshness.current()["wal_position"]
    assert replica.position(after) > replica.position(before)
    # The test database under its second name is the primary itself, no standby.
    assert replica.replayed_position(connections["replica"]) is None


# Settings ------------------------------------------------------------------------------


def test_a_replica_is_named_with_the_primarys_connection_settings():
    result = manage(
        "shell", "--no-imports", "-c",
        "from django.conf import settings as s; r = s.DATABASES['replica']; "
        "print(r['HOST'], r['CONN_MAX_AGE'], r['CONN_HEALTH_CHECKS'], r['TEST']['MIRROR'], "
        "s.READ_REPLICA, s.DATABASE_ROUTERS)",
        DEBUG="1", DATABASE_URL=PRIMARY_URL, DATABASE_REPLICA_URL=REPLICA_URL,
        CONN_MAX_AGE="30",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "replica.internal", "30", "True", "default", "replica", "['newsroom.replica.ReplicaRouter']"
    ]  # fmt: skip


def test_a_replica_that_is_not_postgresql_is_refused_with_the_reason():
    result = manage(
        "check", DEBUG="1", DATABASE_URL=PRIMARY_URL, DATABASE_REPLICA_URL="mysql://u@replica/db"
    )
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URL must name a PostgreSQL standby" in result.stderr


def test_a_replica_beside_a_database_that_is_not_postgresql_is_refused_with_the_reason():
    result = manage(
        "check", DEBUG="1", DATABASE_URL="sqlite:///newsroom.sqlite3",
        DATABASE_REPLICA_URL=REPLICA_URL,
    )  # fmt: skip
    assert result.returncode != 0
    assert "needs DATABASE_URL to name the PostgreSQL primary" in result.stderr


def test_production_settings_with_a_replica_pass_the_deploy_check():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
        ALLOWED_HOSTS="news.example.com",
        DATABASE_URL=PRIMARY_URL, DATABASE_REPLICA_URL=REPLICA_URL,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


@with_both_databases
def test_a_story_page_read_from_the_replica_keeps_none_of_its_parts(replica_on, settings):
    story = ArticleFactory(title="Harbour Lights returns")
    page, _, on_replica = read_by(Client(), story.get_absolute_url())
    assert "Harbour Lights returns" in page.text and on_replica
    # The replica may lag behind the story's token: what was read from it is not kept,
    # so the next page made (a new generation, from the primary) reads the byline again.
    ArticleFactory(title="Elsewhere", writers=list(story.writers.all()))
    settings.READ_REPLICA = ""
    page, on_primary, _ = read_by(Client(), story.get_absolute_url())
    assert any("articles_byline" in query["sql"] for query in on_primary)


@with_both_databases
def test_a_fragment_read_from_a_lagging_replica_is_not_kept_under_a_newer_token(
    settings, monkeypatch
):
    season = SeasonFactory(show=ShowFactory(title="Run Away"))
    site = {"review": ReviewFactory(season=season, show=season.show).get_absolute_url()}
    settings.READ_REPLICA = "replica"
    monkeypatch.setattr(replica, "_replayed", 0)
    monkeypatch.setattr(replica, "_unreachable_until", 0.0)
    log = Log()
    monkeypatch.setattr(replica, "primary_position", log.primary_position)
    monkeypatch.setattr(replica, "replayed_position", log.replayed_position)
    freshness.renew()
    log.catch_up()
    show = Show.objects.get(title="Run Away")
    # The replica has replayed up to now, and no further: a read transaction on it keeps
    # it where it is (SQLite's snapshot), as a standby that lags behind would.
    lagging = connections["replica"]
    lagging.ensure_connection()
    lagging.connection.execute("BEGIN")
    lagging.connection.execute("SELECT count(*) FROM shows_show").fetchall()
    real_choose = replica.choose

    def choose(state):  # the page is read from the replica, as it had caught up...
        alias = real_choose(state)
        # ...when another process renames the show (the replica does not have it yet)
        Show.objects.filter(pk=show.pk).update(title="Run Away (2026)")
        return alias

    monkeypatch.setattr(replica, "choose", choose)
    try:
        first = Client().get(site["review"]).text
    finally:
        lagging.connection.execute("COMMIT")
        monkeypatch.setattr(replica, "choose", real_choose)
    assert "show-card-title" in first
    # The next reader: the new generation, which the replica has not replayed (primary).
    page = Client().get(site["review"]).text
    title = page[page.index('class="show-card-title"') :][:200]
    assert "Run Away (2026)" in title, title
