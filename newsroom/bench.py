"""What `make bench` serves besides the site: the ceiling to measure pages against.

A bare Django view returning 30 KB of fixed HTML, through the same middleware, on the
same gunicorn: no query, no template. Served only with the bench's own settings
(``DJANGO_SETTINGS_MODULE=newsroom.bench_settings``), never by the site.
"""

from django.http import HttpResponse
from django.urls import path

from newsroom.urls import urlpatterns as site_urlpatterns

BARE_HTML = (
    "<!doctype html><html lang=en><head><meta charset=utf-8><title>Bare</title></head><body>"
    + "<p>A paragraph of fixed text, the same for every request, as long as a story.</p>" * 370
    + "</body></html>"
).encode()


def bare(request):
    return HttpResponse(BARE_HTML)


urlpatterns = [path("_bench/bare/", bare), *site_urlpatterns]
