import gc
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from articles.models import Article, Tag
from newsroom.sitemaps import month_name
from people.models import Person, Writer
from shows.models import Show

ROOT = Path(__file__).resolve().parents[3]
# Pages the load test drives, by name: what readers feel most.
LOADED = ["home", "story: review", "show", "section", "search: common word", "renewal tracker",
          "feed: RSS"]  # fmt: skip
# What Chromium and Firefox send: a cached page goes out compressed, the bare view as it is.
BROWSER_ENCODINGS = "gzip, deflate, br, zstd"


class Command(BaseCommand):
    help = "Time each kind of public page against the current database (see `make bench`)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument(
            "--load-seconds", type=int, default=5, help="wrk's time a page (0: no load test)."
        )

    def pages(self):
        published = Article.objects.published()
        sample = {kind: published.filter(kind=kind).first() for kind in Article.Kind.values}
        # The busiest show and person: the pages with the most to list.
        show = Show.objects.annotate(stories=Count("articles")).order_by("-stories", "pk").first()
        pages = {
            "home": "/",
            "section": "/reviews/",
            "section, last page": "/reviews/?page=last",
            "section, page 1,000": "/reviews/?page=1000",  # deep: 25,000 reviews at 100,000
            "show index": "/shows/",
            "renewal tracker": "/renewal-tracker/",
            "search: common word": "/search/?q=twist",
            "search: rare word": "/search/?q=marzipan",
            "sitemap index": "/sitemap.xml",
            "sitemap: shows": "/sitemap-shows.xml",
            "sitemap: people": "/sitemap-people.xml",
            "sitemap: tags": "/sitemap-tags.xml",
            "news sitemap": "/news-sitemap.xml",
            "feed: RSS": "/feed/",
            "feed: Atom": "/feed/atom/",
            "feed: section": "/reviews/feed/",
            "feed: tracker": "/renewal-tracker/feed/",
        }
        for kind, article in sample.items():
            if article:
                pages[f"story: {kind}"] = article.get_absolute_url()
        if show:
            pages["show"] = show.get_absolute_url()
            pages["feed: show"] = f"{show.get_absolute_url()}feed/"
        person = Person.objects.annotate(stories=Count("articles")).order_by("-stories", "pk")
        for label, obj in (("person", person.first()), ("writer", Writer.objects.first())):
            if obj:
                pages[label] = obj.get_absolute_url()
        tag = Tag.objects.order_by("pk").first()
        if tag:
            pages["tag"] = f"/tags/{tag.slug}/"
        newest = published.order_by("-publish_at").first()
        if newest:
            month = month_name(timezone.localtime(newest.publish_at))
            pages["sitemap: a month"] = f"/sitemap-{month}.xml"
        return pages

    # The desk, as an editor reads it (the story list, with and without a search).
    DESK = {
        "desk: story list": "/admin/articles/article/",
        "desk: story search": "/admin/articles/article/?q=twist",
    }
    TARGET_MS = {"public": 100, "desk": 300}

    def markdown_at_the_limit(self):
        """How long the worst bodies an editor may save take to render and clean."""
        from articles.markdown import BODY_MAX_CHARS, HTML_MAX_DEPTH, render_markdown

        def fill(unit):
            return (unit * (BODY_MAX_CHARS // len(unit) + 1))[:BODY_MAX_CHARS]

        half = HTML_MAX_DEPTH // 2
        bodies = {
            "plain prose": fill(
                "A sentence about the season, its cast and its pace. " * 8 + "\n\n"
            ),
            "nested <dl><dd>": fill("<dl><dd>" * half + "x" + "</dd></dl>" * half),
            "nested <div>": fill("<div>" * HTML_MAX_DEPTH + "x" + "</div>" * HTML_MAX_DEPTH),
            "quotes": fill("'a\" "),
            "the same heading": fill("## a\n"),
            "a list": fill("- a\n"),
            "image brackets": fill("!["),
            "emphasis": fill("*a **a "),
            "brackets": "[" * (BODY_MAX_CHARS // 2) + "]" * (BODY_MAX_CHARS // 2),
            "a 16,000-row table": ("|a|b|\n|-|-|\n" + "|x|y|\n" * BODY_MAX_CHARS)[:BODY_MAX_CHARS],
        }
        self.stdout.write(f"\nMarkdown bodies at the limit ({BODY_MAX_CHARS:,} characters)")
        self.stdout.write(f"{'body':<22} {'render and clean, ms':>21}")
        for name, body in bodies.items():
            started = time.perf_counter()
            render_markdown(body)
            self.stdout.write(f"{name:<22} {(time.perf_counter() - started) * 1000:>21.0f}")

    def handle(self, runs, load_seconds, **options):
        # As newsroom/wsgi.py does for an app server: what is loaded stays out of the
        # garbage collector's full passes.
        gc.collect()
        gc.freeze()
        with override_settings(PAGE_CACHE_ENABLED=False):  # the time a page takes to make
            self.server_times(runs)
        self.markdown_at_the_limit()
        if load_seconds:
            self.load_test(load_seconds)

    def desk_client(self):
        """A client signed in as an editor made for the bench (kept for the next run)."""
        from django.contrib.auth import get_user_model

        from articles.services import role_group

        user, _ = get_user_model().objects.get_or_create(
            username="bench-editor", defaults={"is_staff": True}
        )
        user.groups.add(role_group("Editors"))
        client = Client()
        client.force_login(user)
        return client

    def server_times(self, runs):
        client = Client()
        desk = self.desk_client()
        over = []
        self.stdout.write(
            f"{Article.objects.published().count()} published stories, {Show.objects.count()} "
            f"shows, {connection.vendor}; {runs} runs a page\n"
        )
        self.stdout.write(
            f"{'page':<22} {'status':>6} {'queries':>7} {'median ms':>10} {'p95 ms':>8} "
            f"{'p99 ms':>8} {'target':>7}"
        )
        pages = {name: (url, client) for name, url in self.pages().items()}
        pages.update({name: (url, desk) for name, url in self.DESK.items()})
        for name, (url, reader) in pages.items():
            for _ in range(3):
                reader.get(url)
            queries = []

            def count(run, sql, params, *args, queries=queries):
                started = time.perf_counter()
                try:
                    return run(sql, params, *args)
                finally:
                    queries.append((time.perf_counter() - started, sql, params))

            with connection.execute_wrapper(count):
                response = reader.get(url)
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                reader.get(url)
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
            target = self.TARGET_MS["desk" if reader is desk else "public"]
            self.stdout.write(
                f"{name:<22} {response.status_code:>6} {len(queries):>7} "
                f"{statistics.median(times):>10.1f} {p95:>8.1f} {p99:>8.1f} "
                f"{'ok' if p99 <= target else 'OVER':>7}"
            )
            if p99 > target and queries:
                over.append((name, max(queries, key=lambda q: q[0])))
        self.explain(over)

    def explain(self, over):
        """The slowest query of each page over its target, with PostgreSQL's plan."""
        for name, (seconds, sql, params) in over:
            self.stdout.write(f"\n{name}: slowest query, {seconds * 1000:.1f} ms\n{sql[:2000]}")
            if connection.vendor != "postgresql":
                continue
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                for (line,) in cursor.fetchall():
                    self.stdout.write(f"    {line}")

    # Under load: gunicorn and wrk ------------------------------------------------------
    def load_test(self, seconds):
        """Requests a second on a cache hit and uncached, against a bare Django view timed
        before each page (the machine's speed drifts: the ceiling is their median)."""
        if not shutil.which("wrk"):
            self.stdout.write("\nwrk is not installed (apt-get install wrk): no load test.")
            return
        pages = {name: url for name, url in self.pages().items() if name in LOADED}
        self.stdout.write(
            f"\nUnder load: gunicorn, 2 sync workers, DEBUG off; wrk, 2 threads, 16 "
            f"connections, {seconds} s a page, asking for compression as browsers do "
            f"(Accept-Encoding: {BROWSER_ENCODINGS})"
        )
        bare, cached, uncached = [], {}, {}
        with tempfile.TemporaryDirectory(prefix="newsroom-bench-cache-") as cache_dir:
            with self.server(page_cache=True, cache_dir=cache_dir) as base:
                for name, url in pages.items():
                    bare.append(self.wrk(base + "/_bench/bare/", seconds))
                    self.fetch(base, url)  # render once; the rest are hits
                    cached[name] = self.wrk(base + url, seconds)
            # The page cache off: every page is made again, as for its first reader after
            # a change (the parts kept apart, such as a show's facts, are kept).
            with self.server(page_cache=False, cache_dir=cache_dir) as base:
                for name, url in pages.items():
                    bare.append(self.wrk(base + "/_bench/bare/", seconds))
                    uncached[name] = self.wrk(base + url, seconds)
                ttfb = self.review_ttfb(base, pages.get("story: review"), cache_dir)
        ceiling = statistics.median(bare)
        self.stdout.write(
            f"{'page':<22} {'cached req/s':>13} {'x bare':>7} {'uncached req/s':>15} {'x bare':>7}"
        )
        self.stdout.write(
            f"{'bare Django view':<22} {ceiling:>13.0f} {1:>7.2f}   (median of {len(bare)} "
            f"runs, {min(bare):.0f} to {max(bare):.0f})"
        )
        for name in pages:
            self.stdout.write(
                f"{name:<22} {cached[name]:>13.0f} {cached[name] / ceiling:>7.2f} "
                f"{uncached[name]:>15.0f} {uncached[name] / ceiling:>7.3f}"
            )
        if ttfb:
            published = Article.objects.published().count()
            self.stdout.write(
                f"Uncached review at {published:,} stories, median time to first byte:"
            )
            for when, times in ttfb.items():
                self.stdout.write(f"  {when:<40} {statistics.median(times):>6.1f} ms")

    def review_ttfb(self, base, url, cache_dir):
        """An uncached review's time to first byte, 40 times each: with its own parts kept
        (as after a change to another story), with its own token gone (as after a change
        to the review: only the show's facts are kept), and from an empty cache."""
        if not url:
            return {}
        from django.core.cache.backends.filebased import FileBasedCache

        from articles import parts

        # The servers' cache: the file cache under cache_dir, with Django's default keys.
        shared = FileBasedCache(cache_dir, {})
        story = Article.objects.published().filter(kind=Article.Kind.REVIEW).first()
        forget = {
            "its parts kept (a change elsewhere)": lambda: None,
            "its parts made again (a change to it)": lambda: shared.delete(
                parts.token_key(story.kind, story.slug)
            ),
            "from an empty cache": shared.clear,
        }
        times = {}
        for when, emptied in forget.items():
            self.fetch(base, url)
            times[when] = []
            for _ in range(40):
                emptied()
                times[when].append(self.time_to_first_byte(base, url))
        return times

    def server(self, *, page_cache, cache_dir):
        command = self

        class Server:
            def __enter__(self):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", 0))
                    self.port = probe.getsockname()[1]
                env = {
                    **os.environ,
                    "DJANGO_SETTINGS_MODULE": "newsroom.bench_settings",
                    "PAGE_CACHE_ENABLED": "1" if page_cache else "0",
                    "CACHE_DIR": cache_dir,
                    "ALLOWED_HOSTS": "127.0.0.1",
                    "SECURE_SSL_REDIRECT": "0",
                    "DEBUG": "0",
                    "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
                }
                env.pop("CACHE_URL", None), env.pop("REDIS_URL", None)
                self.process = subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "--workers", "2",
                     "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning"],
                    cwd=ROOT, env=env,
                )  # fmt: skip
                base = f"http://127.0.0.1:{self.port}"
                for _ in range(150):
                    try:
                        command.fetch(base, "/robots.txt")
                        return base
                    except OSError:
                        time.sleep(0.2)
                raise RuntimeError("gunicorn did not start")

            def __exit__(self, *exc):
                self.process.send_signal(signal.SIGTERM)
                self.process.wait(20)

        return Server()

    @staticmethod
    def fetch(base, url):
        host, port = base.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        conn.request("GET", url)
        response = conn.getresponse()
        response.read()
        conn.close()
        return response.status

    @staticmethod
    def time_to_first_byte(base, url):
        host, port = base.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        started = time.perf_counter()
        conn.request("GET", url)
        response = conn.getresponse()
        elapsed = (time.perf_counter() - started) * 1000
        response.read()
        conn.close()
        return elapsed

    @staticmethod
    def wrk(url, seconds):
        out = subprocess.run(
            ["wrk", "-t2", "-c16", f"-d{seconds}s", "-H", f"Accept-Encoding: {BROWSER_ENCODINGS}",
             url],
            capture_output=True, text=True,
        ).stdout  # fmt: skip
        found = re.search(r"Requests/sec:\s+([\d.]+)", out)
        if "Non-2xx" in out or not found:
            raise RuntimeError(f"wrk could not load {url}:\n{out}")
        return float(found.group(1))
