"""Remembered gettext for hot paths.

The catalogues do not change while a process runs, so each (language, message) is
translated once. Django's gettext finds the active translation on every call, which
adds up when a page shows a hundred strings.
"""

from django.utils.translation import get_language, gettext, override
from markupsafe import escape

_translators = {}


def translator(language):
    """A gettext for one language, remembering every answer."""
    found = _translators.get(language)
    if found is None:
        table = {}

        def found(message):
            try:
                return table[message]
            except KeyError:
                with override(language):
                    value = table[message] = gettext(message)
                return value

        _translators[language] = found
    return found


def translate(message):
    """gettext in the active language, remembered."""
    return translator(get_language())(message)


_html_translators = {}


def html_translator(language):
    """Like translator(), but answers HTML-escaped Markup, escaped once per message.

    For values that go straight into a page: the template then has nothing to escape.
    """
    found = _html_translators.get(language)
    if found is None:
        plain = translator(language)
        table = {}

        def found(message):
            try:
                return table[message]
            except KeyError:
                value = table[message] = escape(plain(message))
                return value

        _html_translators[language] = found
    return found
