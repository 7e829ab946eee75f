"""The one-page summary: its context, its QR code and its PDF (WeasyPrint). The
result itself is the same view-model as the checklist page's (checklist.panel)."""

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from checklist.rules import RULES_VERSION


def short_url(code):
    return settings.SITE_BASE_URL + reverse("short-link", args=[code])


def qr_svg(url):
    """An inline SVG QR code, large modules and a quiet zone so it scans from paper."""
    qr = segno.make(url, error="m", micro=False)
    return qr.svg_inline(scale=3, border=4, dark="#000", light="#fff", omitsize=False)


def summary_context(panel):
    url = short_url(panel.short_code)
    return {
        "panel": panel,
        "generated_at": timezone.localtime(),
        "time_zone": timezone.get_current_timezone_name(),
        "tool_version": settings.VERSION,
        "rules_version": RULES_VERSION,
        "short_url": url,
        "qr_svg": qr_svg(url),
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
