"""The page cache: every anonymous read of a public page comes from the shared cache.

On a hit nothing is queried and nothing is rendered: the stored page (compressed once,
with gzip and brotli) is sent as it is, or a 304 when the reader already has it. On a
miss the page is rendered once and stored for everyone, on every app server (the cache
is shared: Redis in production, files on one machine by default; see settings).

Never stale: pages are stored under the current generation (freshness.py), which any
change readers could see, and any scheduled story coming due, replaces. A miss may be
rendered from the read replica, if there is one, but only once it has replayed the
change that made the generation (replica.py).

What is never cached, and never served from the cache: anything but GET and HEAD; the
admin, previews and share links (only the routes in CACHED_ROUTES are cached); any
request carrying a session cookie (signed-in staff always see fresh pages); and any
response that sets a cookie, varies by cookie (a CSRF token, a session read), asks not
to be cached, or is an error other than a 404.

The cache key is the scheme, host, path and only the query parameters the page reads
(``?page=``, ``?q=``...): campaign tags and junk (``utm_*``, ``fbclid``, ``?x=1``) share
the page, so random query strings can neither force a render nor fill the cache.
"""

import gzip
import hashlib
from email.utils import format_datetime, parsedate_to_datetime

import brotli
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.http import parse_etags

from . import freshness, replica

