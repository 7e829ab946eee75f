"""GET /api/v1/evaluate: the checklist's evaluation as JSON (see shared/contract.md)."""

import logging

import orjson
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language, override
from django.utils.translation import gettext_noop as _
from django.views.decorators.csrf import csrf_exempt

from checklist import messages, query, statements
from checklist.labels import finding_label, finding_words, investigation_words
from checklist.panel import caution_text, grade_label
from checklist.rules import CRITERIA_SETS_BY_SLUG, RULES_VERSION, Case, evaluate, plan
from common.generation import current
from common.i18n import translate, translator

logger = logging.getLogger(__name__)


def json_response(data, status=200):
    """Compact UTF-8 JSON, never stored."""
    response = HttpResponse(orjson.dumps(data), content_type="application/json", status=status)
    add_never_cache_headers(response)
    return response


def method_not_allowed():
    response = json_response({"errors": {"method": translate(_("Use GET."))}}, status=405)
    response["Allow"] = "GET, HEAD"
    return response


@csrf_exempt  # takes no cookies and changes nothing: JSON for any method, never a CSRF page
def not_found(request, *args, **kwargs):
    """Any other address under /api/, with any method: a JSON 404, never an HTML page."""
    return json_response({"errors": {"path": "No such address in the API."}}, status=404)


@csrf_exempt  # read-only, takes no cookies: any method gets JSON, never a CSRF page
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
        return method_not_allowed()
    parsed = query.parse(request.META.get("QUERY_STRING", ""), allow_language=True)
    with override(parsed.language or "en"):
        if not parsed.is_valid:
            errors = {key: translate(messages.ERRORS[code]) for key, code in parsed.errors.items()}
            return json_response({"errors": errors}, status=400)
        results = evaluate(Case(parsed.findings, parsed.vegf))
        payload = api_payload(
            parsed,
            results,
            finding_words(),
            investigation_words(),
            translator(parsed.language or "en"),
        )
    return json_response(payload)


def measurements(parsed):
    if parsed.vegf is None:
        return {}
    vegf = {"value": parsed.vegf.value, "specimen": parsed.vegf.specimen}
    if parsed.vegf.uln is not None:
        vegf["uln"] = parsed.vegf.uln
    return {"vegf": vegf}


def api_payload(parsed, results, words, investigations, translate):
    """The JSON body of GET /api/v1/evaluate, as the contract defines it."""

    def label(slug):
        return finding_label(words, slug)

    return {
        "findings": dict(parsed.findings),
        "measurements": measurements(parsed),
        "rules_version": RULES_VERSION,
        "results": {slug: _result(result, label, translate) for slug, result in results.items()},
        "workup": [_step(step, investigations) for step in plan(results)],
    }


def _step(step, investigations):
    words = investigations.get(step.slug)
    return {
        "slug": step.slug,
        "label": words.label if words else step.slug,
        "findings": list(step.findings),
        "settles": list(step.settles),
    }


def _source(source):
    return {
        "citation": source.citation,
        "pmid": source.pmid,
        "doi": source.doi,
        "url": source.url,
        "year": source.year,
    }


def _result(result, label, translate):
    criteria_set = CRITERIA_SETS_BY_SLUG[result.slug]
    requirements = {requirement.key: requirement for requirement in criteria_set.requirements}
    return {
        "label": translate(criteria_set.label),
        "version": result.version,
        "source": _source(result.source),
        "outcome": result.outcome,
        "outcome_label": translate(messages.OUTCOMES[result.outcome]),
        "grade": result.grade,
        "grade_label": grade_label(criteria_set, result.grade, translate) if result.grade else None,
        "extra_grades": dict(result.extra_grades),
        "derived": {
            slug: {"value": derivation.value, "rule": translate(derivation.rule)}
            for slug, derivation in result.derived.items()
        },
        "decisive_unknowns": list(result.decisive_unknowns),
        "requirements": [
            {
                "key": row.key,
                "label": statements.requirement_label(requirements[row.key], translate, label),
                "status": row.status,
                "have": row.have,
                "need": row.need,
                "findings": list(row.findings),
                "present": list(row.present),
                "unknown": list(row.unknown),
            }
            for row in result.requirements
        ],
        "warnings": [
            {"code": caution.code, "message": caution_text(caution, get_language(), current())}
            for caution in result.cautions
        ],
    }
