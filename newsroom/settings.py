"""Newsroom settings.

Everything that differs between a laptop and production comes from the
environment, with defaults that are safe: DEBUG is off unless asked for, and
with DEBUG off a SECRET_KEY must be given.

    DEBUG           "1"/"true" turns on debug mode (``make run`` does this).
    SECRET_KEY      required when DEBUG is off.
    ALLOWED_HOSTS   comma-separated host names.
    SITE_DOMAIN     the site's address in feeds and sitemaps (default: the first of
                    ALLOWED_HOSTS, or 127.0.0.1:8000 in debug).
    SOCIAL_LINKS    the publication's accounts, "Name=https://…;Name=https://…".
    DATABASE_URL    e.g. postgres://user@host:5432/newsroom (default: SQLite).
    DATABASE_REPLICA_URL
                    a read replica (a PostgreSQL standby of DATABASE_URL, which must be
                    PostgreSQL too) to render public pages missing from the cache from,
                    once it has replayed the latest change readers could see
                    (newsroom/replica.py). Name one standby, not a pool of several.
    CONN_MAX_AGE    seconds a database connection is kept for the next request (60).
    CACHE_URL       a redis:// URL for the shared cache (REDIS_URL also works).
    TRUSTED_PROXIES how many reverse proxies are in front (their X-Forwarded-* headers
                    are believed only then).
    MEDIA_ROOT      where uploads are kept on this machine's disk (default: ./media).
    MEDIA_BUCKET    keep uploads and their renditions in this bucket over the S3 API
                    instead (AWS S3, Cloudflare R2, MinIO, Ceph...), so that every app
                    server reads and writes the same files; with MEDIA_ENDPOINT_URL (any
                    service but AWS), MEDIA_REGION, MEDIA_DOMAIN (the address readers
                    load them from: a CDN, or the bucket's public address) and
                    MEDIA_PREFIX (a folder in the bucket, default "media"). Credentials
                    come the way boto3 finds them: AWS_ACCESS_KEY_ID and
                    AWS_SECRET_ACCESS_KEY, or the machine's role.
    EMAIL_HOST      an SMTP server for the desk's emails (submitted, sent back, scheduled,
                    published); with EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
                    EMAIL_USE_TLS and DEFAULT_FROM_EMAIL. Without it, emails are written
                    to the console.
    STATIC_ROOT     where collectstatic writes (default: ./staticfiles).
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable, "
            "or set DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-local-development-key-only-used-with-debug-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "newsroom.apps.NewsroomAdminConfig",  # django.contrib.admin with the newsroom's desk
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.redirects",  # old addresses of merged tags
    "django.contrib.postgres",
    "taggit",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "images",
    "people",
    "shows",
    "articles",
    "newsroom",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "newsroom.middleware.DropNullCharactersMiddleware",
    "newsroom.pagecache.PageCacheMiddleware",  # before anything that reads the session
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.redirects.middleware.RedirectFallbackMiddleware",
    "newsroom.middleware.DatabaseBusyMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.facts_generation",
            ],
        },
    },
]

_connections = {
    "conn_max_age": int(os.environ.get("CONN_MAX_AGE", "60")),
    "conn_health_checks": True,
}
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", **_connections
    )
}

# A read replica for public pages (newsroom/replica.py): only PostgreSQL can say how far
# a standby has replayed the primary's log, which is what keeps it from filling the page
# cache with rows older than the latest change.
POSTGRESQL_ENGINES = ("django.db.backends.postgresql", "django.contrib.gis.db.backends.postgis")
READ_REPLICA = ""  # the name of the replica in DATABASES; none: every read on the primary
_replica_url = os.environ.get("DATABASE_REPLICA_URL", "")
if _replica_url:
    DATABASES["replica"] = dj_database_url.parse(_replica_url, **_connections)
    if DATABASES["replica"]["ENGINE"] not in POSTGRESQL_ENGINES:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL must name a PostgreSQL standby (postgres://...): only "
            "PostgreSQL can tell how far a replica has caught up."
        )
    if DATABASES["default"]["ENGINE"] not in POSTGRESQL_ENGINES:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL needs DATABASE_URL to name the PostgreSQL primary it "
            "replicates; DATABASE_URL names another kind of database."
        )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["newsroom.replica.ReplicaRouter"]
    READ_REPLICA = "replica"

for _database in DATABASES.values():
    if _database["ENGINE"] in POSTGRESQL_ENGINES:
        # No just-in-time compiling: it pays off for reports, not for a page's short
        # queries, which it slowed by up to 20 ms (the renewal tracker's) at 100,000 stories.
        _database.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers share one SQLite file. WAL lets readers go on while someone
    # writes; IMMEDIATE takes the write lock when a transaction starts, so two saves queue
    # up (for up to SQLITE_TIMEOUT seconds) instead of one failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        transaction_mode="IMMEDIATE",
        timeout=int(os.environ.get("SQLITE_TIMEOUT", "20")),
    )

# The shared cache, for the page cache above all (newsroom/pagecache.py). Redis when a
# URL is given (production: every app server shares it). Otherwise files on this
# machine, which every gunicorn worker shares: a change made through one worker is seen
# by the others from their next request. (Django's local-memory cache is per process:
# one worker could not tell another its pages are out of date.)
_cache_url = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL")
if _cache_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
            "KEY_PREFIX": "newsroom",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / ".cache")),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

# Pages readers get: served from the cache (PAGE_CACHE_ENABLED=0 turns it off), kept at
# most PAGE_CACHE_TIMEOUT seconds, and what proxies and browsers are told they may keep.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_TIMEOUT = int(os.environ.get("PAGE_CACHE_TIMEOUT", "86400"))
PAGE_MAX_AGE = int(os.environ.get("PAGE_MAX_AGE", "60"))
PAGE_SHARED_MAX_AGE = int(os.environ.get("PAGE_SHARED_MAX_AGE", "60"))
PAGE_STALE_WHILE_REVALIDATE = int(os.environ.get("PAGE_STALE_WHILE_REVALIDATE", "30"))

# Signing in ---------------------------------------------------------------------------
# django-axes counts failed sign-ins per account and per address (either locks), in the
# database, so every app server sees the same count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SIGN_IN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Failures expire after the cool-off, not on a success: a success would clear every
# failure from that address, so one's own account could reset the count on anyone's.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "newsroom.proxy.client_ip"
AXES_VERBOSE = False
# A rejected or missing ?next= lands on the desk, not on a page that does not exist.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"
# Two-factor sign-in (newsroom/two_factor.py): anyone may turn it on; this makes it
# compulsory for everyone who may publish.
TWO_FACTOR_REQUIRED_FOR_EDITORS = env_bool("TWO_FACTOR_REQUIRED_FOR_EDITORS")
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Newsroom")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# The site's own address, for feeds, sitemaps and the pages editors write (About,
# Standards...: django.contrib.flatpages). Kept in the sites table by newsroom/apps.py.
SITE_ID = 1
SITE_DOMAIN = os.environ.get(
    "SITE_DOMAIN", ALLOWED_HOSTS[0] if ALLOWED_HOSTS and not DEBUG else "127.0.0.1:8000"
)
SITE_NAME = "Newsroom"
# The publication's accounts elsewhere, for the footer: "Bluesky=https://…;Mastodon=https://…".
SOCIAL_LINKS = [
    tuple(item.split("=", 1))
    for item in os.environ.get("SOCIAL_LINKS", "").split(";")
    if "=" in item and item.split("=", 1)[1].startswith("https://")
]

MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))


def s3_media_storage(bucket, **options):
    """Uploads in ``bucket`` over the S3 API (django-storages), at public addresses that do
    not expire: cached pages keep them for a day. A name is never written over (a new
    upload of "poster.jpg" is stored beside the old one), so readers may keep a file."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "location": "media",
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=604800"},
            **options,
        },
    }


