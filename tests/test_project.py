"""The project as a whole: migrations, production settings, the public pages answer."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from .factories import ArticleFactory, ReviewFactory

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    """Run manage.py in a clean process with the given environment."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "SECURE_SSL_REDIRECT"}
    }
    base.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_production_settings_pass_the_deploy_check():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
        ALLOWED_HOSTS="news.example.com",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_a_secret_key_production_refuses_to_start_and_says_why():
    result = manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_mode_needs_no_configuration():
    assert manage("check", DEBUG="1").returncode == 0


@pytest.mark.django_db
def test_the_public_pages_of_a_story_answer(client):
    review = ReviewFactory()
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("articles:section", args=["reviews"])).status_code == 200
    page = client.get(review.get_absolute_url())
    assert page.status_code == 200
    assert review.title in page.text
    assert client.get(review.show.get_absolute_url()).status_code == 200
    assert client.get(review.byline[0].get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_drafts_are_hidden_from_readers_and_shown_to_staff_in_preview(editor_client):
    client = Client()  # a reader, not logged in
    draft = ArticleFactory(status="draft", publish_at=None)
    assert client.get(draft.get_absolute_url()).status_code == 404
    preview_url = reverse("articles:preview", args=[draft.pk])
    assert client.get(preview_url).status_code == 404
    preview = editor_client.get(preview_url)
    assert preview.status_code == 200
    assert "noindex" in preview["X-Robots-Tag"]
    assert "no-cache" in preview["Cache-Control"]


@pytest.mark.django_db
def test_a_server_error_shows_the_sites_own_page(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("newsroom.views.HomeView.get_context_data", broken)
    response = Client(raise_request_exception=False).get(reverse("home"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text
    assert "database on fire" not in response.text


LAYERS = ["images", "people", "shows", "articles", "newsroom"]


def test_an_app_imports_only_from_the_apps_to_its_left():
    """images <- people <- shows <- articles <- newsroom (see the README's layout)."""
    import ast

    root = Path(__file__).resolve().parent.parent
    wrong = []
    for rank, app in enumerate(LAYERS):
        for path in (root / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top in LAYERS and LAYERS.index(top) > rank:
                        wrong.append(f"{path.relative_to(root)} imports {name}")
    assert wrong == []
