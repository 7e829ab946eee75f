"""The checklist's words from the database, read once per language and content version."""

from django.utils.translation import get_language

from checklist.models import Finding, RedFlag
from content.models import Page
from common.generation import cached


def _build_findings():
    words = {}
    for finding in Finding.objects.select_related("page").only(
        "slug", "label", "hint", "investigation", "page__slug", "page__status"
    ):
        published = finding.page is not None and finding.page.status == Page.Status.PUBLISHED
        words[finding.slug] = {
            "label": finding.label,
            "hint": finding.hint,
            "investigation": finding.investigation,
            "page": finding.page.slug if published else "",
        }
    return words


def _build_red_flags():
    return [
        {
            "text": flag.text,
            "citation": flag.reference.citation,
            "pmid": flag.reference.pmid,
            "doi": flag.reference.doi,
            "url": flag.reference.url,
        }
        for flag in RedFlag.objects.select_related("reference")
    ]


def finding_words():
    """{slug: {label, hint, investigation, page}} in the active language."""
    return cached("finding-words", get_language(), _build_findings)


def red_flags():
    return cached("red-flags", get_language(), _build_red_flags)
