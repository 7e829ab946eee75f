"""System check: the database's findings are exactly the code's (run with --database)."""

from django.core.checks import Error, Tags, register
from django.db import DatabaseError

from checklist.rules import FINDINGS


@register(Tags.database)
def findings_match_code(app_configs, **kwargs):
    from checklist.models import Finding

    try:
        stored = set(Finding.objects.values_list("slug", flat=True))
    except DatabaseError:
        return []  # not migrated yet: nothing to compare
    if not stored:
        return []  # content not loaded yet
    errors = []
    missing = [slug for slug in FINDINGS if slug not in stored]
    unknown = sorted(stored - set(FINDINGS))
    if missing:
        errors.append(
            Error(
                f"Findings missing from the database: {', '.join(missing)}",
                hint="Run `manage.py load_initial_content`.",
                id="checklist.E001",
            )
        )
    if unknown:
        errors.append(
            Error(
                f"Findings in the database that the rules do not know: {', '.join(unknown)}",
                hint="Slugs are defined in checklist/rules/findings.py; remove these rows.",
                id="checklist.E002",
            )
        )
    return errors
