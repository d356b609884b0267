"""Two editors press Save at the same moment: nobody's work is lost, nobody sees a 500.

Real HTTP requests to a live server, each in its own thread with its own database
connection, on SQLite (a file, as in production) and on PostgreSQL. Editor A's save
is slowed down inside its transaction, as a large hero image would slow it; editor
B saves the same story meanwhile.
"""

import html
import re
import threading
import time
import urllib.parse
import urllib.request

import pytest
from django.test import Client
from django.urls import reverse

from articles.admin import ArticleAdminBase
from articles.models import Article

from .factories import ArticleFactory, UserFactory, WriterFactory, newsroom_group

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.live_server]

SLOW_TITLE = "Editor A's headline, saved slowly"


class Editor:
    """One editor's browser: their cookies (kept by hand: the secure cookies of a
    production configuration are not sent over plain HTTP by urllib), form posts."""

    def __init__(self, base, user):
        client = Client()
        client.force_login(user)
        self.base = base
        self.cookies = {"sessionid": client.cookies["sessionid"].value}
        self.opener = urllib.request.build_opener(NoRedirect())

    def open(self, request):
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:  # redirects and errors alike
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";")[0].split("=", 1)
            self.cookies[name.strip()] = value
        return response.status, response.read().decode()

    def get(self, path):
        return self.open(urllib.request.Request(self.base + path))[1]

    def post(self, path, data, page):
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}, doseq=True)
        headers = {"Referer": self.base + path, "Origin": self.base}
        return self.open(urllib.request.Request(self.base + path, body.encode(), headers))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def editor(username):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(newsroom_group("Editors"))
    WriterFactory(user=user)
    return user


def form_of(page):
    """Every field the change form would post, as the page has it."""
    data = {}
    for name, value in re.findall(r'<input[^>]*\sname="([^"]+)"[^>]*\svalue="([^"]*)"', page):
        data.setdefault(name, value)
    for name, text in re.findall(
        r'<textarea[^>]*\sname="([^"]+)"[^>]*>\n?(.*?)</textarea>', page, re.S
    ):
        data[name] = text
    for name, options in re.findall(
        r'<select[^>]*\sname="([^"]+)"[^>]*>(.*?)</select>', page, re.S
    ):
        chosen = re.findall(r'<option value="([^"]+)"[^>]*selected', options)
        if chosen:
            data[name] = chosen
    for unwanted in ("csrfmiddlewaretoken", "_workflow", "overwrite", "_continue", "_save"):
        data.pop(unwanted, None)
    if data.get("was_live") == "1":
        data["_publish_changes"] = "1"  # the editor publishes the change straight away
    return {
        name: html.unescape(value) if isinstance(value, str) else value
        for name, value in data.items()
        if "__prefix__" not in name
    }


@pytest.fixture
def slow_save_of_a(monkeypatch):
    """Editor A's save waits inside its transaction until B's request has arrived."""
    a_saving, b_sent = threading.Event(), threading.Event()
    original = ArticleAdminBase.save_model

    def save_model(self, request, obj, form, change):
        if obj.title == SLOW_TITLE:
            a_saving.set()
            b_sent.wait(10)
            time.sleep(1.0)  # B is now waiting for the lock, or racing past it
        return original(self, request, obj, form, change)

    monkeypatch.setattr(ArticleAdminBase, "save_model", save_model)
    return a_saving, b_sent


def run(target):
    result = {}
    thread = threading.Thread(target=lambda: result.update(response=target()))
    thread.start()
    return thread, result


def test_two_saves_of_one_story_at_once_keep_both_editors_work(live_server, slow_save_of_a):
    a_saving, b_sent = slow_save_of_a
    story = ArticleFactory(title="The original headline", body="The original text.")
    path = reverse("admin:articles_newsstory_change", args=[story.pk])
    alice, bob = Editor(live_server.url, editor("alice")), Editor(live_server.url, editor("bob"))
    page_a, page_b = alice.get(path), bob.get(path)  # both open the same version

    form_a = {**form_of(page_a), "title": SLOW_TITLE}
    form_b = {**form_of(page_b), "body": "Bob's new paragraph, typed at midnight."}
    thread_a, result_a = run(lambda: alice.post(path, form_a, page_a))
    assert a_saving.wait(10)
    thread_b, result_b = run(lambda: bob.post(path, form_b, page_b))
    b_sent.set()
    thread_a.join(30), thread_b.join(30)

    status_a, _ = result_a["response"]
    status_b, text_b = result_b["response"]
    assert status_a == 302  # saved
    assert status_b == 200, text_b[:2000]  # refused, with the form shown again
    assert "changed this story on" in text_b and "after you opened it" in text_b
    assert "Bob&#x27;s new paragraph, typed at midnight." in text_b  # nothing typed is lost
    story.refresh_from_db()
    assert story.title == SLOW_TITLE and story.body == "The original text."


def test_two_saves_of_different_stories_at_once_both_succeed(live_server, slow_save_of_a):
    a_saving, b_sent = slow_save_of_a
    first, second = ArticleFactory(), ArticleFactory()
    path_a = reverse("admin:articles_newsstory_change", args=[first.pk])
    path_b = reverse("admin:articles_newsstory_change", args=[second.pk])
    alice, bob = Editor(live_server.url, editor("alice")), Editor(live_server.url, editor("bob"))
    page_a, page_b = alice.get(path_a), bob.get(path_b)

    thread_a, result_a = run(
        lambda: alice.post(path_a, {**form_of(page_a), "title": SLOW_TITLE}, page_a)
    )
    assert a_saving.wait(10)
    form_b = {**form_of(page_b), "title": "Bob's own story"}
    thread_b, result_b = run(lambda: bob.post(path_b, form_b, page_b))
    b_sent.set()
    thread_a.join(30), thread_b.join(30)

    assert result_a["response"][0] == 302
    assert result_b["response"][0] == 302, result_b["response"][1][:2000]
    assert Article.objects.get(pk=first.pk).title == SLOW_TITLE
    assert Article.objects.get(pk=second.pk).title == "Bob's own story"


def test_a_save_that_waits_too_long_keeps_the_form_and_says_so(live_server, monkeypatch):
    """When the database stays busy past the timeout, the story form comes back with
    everything typed and a message, not a 500."""
    from django.db import OperationalError

    from articles import admin as story_admin

    story = ArticleFactory()
    path = reverse("admin:articles_newsstory_change", args=[story.pk])
    alice = Editor(live_server.url, editor("alice"))
    page = alice.get(path)
    original = story_admin.ArticleAdminBase.changeform_view

    def locked(self, request, *args, **kwargs):
        if request.method == "POST":
            raise OperationalError("database is locked")
        return original(self, request, *args, **kwargs)

    monkeypatch.setattr(story_admin.admin.ModelAdmin, "changeform_view", locked, raising=True)
    status, text = alice.post(path, {**form_of(page), "body": "Typed while it was busy."}, page)
    assert status == 200
    assert "database was busy" in text and "nothing was saved" in text
    assert "Typed while it was busy." in text
    story.refresh_from_db()
    assert story.body != "Typed while it was busy."
