import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client

from articles.models import Article, Tag
from people.models import Person, Writer
from shows.models import Show


class Command(BaseCommand):
    help = "Time each kind of public page against the current database (see `make bench`)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=30)

    def pages(self):
        published = Article.objects.published()
        sample = {kind: published.filter(kind=kind).first() for kind in Article.Kind.values}
        show = Show.objects.order_by("pk").first()
        pages = {
            "home": "/",
            "section": "/reviews/",
            "section, last page": "/reviews/?page=last",
            "show index": "/shows/",
            "renewal tracker": "/renewal-tracker/",
            "search: common word": "/search/?q=twist",
            "search: rare word": "/search/?q=marzipan",
            "sitemap": "/sitemap.xml",
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
        for label, model in (("person", Person), ("writer", Writer)):
            obj = model.objects.order_by("pk").first()
            if obj:
                pages[label] = obj.get_absolute_url()
        tag = Tag.objects.order_by("pk").first()
        if tag:
            pages["tag"] = f"/tags/{tag.slug}/"
        return pages

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

    def handle(self, runs, **options):
        client = Client()
        feed = client.get("/feed/")
        self.pages_304 = {"feed: RSS, 304": ("/feed/", {"HTTP_IF_NONE_MATCH": feed["ETag"]})}
        self.stdout.write(
            f"{Article.objects.published().count()} published stories, {Show.objects.count()} "
            f"shows, {connection.vendor}; {runs} runs a page\n"
        )
        self.stdout.write(
            f"{'page':<22} {'status':>6} {'queries':>7} {'median ms':>10} {'p95 ms':>8}"
        )
        pages = {name: (url, {}) for name, url in self.pages().items()} | self.pages_304
        for name, (url, headers) in pages.items():
            for _ in range(3):
                client.get(url, **headers)
            queries = []

            def count(run, sql, *args, queries=queries):
                queries.append(sql)
                return run(sql, *args)

            with connection.execute_wrapper(count):
                response = client.get(url, **headers)
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                client.get(url, **headers)
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            self.stdout.write(
                f"{name:<22} {response.status_code:>6} {len(queries):>7} "
                f"{statistics.median(times):>10.1f} {p95:>8.1f}"
            )
        self.markdown_at_the_limit()
