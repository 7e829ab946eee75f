"""The result as the reader sees it: one view-model, shared by the checklist page, the
print view, the PDF and the note.

`build_panel` turns the engine's results (codes and English labels) into immutable
values in the reader's words: gettext for fixed text, the database for findings, the
rules' data for every sentence about what a set requires (checklist.statements). No
rule is decided here. The values are frozen and hashable, so a rendering of one of
them can be remembered under the value itself (checklist.rendering).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_noop as _

from checklist import messages, statements
from checklist.cautions import CAUTIONS
from checklist.labels import Citation, finding_label
from checklist.query import format_vegf
from checklist.form import FORM_ORDER
from checklist.rules import ABSENT, CRITERIA_SETS_BY_SLUG, ORDER, PRESENT, UNKNOWN
from checklist.rules.findings import POLYNEUROPATHY


@dataclass(frozen=True, slots=True)
class Box:
    """One finding of a requirement, as a small square."""

    label: str
    value: str
    value_label: str
    derived: bool


@dataclass(frozen=True, slots=True)
class RequirementRow:
    label: str
    status: str
    status_label: str
    have: int
    total: int
    boxes: tuple

    @property
    def boxes_label(self):
        return "; ".join(f"{box.label}: {box.value_label}" for box in self.boxes)


@dataclass(frozen=True, slots=True)
class Note:
    """A line under a set: an information-only grade or a derivation."""

    text: str


@dataclass(frozen=True, slots=True)
class SetHead:
    """A set's name and outcome."""

    slug: str
    label: str
    short_label: str
    outcome: str
    outcome_label: str
    symbol: str
    grade_label: str


@dataclass(frozen=True, slots=True)
class SetTail:
    """What follows a set's requirements: notes, what would settle it, its source."""

    notes: tuple
    decisive: tuple
    source: Citation


@dataclass(frozen=True, slots=True)
class SetView:
    head: SetHead
    requirements: tuple
    tail: SetTail


@dataclass(frozen=True, slots=True)
class OpenFinding:
    """A finding that would settle at least one set, and the sets it would settle."""

    slug: str
    label: str
    page: str
    sets: tuple


@dataclass(frozen=True, slots=True)
class CautionView:
    code: str
    message: str
    sets: tuple
    page: str
    source: Citation | None


@dataclass(frozen=True, slots=True)
class VegfView:
    value: str
    specimen: str
    uln: str


@dataclass(frozen=True, slots=True)
class Panel:
    assessed: int
    vegf: VegfView | None
    sets: tuple
    still_open: tuple
    cautions: tuple
    # Shown with a polyneuropathy: what separates POEMS syndrome from CIDP.
    red_flags: tuple
    canonical_query: str
    short_code: str
    # The findings' labels by value, in the form's order.
    present: tuple
    absent: tuple
    not_assessed: tuple


def build_panel(parsed, results, words, red_flags, citations, translate, short_code):
    """The panel for a valid checklist: `results` from checklist.rules.evaluate."""
    label = _labeller(words)
    return Panel(
        assessed=parsed.assessed_count,
        vegf=vegf_view(parsed, translate),
        sets=tuple(set_view(result, words, translate) for result in results.values()),
        still_open=still_open(results, words, translate),
        cautions=caution_views(results, label, citations, translate),
        red_flags=tuple(red_flags) if parsed.findings[POLYNEUROPATHY] == PRESENT else (),
        canonical_query=parsed.canonical_query(),
        short_code=short_code,
        present=_labels_with(parsed, PRESENT, label),
        absent=_labels_with(parsed, ABSENT, label),
        not_assessed=_labels_with(parsed, UNKNOWN, label),
    )


def _labels_with(parsed, value, label):
    return tuple(label(slug) for slug in FORM_ORDER if parsed.findings[slug] == value)


def _labeller(words):
    def label(slug):
        return finding_label(words, slug)

    return label


def vegf_view(parsed, translate):
    if parsed.vegf is None:
        return None
    uln = parsed.vegf.uln
    return VegfView(
        value=format_vegf(parsed.vegf.value),
        specimen=translate(messages.SPECIMENS[parsed.vegf.specimen]),
        uln="" if uln is None else format_vegf(uln),
    )


def grade_label(criteria_set, grade_slug, translate):
    for grade in (*criteria_set.grades, *criteria_set.extra_grades):
        if grade.slug == grade_slug:
            return translate(grade.label)
    return grade_slug


