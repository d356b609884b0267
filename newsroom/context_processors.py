"""What every template may need."""

from django.utils.functional import SimpleLazyObject

from . import freshness


def facts_generation(request):
    """The tokens the cached facts boxes of story pages are stored under (freshness.py):
    ``{% cache 86400 name show.pk shows_generation %}``, and ``reviews_generation`` too
    where the box shows our ratings. Looked up only if a page uses them."""

    def token(name):
        if getattr(request, "freshness", None) is None:  # read once a request
            request.freshness = freshness.current()
        return request.freshness[name]

    return {
        "shows_generation": SimpleLazyObject(lambda: token("shows")),
        "reviews_generation": SimpleLazyObject(lambda: token("reviews")),
    }