MEDIA_BUCKET = os.environ.get("MEDIA_BUCKET", "")
_media_endpoint = os.environ.get("MEDIA_ENDPOINT_URL") or None
_media_domain = os.environ.get("MEDIA_DOMAIN") or None
# boto3 falls back on AWS_DEFAULT_REGION itself; the Content-Security-Policy needs it too.
_media_region = os.environ.get("MEDIA_REGION") or os.environ.get("AWS_DEFAULT_REGION") or None
STORAGES = {
    "default": (
        s3_media_storage(
            MEDIA_BUCKET,
            location=os.environ.get("MEDIA_PREFIX", "media"),
            endpoint_url=_media_endpoint,
            region_name=_media_region,
            custom_domain=_media_domain,
        )
        if MEDIA_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def media_origins(bucket, endpoint_url=None, domain=None, region=None):
    """Where browsers load uploads from when they are in a bucket (for the
    Content-Security-Policy): the media domain, else the endpoint, else AWS's addresses."""
    if not bucket:
        return []
    if domain:
        return [f"https://{domain.split('/')[0]}"]
    if endpoint_url:
        parts = urlsplit(endpoint_url)
        return [f"{parts.scheme}://{parts.netloc}"]
    hosts = [
        f"{bucket}.s3.amazonaws.com",
        *([f"{bucket}.s3.{region}.amazonaws.com"] if region else []),
    ]
    if "." in bucket:  # no certificate holds such a name: the bucket is a path on S3's host
        hosts += ["s3.amazonaws.com", *([f"s3.{region}.amazonaws.com"] if region else [])]
    return [f"https://{host}" for host in hosts]


DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Feeds: items per feed, how long readers and proxies may cache one, and the
# authority in item ids (tag: URIs). Keep the authority fixed once published.
FEED_ITEMS = int(os.environ.get("FEED_ITEMS", "20"))
FEED_MAX_AGE = int(os.environ.get("FEED_MAX_AGE", "300"))
FEED_ID_AUTHORITY = os.environ.get("FEED_ID_AUTHORITY", "newsroom")

# The most addresses one sitemap file holds: Google reads up to 50,000; at 10,000 a file
# of people is written in about 30 ms.
SITEMAP_LIMIT = int(os.environ.get("SITEMAP_LIMIT", "10000"))

# Tags are matched without regard to case: "crime drama" is the tag "Crime drama".
TAGGIT_CASE_INSENSITIVE = True
# Typed as a list split on commas only: "Crime drama" is one tag.
TAGGIT_TAGS_FROM_STRING = "articles.forms.tags_from_text"
TAGGIT_STRING_FROM_TAGS = "articles.forms.text_from_tags"

# The desk's emails (services.notify): SMTP when a server is named, else the console.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Newsroom desk <desk@localhost>")

# Shareable preview links stay valid this long (seconds), unless revoked by hand.
PREVIEW_LINK_MAX_AGE = int(os.environ.get("PREVIEW_LINK_MAX_AGE", str(48 * 3600)))

# Images: the largest upload, the most pixels (decompression bombs are refused) and
# the longest side, and the widths of the renditions made on upload.
IMAGE_UPLOAD_MAX_BYTES = int(os.environ.get("IMAGE_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", str(40_000_000)))
IMAGE_MAX_SIDE = 16_383  # the most WebP can hold, on either side
IMAGE_RENDITION_WIDTHS = (480, 960, 1600)
IMAGE_RENDITION_MAX_WIDTH = 2400
IMAGE_CROP_WIDTHS = (480, 960, 1200)  # 1,200 px: what Google asks of a large preview

# Uploads: refuse huge request bodies before they reach a form.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# How many reverse proxies (nginx, a load balancer) stand in front of the app servers.
# Only then are their X-Forwarded-Proto and X-Forwarded-For headers believed: without
# a proxy, anyone could send them. See newsroom/proxy.py.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Production hardening; all of it is inert while DEBUG is on.
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# Content-Security-Policy (django-csp), on every page, the admin's included: scripts,
# styles, images and fonts come from this site only, and nothing inline runs. A page that
# ever needs an inline script or style tags it with the response's nonce
# (request.csp_nonce); only then does the header carry one, so cached public pages never do.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [
            SELF,
            *media_origins(MEDIA_BUCKET, _media_endpoint, _media_domain, _media_region),
            *env_list("CSP_IMAGE_SOURCES"),
        ],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Failed sign-ins are logged as warnings; their routine bookkeeping is not.
    "loggers": {"axes": {"level": "WARNING"}},
}
