"""Site-wide pages, and the error pages Django shows when no view could answer."""

from django.shortcuts import render
from django.views import defaults
from django.views.decorators.http import require_safe

from checklist import api, fhir, fhir_views


@require_safe
def home(request):
    return render(request, "home.html")


def _api_error(request, status, text):
    """An error under /api/ in the API's own format: clients never parse HTML."""
    if request.path_info.startswith("/api/v1/fhir/"):
        kind = "invalid" if status == 400 else "exception"
        return fhir_views.outcome_response(status, [fhir.http_issue(kind, text)])
    return api.json_response({"errors": {"request": text}}, status=status)


def bad_request(request, exception):
    """E.g. a Host the site does not serve, refused before any view runs."""
    if request.path_info.startswith("/api/"):
        return _api_error(request, 400, "Bad request.")
    return defaults.bad_request(request, exception)


def server_error(request):
    if request.path_info.startswith("/api/"):
        return _api_error(request, 500, "Internal error; try again later.")
    return defaults.server_error(request)
