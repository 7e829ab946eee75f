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
from common.i18n import translator

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
    """Everything the result panel shows, as plain values (the print view and PDF)."""
    _ = translator(get_language())
    return {
        "sets": [set_view(result, words, _) for result in results.values()],
        "still_open": still_open_views(results, words, _),
        "warnings": warning_views(results, words, _),
        "show_red_flags": show_red_flags(parsed),
        "assessed": parsed.assessed_count,
        "vegf": vegf_view(parsed, _),
    }


def show_red_flags(parsed):
    return parsed.findings["polyneuropathy"] == PRESENT


def still_open_views(results, words, _):
    """The decisive unknowns of all sets, in contract order, with what would settle them."""
    open_slugs = sorted(
        {slug for result in results.values() for slug in result.decisive_unknowns},
        key=_ORDER.__getitem__,
    )
    return [
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


def warning_views(results, words, _):
    """Each caution once, with the sets it applies to."""
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
    return list(warnings.values())


def vegf_view(parsed, _):
    if parsed.vegf is None:
        return None
    return {
        "value": format_vegf(parsed.vegf.value),
        "specimen": _(texts.SPECIMENS[parsed.vegf.specimen]),
    }


def set_head_view(result, _):
    """A set's name and outcome."""
    return {
        "slug": result.slug,
        "label": _(result.label),
        "version": result.version,
        "outcome": result.outcome,
        "outcome_label": _(texts.OUTCOMES[result.outcome]),
        "grade_label": grade_label(result, result.grade, _) if result.grade else "",
    }


def requirement_view(result, requirement, words, _):
    """One requirement of a set: its status, count and a box for each of its findings."""
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
    return {
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


def set_tail_view(result, words, _):
    """What follows a set's requirements: information-only grades, derivations,
    the findings that would settle it, and its source."""
    return {
        "slug": result.slug,
        "extra_grades": [
            {"label": grade_label(result, slug, _), "status_label": _(texts.STATUSES[status])}
            for slug, status in result.extra_grades.items()
        ],
        "derived": [
            {
                "label": word(words, slug),
                "value_label": _(texts.VALUES[derivation.value]),
                "rule": _(derivation.rule),
            }
            for slug, derivation in result.derived.items()
        ],
        "decisive": [word(words, slug) for slug in result.decisive_unknowns],
        "source": source_dict(result.source),
    }


def set_view(result, words, _):
    """Everything about one set."""
    return {
        **set_head_view(result, _),
        "requirements": [
            requirement_view(result, requirement, words, _) for requirement in result.requirements
        ],
        **set_tail_view(result, words, _),
    }


# The form's groups, in the order the checklist shows them.
FORM_GROUPS = (
    ("mandatory_major", MANDATORY_MAJOR),
    ("other_major", OTHER_MAJOR),
    ("minor", MINOR),
    ("other_signs", OTHER_SIGNS),
)
ENDOCRINE_GROUP = ENDOCRINE_SUBFINDINGS
