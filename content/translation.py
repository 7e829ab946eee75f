"""Which fields editors translate (django-modeltranslation), and their history.

History is registered here, after the translation fields exist, so that every
language's words are kept in each historical version (simple-history's documented
way of working with modeltranslation).
"""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from content.models import Page, Reference


@register(Page)
class PageTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body")
    # English is the fallback; other languages may be left empty until translated.
    required_languages = ("en",)


simple_history.register(Page, excluded_fields=["updated_at"], app="content")
# References have no translated fields; their history shows who changed a citation, and
# tells the loader to keep that change (content.loader).
simple_history.register(Reference, app="content")
