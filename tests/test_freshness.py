"""Never stale, across processes: a change made here is on the pages another server
serves, from its next request on.

A real gunicorn (two workers) serves the test database and shares the test's page
cache, as a second app server would; this process makes each kind of change readers
could see, through the models as the admin, a service or the shell would, and asks that
server for the page that shows it, right after having warmed its cache.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from articles.models import Article, Tag
from people.models import Person, Writer
from shows.models import Network, Season, Show, StatusChange

from .factories import (
    ArticleFactory,
    CorrectionFactory,
    CreditFactory,
    GenreFactory,
    ImageFactory,
    PersonFactory,
    ReviewFactory,
    SeasonFactory,
    ShowFactory,
    StatusChangeFactory,
    WriterFactory,
)

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.live_server]


def database_url():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def other_server(db):
    """gunicorn in another process, on this test's database and cache."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(),
        "NEWSROOM_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "NEWSROOM_TEST_CACHE_DIR": str(settings.CACHES["default"]["LOCATION"]),
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/robots.txt", timeout=10)
                break
            except OSError:  # not listening yet, or still starting
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("the second server did not start")
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(20)


def read(base, path):
    """A page as a reader gets it from the other server: (status, text)."""
    try:
        with urllib.request.urlopen(base + path, timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def warm(base, path):
    """Ask twice, so the second answer (and the next) comes from the cache."""
    read(base, path)
    return read(base, path)


@pytest.fixture
def world():
    writer = WriterFactory(name="Maya Okafor", slug="maya-okafor")
    season = SeasonFactory(show=ShowFactory(title="Run Away", slug="run-away"), number=1)
    story = ReviewFactory(
        title="Run Away review", slug="run-away-review", season=season, show=season.show,
        writers=[writer],
    )  # fmt: skip
    story.tags.add("Crime drama")
    person = PersonFactory(name="James Nesbitt", slug="james-nesbitt")
    story.people.add(person)
    return {
        "story": story, "show": season.show, "season": season, "writer": writer,
        "person": person,
    }  # fmt: skip


def test_a_story_published_here_is_on_the_other_servers_home_page(other_server, world):
    warm(other_server, "/")
    draft = ArticleFactory(title="Fresh from the desk", status="draft", publish_at=None)
    assert "Fresh from the desk" not in read(other_server, "/")[1]
    draft.status, draft.publish_at = Article.Status.PUBLISHED, timezone.now()
    draft.save()
    assert "Fresh from the desk" in read(other_server, "/")[1]


def test_unpublishing_and_scheduling_take_a_story_off_at_once(other_server, world):
    story, url = world["story"], world["story"].get_absolute_url()
    assert warm(other_server, url)[0] == 200
    story.publish_at = timezone.now() + timedelta(days=1)  # rescheduled for tomorrow
    story.save()
    assert read(other_server, url)[0] == 404
    story.publish_at = timezone.now() - timedelta(minutes=1)
    story.save()
    assert read(other_server, url)[0] == 200
    story.status = Article.Status.DRAFT
    story.save()
    assert read(other_server, url)[0] == 404
    assert "Run Away review" not in read(other_server, "/reviews/")[1]


def test_an_edited_story_and_its_image(other_server, world):
    story, url = world["story"], world["story"].get_absolute_url()
    warm(other_server, url)
    story.title = "Run Away review, revised"
    story.save()
    assert "Run Away review, revised" in read(other_server, url)[1]
    story.hero = ImageFactory(alt="A still from the first episode", size=(64, 36))
    story.save()
    assert 'alt="A still from the first episode"' in read(other_server, url)[1]
    story.hero.alt = "A still from the second episode"  # edited in the library alone
    story.hero.save()
    assert 'alt="A still from the second episode"' in read(other_server, url)[1]


def change_show(world):
    show = world["show"]
    show.title = "Run Away (2026)"
    show.save()
    return show.get_absolute_url(), "Run Away (2026)"


def add_season(world):
    SeasonFactory(show=world["show"], number=2, episode_count=7)
    return world["show"].get_absolute_url(), "Season 2"


def edit_season(world):
    Season.objects.filter(pk=world["season"].pk).update(episode_count=11)  # in bulk, too
    return world["show"].get_absolute_url(), "11 episodes"


def add_credit(world):
    CreditFactory(show=world["show"], person=PersonFactory(name="Ruth Jones"),
                  character_name="Elena Ravenscroft")  # fmt: skip
    return world["show"].get_absolute_url(), "Elena Ravenscroft"


def add_status_change(world):
    StatusChangeFactory(show=world["show"], status=StatusChange.Status.RENEWED,
                        announced_on=timezone.localdate())  # fmt: skip
    return "/renewal-tracker/", "Renewed"


def rename_network(world):
    Network.objects.filter(pk=world["show"].network_id).update(name="Netflix UK")
    return world["show"].get_absolute_url(), "Netflix UK"


def rename_genre(world):
    genre = GenreFactory(name="Thriller")
    world["show"].genres.add(genre)  # an m2m change
    return world["show"].get_absolute_url(), "Thriller"


def rename_person(world):
    Person.objects.filter(pk=world["person"].pk).update(name="James Nesbitt OBE")
    return world["person"].get_absolute_url(), "James Nesbitt OBE"


def rename_writer(world):
    Writer.objects.filter(pk=world["writer"].pk).update(name="Maya Okafor-Reid")
    return world["story"].get_absolute_url(), "Maya Okafor-Reid"


def rename_tag(world):
    tag = Tag.objects.get(name="Crime drama")
    tag.name = "Crime dramas"
    tag.save()
    return world["story"].get_absolute_url(), "Crime dramas"


def add_correction(world):
    CorrectionFactory(article=world["story"], text="An earlier version gave the wrong year.")
    return world["story"].get_absolute_url(), "An earlier version gave the wrong year."


def add_story_about_the_show(world):
    story = ArticleFactory(title="Run Away, explained", writers=[world["writer"]])
    story.shows.add(world["show"])  # "Also read" under the review lists it
    return world["story"].get_absolute_url(), "Run Away, explained"


def add_show(world):
    ShowFactory(title="Fool Me Once", slug="fool-me-once")
    return "/shows/", "Fool Me Once"


CHANGES = [
    change_show, add_season, edit_season, add_credit, add_status_change, rename_network,
    rename_genre, rename_person, rename_writer, rename_tag, add_correction,
    add_story_about_the_show, add_show,
]  # fmt: skip


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_every_kind_of_change_is_on_the_other_servers_pages(other_server, world, change):
    show_page = world["show"].get_absolute_url()
    story_page, person_page = world["story"].get_absolute_url(), world["person"].get_absolute_url()
    for path in ("/", show_page, "/shows/", "/renewal-tracker/", story_page, person_page):
        warm(other_server, path)
    path, expected = change(world)
    assert expected in read(other_server, path)[1]


def test_deleting_is_seen_at_once_too(other_server, world):
    show = ShowFactory(title="Cancelled Early", slug="cancelled-early")
    credit = CreditFactory(show=world["show"], character_name="Cornelius Faber")
    for path in ("/shows/", world["show"].get_absolute_url()):
        warm(other_server, path)
    credit.delete()
    Show.objects.filter(pk=show.pk).delete()
    assert "Cornelius Faber" not in read(other_server, world["show"].get_absolute_url())[1]
    assert "Cancelled Early" not in read(other_server, "/shows/")[1]
    assert read(other_server, "/shows/cancelled-early/")[0] == 404
    tag = Tag.objects.get(name="Crime drama")
    warm(other_server, tag.get_absolute_url())
    tag.delete()
    assert read(other_server, tag.get_absolute_url())[0] == 404


def test_a_storys_own_lists_are_seen_at_once_when_they_lose_a_row(other_server, world):
    story, url = world["story"], world["story"].get_absolute_url()
    warm(other_server, url)
    story.tags.remove("Crime drama")
    story.bylines.all().delete()
    page = read(other_server, url)[1]
    assert 'content="Crime drama"' not in page and "Maya Okafor" not in page
