"""The explanatory pages: thin views over content.reading."""

import hashlib

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from checklist.query import ChecklistQuery
from checklist.shortlink import decode_short_code
from content import reading
from content.cache import cached, generation

SEARCH_MAX_LENGTH = 100


def _back_to_checklist(request):
    """(code, url) of the checklist the reader came from, or ("", "").

    The code travels on from page to page; the link goes straight back to the
    checklist in the page's own language (the short link would pick the browser's).
    """
    code = request.GET.get("from", "")
    decoded = decode_short_code(code) if code else None
    if decoded is None:
        return "", ""
    findings, vegf = decoded
    query = ChecklistQuery(findings=findings, vegf=vegf).canonical_query()
    url = reverse("checklist:checklist")
    return code, f"{url}?{query}" if query else url


def _finish(request, response, back_code):
    if back_code or "from" in request.GET:
        # The address carries a checklist: never store it anywhere.
        patch_cache_control(response, no_store=True, private=True)
    else:
        patch_cache_control(response, public=True, max_age=300)
    return response


@require_safe
def index(request):
    # Control characters match nothing a reader wrote, and PostgreSQL refuses NUL.
    query = "".join(ch for ch in request.GET.get("q", "") if ch.isprintable())
    query = query.strip()[:SEARCH_MAX_LENGTH]
    back_code, back_url = _back_to_checklist(request)
    context = {
        "sections": reading.index_sections(),
        "query": query,
        "results": reading.search(query) if query else None,
        "back_code": back_code,
        "back_url": back_url,
    }
    return _finish(request, render(request, "content/index.html", context), back_code)


def _page_html(request, context, etag):
    """The page's HTML. Without a query string it is the same for every reader, so it is
    kept per language and content version (the ETag names both)."""
    if request.META.get("QUERY_STRING"):
        return render_to_string("content/page.html", context, request)
    return cached(
        f"page-html:{etag}",
        get_language(),
        lambda: render_to_string("content/page.html", context, request),
    )


@require_safe
def page(request, slug):
    data = reading.published_page(slug)
    preview = False
    if data is None:
        if request.user.is_staff and request.user.has_perm("content.view_page"):
            data = reading.any_page(slug)
            preview = data is not None
        if data is None:
            raise Http404
    back_code, back_url = _back_to_checklist(request)
    context = {"page": data, "preview": preview, "back_code": back_code, "back_url": back_url}
    if preview:
        response = render(request, "content/page.html", context)
        patch_cache_control(response, no_store=True, private=True)
        return response
    # Editors' saves bump the generation, so it versions every cached page.
    etag = quote_etag(
        hashlib.sha256(f"{generation()}:{get_language()}:{slug}:{back_code}".encode()).hexdigest()
    )
    # Whole seconds, as HTTP dates carry: a fraction would defeat If-Modified-Since.
    last_modified = int(data["updated_at"].timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = HttpResponse(_page_html(request, context, etag))
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    return _finish(request, response, back_code)
