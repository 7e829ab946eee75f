"""GET /api/v1/evaluate: the checklist's evaluation as JSON (see shared/contract.md)."""

import logging

import orjson
from django.http import HttpResponse
from django.utils.translation import override

from checklist import query, texts
from checklist.presentation import api_payload
from checklist.rules import Case, evaluate
from checklist.views import no_store
from checklist.words import finding_words
from common.i18n import translate

logger = logging.getLogger(__name__)


def json_response(data, status=200):
    """Compact UTF-8 JSON, never cached. orjson: the API is called often, and encoding
    with the standard library took a fifth of each request."""
    response = HttpResponse(orjson.dumps(data), content_type="application/json", status=status)
    return no_store(response)


def evaluate_view(request):
    """Every answer is JSON, errors included: clients never have to parse HTML."""
    try:
        return _evaluate(request)
    except Exception:
        # Say so in JSON (and log it: the log line has no query string).
        logger.exception("API request failed")
        return json_response({"errors": {"server": "Internal error; try again later."}}, 500)


def _evaluate(request):
    if request.method not in ("GET", "HEAD"):
        response = json_response({"errors": {"method": "Use GET."}}, status=405)
        response["Allow"] = "GET, HEAD"
        return response
    parsed = query.parse(request.META.get("QUERY_STRING", ""), allow_language=True)
    with override(parsed.language or "en"):
        if not parsed.is_valid:
            errors = {key: translate(texts.ERRORS[code]) for key, code in parsed.errors.items()}
            return json_response({"errors": errors}, status=400)
        results = evaluate(Case(parsed.findings, parsed.vegf))
        payload = api_payload(parsed, results, finding_words())
    return json_response(payload)
