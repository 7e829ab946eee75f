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

from common.i18n import translate


def url(name, *args):
    return reverse(name, args=args or None)


def date(value, format_name="DATE_FORMAT"):
    return formats.date_format(value, format_name)


def format_message(message, /, **values):
    """`_("... %(name)s ...")|format(name=...)`: any placeholder name works, even "value"."""
    return message % values


def environment(**options):
    # Blocks leave no blank lines behind: the checklist page is sent a lot.
    # Django's Jinja2 backend passes autoescape=True in `options`.
    env = Environment(trim_blocks=True, lstrip_blocks=True, **options)  # noqa: S701
    # `_` is a plain global (the context processor puts a faster, per-language one in
    # every page's context); Jinja's i18n extension would route each call through
    # the template context.
    env.globals.update(_=translate, url=url, static=static, get_language=translation.get_language)
    env.filters.update(date=date, format=format_message)
    return env
