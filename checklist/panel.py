"""The result as the reader sees it: one view-model, shared by the checklist page, the
print view, the PDF and the note.

`build_panel` turns the engine's results (codes and English labels) into immutable
values in the reader's words: gettext for fixed text, the database for findings, the
rules' data for every sentence about what a set requires (checklist.statements). No
rule is decided here.

A set's parts (its head, each requirement row, its tail) are built by functions of a
few plain arguments (the language, the content generation, the set, the values they
show), remembered in bounded LRUs: the same arguments give the same object. These
parts compare by identity, so checklist.rendering can remember each one's HTML under
the object itself, without hashing its contents again. The lists' items (open
findings, cautions) are small and compare by value (docs/caching.md).
"""

from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext_noop as _

from checklist import messages, statements
from checklist.cautions import CAUTIONS
from checklist.form import FORM_ORDER
from checklist.labels import finding_label, finding_words, investigation_words
from checklist.query import format_vegf
from checklist.rules import ABSENT, CRITERIA_SETS_BY_SLUG, PRESENT, UNKNOWN, Source, plan
from checklist.rules.cautions import Caution
from checklist.rules.findings import POLYNEUROPATHY
from common.i18n import translator

# Parts of sets: 5 sets, a few dozen states each, in 3 languages.
SET_PARTS = 8192

# A set's part: built once per distinct arguments, compared by identity.
part = dataclass(frozen=True, slots=True, eq=False)
# Everything else: compared (and hashed) by value.
view = dataclass(frozen=True, slots=True)


@part
class Box:
    """One finding of a requirement, as a small square."""

    label: str
    value: str
    value_label: str
    derived: bool


@part
class RequirementRow:
    # The generated statement ("Minor criteria: at least 1 of 6"), and the short name.
    label: str
    name: str
    status: str
    status_label: str
    have: int
    total: int
    boxes: tuple

    @property
    def boxes_label(self):
        return "; ".join(f"{box.label}: {box.value_label}" for box in self.boxes)


@part
class SetHead:
    """A set's name and outcome."""

    slug: str
    label: str
    short_label: str
    outcome: str
    outcome_label: str
    symbol: str
    grade_label: str


@part
class Note:
    """A line under a set: `kind` is "extra-grade" (information only) or "derived"."""

    kind: str
    text: str


@part
class SetTail:
    """What follows a set's requirements: notes (information-only grades, derivations),
    the findings that would settle it, and its source."""

    notes: tuple
    decisive: tuple
    source: Source


@part
class SetView:
    head: SetHead
    requirements: tuple
    tail: SetTail


@view
class WorkupStep:
    """An investigation that could settle at least one set: the open findings it
    informs, the sets it could settle, what to know about it, and its sources."""

    slug: str
    label: str
    guidance: str
    findings: tuple
    settles: tuple
    sources: tuple


@view
class CautionView:
    code: str
    message: str
    # The message in one short line (print, PDF and note).
    short: str
    sets: tuple
    page: str
    source: Source | None


@view
class VegfView:
    value: str
    specimen: str
    uln: str


@view
class Panel:
    assessed: int
    vegf: VegfView | None
    sets: tuple
    # What to order next, most sets settled first (checklist.rules.workup).
    workup: tuple
    cautions: tuple
    # Shown with a polyneuropathy: what separates POEMS syndrome from CIDP.
    red_flags: tuple
    canonical_query: str
    short_code: str
    # The findings' labels by value, in the form's order.
    present: tuple
    absent: tuple
    not_assessed: tuple


def build_panel(parsed, results, language, generation, red_flags, citations, short_code):
    """The panel for a valid checklist: `results` from checklist.rules.evaluate."""
    words = finding_words(language)
    translate = translator(language)

    def label(slug):
        return finding_label(words, slug)

    return Panel(
        assessed=parsed.assessed_count,
        vegf=vegf_view(parsed, translate),
        sets=tuple(set_view(result, language, generation) for result in results.values()),
        workup=workup(results, words, investigation_words(language), translate),
        cautions=caution_views(results, language, generation, citations),
        red_flags=tuple(red_flags) if parsed.findings[POLYNEUROPATHY] == PRESENT else (),
        canonical_query=parsed.canonical_query(),
        short_code=short_code,
        present=_labels_with(parsed, PRESENT, label),
        absent=_labels_with(parsed, ABSENT, label),
        not_assessed=_labels_with(parsed, UNKNOWN, label),
    )


def _labels_with(parsed, value, label):
    return tuple(label(slug) for slug in FORM_ORDER if parsed.findings[slug] == value)


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


# ------------------------------------------------------------------ a set


def set_view(result, language, generation):
    derived = result.derived
    return SetView(
        head=set_head(language, result.slug, result.outcome, result.grade),
        requirements=tuple(
            requirement_row(
                language,
                generation,
                result.slug,
                row.key,
                tuple(result.findings[slug] for slug in row.findings),
                tuple(slug in derived for slug in row.findings),
                row.status,
            )
            for row in result.requirements
        ),
        tail=set_tail(
            language,
            generation,
            result.slug,
            tuple(result.extra_grades.items()),
            tuple((slug, item.value, item.rule) for slug, item in derived.items()),
            result.decisive_unknowns,
        ),
    )


