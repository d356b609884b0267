"""What every template may need."""

from django.utils.functional import SimpleLazyObject

from . import freshness


def facts_generation(request):
    """The tokens the cached facts boxes of story pages are stored under (freshness.py):
    ``{% cache 86400 name show.pk shows_generation %}``, and ``reviews_generation`` too
    where the box shows our ratings. Looked up only if a page uses them."""

    def token(name):
        state = getattr(request, "freshness", None) or freshness.current()
        return state[name]

    return {
        "shows_generation": SimpleLazyObject(lambda: token("shows")),
        "reviews_generation": SimpleLazyObject(lambda: token("reviews")),
    }
