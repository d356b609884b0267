"""WSGI entry point, e.g. ``gunicorn newsroom.wsgi``."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = get_wsgi_application()


def _settle():
    """Load the address map now, then leave everything loaded so far out of Python's
    garbage collection: a full collection over Django, its apps and their modules paused
    a page for 30-60 ms, one request in thirty or so. (With gunicorn's --preload it also
    keeps the memory the workers share from being copied.)"""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every view)
    gc.collect()
    gc.freeze()


_settle()
