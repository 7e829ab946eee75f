"""Values every public page template needs."""

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

from common.i18n import translator

_LANGUAGE_NAMES = {code: get_language_info(code)["name_local"] for code, _ in settings.LANGUAGES}


def site(request):
    language = get_language()
    return {
        "LANGUAGE_CODE": language,
        "_": translator(language),
        "language_name": _LANGUAGE_NAMES.get(language, language),
        "language_links": language_links(request, language),
        "site_version": settings.VERSION,
    }


def language_links(request, current):
    """The current page in each language, keeping its query string (the checklist's state).

    Public pages all start with their language prefix, so swapping the prefix is enough
    (and far cheaper than resolving the URL again); anything else goes through Django.
    """
    full_path = request.get_full_path()
    prefix = f"/{current}/"
    links = []
    for code, _name in settings.LANGUAGES:
        if full_path.startswith(prefix):
            url = f"/{code}/{full_path[len(prefix) :]}"
        else:
            url = translate_url(full_path, code)
        links.append(
            {"code": code, "name": _LANGUAGE_NAMES[code], "url": url, "is_current": code == current}
        )
    return links
