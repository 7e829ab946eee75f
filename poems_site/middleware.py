"""Project-wide middleware: privacy-safe request logging and extra security headers."""

import logging
import time

from django.conf import settings

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
    """Headers Django has no setting for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
