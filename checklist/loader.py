"""Loading the shipped content: the explanatory pages and references (content.loader),
then the checklist's own words (checklist/initial_content).

Creates what is missing and never overwrites what is there, so an editor's change
survives every deploy; `refresh=True` replaces what is shipped.
"""

from pathlib import Path

from django.db import transaction

from checklist.models import Finding, Investigation, RedFlag
from checklist.rules import FINDINGS, INVESTIGATIONS
from content.loader import (
    LANGUAGE_CODES,
    ContentError,
    LoadReport,
    load_content,
    read_toml,
    reference,
    set_words,
)
from content.models import Page

INITIAL_CONTENT = Path(__file__).resolve().parent / "initial_content"


def load_findings(report, refresh):
    data = read_toml(INITIAL_CONTENT / "findings.toml")
    if list(data) != list(FINDINGS):
        raise ContentError("findings.toml must list exactly the slugs of checklist.rules, in order")
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
            code: (entry[code]["label"], entry[code]["hint"])
            for code in LANGUAGE_CODES
            if code in entry
        }
        set_words(finding, ("label", "hint"), words)
        finding.page = pages.get(entry.get("page", ""))
        finding.save()


def load_red_flags(report, refresh):
    path = INITIAL_CONTENT / "red_flags.toml"
    if RedFlag.objects.exists() and not refresh:
        report.kept.append("red flags")
        return
    RedFlag.objects.all().delete()
    for entry in read_toml(path)["red_flag"]:
        flag = RedFlag(order=entry["order"], reference=reference(entry["reference"], path.name))
        set_words(flag, ("text",), {code: (entry[code],) for code in LANGUAGE_CODES})
        flag.save()
    report.created.append("red flags")


def load_investigations(report, refresh):
    path = INITIAL_CONTENT / "investigations.toml"
    data = read_toml(path)
    if list(data) != [investigation.slug for investigation in INVESTIGATIONS]:
        raise ContentError(f"{path.name} must list exactly the work-up planner's investigations")
    for slug, entry in data.items():
        investigation = Investigation.objects.filter(slug=slug).first()
        if investigation is None:
            investigation = Investigation(slug=slug)
            report.created.append(f"investigation {slug}")
        elif refresh:
            report.refreshed.append(f"investigation {slug}")
        else:
            report.kept.append(f"investigation {slug}")
            continue
        words = {
            code: (entry[code]["label"], entry[code]["guidance"])
            for code in LANGUAGE_CODES
            if code in entry
        }
        set_words(investigation, ("label", "guidance"), words)
        investigation.save()
        investigation.references.set(
            [reference(key, f"{path.name} [{slug}]") for key in entry.get("references", [])]
        )


@transaction.atomic
def load_initial_content(refresh=False):
    report = LoadReport()
    load_content(report, refresh)
    load_findings(report, refresh)
    load_red_flags(report, refresh)
    load_investigations(report, refresh)
    return report