PAGED = ("page",)
# Each cached route, by URL name, with the query parameters its page reads.
CACHED_ROUTES = {
    "home": (),
    "search": ("q", "page"),
    "renewal-tracker": ("network", "status", "page"),
    "robots": (),
    "sitemap": (),
    "sitemap-section": ("p",),
    "news-sitemap": (),
    "shows:index": ("network", "status", "page"),
    "shows:detail": PAGED,
    "people:index": PAGED,
    "people:writers": PAGED,
    "people:person": PAGED,
    "people:writer": PAGED,
    "articles:section": PAGED,
    "articles:detail": (),
    "articles:tag": PAGED,
    "articles:feed": (),
    "articles:feed-atom": (),
    "articles:section-feed": (),
    "articles:show-feed": (),
    "articles:person-feed": (),
    "articles:writer-feed": (),
    "articles:tag-feed": (),
    "articles:renewal-tracker-feed": (),
    "articles:corrections": PAGED,
    "articles:corrections-feed": (),
    "page": (),
}
STORED_STATUSES = {200, 301, 404}
COMPRESSIBLE = ("text/", "application/xml", "application/rss+xml", "application/atom+xml")
# Headers that belong to one response, or that the cache sets itself.
NOT_STORED = {
    "set-cookie", "vary", "content-length", "content-encoding", "etag", "last-modified",
    "cache-control", "expires", "date",
}  # fmt: skip
CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")
ENCODINGS = ("", "gzip", "br")


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The generation the request is served from, for anything that asks (the kept
        # parts of a story page: articles/parts.py), even when the page is not cached.
        request.freshness = SimpleLazyObject(freshness.current)
        params = self.cached_route(request)
        if params is None:
            return self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            # Signed in: fresh pages, and no proxy may keep them for anyone else.
            response = self.get_response(request)
            response.setdefault("Cache-Control", "private, no-cache")
            return response

        request.freshness = freshness.current()
        # Each encoding is stored apart, so a hit reads only the bytes it sends.
        key = self.key(request, params, request.freshness["generation"])
        encoding = self.encoding(request)
        entry = cache.get(f"{key}:{encoding}")
        if entry is None:
            # Render in full, whatever the reader already has: the stored page is whole.
            conditions = {h: request.META.pop(h) for h in CONDITIONAL if h in request.META}
            if settings.READ_REPLICA:
                # The tokens now, not once the page asks: the replica must have replayed
                # the changes behind them too, or old rows would be kept under new ones.
                # (A story's own parts read from it are not kept: articles/parts.py.)
                request.freshness.read_tokens()
            with replica.reading_from_replica(request.freshness) as request.database:
                response = self.get_response(request)
            request.META.update(conditions)
            entries = self.entries(response)
            if entries is None:
                return response
            cache.set_many(
                {f"{key}:{name}": value for name, value in entries.items()},
                settings.PAGE_CACHE_TIMEOUT,
            )
            entry = entries[encoding]
        return self.serve(request, entry)

    # What is cached, under which key --------------------------------------------------
    @staticmethod
    def cached_route(request):
        """The query parameters the page reads, or None if the request is not cacheable."""
        if request.method not in ("GET", "HEAD") or not settings.PAGE_CACHE_ENABLED:
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        return CACHED_ROUTES.get(match.view_name)

    @staticmethod
    def key(request, params, generation):
        read = [
            (name, request.GET[name])
            for name in params
            if name in request.GET and not (name == "page" and request.GET[name] == "1")
        ]
        page = f"{request.scheme}://{request.get_host()}{request.path}?{read!r}"
        return f"page:{generation}:{hashlib.sha256(page.encode()).hexdigest()}"

    # Storing ----------------------------------------------------------------------------
    @staticmethod
    def entries(response):
        """What to keep of a response, by encoding ("" for none, "gzip", "br"), or None
        when it must not be kept."""
        if response.streaming or response.status_code not in STORED_STATUSES:
            return None
        if response.cookies or "cookie" in response.get("Vary", "").lower():
            return None
        control = response.get("Cache-Control", "").lower()
        if any(word in control for word in ("private", "no-cache", "no-store")):
            return None
        body = response.content
        entry = {
            "status": response.status_code,
            "headers": [(k, v) for k, v in response.items() if k.lower() not in NOT_STORED],
            "cache_control": control if "public" in control else "",
            "body": body,
            "encoding": "",
            "compressible": False,
            "etag": hashlib.sha256(body).hexdigest()[:32],
            # When it was made: always after the last change to what it shows (a view's own
            # date, such as a feed's newest story, would miss a renamed writer).
            "last_modified": timezone.now().replace(microsecond=0),
        }
        if len(body) <= 512 or not response.get("Content-Type", "").startswith(COMPRESSIBLE):
            return dict.fromkeys(ENCODINGS, entry)
        entry["compressible"] = True
        return {
            "": entry,
            "gzip": entry | {"encoding": "gzip", "body": gzip.compress(body, 6, mtime=0)},
            "br": entry | {"encoding": "br", "body": brotli.compress(body, quality=5)},
        }

    # Serving ----------------------------------------------------------------------------
    def serve(self, request, entry):
        encoding = entry["encoding"]
        etag = f'"{entry["etag"]}{"-" + encoding if encoding else ""}"'
        if self.not_modified(request, entry):
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(entry["body"])
            response.status_code = entry["status"]
            for name, value in entry["headers"]:
                response[name] = value
            if encoding:
                response["Content-Encoding"] = encoding
        response["ETag"] = etag
        response["Last-Modified"] = format_datetime(entry["last_modified"], usegmt=True)
        response["Cache-Control"] = entry["cache_control"] or (
            f"public, max-age={settings.PAGE_MAX_AGE}, s-maxage={settings.PAGE_SHARED_MAX_AGE}, "
            f"stale-while-revalidate={settings.PAGE_STALE_WHILE_REVALIDATE}"
        )
        if entry["compressible"]:
            patch_vary_headers(response, ["Accept-Encoding"])
        return response

    @staticmethod
    def encoding(request):
        """The best encoding the reader accepts (brotli, then gzip), or "" for none."""
        accepted = {}
        for part in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
            name, _, params = part.strip().partition(";")
            quality = params.strip().removeprefix("q=")
            try:
                accepted[name.strip().lower()] = float(quality) if quality else 1.0
            except ValueError:
                continue
        for name in ("br", "gzip"):
            if accepted.get(name, accepted.get("*", 0)) > 0:
                return name
        return ""

    @staticmethod
    def not_modified(request, entry):
        if entry["status"] != 200:
            return False
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        if if_none_match:
            tags = {
                tag.removeprefix("W/").strip('"').split("-")[0]
                for tag in parse_etags(if_none_match)
            }
            return entry["etag"] in tags or "*" in tags
        if_modified_since = request.META.get("HTTP_IF_MODIFIED_SINCE")
        if if_modified_since:
            try:
                return entry["last_modified"] <= parsedate_to_datetime(if_modified_since)
            except (TypeError, ValueError):
                return False
        return False
