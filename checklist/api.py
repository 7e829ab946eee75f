"""GET /api/v1/evaluate: the checklist's evaluation as JSON (see shared/contract.md)."""

from django.http import JsonResponse
from django.utils.translation import override
from django.views.decorators.http import require_safe

from checklist import query, texts
from checklist.presentation import api_payload
from checklist.rules import Case, evaluate
from checklist.views import no_store
from checklist.words import finding_words


@require_safe
def evaluate_view(request):
    parsed = query.parse(request.META.get("QUERY_STRING", ""), allow_language=True)
    language = parsed.language or "en"
    with override(language):
        if not parsed.is_valid:
            errors = {key: str(texts.ERRORS[code]) for key, code in parsed.errors.items()}
            return no_store(JsonResponse({"errors": errors}, status=400))
        results = evaluate(Case(parsed.findings, parsed.vegf))
        payload = api_payload(parsed, results, finding_words())
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    return no_store(response)
