"""Project-wide middleware: privacy-safe request logging, extra security headers, and
WhiteNoise without the static-files manifest."""

import logging
import re
import time

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.utils.cache import add_never_cache_headers
from whitenoise.middleware import WhiteNoiseMiddleware

request_logger = logging.getLogger("poems.request")


# A short link: any path with a segment "c" (/c/, a language's /<lang>/checklist/c/,
# however many slashes or dot segments lead to it), in either case.
_SHORT_LINK = re.compile(r"/c/", re.IGNORECASE)


def loggable_path(path):
    """The path as it may be logged: a short link's code is a whole checklist, so mask it."""
    return "/c/<code>" if _SHORT_LINK.search(path) else path


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


def may_carry_a_checklist(request):
    """A query string, or an address under a short link (/c/..., /<lang>/checklist/c/...)."""
    return bool(request.META.get("QUERY_STRING") or _SHORT_LINK.search(request.path))


class SecurityHeadersMiddleware:
    """Headers Django has no setting for, and a safety net for privacy: any response
    to an address that may carry a checklist that says nothing about caching, such as
    an error page, is not to be stored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if may_carry_a_checklist(request) and "Cache-Control" not in response:
            add_never_cache_headers(response)
        return response


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, less the static-files manifest (staticfiles.json): it lists every
    file and its hashed name, which only the app itself needs to read."""

    def _is_manifest(self, url):
        return url == self.static_prefix + ManifestFilesMixin.manifest_name

    def add_file_to_dictionary(self, url, path, stat_cache=None):
        if not self._is_manifest(url):
            super().add_file_to_dictionary(url, path, stat_cache=stat_cache)

    def find_file(self, url):
        return None if self._is_manifest(url) else super().find_file(url)
