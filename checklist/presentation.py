"""Turning the engine's results into what the pages and the API show.

The engine returns codes and English labels; this module adds the reader's words
(gettext for fixed text, the database for findings) and nothing else: no rule is
decided here.
"""

from django.utils.translation import get_language

from checklist import texts
from checklist.query import format_vegf
from checklist.rules import (
    CRITERIA_SETS_BY_SLUG,
    ENDOCRINE_SUBFINDINGS,
    FINDINGS,
    MANDATORY_MAJOR,
    MINOR,
    OTHER_MAJOR,
    OTHER_SIGNS,
    PRESENT,
    RULES_VERSION,
    UNKNOWN,
)
from poems_site.i18n import translator

_ORDER = {slug: position for position, slug in enumerate(FINDINGS)}


def word(words, slug, field="label"):
    entry = words.get(slug)
    return entry[field] if entry else (slug.replace("_", " ") if field == "label" else "")


def source_dict(source):
    return {
        "citation": source.citation,
        "pmid": source.pmid,
        "doi": source.doi,
        "url": source.url,
        "year": source.year,
    }


def warning_message(warning, words, _):
    params = warning.params
    message = _(texts.WARNINGS[warning.code])
    return message.format(
        signs=", ".join(word(words, slug) for slug in params.get("slugs", ())),
        specimen=_(texts.SPECIMENS[params["specimen"]]) if "specimen" in params else "",
        expected=_(texts.SPECIMENS[params["expected"]]) if "expected" in params else "",
    )


def grade_label(result, grade_slug, _):
    criteria_set = CRITERIA_SETS_BY_SLUG[result.slug]
    for grade in (*criteria_set.grades, *criteria_set.extra_grades):
        if grade.slug == grade_slug:
            return _(grade.label)
    return grade_slug


def api_payload(parsed, results, words):
    """The JSON body of GET /api/v1/evaluate, as the contract defines it."""
    _ = translator(get_language())
    measurements = {}
    if parsed.vegf is not None:
        measurements["vegf"] = {"value": parsed.vegf.value, "specimen": parsed.vegf.specimen}
    return {
        "findings": dict(parsed.findings),
        "measurements": measurements,
        "rules_version": RULES_VERSION,
        "results": {slug: _api_result(result, words, _) for slug, result in results.items()},
    }


def _api_result(result, words, _):
    return {
        "label": _(result.label),
        "version": result.version,
        "source": source_dict(result.source),
        "outcome": result.outcome,
        "outcome_label": _(texts.OUTCOMES[result.outcome]),
        "grade": result.grade,
        "grade_label": grade_label(result, result.grade, _) if result.grade else None,
        "extra_grades": dict(result.extra_grades),
        "derived": {
            slug: {"value": derivation.value, "rule": _(derivation.rule)}
            for slug, derivation in result.derived.items()
        },
        "decisive_unknowns": list(result.decisive_unknowns),
        "requirements": [
            {
                "key": requirement.key,
                "label": _(requirement.label),
                "status": requirement.status,
                "have": requirement.have,
                "need": requirement.need,
                "findings": list(requirement.findings),
                "present": list(requirement.present),
                "unknown": list(requirement.unknown),
            }
            for requirement in result.requirements
        ],
        "warnings": [
            {"code": warning.code, "message": warning_message(warning, words, _)}
            for warning in result.warnings
        ],
    }


def result_panel(parsed, results, words):
    """Everything the result panel shows, as plain values for the template."""
    _ = translator(get_language())
    sets = [_set_view(result, words, _) for result in results.values()]
    open_slugs = sorted(
        {slug for result in results.values() for slug in result.decisive_unknowns},
        key=_ORDER.__getitem__,
    )
    still_open = [
        {
            "slug": slug,
            "label": word(words, slug),
            "investigation": word(words, slug, "investigation"),
            "page": word(words, slug, "page"),
            "sets": [
                _(result.label) for result in results.values() if slug in result.decisive_unknowns
            ],
        }
        for slug in open_slugs
    ]
    warnings = {}
    for result in results.values():
        for warning in result.warnings:
            message = warning_message(warning, words, _)
            entry = warnings.setdefault(
                (warning.code, message),
                {
                    "code": warning.code,
                    "message": message,
                    "sets": [],
                    "page": texts.WARNING_PAGES.get(warning.code, ""),
                    "source": texts.WARNING_SOURCES.get(warning.code),
                },
            )
            entry["sets"].append(_(result.label))
    return {
        "sets": sets,
        "still_open": still_open,
        "warnings": list(warnings.values()),
        "show_red_flags": parsed.findings["polyneuropathy"] == PRESENT,
        "assessed": parsed.assessed_count,
        "vegf": _vegf_view(parsed, _),
    }


def _vegf_view(parsed, _):
    if parsed.vegf is None:
        return None
    return {
        "value": format_vegf(parsed.vegf.value),
        "specimen": _(texts.SPECIMENS[parsed.vegf.specimen]),
    }


def _set_view(result, words, _):
    requirements = []
    for requirement in result.requirements:
        boxes = []
        for slug in requirement.findings:
            value = result.findings.get(slug, UNKNOWN)
            boxes.append(
                {
                    "slug": slug,
                    "label": word(words, slug),
                    "value": value,
                    "value_label": _(texts.VALUES[value]),
                    "derived": slug in result.derived,
                }
            )
        requirements.append(
            {
                "key": requirement.key,
                "label": _(requirement.label),
                "status": requirement.status,
                "status_label": _(texts.STATUSES[requirement.status]),
                "have": requirement.have,
                "need": requirement.need,
                "total": len(requirement.findings),
                "boxes": boxes,
                "boxes_label": "; ".join(f"{b['label']}: {b['value_label']}" for b in boxes),
            }
        )
    extra = [
        {"label": grade_label(result, slug, _), "status_label": _(texts.STATUSES[status])}
        for slug, status in result.extra_grades.items()
    ]
    derived = [
        {
            "label": word(words, slug),
            "value_label": _(texts.VALUES[derivation.value]),
            "rule": _(derivation.rule),
        }
        for slug, derivation in result.derived.items()
    ]
    return {
        "slug": result.slug,
        "label": _(result.label),
        "version": result.version,
        "source": source_dict(result.source),
        "outcome": result.outcome,
        "outcome_label": _(texts.OUTCOMES[result.outcome]),
        "grade_label": grade_label(result, result.grade, _) if result.grade else "",
        "requirements": requirements,
        "extra_grades": extra,
        "derived": derived,
        "decisive": [word(words, slug) for slug in result.decisive_unknowns],
    }


# The form's groups, in the order the checklist shows them.
FORM_GROUPS = (
    ("mandatory_major", MANDATORY_MAJOR),
    ("other_major", OTHER_MAJOR),
    ("minor", MINOR),
    ("other_signs", OTHER_SIGNS),
)
ENDOCRINE_GROUP = ENDOCRINE_SUBFINDINGS
