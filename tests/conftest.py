from io import StringIO

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.db import transaction

from .factories import EditorFactory, WriterFactory, member

DEMO_APPS = ("images", "people", "shows", "articles", "flatpages")


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing cached (the cache outlives the test's database), and
    owes no new generation for a change an earlier test rolled back."""
    from django.core.cache import cache

    from newsroom import freshness

    cache.clear()
    freshness._pending.now, freshness._pending.on_commit = {}, {}
    yield


@pytest.fixture
def editor(db):
    return EditorFactory(username="editor")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture(scope="session")
def demo_rows(django_db_setup, django_db_blocker):
    """The demo content as rows, made once per test run: `manage.py demo` draws and
    resizes pictures, which is most of its cost. Loaded in a transaction that is rolled
    back; the image files it writes stay, for the rows that name them."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", stdout=StringIO())
        objects = [
            obj
            for label in DEMO_APPS
            for model in apps.get_app_config(label).get_models()
            if not model._meta.proxy
            for obj in model._base_manager.order_by("pk")
        ]
        rows = serializers.serialize("json", objects)
        transaction.set_rollback(True)
    return rows


@pytest.fixture
def demo(db, demo_rows):
    """The demo site, as `manage.py demo` makes it, for this test alone."""
    for obj in serializers.deserialize("json", demo_rows):
        obj.save()


def pytest_report_header(config):
    from django.db import connection

    return f"database: {connection.vendor} ({connection.settings_dict['NAME']})"


@pytest.fixture
def writer_user(db):
    """A writer on the desk, with their byline (Tom Reilly)."""
    user = member("writer", "Writers")
    WriterFactory(name="Tom Reilly", user=user)
    return user


@pytest.fixture
def editor_user(db):
    """An editor on the desk, with their byline (Maya Okafor)."""
    user = member("chief", "Editors")
    WriterFactory(name="Maya Okafor", user=user)
    return user
