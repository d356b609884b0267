"""What every template may need."""

from django.utils.functional import SimpleLazyObject

from . import freshness


def facts_generation(request):
    """The tokens the cached facts boxes of story pages are stored under (freshness.py):
    ``{% cache 86400 name show.pk shows_generation %}``, and ``reviews_generation`` too
    where the box shows our ratings; ``site_generation`` for what any change may alter
    (the latest stories). Looked up only if a page uses them."""

    def token(name):
        return freshness.for_request(request)[name]

    return {
        "site_generation": SimpleLazyObject(lambda: token("generation")),
        "shows_generation": SimpleLazyObject(lambda: token("shows")),
        "reviews_generation": SimpleLazyObject(lambda: token("reviews")),
    }
