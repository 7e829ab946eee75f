"""Project-wide middleware: privacy-safe request logging and extra security headers."""

import logging
import time

from django.conf import settings
from django.utils.cache import add_never_cache_headers

request_logger = logging.getLogger("poems.request")


def loggable_path(path):
    """The path as it may be logged: a short link's code is a whole checklist, so mask it."""
    if path.startswith("/c/"):
        return "/c/<code>"
    return path


class RequestLogMiddleware:
    """One structured line per request, with the path but never the query string.

    A checklist's findings travel in the query string, so logging it would write
    clinical data to disk. Django's and gunicorn's own access logs are silenced.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        request_logger.info(
            "request",
            extra={
                "method": request.method,
                "path": loggable_path(request.path),
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response


class SecurityHeadersMiddleware:
    """Headers Django has no setting for, and a safety net for privacy: any response
    to an address with a query string (which may carry a checklist) that says nothing
    about caching, such as an error page, is not to be stored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if request.META.get("QUERY_STRING") and "Cache-Control" not in response:
            add_never_cache_headers(response)
        return response
