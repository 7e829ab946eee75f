"""gettext remembered per language, for hot paths.

The catalogues do not change while a process runs, so each (language, message) is
translated once; Django's gettext looks up the active translation on every call,
which adds up on a page that shows a hundred strings. Each language's memory is an
LRU, so it stays bounded whatever string it is asked for.
"""

from functools import lru_cache

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info, gettext, override

# Well above the number of messages in a catalogue.
MESSAGES_PER_LANGUAGE = 4096


@lru_cache(maxsize=16)
def translator(language):
    """A gettext for one language, remembering its answers."""

    @lru_cache(maxsize=MESSAGES_PER_LANGUAGE)
    def translate_into(message):
        with override(language):
            return gettext(message)

    return translate_into


def translate(message):
    """gettext in the active language, remembered."""
    return translator(get_language())(message)


@lru_cache(maxsize=16)
def language_name(code):
    """The language's name in itself ("日本語")."""
    return get_language_info(code)["name_local"]


def language_links(path, suffix, current):
    """The page at `path` in each language, with `suffix` (its "?query", or "") after
    it. Public pages all start with their language prefix, so swapping the prefix is
    enough (and far cheaper than resolving the URL again); anything else goes through
    Django."""
    prefix = f"/{current}/"
    links = []
    for code, _name in settings.LANGUAGES:
        if path.startswith(prefix):
            url = f"/{code}/{path[len(prefix) :]}{suffix}"
        else:
            url = translate_url(path + suffix, code)
        links.append(
            {"code": code, "name": language_name(code), "url": url, "is_current": code == current}
        )
    return links


def page_context(language, path, suffix, section):
    """What every public page's frame (templates/base.html) shows: `suffix` is the
    "?query" the language links keep (the checklist's state), or ""."""
    return {
        "LANGUAGE_CODE": language,
        "_": translator(language),
        "language_name": language_name(language),
        "language_links": language_links(path, suffix, language),
        "site_version": settings.VERSION,
        "section": section,
    }
