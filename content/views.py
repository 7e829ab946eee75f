"""The explanatory pages: thin views over content.reading."""

import hashlib
import re

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import condition, require_safe

from common.generation import cached, version
from content import reading

SEARCH_MAX_LENGTH = 100
# A checklist's short code, passed along so the reader can go back to it. The content
# app treats it as an opaque token of this shape; the checklist decodes it (or says it
# is not valid) when the reader follows the link. The longest code is under 128.
_CHECKLIST_CODE = re.compile(r"[0-9A-Za-z.\-]{1,128}")


def _back_to_checklist(request):
    """(code, url) of the checklist the reader came from, or ("", "")."""
    code = request.GET.get("from", "")
    if not _CHECKLIST_CODE.fullmatch(code):
        return "", ""
    return code, reverse("checklist:short-link", args=[code])


def _finish(request, response):
    if request.META.get("QUERY_STRING"):
        # The address may carry a checklist (a short code, or findings pasted into
        # it): never store it anywhere.
        add_never_cache_headers(response)
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
    return _finish(request, render(request, "content/index.html", context))


def _published(request, slug):
    """The published page's data, read once per request (the ETag, the Last-Modified
    date and the page all need it, and a missing page is never cached)."""
    if not hasattr(request, "_published_page"):
        request._published_page = reading.published_page(slug)
    return request._published_page


def _etag(request, slug):
    # An editor's save changes the generation; a deploy changes the release.
    if request.META.get("QUERY_STRING") or _published(request, slug) is None:
        return None
    return hashlib.sha256(f"{version()}:{get_language()}:{slug}".encode()).hexdigest()


def _last_modified(request, slug):
    data = _published(request, slug)
    return data["updated_at"] if data and not request.META.get("QUERY_STRING") else None


@require_safe
@condition(etag_func=_etag, last_modified_func=_last_modified)
def page(request, slug):
    data = _published(request, slug)
    preview = False
    if data is None:
        if request.user.is_staff and request.user.has_perm("content.view_page"):
            data = reading.any_page(slug)
            preview = data is not None
        if data is None:
            raise Http404
    back_code, back_url = _back_to_checklist(request)
    context = {"page": data, "preview": preview, "back_code": back_code, "back_url": back_url}
    if preview or request.META.get("QUERY_STRING"):
        response = render(request, "content/page.html", context)
        if preview:
            add_never_cache_headers(response)
            return response
        return _finish(request, response)
    # Without a query string the page is the same for every reader: kept whole.
    html = cached(
        f"page-html:{slug}",
        get_language(),
        lambda: render_to_string("content/page.html", context, request),
    )
    return _finish(request, HttpResponse(html))
