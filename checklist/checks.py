"""System checks: the database's findings are exactly the code's (run with --database);
PDFs subset their fonts with HarfBuzz (run with --deploy)."""

import warnings

from django.core import checks
from django.core.checks import Error, Tags, register
from django.db import DatabaseError

from checklist.rules import FINDINGS


@register(Tags.database)
def findings_match_code(app_configs, **kwargs):
    """Warnings, not errors: `migrate` runs this check, and a release that brings a new
    finding migrates before `load_initial_content` can add it. Until then the pages use
    the code's own label; `make deploy-check` fails on any warning."""
    from checklist.models import Finding

    try:
        stored = set(Finding.objects.values_list("slug", flat=True))
    except DatabaseError:
        return []  # not migrated yet: nothing to compare
    if not stored:
        return []  # content not loaded yet
    found = []
    missing = [slug for slug in FINDINGS if slug not in stored]
    unknown = sorted(stored - set(FINDINGS))
    if missing:
        found.append(
            checks.Warning(
                f"Findings missing from the database: {', '.join(missing)}",
                hint="Run `manage.py load_initial_content`.",
                id="checklist.W001",
            )
        )
    if unknown:
        found.append(
            checks.Warning(
                f"Findings in the database that the rules do not know: {', '.join(unknown)}",
                hint="Slugs are defined in checklist/rules/findings.py; remove these rows.",
                id="checklist.W002",
            )
        )
    return found


def _weasyprint_fonts():
    with warnings.catch_warnings():
        # WeasyPrint warns on import when HarfBuzz-Subset is missing: this check says so.
        warnings.simplefilter("ignore", DeprecationWarning)
        from weasyprint.pdf import fonts
    return fonts


@register(Tags.compatibility, deploy=True)
def pdf_fonts_are_subset_by_harfbuzz(app_configs, **kwargs):
    """Without HarfBuzz-Subset (4.1 or newer), WeasyPrint subsets the PDF's fonts with
    fontTools: Chinese and Japanese summaries take seconds instead of a fraction of one,
    and the only sign is a warning with each PDF. The library is loaded when a worker
    starts, so it must be installed before."""
    try:
        fonts = _weasyprint_fonts()
    except (ImportError, OSError) as error:
        return [
            Error(
                f"WeasyPrint cannot load its libraries, so no PDF can be made: {error}",
                hint="Install Pango and HarfBuzz (Debian: libpango-1.0-0 libharfbuzz-subset0).",
                id="checklist.E004",
            )
        ]
    if fonts.harfbuzz_subset and fonts.harfbuzz.hb_version_atleast(4, 1, 0):
        return []
    return [
        Error(
            "WeasyPrint would subset the PDFs' fonts with fontTools instead of "
            "HarfBuzz-Subset (about 30 times slower for Chinese and Japanese).",
            hint="Install libharfbuzz-subset0 (HarfBuzz 4.1 or newer), then restart the workers.",
            id="checklist.E003",
        )
    ]
