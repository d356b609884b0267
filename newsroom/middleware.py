"""Project-wide request handling."""

from django.db import OperationalError
from django.http import QueryDict
from django.template.response import TemplateResponse

from articles.admin import database_busy


class DatabaseBusyMiddleware:
    """SQLite makes a writer wait while another writes (see DATABASES in settings); one
    that waits too long gets a "busy, nothing was saved, try again" page, never a 500.
    The story form handles this itself and keeps what was typed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError) and database_busy(exception):
            response = TemplateResponse(request, "503.html", status=503)
            response["Retry-After"] = "5"
            return response.render()
        return None


class DropNullCharactersMiddleware:
    """A NUL character in a query string (``?status=%00``) means nothing to any page, and
    PostgreSQL refuses it in a query with an error: it is removed before any view sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "%00" in request.META.get("QUERY_STRING", ""):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)
