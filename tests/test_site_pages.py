"""The site's own pages (About, Standards and ethics, Corrections policy, Contact,
Privacy): written by editors in the admin (django.contrib.flatpages), in Markdown,
linked from every footer."""

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.test import Client
from django.urls import reverse

from .factories import EditorFactory, WriterUserFactory
from .sitemaps import whole_sitemap_text

pytestmark = pytest.mark.django_db

FOOTER = ["/about/", "/standards/", "/corrections-policy/", "/contact/", "/privacy/"]


def site_page(url="/standards/", title="Standards and ethics", content="We check facts."):
    page = FlatPage.objects.create(url=url, title=title, content=content)
    page.sites.add(Site.objects.get_current())
    return page


def test_every_footer_page_of_the_demo_opens_from_the_footer(demo):
    home = Client().get(reverse("home")).text
    footer = home[home.index('<footer class="site-footer">') :]
    for url in FOOTER:
        assert f'href="{url}"' in footer
        page = Client().get(url)
        assert page.status_code == 200, url
        assert "<h1>" in page.text


def test_the_footer_links_the_publications_accounts_as_set(settings):
    settings.PAGE_CACHE_ENABLED = False
    home = Client().get(reverse("home")).text
    assert 'aria-label="Newsroom elsewhere"' not in home  # none set: no empty list
    settings.SOCIAL_LINKS = [("Bluesky", "https://bsky.app/profile/newsroom.example")]
    home = Client().get(reverse("home")).text
    footer = home[home.index('<footer class="site-footer">') :]
    assert '<a href="https://bsky.app/profile/newsroom.example" rel="me noopener">Bluesky</a>' in (
        footer
    )


def test_a_page_is_markdown_sanitised_and_its_title_is_text():
    site_page(
        title="Standards <script>alert(1)</script>",
        content="## Pictures\n\nEvery picture says where it is from.\n\n<script>alert(2)</script>"
        '<a href="javascript:alert(3)">x</a>',
    )
    page = Client().get("/standards/").text
    assert "<h1>Standards &lt;script&gt;alert(1)&lt;/script&gt;</h1>" in page
    assert '<h2 id="pictures">Pictures</h2>' in page
    assert "alert(2)" not in page and "javascript:" not in page


@pytest.mark.parametrize("url", ["/no-such-page/", "/about/team/", "/About/", "/about/%00/"])
def test_an_address_that_is_no_page_is_a_404_not_an_error(url):
    site_page(url="/about/", title="About")
    assert Client().get(url, follow=True).status_code == 404


def test_a_page_without_its_last_slash_is_found():
    site_page(url="/about/", title="About")
    assert Client().get("/about").url == "/about/"


def test_an_edit_shows_at_once_through_the_page_cache():
    page = site_page(content="First version.")
    reader = Client()
    assert "First version." in reader.get("/standards/").text
    page.content = "Second version."
    page.save()
    assert "Second version." in reader.get("/standards/").text


def test_editors_write_pages_with_a_checked_address_and_writers_only_read_them(client):
    client.force_login(EditorFactory(username="page-editor"))
    add = reverse("admin:flatpages_flatpage_add")
    refused = client.post(add, {"url": "about us", "title": "About", "content": "Hello."})
    assert "Use lower-case letters, digits and dashes between two slashes" in refused.text
    assert "Hello." in refused.text  # nothing typed is lost
    done = client.post(add, {"url": "/about/", "title": "About", "content": "Hello."})
    assert done.status_code == 302
    assert Client().get("/about/").status_code == 200  # on this site, with no box to tick
    again = client.post(add, {"url": "/about/", "title": "Again", "content": "Twice."})
    assert "already exists" in again.text
    client.force_login(WriterUserFactory(username="page-writer"))
    assert client.get(reverse("admin:flatpages_flatpage_changelist")).status_code == 200
    assert client.get(add).status_code == 403


def test_the_sitemap_lists_the_pages():
    site_page()
    sitemap = whole_sitemap_text(Client())
    assert "<loc>http://testserver/standards/</loc>" in sitemap
