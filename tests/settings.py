"""The test run: the real settings with a handful of overrides."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from newsroom.settings import *  # noqa: E402, F403
from newsroom.settings import STORAGES  # noqa: E402

# The manifest storage needs `collectstatic`; tests and live_server use plain files.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SITE_DOMAIN = "testserver"  # the test client's host, which feeds and sitemaps name
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A second server process started by a test (test_freshness.py) shares these with it.
MEDIA_ROOT = os.environ.get("NEWSROOM_TEST_MEDIA_ROOT") or tempfile.mkdtemp(
    prefix="newsroom-test-media-"
)
if CACHES["default"]["BACKEND"].endswith("FileBasedCache"):  # noqa: F405
    CACHES["default"]["LOCATION"] = os.environ.get(  # noqa: F405
        "NEWSROOM_TEST_CACHE_DIR"
    ) or tempfile.mkdtemp(prefix="newsroom-test-cache-")
STATIC_ROOT = tempfile.mkdtemp(prefix="newsroom-test-static-")
# Tests run in several processes at once (pytest-xdist): each keeps its own keys in a
# shared cache (Redis), as each has its own database, media and cache directories.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
CACHES["default"]["KEY_PREFIX"] = _WORKER  # noqa: F405
if _WORKER and CACHES["default"]["BACKEND"].endswith("RedisCache"):  # noqa: F405
    # Each test empties the cache (conftest.py), which on Redis empties a whole database:
    # each process gets a database of its own.
    from urllib.parse import urlsplit

    _url = urlsplit(CACHES["default"]["LOCATION"])  # noqa: F405
    _db = (int(_url.path.strip("/") or 0) + int(_WORKER.removeprefix("gw") or 0)) % 16
    CACHES["default"]["LOCATION"] = _url._replace(path=f"/{_db}").geturl()  # noqa: F405

# SQLite tests use a file, as production does: in memory, SQLite shares one connection
# across the live server's threads, and concurrent saves could not be tested for real.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.mkdtemp(prefix="newsroom-test-db-"), "test.sqlite3")
    }

# A second name for the test database, as the read replica has in production (the same
# rows: a replica that has caught up). The router is on, the replica off: every test reads
# from the primary, except those in test_replica.py, which turn READ_REPLICA on.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
DATABASE_ROUTERS = ["newsroom.replica.ReplicaRouter"]
READ_REPLICA = ""
