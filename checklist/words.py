"""The checklist's words from the database, read once per language and content version."""

from django.utils.translation import get_language
from markupsafe import escape

from checklist.models import Finding, RedFlag
from content.cache import cached


def _build_findings():
    words = {}
    for finding in Finding.objects.select_related("page").only(
        "slug", "label", "hint", "investigation", "page__slug", "page__status"
    ):
        published = finding.page is not None and finding.page.status == "published"
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


def finding_words_html():
    """finding_words(), HTML-escaped once per language and content version."""

    def build():
        return {
            slug: {field: escape(value) for field, value in entry.items()}
            for slug, entry in finding_words().items()
        }

    return cached("finding-words-html", get_language(), build)


def red_flags():
    return cached("red-flags", get_language(), _build_red_flags)
