"""The checklist pages: the interactive form, the print view, the PDF and the short link.

Views are thin: checklist.query reads the input, checklist.rules decides,
checklist.panel words the result, checklist.rendering and checklist.summary make
the HTML and the PDF. Every response here is never stored (it carries findings).
"""

import copy
from dataclasses import dataclass

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import get_language, get_language_from_request, override
from django.utils.translation import gettext_noop as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from checklist import messages, note, query, rendering, summary
from checklist.labels import citations, red_flags
from checklist.panel import Panel, build_panel
from checklist.rules import FINDINGS, Case, evaluate
from checklist.shortlink import decode_short_code, encode_short_code
from common.generation import current
from common.i18n import translate, translator

# Errors on these keys are shown next to their field; others only in the summary.
FIELD_KEYS = frozenset((*FINDINGS, *query.MEASUREMENT_KEYS))
# The live script asks for the result panel alone with this header.
FRAGMENT_HEADER = "X-Checklist-Fragment"
TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True, slots=True)
class ChecklistPage:
    """One request's checklist: what it says, and the result (None with errors)."""

    parsed: query.ChecklistQuery
    query_string: str
    errors: tuple
    panel: Panel | None
    field_keys: frozenset = FIELD_KEYS


def checklist_page(request):
    parsed = query.parse(request.META.get("QUERY_STRING", ""))
    errors = tuple((key, translate(messages.ERRORS[code])) for key, code in parsed.errors.items())
    panel = None
    if parsed.is_valid:
        language = get_language()
        panel = build_panel(
            parsed,
            evaluate(Case(parsed.findings, parsed.vegf)),
            language,
            current(),
            red_flags(language),
            citations(),
            encode_short_code(parsed.findings, parsed.vegf),
        )
    return ChecklistPage(parsed, request.META.get("QUERY_STRING", ""), errors, panel)


def _page_response(request, page):
    if page.panel is None:
        return HttpResponse(rendering.page_html_with_errors(request, page), status=400)
    return HttpResponse(rendering.page_html(page))


@require_safe
@never_cache
def checklist(request):
    page = checklist_page(request)
    if request.headers.get(FRAGMENT_HEADER) == "result":
        response = HttpResponse(
            rendering.result_html(page.panel, page.errors), status=200 if page.panel else 400
        )
        response[FRAGMENT_HEADER + "-Code"] = page.panel.short_code if page.panel else ""
    else:
        response = _page_response(request, page)
    patch_vary_headers(response, [FRAGMENT_HEADER])
    return response


@require_safe
@never_cache
def print_view(request):
    page = checklist_page(request)
    if page.panel is None:
        return _page_response(request, page)
    return render(request, "checklist/print.html", summary.summary_context(page.panel))


@require_safe
@never_cache
def summary_pdf(request):
    page = checklist_page(request)
    if page.panel is None:
        return _page_response(request, page)
    # HEAD asks what a GET would answer, not for the PDF, which costs 150-250 ms of CPU.
    if request.method == "HEAD":
        pdf = b""
    else:
        pdf = summary.render_pdf(request, summary.summary_context(page.panel))
    response = HttpResponse(pdf, content_type="application/pdf")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="poems-criteria-summary-{stamp}.pdf"'
    return response


@require_safe
@never_cache
def note_text(request):
    """The summary as plain text for a clinical note; bad input names each error."""
    page = checklist_page(request)
    if page.panel is None:
        heading = translate(_("The checklist could not be read:"))
        lines = [heading, *(f"{key}: {message}" for key, message in page.errors)]
        return HttpResponse("\n".join(lines) + "\n", status=400, content_type=TEXT)
    text = note.note_text(
        page.panel,
        timezone.localtime(),
        summary.short_url(page.panel.short_code),
        translator(get_language()),
    )
    return HttpResponse(text, content_type=TEXT)


@require_safe
def short_link(request, code):
    """/c/<code>: back to the full checklist, in the visitor's language (or the page's,
    under a language prefix). Nothing stored."""
    decoded = decode_short_code(code)
    in_language = request.resolver_match.namespace == "checklist"
    with override(get_language() if in_language else get_language_from_request(request)):
        if decoded is None:
            # Rendered as if for the checklist's own address, so that nothing of the code
            # is shown back (the language links lead to the checklist instead).
            checklist_request = copy.copy(request)
            checklist_request.path = reverse("checklist:checklist")
            checklist_request.META = {**request.META, "QUERY_STRING": ""}
            response = render(checklist_request, "checklist/bad_short_link.html", status=404)
        else:
            findings, vegf = decoded
            canonical = query.ChecklistQuery(findings=findings, vegf=vegf).canonical_query()
            target = reverse("checklist:checklist")
            response = HttpResponseRedirect(f"{target}?{canonical}" if canonical else target)
    add_never_cache_headers(response)
    return response