def set_view(result, words, translate):
    criteria_set = CRITERIA_SETS_BY_SLUG[result.slug]
    label = _labeller(words)
    requirements = {requirement.key: requirement for requirement in criteria_set.requirements}
    head = SetHead(
        slug=result.slug,
        label=translate(criteria_set.label),
        short_label=translate(criteria_set.short_label),
        outcome=result.outcome,
        outcome_label=translate(messages.OUTCOMES[result.outcome]),
        symbol=messages.OUTCOME_SYMBOLS[result.outcome],
        grade_label=grade_label(criteria_set, result.grade, translate) if result.grade else "",
    )
    rows = tuple(
        requirement_row(result, requirements[row.key], row, label, translate)
        for row in result.requirements
    )
    tail = SetTail(
        notes=set_notes(criteria_set, result, label, translate),
        decisive=tuple(label(slug) for slug in result.decisive_unknowns),
        source=Citation.of(result.source),
    )
    return SetView(head, rows, tail)


def requirement_row(result, requirement, counted, label, translate):
    return RequirementRow(
        label=statements.requirement_label(requirement, translate, label),
        status=counted.status,
        status_label=translate(messages.STATUSES[counted.status]),
        have=counted.have,
        total=len(counted.findings),
        boxes=tuple(
            Box(
                label=label(slug),
                value=result.findings.get(slug, UNKNOWN),
                value_label=translate(messages.VALUES[result.findings.get(slug, UNKNOWN)]),
                derived=slug in result.derived,
            )
            for slug in counted.findings
        ),
    )


def set_notes(criteria_set, result, label, translate):
    """Information-only grades, then what the set derived for itself."""
    notes = [
        Note(
            translate(_("%(label)s (information only, never counts as met): %(status)s"))
            % {
                "label": grade_label(criteria_set, slug, translate),
                "status": translate(messages.STATUSES[status]),
            }
        )
        for slug, status in result.extra_grades.items()
    ]
    notes.extend(
        Note(
            translate(_("%(label)s taken as %(value)s (%(rule)s)."))
            % {
                "label": label(slug),
                "value": translate(messages.VALUES[derivation.value]),
                "rule": translate(derivation.rule),
            }
        )
        for slug, derivation in result.derived.items()
    )
    return tuple(notes)


def still_open(results, words, translate):
    """The decisive unknowns of all sets, in contract order, with the sets each settles."""
    slugs = sorted(
        {slug for result in results.values() for slug in result.decisive_unknowns},
        key=ORDER.__getitem__,
    )
    return tuple(
        OpenFinding(
            slug=slug,
            label=finding_label(words, slug),
            page=words[slug].page if slug in words else "",
            sets=tuple(
                translate(CRITERIA_SETS_BY_SLUG[result.slug].short_label)
                for result in results.values()
                if slug in result.decisive_unknowns
            ),
        )
        for slug in slugs
    )


def caution_message(caution, label, translate):
    params = caution.params
    values = {
        "signs": translate(_(", ")).join(label(slug) for slug in params.get("slugs", ())),
        "specimen": translate(messages.SPECIMENS.get(params.get("specimen"), "")),
        "expected": translate(messages.SPECIMENS.get(params.get("expected"), "")),
        "threshold": format_vegf(params["threshold"]) if "threshold" in params else "",
        "grade": "",
    }
    if "grade" in params:
        for criteria_set in CRITERIA_SETS_BY_SLUG.values():
            for grade in criteria_set.grades:
                if grade.slug == params["grade"]:
                    values["grade"] = translate(grade.label)
    return translate(CAUTIONS[caution.code].message) % values


def caution_views(results, label, citations, translate):
    """Each caution once (by its words), with the sets it applies to."""
    found = {}
    for result in results.values():
        short_label = translate(CRITERIA_SETS_BY_SLUG[result.slug].short_label)
        for caution in result.cautions:
            message = caution_message(caution, label, translate)
            found.setdefault((caution.code, message), []).append(short_label)
    views = []
    for (code, message), sets in found.items():
        text = CAUTIONS[code]
        views.append(
            CautionView(
                code=code,
                message=message,
                sets=tuple(sets),
                page=text.page,
                source=citations.get(text.reference) if text.reference else None,
            )
        )
    return tuple(views)
