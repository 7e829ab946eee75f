"""Loading the shipped content: the explanatory pages and references (content.loader),
then the checklist's own words (checklist/initial_content).

As content.loader: creates what is missing, brings what no person changed up to the
files, keeps what an editor changed (`refresh=True` replaces that too).
"""

from pathlib import Path

from django.db import transaction

from checklist.models import Finding, Investigation, RedFlag
from checklist.rules import FINDINGS, INVESTIGATIONS
from content.loader import (
    LANGUAGE_CODES,
    ContentError,
    LoadReport,
    edited_in_the_admin,
    load_content,
    read_toml,
    reference,
    set_words,
    to_write,
    values,
    word_fields,
)
from content.models import Page

INITIAL_CONTENT = Path(__file__).resolve().parent / "initial_content"


def _set_words(instance, fields, entry):
    """The instance's words from a shipped entry ({language: {field: words}})."""
    words = {
        code: tuple(entry[code][name] for name in fields)
        for code in LANGUAGE_CODES
        if code in entry
    }
    set_words(instance, fields, words)


FINDING_FIELDS = (*word_fields("label", "hint"), "page_id")


def load_findings(report, refresh):
    data = read_toml(INITIAL_CONTENT / "findings.toml")
    if list(data) != list(FINDINGS):
        raise ContentError("findings.toml must list exactly the slugs of checklist.rules, in order")
    pages = {page.slug: page for page in Page.objects.all()}
    for slug, entry in data.items():
        name = f"finding {slug}"
        finding = to_write(Finding, slug, refresh, report, name)
        if finding is None:
            continue
        new = finding.pk is None
        before = values(finding, FINDING_FIELDS)
        _set_words(finding, ("label", "hint"), entry)
        finding.page = pages.get(entry.get("page", ""))
        changed = values(finding, FINDING_FIELDS) != before
        if new or changed:
            finding.save()
        report.compared(name, new, changed)


def _red_flag_state(flags):
    return [(flag.order, flag.reference.key, *values(flag, word_fields("text"))) for flag in flags]


def load_red_flags(report, refresh):
    """The red flags are one list: kept whole when an editor changed any of them."""
    path = INITIAL_CONTENT / "red_flags.toml"
    stored = list(RedFlag.objects.select_related("reference").order_by("order"))
    if stored and not refresh and any(edited_in_the_admin(flag) for flag in stored):
        report.kept.append("red flags")
        return
    shipped = []
    for entry in read_toml(path)["red_flag"]:
        flag = RedFlag(order=entry["order"], reference=reference(entry["reference"], path.name))
        set_words(flag, ("text",), {code: (entry[code],) for code in LANGUAGE_CODES})
        shipped.append(flag)
    if stored and _red_flag_state(stored) == _red_flag_state(shipped):
        report.unchanged.append("red flags")
        return
    RedFlag.objects.all().delete()
    for flag in shipped:
        flag.save()
    (report.updated if stored else report.created).append("red flags")


INVESTIGATION_FIELDS = word_fields("label", "guidance")


def load_investigations(report, refresh):
    path = INITIAL_CONTENT / "investigations.toml"
    data = read_toml(path)
    if list(data) != [investigation.slug for investigation in INVESTIGATIONS]:
        raise ContentError(f"{path.name} must list exactly the work-up planner's investigations")
    for slug, entry in data.items():
        name = f"investigation {slug}"
        investigation = to_write(Investigation, slug, refresh, report, name)
        if investigation is None:
            continue
        new = investigation.pk is None
        before = values(investigation, INVESTIGATION_FIELDS)
        cited_before = set() if new else set(investigation.references.all())
        _set_words(investigation, ("label", "guidance"), entry)
        cited = [reference(key, f"{path.name} [{slug}]") for key in entry.get("references", [])]
        changed = values(investigation, INVESTIGATION_FIELDS) != before
        if new or changed:
            investigation.save()
        if set(cited) != cited_before:
            investigation.references.set(cited)
            changed = True
        report.compared(name, new, changed)


@transaction.atomic
def load_initial_content(refresh=False):
    report = LoadReport()
    load_content(report, refresh)
    load_findings(report, refresh)
    load_red_flags(report, refresh)
    load_investigations(report, refresh)
    return report
