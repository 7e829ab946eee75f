"""Values every page template needs."""

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

from poems_site import __version__


def site(request):
    return {
        "language_links": language_links(request),
        "site_version": __version__,
    }


def language_links(request):
    """The current page in each language, keeping its query string (the checklist's state)."""
    current = get_language()
    full_path = request.get_full_path()
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": translate_url(full_path, code),
                "is_current": code == current,
            }
        )
    return links
