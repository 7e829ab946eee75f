"""gettext remembered per language, for hot paths.

The catalogues do not change while a process runs, so each (language, message) is
translated once; Django's gettext looks up the active translation on every call,
which adds up on a page that shows a hundred strings. Each language's memory is an
LRU, so it stays bounded whatever string it is asked for.
"""

from functools import lru_cache

from django.utils.translation import get_language, gettext, override

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
