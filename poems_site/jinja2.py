"""The Jinja2 environment for the public pages.

The public pages (home, checklist, print, learn, errors) use Jinja2 because the
checklist's result must render in well under a millisecond (README, "Speed"); the
admin keeps Django's template language. Translatable text is written as
`_("...")` (with `|format(name=value)` for placeholders), a form that Django's
makemessages extracts from .html files too.
"""

from django.templatetags.static import static
from django.urls import reverse
from django.utils import formats, translation
from jinja2 import Environment

from poems_site.i18n import translate

_urls = {}


def url(name, *args):
    """reverse(), remembered per language: the URLconf never changes while running."""
    key = (translation.get_language(), name, args)
    found = _urls.get(key)
    if found is None:
        found = _urls[key] = reverse(name, args=args or None)
    return found


def date(value, format_name="DATE_FORMAT"):
    return formats.date_format(value, format_name)


def format_message(message, /, **values):
    """`_("... %(name)s ...")|format(name=...)`: any placeholder name works, even "value"."""
    return message % values


class PageEnvironment(Environment):
    """Looks up `thing.name` as a dict key first: our view data are plain dicts, and
    Jinja's default (attribute first, then key) pays for an exception on every lookup."""

    def getattr(self, obj, attribute):
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def environment(**options):
    # Blocks leave no blank lines behind: the checklist page is sent a lot.
    env = PageEnvironment(trim_blocks=True, lstrip_blocks=True, **options)
    # `_` is a plain global (the context processor puts a faster, per-language one in
    # every page's context); Jinja's i18n extension would route each call through
    # the template context.
    env.globals.update(_=translate, url=url, static=static, get_language=translation.get_language)
    env.filters.update(date=date, format=format_message)
    return env
