"""Remembered gettext for hot paths.

The catalogues do not change while a process runs, so each (language, message) is
translated once. Django's gettext finds the active translation on every call, which
adds up when a page shows a hundred strings.
"""

from django.utils.translation import get_language, gettext, override

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
