"""The one-page summary: its context, its QR code and its PDF (WeasyPrint)."""

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from checklist.presentation import word
from checklist.rules import ABSENT, CRITERIA_SETS, PRESENT, RULES_VERSION, UNKNOWN


def short_url(code):
    return settings.SITE_BASE_URL + reverse("short-link", args=[code])


def qr_svg(url):
    """An inline SVG QR code, large modules and a quiet zone so it scans from paper."""
    qr = segno.make(url, error="m", micro=False)
    return qr.svg_inline(scale=3, border=4, dark="#000", light="#fff", omitsize=False)


def summary_context(request, parsed, checklist_context):
    words = checklist_context["words"]
    code = checklist_context["short_code"]
    groups = {PRESENT: [], ABSENT: [], UNKNOWN: []}
    for slug, value in parsed.findings.items():
        groups[value].append(word(words, slug))
    url = short_url(code)
    return {
        "generated_at": timezone.localtime(),
        "time_zone": timezone.get_current_timezone_name(),
        "tool_version": settings.VERSION,
        "rules_version": RULES_VERSION,
        "present_findings": groups[PRESENT],
        "absent_findings": groups[ABSENT],
        "unknown_findings": groups[UNKNOWN],
        "short_url": url,
        "qr_svg": qr_svg(url),
        "criteria_sets": CRITERIA_SETS,
    }


def _refuse_fetch(url, *args, **kwargs):
    """A summary needs nothing from outside: no network, no files beyond its stylesheet."""
    raise ValueError(f"refusing to fetch {url!r} while rendering a PDF")


def render_pdf(request, context):
    from weasyprint import CSS, HTML  # imported here: loading Pango costs time at start-up

    html = render_to_string("checklist/print.html", {**context, "for_pdf": True}, request)
    stylesheet = CSS(filename=finders.find("css/summary.css"), url_fetcher=_refuse_fetch)
    document = HTML(string=html, url_fetcher=_refuse_fetch)
    return document.write_pdf(stylesheets=[stylesheet])
