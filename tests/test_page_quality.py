"""Pages as the Nu HTML checker sees them (where `make page-tools` installed it), and the
weight of a story page: HTML and CSS under 40 KB as downloaded, before pictures."""

import gzip
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from articles.models import Article

from .factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db

VNU = Path(__file__).resolve().parent.parent / "node_modules" / "vnu-jar" / "build" / "dist"
VNU = VNU / "vnu.jar"

PAGES = {
    "home": "/",
    "review": "/reviews/run-away-season-1-review/",
    "explainer": "/explainers/is-run-away-a-true-story/",
    "renewal": "/renewals/run-away-season-2-renewal-status/",
    "renewal, moved on": "/renewals/will-copper-hill-get-a-second-season/",
    "news": "/news/next-coben-date/",
    "section": "/reviews/",
    "show": "/shows/run-away/",
    "show index": "/shows/",
    "show index, filtered": "/shows/?network=netflix&status=limited",
    "tracker": "/renewal-tracker/",
    "tracker, filtered": "/renewal-tracker/?status=renewed",
    "person": "/people/james-nesbitt/",
    "writer": "/writers/maya-okafor/",
    "tag": "/tags/netflix/",
    "search": "/search/?q=run",
    "search, nothing found": "/search/?q=zzzz",
    "page": "/standards/",
    "corrections": "/corrections/",
    "people": "/people/",
    "writers": "/writers/",
    "404": "/no-such-page/",
}


@pytest.fixture
def pages(demo):
    ArticleFactory(
        title="Netflix sets a date for its next Coben thriller", slug="next-coben-date",
        show=Article.objects.get(slug="run-away-season-1-review").show,
        hero=ImageFactory(size=(1200, 675)),
    )  # fmt: skip
    reader = Client()
    return {name: reader.get(path) for name, path in PAGES.items()}


@pytest.mark.skipif(
    not (shutil.which("java") and VNU.exists()),
    reason="no Nu HTML checker: run `make page-tools` (needs Java and npm)",
)
def test_every_page_type_is_valid_html(pages, tmp_path):
    files = {}
    for name, response in pages.items():
        assert response.status_code == (404 if name == "404" else 200), name
        path = tmp_path / f"{name.replace(' ', '-').replace(',', '')}.html"
        path.write_bytes(response.content)
        files[path.as_uri()] = name
    checked = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    errors = [
        f"{files.get(message.get('url'), message.get('url'))}: line {message.get('lastLine')}: "
        f"{message['message']}"
        for message in json.loads(checked.stderr or "{}").get("messages", [])
    ]
    assert errors == []


def test_a_story_page_weighs_under_40_kb_before_pictures(pages):
    """As a reader downloads it: the HTML and the stylesheet compressed, as the page
    cache and the static files are served (gzip here; brotli is smaller still)."""
    with open(finders.find("css/site.css"), "rb") as css:
        stylesheet = len(gzip.compress(css.read()))
    for name in ("review", "explainer", "renewal", "news"):
        html = len(gzip.compress(pages[name].content))
        assert html + stylesheet < 40 * 1024, f"{name}: {html} + {stylesheet} bytes"
