"""The checklist pages: the interactive form, the print view, the PDF and the short link.

Views are thin: checklist.query reads the input, checklist.rules decides, and
checklist.presentation words the result.
"""

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import get_language, get_language_from_request, override
from django.views.decorators.http import require_safe

from checklist import query, rendering, summary, texts
from checklist.presentation import result_panel
from checklist.rules import ENDOCRINE_SUBFINDINGS, FINDINGS, UNKNOWN, Case, evaluate
from checklist.shortlink import decode_short_code, encode_short_code
from checklist.words import finding_words, red_flags
from common.i18n import translate

# Errors on these keys are shown next to their field; others only in the summary.
FIELD_KEYS = frozenset((*FINDINGS, query.VEGF, query.VEGF_SPECIMEN))
# The live script asks for the result panel alone with this header.
FRAGMENT_HEADER = "X-Checklist-Fragment"


def no_store(response):
    """A checklist's findings must not be kept by browsers or intermediaries.

    The header is set outright: these responses carry no other caching directive.
    """
    add_never_cache_headers(response)
    return response


def error_list(parsed):
    """[(key, message)] in a stable order: the form's fields first, then the rest."""
    return [(key, translate(texts.ERRORS[code])) for key, code in parsed.errors.items()]


def evaluate_parsed(parsed):
    return evaluate(Case(parsed.findings, parsed.vegf)) if parsed.is_valid else None


def checklist_context(request, parsed):
    words = finding_words()
    errors = error_list(parsed)
    error_messages = dict(errors)
    results = evaluate_parsed(parsed)
    code = encode_short_code(parsed.findings, parsed.vegf) if parsed.is_valid else ""
    canonical = parsed.canonical_query()
    return {
        "parsed": parsed,
        "errors": errors,
        "error_messages": error_messages,
        "words": words,
        "results": results,
        "red_flags": red_flags(),
        "short_code": code,
        "canonical_query": canonical,
        "field_keys": FIELD_KEYS,
        "endocrine_open": any(parsed.findings[slug] != UNKNOWN for slug in ENDOCRINE_SUBFINDINGS),
    }


@require_safe
def checklist(request):
    parsed = query.parse(request.META.get("QUERY_STRING", ""))
    context = checklist_context(request, parsed)
    status = 200 if parsed.is_valid else 400
    if request.headers.get(FRAGMENT_HEADER) == "result":
        response = HttpResponse(rendering.result_html(context), status=status)
        response[FRAGMENT_HEADER + "-Code"] = context["short_code"]
    else:
        response = HttpResponse(rendering.page_html(request, context), status=status)
    patch_vary_headers(response, [FRAGMENT_HEADER])
    return no_store(response)


def _summary_context(request, parsed):
    context = checklist_context(request, parsed)
    context["panel"] = result_panel(parsed, context["results"], context["words"])
    context.update(summary.summary_context(request, parsed, context))
    return context


@require_safe
def print_view(request):
    parsed = query.parse(request.META.get("QUERY_STRING", ""))
    if not parsed.is_valid:
        return bad_checklist(request, parsed)
    context = _summary_context(request, parsed)
    return no_store(render(request, "checklist/print.html", context))


@require_safe
def summary_pdf(request):
    parsed = query.parse(request.META.get("QUERY_STRING", ""))
    if not parsed.is_valid:
        return bad_checklist(request, parsed)
    context = _summary_context(request, parsed)
    pdf = summary.render_pdf(request, context)
    response = HttpResponse(pdf, content_type="application/pdf")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="poems-criteria-summary-{stamp}.pdf"'
    return no_store(response)


def bad_checklist(request, parsed):
    """Print and PDF with bad input: the checklist form, with its errors, answers 400."""
    context = checklist_context(request, parsed)
    return no_store(HttpResponse(rendering.page_html(request, context), status=400))


@require_safe
def short_link(request, code):
    """/c/<code>: back to the full checklist, in the visitor's language (or the page's,
    under a language prefix). Nothing stored."""
    decoded = decode_short_code(code)
    language = get_language() if request.resolver_match.namespace else None
    with override(language or get_language_from_request(request)):
        if decoded is None:
            response = render(request, "checklist/bad_short_link.html", status=404)
            return no_store(response)
        findings, vegf = decoded
        parsed = query.ChecklistQuery(findings=findings, vegf=vegf)
        target = reverse("checklist:checklist")
    canonical = parsed.canonical_query()
    return no_store(HttpResponseRedirect(f"{target}?{canonical}" if canonical else target))
