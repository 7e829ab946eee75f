"""The checklist's editable words from the database: finding labels and hints, red
flags, and the citations that cautions show. Read once per language and content
generation (common.generation.cached); callers must not change what they get.

When the database cannot be read, the words are the release's own (the files the
loader ships: checklist/initial_content, content/initial_content/references.toml), so
the checklist, its result, the PDF and the API keep working: the rules need no
database. Nothing read that way is kept: the fallback also starts a new content
generation, so what the request built from those words is never served again.
"""

import contextlib
import functools
import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import DatabaseError
from django.utils.translation import get_language, override

from checklist.loader import INITIAL_CONTENT
from checklist.models import Finding, Investigation, RedFlag
from checklist.rules import Source
from common.generation import bump, cached
from content.loader import read_references, read_toml
from content.models import Page, Reference

logger = logging.getLogger(__name__)

_FIRST_PERSON = re.compile(r"([^,()]+ [A-Z]{1,3})(?:,|$)")
_PARENTHESES = re.compile(r"\s*\([^)]*\)")


def as_source(reference):
    """A stored reference as the immutable Source the rules use for their own (cached
    values are never model rows); templates/includes/citation.html shows either."""
    return Source(reference.citation, reference.pmid, reference.doi, reference.url, reference.year)


def short_citation(source):
    """ "Dispenzieri A 2023, PMID 37732822": enough to find it again, on one line."""
    authors = source.citation.split(". ")[0]
    # The first of a list of people ("Dispenzieri A, Kyle RA"), or the body that wrote it.
    person = _FIRST_PERSON.match(authors)
    author = person.group(1) if person else _PARENTHESES.sub("", authors)
    # A page without PMID or DOI by its site: a whole address would not fit a line.
    identifier = (
        f"PMID {source.pmid}"
        if source.pmid
        else f"DOI {source.doi}"
        if source.doi
        else urlsplit(source.url).netloc
    )
    return ", ".join(part for part in (f"{author} {source.year or ''}".strip(), identifier) if part)


@dataclass(frozen=True, slots=True)
class FindingWords:
    label: str
    hint: str
    # The slug of its published explanatory page, or "".
    page: str


@dataclass(frozen=True, slots=True)
class RedFlagWords:
    text: str
    source: Source


@dataclass(frozen=True, slots=True)
class InvestigationWords:
    label: str
    guidance: str
    sources: tuple


def _build_findings():
    words = {}
    for finding in Finding.objects.select_related("page").only(
        "slug", "label", "hint", "page__slug", "page__status"
    ):
        published = finding.page is not None and finding.page.status == Page.Status.PUBLISHED
        words[finding.slug] = FindingWords(
            finding.label, finding.hint, finding.page.slug if published else ""
        )
    return words


def _build_red_flags():
    return tuple(
        RedFlagWords(flag.text, as_source(flag.reference))
        for flag in RedFlag.objects.select_related("reference")
    )


def _build_investigations():
    return {
        investigation.slug: InvestigationWords(
            investigation.label,
            investigation.guidance,
            tuple(as_source(reference) for reference in investigation.references.all()),
        )
        for investigation in Investigation.objects.prefetch_related("references")
    }


def _build_citations():
    return {reference.key: as_source(reference) for reference in Reference.objects.exclude(key="")}


def _in(language, build):
    """build(), reading the translated fields in `language`: the cache key names it."""

    def build_in_language():
        with override(language):
            return build()

    return build_in_language


def _words(name, language, build, shipped):
    try:
        return cached(name, language, _in(language, build))
    except DatabaseError:
        logger.exception("the checklist's words are unreadable; showing the release's own")
        # Parts built from these words are remembered under this request's generation:
        # a new one leaves them behind, so the editors' words return with the database.
        with contextlib.suppress(Exception):  # a cache that is down holds nothing
            bump()
        return shipped(language)


def finding_words(language=None):
    """{slug: FindingWords} in `language` (the active one by default)."""
    language = language or get_language()
    return _words("finding-words", language, _build_findings, _shipped_findings)


def finding_label(words, slug):
    """The finding's label, or its slug made readable when the database lacks it."""
    entry = words.get(slug)
    return entry.label if entry else slug.replace("_", " ")


def red_flags(language=None):
    language = language or get_language()
    return _words("red-flags", language, _build_red_flags, _shipped_red_flags)


def investigation_words(language=None):
    """{slug: InvestigationWords} in `language` (the active one by default)."""
    language = language or get_language()
    return _words("investigation-words", language, _build_investigations, _shipped_investigations)


def citations():
    """{reference id: Source} for the shipped references (the cautions' sources)."""
    return _words("citations", "", _build_citations, lambda _language: _shipped_citations())


# --- The release's own words, for when the database cannot be read -------------------


def _in_language(entry, language):
    return entry.get(language) or entry["en"]


@functools.lru_cache(maxsize=1)
def _shipped_citations():
    return {key: Source(**entry) for key, entry in read_references().items()}


@functools.lru_cache(maxsize=8)
def _shipped_findings(language):
    # No links: the explanatory pages live in the database too.
    return {
        slug: FindingWords(
            _in_language(entry, language)["label"], _in_language(entry, language)["hint"], ""
        )
        for slug, entry in read_toml(INITIAL_CONTENT / "findings.toml").items()
    }


@functools.lru_cache(maxsize=8)
def _shipped_red_flags(language):
    sources = _shipped_citations()
    return tuple(
        RedFlagWords(entry.get(language) or entry["en"], sources[entry["reference"]])
        for entry in sorted(
            read_toml(INITIAL_CONTENT / "red_flags.toml")["red_flag"], key=lambda e: e["order"]
        )
    )


@functools.lru_cache(maxsize=8)
def _shipped_investigations(language):
    sources = _shipped_citations()
    return {
        slug: InvestigationWords(
            _in_language(entry, language)["label"],
            _in_language(entry, language)["guidance"],
            tuple(sources[key] for key in entry.get("references", [])),
        )
        for slug, entry in read_toml(INITIAL_CONTENT / "investigations.toml").items()
    }
