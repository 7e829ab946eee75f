"""Reading the shipped content (content/initial_content) into the database.

Creates what is missing and never overwrites what is there, so an editor's change
survives every deploy; `refresh=True` replaces the shipped pages and words.
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from checklist.models import Finding, RedFlag
from checklist.rules import FINDINGS
from content.models import Page, PageReference, Reference

INITIAL_CONTENT = Path(__file__).resolve().parent / "initial_content"
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class ContentError(ValueError):
    """The shipped content is malformed."""


@dataclass
class LoadReport:
    created: list = field(default_factory=list)
    refreshed: list = field(default_factory=list)
    kept: list = field(default_factory=list)


def _suffix(code):
    return code.replace("-", "_")


def read_toml(path, text=None):
    """Parse TOML, naming the file when it is malformed or missing."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8") if text is None else text)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ContentError(f"{path}: {error}") from error


def read_markdown(path):
    """Split a page file into its front matter (TOML between +++ lines) and body."""
    text = path.read_text(encoding="utf-8")
    parts = text.split("+++\n", 2)
    if len(parts) != 3 or parts[0].strip():
        raise ContentError(f"{path}: expected +++ front matter +++ then the body")
    meta = read_toml(path, parts[1])
    if not meta.get("title") or not meta.get("summary"):
        raise ContentError(f"{path}: front matter needs title and summary")
    return meta["title"], meta["summary"], parts[2].strip() + "\n"


def read_pages(root=None):
    root = INITIAL_CONTENT if root is None else root  # looked up now, so tests can swap it
    pages = []
    for folder in sorted((root / "pages").iterdir()):
        if not folder.is_dir():
            continue
        meta = read_toml(folder / "page.toml")
        words = {}
        for code in LANGUAGE_CODES:
            path = folder / f"{code}.md"
            if path.exists():
                words[code] = read_markdown(path)
        if "en" not in words:
            raise ContentError(f"{folder}: en.md is required")
        pages.append({"slug": folder.name, "meta": meta, "words": words})
    return pages


def reference_for(data):
    """The stored reference matching data (by PMID, DOI, URL, citation), created if new.

    The shipped data is validated even when it matches a stored reference, so a
    malformed PMID or DOI is reported rather than hidden by a match on another field.
    """
    pmid, doi, url = data.get("pmid", ""), data.get("doi", ""), data.get("url", "")
    reference = Reference(
        citation=data["citation"], pmid=pmid, doi=doi, url=url, year=data.get("year")
    )
    try:
        reference.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise ContentError(f"reference {data['citation'][:60]!r}: {error}") from error
    lookups = [("pmid", pmid), ("doi", doi), ("url", url), ("citation", data["citation"])]
    for name, value in lookups:
        if value:
            found = Reference.objects.filter(**{name: value}).first()
            if found:
                return found
    reference.save()
    return reference


def _set_words(instance, fields, words_by_language):
    for code, values in words_by_language.items():
        for name, value in zip(fields, values, strict=True):
            setattr(instance, f"{name}_{_suffix(code)}", value)


def _write_page(page, data):
    meta = data["meta"]
    page.section = meta["section"]
    page.order = meta.get("order", 0)
    page.status = Page.Status.PUBLISHED
    _set_words(page, ("title", "summary", "body"), data["words"])
    try:
        page.full_clean(exclude=["related", "references"])
        page.save()
        page.page_references.all().delete()
        for position, reference in enumerate(meta.get("references", []), start=1):
            PageReference.objects.create(
                page=page, reference=reference_for(reference), position=position
            )
    except (ValidationError, ContentError) as error:
        raise ContentError(f"pages/{data['slug']}: {error}") from error


def load_pages(report, refresh):
    shipped = read_pages()
    written = []
    for data in shipped:
        page = Page.objects.filter(slug=data["slug"]).first()
        if page is None:
            page = Page(slug=data["slug"])
            report.created.append(f"page {data['slug']}")
        elif refresh:
            report.refreshed.append(f"page {data['slug']}")
        else:
            report.kept.append(f"page {data['slug']}")
            continue
        _write_page(page, data)
        written.append((page, data["meta"].get("related", [])))
    by_slug = {page.slug: page for page in Page.objects.all()}
    for page, related in written:
        missing = [slug for slug in related if slug not in by_slug]
        if missing:
            raise ContentError(f"page {page.slug}: unknown related pages {missing}")
        page.related.set([by_slug[slug] for slug in related])


def load_findings(report, refresh):
    data = read_toml(INITIAL_CONTENT / "findings.toml")
    if list(data) != list(FINDINGS):
        raise ContentError("findings.toml must list exactly the slugs of checklist.rules")
    pages = {page.slug: page for page in Page.objects.all()}
    for slug, entry in data.items():
        finding = Finding.objects.filter(slug=slug).first()
        if finding is None:
            finding = Finding(slug=slug)
            report.created.append(f"finding {slug}")
        elif refresh:
            report.refreshed.append(f"finding {slug}")
        else:
            report.kept.append(f"finding {slug}")
            continue
        words = {
            code: (entry[code]["label"], entry[code]["hint"], entry[code]["investigation"])
            for code in LANGUAGE_CODES
            if code in entry
        }
        _set_words(finding, ("label", "hint", "investigation"), words)
        finding.page = pages.get(entry.get("page", ""))
        finding.save()


def load_red_flags(report, refresh):
    path = INITIAL_CONTENT / "red_flags.toml"
    if not path.exists():
        return
    if RedFlag.objects.exists() and not refresh:
        report.kept.append("red flags")
        return
    RedFlag.objects.all().delete()
    for entry in read_toml(path)["red_flag"]:
        try:
            reference = reference_for(entry["reference"])
        except ContentError as error:
            raise ContentError(f"{path.name}: {error}") from error
        flag = RedFlag(order=entry["order"], reference=reference)
        _set_words(flag, ("text",), {code: (entry[code],) for code in LANGUAGE_CODES})
        flag.save()
    report.created.append("red flags")


@transaction.atomic
def load_initial_content(refresh=False):
    report = LoadReport()
    load_pages(report, refresh)
    load_findings(report, refresh)
    load_red_flags(report, refresh)
    return report
