"""Reading the sitemap as a search engine does: the index, then each of its files."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_files(client):
    """The addresses of the files the index at /sitemap.xml names (paths, with ?p=)."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200, index.status_code
    root = ET.fromstring(index.content)
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    paths = []
    for loc in root.iterfind("sm:sitemap/sm:loc", NS):
        parts = urlsplit(loc.text)
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def whole_sitemap(client):
    """Every file of the sitemap, each as the client got it."""
    return [client.get(path) for path in sitemap_files(client)]


def whole_sitemap_text(client):
    return "\n".join(response.text for response in whole_sitemap(client))
