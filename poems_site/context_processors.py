"""Values every public page template needs (templates/base.html)."""

from django.utils.translation import get_language

from common.i18n import page_context


def site(request):
    match = request.resolver_match
    path, mark, query = request.get_full_path().partition("?")
    return page_context(get_language(), path, mark + query, match.namespace if match else "")
