"""Reading the shipped content (content/initial_content) into the database.

Creates what is missing and brings every row no person has changed up to the files,
so a release's corrected words reach a running site; a row an editor saved in the
admin (its history names a user) is kept, so an editor's change survives every deploy.
`refresh=True` replaces those too. A row the files do not change is not written (no
history version for nothing).
The checklist's own words are loaded by checklist.loader, which calls this first.

References are defined once, in references.toml, each under an id; pages (and the
checklist's red flags and cautions) cite them by id.
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from modeltranslation.utils import build_localized_fieldname

from content.models import Page, PageReference, Reference

INITIAL_CONTENT = Path(__file__).resolve().parent / "initial_content"
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
REFERENCE_FIELDS = ("citation", "pmid", "doi", "url", "year")


class ContentError(ValueError):
    """The shipped content is malformed."""


@dataclass
class LoadReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    # Changed by an editor and left as they are (`refresh` replaces them).
    kept: list = field(default_factory=list)

    def compared(self, name, new, changed):
        """A row the files were written to: created (reported already), updated or
        unchanged."""
        if not new:
            (self.updated if changed else self.unchanged).append(name)


def edited_in_the_admin(instance):
    """Whether a person saved this row: the loader's own writes carry no user."""
    return instance.history.filter(history_user__isnull=False).exists()


def follows_the_files(instance, refresh, report, name):
    """Whether the loader may write this stored row; if not, it is reported as kept."""
    if refresh or not edited_in_the_admin(instance):
        return True
    report.kept.append(name)
    return False


def to_write(model, slug, refresh, report, name):
    """The row the files give words to (a new one when missing), or None to leave it."""
    stored = model.objects.filter(slug=slug).first()
    if stored is None:
        report.created.append(name)
        return model(slug=slug)
    return stored if follows_the_files(stored, refresh, report, name) else None


def word_fields(*fields):
    return [build_localized_fieldname(name, code) for name in fields for code in LANGUAGE_CODES]


def values(instance, names):
    return [getattr(instance, name) for name in names]


def read_toml(path, text=None):
    """Parse TOML, naming the file when it is malformed or missing."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8") if text is None else text)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ContentError(f"{path}: {error}") from error


def set_words(instance, fields, words_by_language):
    """Sets each field's translation: {language: (value of fields[0], ...)}."""
    for code, values in words_by_language.items():
        for name, value in zip(fields, values, strict=True):
            setattr(instance, build_localized_fieldname(name, code), value)


def read_references(root=None):
    """{id: every field of REFERENCE_FIELDS} from references.toml (the ones a reference
    leaves out empty); refuses two ids for one PMID or DOI."""
    path = (INITIAL_CONTENT if root is None else root) / "references.toml"
    registry = {}
    owners = {}
    for key, entry in read_toml(path).items():
        unknown = set(entry) - set(REFERENCE_FIELDS)
        if unknown or "citation" not in entry:
            raise ContentError(f"{path.name} [{key}]: needs a citation; unknown {sorted(unknown)}")
        for name in ("pmid", "doi"):
            value = entry.get(name, "")
            if value and owners.setdefault((name, value), key) != key:
                raise ContentError(
                    f"{path.name}: {name.upper()} {value} is cited as [{owners[name, value]}] "
                    f"and as [{key}]: one reference, one citation"
                )
        fields = {
            name: entry.get(name, None if name == "year" else "") for name in REFERENCE_FIELDS
        }
        reference = Reference(key=key, **fields)
        try:
            reference.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            raise ContentError(f"{path.name} [{key}]: {error}") from error
        registry[key] = fields
    return registry


def _stored_reference(key, entry):
    """The stored row for this id: by id, else (a database loaded before references had
    ids) by PMID, DOI or URL."""
    found = Reference.objects.filter(key=key).first()
    for name in ("pmid", "doi", "url"):
        if found is None and entry.get(name):
            found = Reference.objects.filter(**{name: entry[name]}, key="").first()
    return found


def load_references(report, refresh, root=None):
    names = ("key", *REFERENCE_FIELDS)
    for key, entry in read_references(root).items():
        reference = _stored_reference(key, entry)
        name = f"reference {key}"
        if reference is None:
            reference = Reference()
            report.created.append(name)
        elif not follows_the_files(reference, refresh, report, name):
            continue
        new = reference.pk is None
        before = values(reference, names)
        reference.key = key
        for field_name, value in entry.items():
            setattr(reference, field_name, value)
        changed = values(reference, names) != before
        if new or changed:
            reference.save()
        report.compared(name, new, changed)


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


def reference(key, where):
    """The stored reference with this id; `where` names the citing file for the error."""
    found = Reference.objects.filter(key=key).first()
    if found is None:
        raise ContentError(f"{where}: no reference [{key}] in references.toml")
    return found


PAGE_FIELDS = ("section", "order", "status", *word_fields("title", "summary", "body"))


def _cited_keys(page):
    return list(page.page_references.order_by("position").values_list("reference__key", flat=True))


def _write_page(page, data):
    """Writes the page and its references; whether anything changed."""
    meta = data["meta"]
    before = (values(page, PAGE_FIELDS), _cited_keys(page)) if page.pk else None
    page.section = meta["section"]
    page.order = meta.get("order", 0)
    page.status = Page.Status.PUBLISHED
    set_words(page, ("title", "summary", "body"), data["words"])
    where = f"pages/{data['slug']}"
    try:
        page.full_clean(exclude=["related", "references"])
    except ValidationError as error:
        raise ContentError(f"{where}: {error}") from error
    keys = meta.get("references", [])
    cited = [reference(key, where) for key in keys]
    if before == (values(page, PAGE_FIELDS), keys):
        return False
    page.save()
    page.page_references.all().delete()
    for position, cited_reference in enumerate(cited, start=1):
        PageReference.objects.create(page=page, reference=cited_reference, position=position)
    return True


def load_pages(report, refresh, root=None):
    written = []
    for data in read_pages(root):
        name = f"page {data['slug']}"
        page = to_write(Page, data["slug"], refresh, report, name)
        if page is None:
            continue
        new = page.pk is None
        changed = _write_page(page, data)
        report.compared(name, new, changed)
        written.append((page, data["meta"].get("related", [])))
    by_slug = {page.slug: page for page in Page.objects.all()}
    for page, related in written:
        missing = [slug for slug in related if slug not in by_slug]
        if missing:
            raise ContentError(f"page {page.slug}: unknown related pages {missing}")
        if set(page.related.values_list("slug", flat=True)) != set(related):
            page.related.set([by_slug[slug] for slug in related])
            name = f"page {page.slug}"
            if name in report.unchanged:
                report.unchanged.remove(name)
                report.updated.append(name)


def load_content(report, refresh=False, root=None):
    """References first: pages cite them by id."""
    load_references(report, refresh, root)
    load_pages(report, refresh, root)
