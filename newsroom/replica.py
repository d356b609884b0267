"""A read replica for public pages, which can never put a stale page in the cache.

When settings name a replica (``DATABASE_REPLICA_URL``: a PostgreSQL standby of the
database in ``DATABASE_URL``), a public page missing from the cache may be rendered from
it, which takes those reads off the primary. Nothing else reads from it: signed-in
staff, the admin, previews, share links and forms use the primary, and every write goes
to the primary, whatever the page.

A replica lags behind the primary, by milliseconds usually, by minutes when it is busy
or broken. A page rendered from its old rows and stored under the newest generation
(freshness.py) would be served for up to a day. So every generation carries the
primary's position in its write-ahead log once the change behind it is committed, and a
page is read from the replica only if the replica has replayed at least that far;
otherwise from the primary. The position the replica has reached is kept in this
process, so a replica already known to be past a generation's position is not asked
again: one small query a miss at most, and usually none. A replica that cannot be
reached costs a warning in the log and a page from the primary, never an error page,
and is left alone for RETRY_AFTER seconds.

This relies on PostgreSQL's default ``synchronous_commit = on``: the primary's log
position read after a commit then lies past that commit.
"""

import contextlib
import logging
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

# Seconds an unreachable replica is left alone before a page tries it again.
RETRY_AFTER = 30

# The database this request's public page may read from, while it is rendered.
_reading_from = ContextVar("reading_from", default=None)
# The furthest position this process has seen the replica replay, and until when (in
# time.monotonic()) it is left alone after failing to answer.
_replayed = 0
_unreachable_until = 0.0


class ReplicaRouter:
    """Reads go to the replica only while a public page is rendered from it
    (``reading_from_replica``); every other read, and every write, to the primary."""

    def db_for_read(self, model, **hints):
        # The primary by name, not None: Django would otherwise read a row's relations
        # from wherever the row came from.
        return _reading_from.get() or DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        # By name too: a row read from the replica is saved to the primary.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        ours = {DEFAULT_DB_ALIAS, settings.READ_REPLICA or DEFAULT_DB_ALIAS}
        return obj1._state.db in ours and obj2._state.db in ours

    def allow_migrate(self, db, app_label, **hints):
        return db == DEFAULT_DB_ALIAS


@contextlib.contextmanager
def reading_from_replica(state):
    """Within this block, reads come from the replica if it has replayed the change that
    made ``state`` (the page cache's current generation), else from the primary. Gives
    the name of the database chosen."""
    alias = choose(state)
    token = _reading_from.set(alias)
    try:
        yield alias or DEFAULT_DB_ALIAS
    finally:
        _reading_from.reset(token)


def choose(state):
    """The replica's name if a page for ``state`` may be read from it, else None (the
    primary): no replica; no position recorded with the generation (one made before the
    replica was named); a replica behind that position, or out of reach."""
    global _unreachable_until, _replayed
    alias = settings.READ_REPLICA
    if not alias or state.get("wal_position") is None:
        return None
    if time.monotonic() < _unreachable_until:
        return None
    needed = position(state["wal_position"])
    connection = connections[alias]
    try:
        if _replayed >= needed:
            # Known to be far enough: only make sure it answers (Django checks a kept
            # connection once a request anyway) before the page depends on it.
            connection.close_if_health_check_failed()
            connection.ensure_connection()
            return alias
        replayed = replayed_position(connection)
    except DatabaseError:
        _unreachable_until = time.monotonic() + RETRY_AFTER
        logger.warning(
            "The read replica %r cannot be reached: public pages are read from the primary "
            "for the next %s seconds.",
            alias,
            RETRY_AFTER,
            exc_info=True,
        )
        return None
    if replayed is None:  # no standby: the primary itself under a second name
        return alias
    reached = position(replayed)
    _replayed = max(_replayed, reached)
    if reached < needed:
        logger.debug(
            "The read replica is behind (%s, the latest change is at %s): this page is "
            "read from the primary.",
            replayed,
            state["wal_position"],
        )
        return None
    return alias


def primary_position():
    """How far the primary's write-ahead log has got, as PostgreSQL writes it
    ("0/16B3748"). SQLite keeps no such log, and the only replica it can have is the
    same file under a second name (a test's), which is never behind: "0/0"."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return "0/0"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return cursor.fetchone()[0]


def replayed_position(connection):
    """How far the replica on ``connection`` has replayed the primary's log, or None if
    it is no standby (the primary itself, or an SQLite file)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_last_wal_replay_lsn()::text")
        return cursor.fetchone()[0]


def position(text):
    """A log position as a number that compares as positions do: "1/0" is after
    "0/FFFFFFFF" (the two halves are hexadecimal, the first one the high 32 bits)."""
    high, low = text.split("/")
    return int(high, 16) << 32 | int(low, 16)