@lru_cache(maxsize=SET_PARTS)
def set_head(language, set_slug, outcome, grade):
    criteria_set = CRITERIA_SETS_BY_SLUG[set_slug]
    translate = translator(language)
    return SetHead(
        slug=set_slug,
        label=translate(criteria_set.label),
        short_label=translate(criteria_set.short_label),
        outcome=outcome,
        outcome_label=translate(messages.OUTCOMES[outcome]),
        symbol=messages.OUTCOME_SYMBOLS[outcome],
        grade_label=grade_label(criteria_set, grade, translate) if grade else "",
    )


@lru_cache(maxsize=SET_PARTS)
def requirement_row(language, generation, set_slug, key, values, derived, status):
    """A requirement of a set: its findings' `values`, whether each was derived, and the
    status the engine gave it."""
    criteria_set = CRITERIA_SETS_BY_SLUG[set_slug]
    requirement = next(r for r in criteria_set.requirements if r.key == key)
    words = finding_words(language)
    translate = translator(language)
    return RequirementRow(
        label=statements.requirement_label(requirement, translate, _labeller(words)),
        name=statements.requirement_name(requirement, translate, _labeller(words)),
        status=status,
        status_label=translate(messages.STATUSES[status]),
        have=values.count(PRESENT),
        total=len(values),
        boxes=tuple(
            Box(finding_label(words, slug), value, translate(messages.VALUES[value]), flag)
            for slug, value, flag in zip(requirement.findings, values, derived, strict=True)
        ),
    )


@lru_cache(maxsize=SET_PARTS)
def set_tail(language, generation, set_slug, extra_grades, derived, decisive):
    """`extra_grades`: ((grade slug, status), ...); `derived`: ((slug, value, rule), ...)."""
    criteria_set = CRITERIA_SETS_BY_SLUG[set_slug]
    words = finding_words(language)
    translate = translator(language)
    notes = [
        Note(
            "extra-grade",
            translate(_("%(label)s (information only, never counts as met): %(status)s"))
            % {
                "label": grade_label(criteria_set, slug, translate),
                "status": translate(messages.STATUSES[status]),
            },
        )
        for slug, status in extra_grades
    ]
    notes.extend(
        Note(
            "derived",
            translate(_("%(label)s taken as %(value)s (%(rule)s)."))
            % {
                "label": finding_label(words, slug),
                "value": translate(messages.VALUES[value]),
                "rule": translate(rule),
            },
        )
        for slug, value, rule in derived
    )
    return SetTail(
        notes=tuple(notes),
        decisive=tuple(finding_label(words, slug) for slug in decisive),
        source=criteria_set.source,
    )


def _labeller(words):
    def label(slug):
        return finding_label(words, slug)

    return label


# ------------------------------------------------------------- the lists


def workup(results, words, investigations, translate):
    """The planner's steps for these results, in the reader's words."""
    steps = []
    for step in plan(results):
        entry = investigations.get(step.slug)
        steps.append(
            WorkupStep(
                slug=step.slug,
                label=entry.label if entry else step.slug.replace("_", " "),
                guidance=entry.guidance if entry else "",
                findings=tuple(finding_label(words, slug) for slug in step.findings),
                settles=tuple(
                    translate(CRITERIA_SETS_BY_SLUG[slug].short_label) for slug in step.settles
                ),
                sources=entry.sources if entry else (),
            )
        )
    return tuple(steps)


def caution_message(caution, label, translate, short=False):
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
    text = CAUTIONS[caution.code]
    return translate(text.short if short else text.message) % values


# What a caution's words are made of (caution_message): never its VEGF value or upper
# limit, which some cautions carry, so that no remembered part holds a patient's number.
WORDED_PARAMS = ("slugs", "specimen", "expected", "threshold", "grade")


@lru_cache(maxsize=SET_PARTS)
def caution_words(language, generation, code, worded):
    """A caution's (message, short line) in `language`; `worded` is the values of
    WORDED_PARAMS it has, as (name, value) pairs."""
    caution = Caution(code, dict(worded))
    label = _labeller(finding_words(language))
    translate = translator(language)
    return (
        caution_message(caution, label, translate),
        caution_message(caution, label, translate, short=True),
    )


def _worded(caution):
    params = caution.params
    return tuple((name, params[name]) for name in WORDED_PARAMS if name in params)


def caution_text(caution, language, generation):
    """A caution's message in `language` (as the API gives it)."""
    return caution_words(language, generation, caution.code, _worded(caution))[0]


def caution_views(results, language, generation, citations):
    """Each caution once (by its words), with the sets it applies to ("all sets" when
    it applies to every one)."""
    translate = translator(language)
    found = {}
    for result in results.values():
        short_label = translate(CRITERIA_SETS_BY_SLUG[result.slug].short_label)
        for caution in result.cautions:
            message, short = caution_words(language, generation, caution.code, _worded(caution))
            found.setdefault((caution.code, message, short), []).append(short_label)
    every_set = translate(_("all sets"))
    return tuple(
        CautionView(
            code=code,
            message=message,
            short=short,
            sets=(every_set,) if len(sets) == len(results) else tuple(sets),
            page=CAUTIONS[code].page,
            source=citations.get(CAUTIONS[code].reference) if CAUTIONS[code].reference else None,
        )
        for (code, message, short), sets in found.items()
    )
