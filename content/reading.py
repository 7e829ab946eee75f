"""What the public pages show, built once per language and content generation.

Views read these plain dictionaries from the cache, so a page costs no database
query until an editor changes something.
"""

from django.db.models import Prefetch, Q
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname

from common.generation import cached
from content import markdown
from content.models import SECTION_ORDER, Page, PageReference, Section


def _is_translated(page, language):
    return bool(getattr(page, build_localized_fieldname("body", language), ""))


def page_summary(page):
    return {"slug": page.slug, "title": page.title, "summary": page.summary}


def build_page(page, language):
    refs = [
        {
            "number": link.position,
            "citation": link.reference.citation,
            "pmid": link.reference.pmid,
            "doi": link.reference.doi,
            "url": link.reference.url,
        }
        for link in page.page_references.all()
    ]
    review = None
    if page.review_is_current:
        review = {
            "on": page.reviewed_on,
            "name": page.reviewed_by.display_name,
            "role": page.reviewed_by.clinical_role,
        }
    return {
        "slug": page.slug,
        "section": page.section,
        "section_label": Section(page.section).label,
        "status": page.status,
        "title": page.title,
        "summary": page.summary,
        "body_html": markdown.render(page.body),
        "references": refs,
        "related": [
            page_summary(other)
            for other in page.related.all()
            if other.status == Page.Status.PUBLISHED
        ],
        "review": review,
        "translated": _is_translated(page, language),
        "updated_at": page.updated_at,
    }


def _page_queryset():
    return Page.objects.select_related("reviewed_by").prefetch_related(
        Prefetch(
            "page_references",
            queryset=PageReference.objects.select_related("reference").order_by("position"),
        ),
        "related",
    )


def published_page(slug):
    """The published page as a dictionary, or None."""
    language = get_language()

    def build():
        page = _page_queryset().published().filter(slug=slug).first()
        return build_page(page, language) if page else None

    # An unknown address is not cached (None), so it cannot fill the cache.
    return cached(f"page:{slug}", language, build)


def any_page(slug):
    """A page whatever its status (for an editor's preview); never cached."""
    page = _page_queryset().filter(slug=slug).first()
    return build_page(page, get_language()) if page else None


def index_sections():
    """Published pages grouped by section, in section order."""
    language = get_language()

    def build():
        sections = {}
        for page in Page.objects.published().only("slug", "section", "order", "title", "summary"):
            sections.setdefault(page.section, []).append(page_summary(page))
        return [
            {"slug": key, "label": Section(key).label, "pages": sections[key]}
            for key in sorted(sections, key=SECTION_ORDER.__getitem__)
        ]

    return cached("index", language, build)


def search(query):
    """Published pages whose words in the reader's language contain the query.

    Chinese and Japanese have no spaces between words, so this is a substring search:
    plenty at a few dozen pages.
    """
    language = get_language()
    condition = Q()
    for field in ("title", "summary", "body"):
        condition |= Q(**{f"{build_localized_fieldname(field, language)}__icontains": query})
    pages = Page.objects.published().filter(condition).only("slug", "title", "summary")
    return [page_summary(page) for page in pages.order_by("section", "order")]
