"""Which checklist fields editors translate, and their history (see content/translation.py)."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from checklist.models import Finding, Investigation, RedFlag


@register(Finding)
class FindingTranslationOptions(TranslationOptions):
    fields = ("label", "hint")
    required_languages = ("en",)


@register(Investigation)
class InvestigationTranslationOptions(TranslationOptions):
    fields = ("label", "guidance")
    required_languages = ("en",)


@register(RedFlag)
class RedFlagTranslationOptions(TranslationOptions):
    fields = ("text",)
    required_languages = ("en",)


simple_history.register(Finding, app="checklist")
simple_history.register(RedFlag, app="checklist")
simple_history.register(Investigation, app="checklist", m2m_fields=["references"])
