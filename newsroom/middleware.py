"""Project-wide request handling."""

from django.db import OperationalError
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
