"""GET /api/v1/evaluate: the checklist's evaluation as JSON (see shared/contract.md)."""

from django.http import JsonResponse
from django.utils.translation import override

from checklist import query, texts
from checklist.presentation import api_payload
from checklist.rules import Case, evaluate
from checklist.views import no_store
from checklist.words import finding_words
from poems_site.i18n import translate


def evaluate_view(request):
    """Every answer is JSON, errors included: clients never have to parse HTML."""
    if request.method not in ("GET", "HEAD"):
        response = JsonResponse({"errors": {"method": "Use GET."}}, status=405)
        response["Allow"] = "GET, HEAD"
        return no_store(response)
    parsed = query.parse(request.META.get("QUERY_STRING", ""), allow_language=True)
    with override(parsed.language or "en"):
        if not parsed.is_valid:
            errors = {key: translate(texts.ERRORS[code]) for key, code in parsed.errors.items()}
            return no_store(JsonResponse({"errors": errors}, status=400))
        results = evaluate(Case(parsed.findings, parsed.vegf))
        payload = api_payload(parsed, results, finding_words())
    # Compact JSON: the API is called often and read by programs.
    compact = {"ensure_ascii": False, "separators": (",", ":")}
    return no_store(JsonResponse(payload, json_dumps_params=compact))
