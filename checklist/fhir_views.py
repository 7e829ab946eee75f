"""The FHIR R4 endpoints under /api/v1/fhir/ (README, "FHIR"; shared/contract.md).

Thin: checklist.query reads a query string, checklist.fhir builds and reads the
resources. Every answer is FHIR JSON, errors included (an OperationOutcome), and is
never stored. The views take no cookies and never touch the session, so no CSRF token
is needed; nothing of a checklist is kept.
"""

import functools
import logging

import orjson
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt

from checklist import fhir, query

logger = logging.getLogger(__name__)

# FHIR's version parameter names the major and minor version of the bodies (R4: 4.0);
# FHIR bodies are UTF-8, and R4 asks for the charset to be said.
MIME_VERSION = ".".join(fhir.FHIR_VERSION.split(".")[:2])
CONTENT_TYPE = f"application/fhir+json; fhirVersion={MIME_VERSION}; charset=utf-8"
ACCEPTED_TYPES = ("application/fhir+json", "application/json")
MAX_BODY = 1024 * 1024


def fhir_response(resource, status=200, allow=None):
    response = HttpResponse(orjson.dumps(resource), content_type=CONTENT_TYPE, status=status)
    add_never_cache_headers(response)
    if allow:
        response["Allow"] = allow
    return response


def outcome_response(status, issues, allow=None):
    return fhir_response(fhir.operation_outcome(issues), status, allow)


def endpoint(*methods):
    """A FHIR view: only `methods` (else 405 with Allow), no CSRF check, and an
    OperationOutcome rather than an HTML page should anything fail."""
    allow = ", ".join(methods)

    def decorate(view):
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request):
            if request.method not in methods:
                issue = fhir.http_issue("not-supported", f"Use {' or '.join(methods)}.")
                return outcome_response(405, [issue], allow)
            try:
                return view(request)
            except fhir.Rejected as rejected:
                return outcome_response(rejected.status, rejected.issues)
            except Exception:
                # The log line has the path only, never the body or the query string.
                logger.exception("FHIR request failed")
                issue = fhir.http_issue("exception", "Internal error; try again later.")
                return outcome_response(500, [issue])

        return wrapper

    return decorate


@endpoint("GET", "HEAD")
def questionnaire(request):
    return fhir_response(fhir.questionnaire())


@endpoint("GET", "HEAD")
def questionnaire_response(request):
    parsed = query.parse(request.META.get("QUERY_STRING", ""))
    if not parsed.is_valid:
        return outcome_response(400, fhir.query_issues(parsed.errors))
    return fhir_response(fhir.questionnaire_response(parsed))


def _body(request):
    """The request's body, or Rejected: 415 for another media type, 413 over 1 MiB."""
    media_type = request.content_type.lower()
    charset = request.content_params.get("charset", "utf-8").lower()
    # Django gives the parameters lower-case names.
    version = request.content_params.get("fhirversion", MIME_VERSION)
    if (
        media_type not in ACCEPTED_TYPES
        or charset not in ("utf-8", "utf8")
        or version not in (MIME_VERSION, fhir.FHIR_VERSION)
    ):
        text = (
            f"Send the QuestionnaireResponse as application/fhir+json (UTF-8, FHIR {MIME_VERSION})."
        )
        raise fhir.Rejected(415, [fhir.http_issue("not-supported", text)])
    too_large = fhir.Rejected(413, [fhir.http_issue("too-long", "The body is over 1 MiB.")])
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY:
        raise too_large
    body = request.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        raise too_large
    return body


@endpoint("POST")
def evaluate(request):
    return fhir_response(fhir.evaluate_body(_body(request)))
