"""The one-page summary: its context, its QR code and its PDF (WeasyPrint). The
result itself is the same view-model as the checklist page's (checklist.panel)."""

import functools

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from checklist import messages
from checklist.rules import RULES_VERSION
from common.i18n import translate


def short_url(code):
    return settings.SITE_BASE_URL + reverse("short-link", args=[code])


def qr_svg(url):
    """An inline SVG QR code, large modules and a quiet zone so it scans from paper."""
    qr = segno.make(url, error="m", micro=False)
    return qr.svg_inline(scale=3, border=4, dark="#000", light="#fff", omitsize=False)


def numbered_sources(panel):
    """The sets' sources, then the cautions' (each work once, known by its PMID, DOI or
    URL), numbered for the page; and each caution with its source's number (or None)."""
    numbers = {}
    sources = []

    def number_of(source):
        key = source.pmid or source.doi or source.url or source.citation
        if key not in numbers:
            sources.append(source)
            numbers[key] = len(sources)
        return numbers[key]

    for view in panel.sets:
        number_of(view.tail.source)
    cautions = [
        (caution, number_of(caution.source) if caution.source else None)
        for caution in panel.cautions
    ]
    return sources, cautions


def summary_context(panel):
    url = short_url(panel.short_code)
    sources, cautions = numbered_sources(panel)
    return {
        "panel": panel,
        # On paper a requirement's status is a symbol, with a legend above the sets.
        "symbols": messages.OUTCOME_SYMBOLS,
        "status_labels": [(key, translate(label)) for key, label in messages.STATUSES.items()],
        "sources": sources,
        "cautions": cautions,
        "generated_at": timezone.localtime(),
        "time_zone": timezone.get_current_timezone_name(),
        "tool_version": settings.VERSION,
        "rules_version": RULES_VERSION,
        "short_url": url,
        "qr_svg": qr_svg(url),
    }


@functools.cache
def _no_fetching():
    """A summary needs nothing from outside: no network, no files beyond its stylesheet.
    WeasyPrint skips what its fetcher refuses (allowed protocols: none)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=())


@functools.cache
def _stylesheet():
    """Parsed once per process (about 5 ms a PDF otherwise)."""
    from weasyprint import CSS

    return CSS(filename=finders.find("css/summary.css"), url_fetcher=_no_fetching())


def render_pdf(request, context):
    from weasyprint import HTML  # imported here: loading Pango costs time at start-up

    html = render_to_string("checklist/print.html", {**context, "for_pdf": True}, request)
    document = HTML(string=html, url_fetcher=_no_fetching())
    return document.write_pdf(stylesheets=[_stylesheet()])
