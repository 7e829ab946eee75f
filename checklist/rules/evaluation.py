"""Three-valued evaluation of a checklist against each criteria set.

Per set: derive endocrinopathy and VEGF elevation when they are unknown, count
each requirement, combine the requirements (Kleene AND, exact because the
requirements of one rule share no finding), and find the decisive unknowns.

Decisive unknowns are computed from the structure of the rules, not by
enumerating assignments. A rule is an AND of threshold requirements over
disjoint findings, so an unknown finding f of requirement R can flip the rule
exactly when (a) no other requirement of the rule is certainly not met (each
can then be met by some assignment of its own unknowns, independently of R),
and (b) some assignment of R's other unknowns leaves R one short of its need:
    others_present <= need - 1 <= others_present + others_unknown
which does not depend on which of R's unknowns f is. For a graded set the
result (outcome, grade) is fixed by the grades' rules; because each grade's
rule implies the one below it (checked in `criteria.py`), f changes (outcome,
grade) for some assignment iff f is decisive for at least one grade's rule.
The tests check this against brute force on all 3**11 checklists.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .criteria import CRITERIA_SETS
from .findings import (
    ABSENT,
    CASTLEMAN_DISEASE,
    ENDOCRINOPATHY,
    ENDOCRINOPATHY_DIABETES,
    ENDOCRINOPATHY_THYROID,
    FINDINGS,
    MONOCLONAL_PLASMA_CELL_DISORDER,
    OTHER_SIGNS,
    PRESENT,
    SPECIMENS,
    UNKNOWN,
    VALUES,
    VEGF_ELEVATED,
)
from .logic import INDETERMINATE, MET, NOT_MET, all_met, at_least, or_

# Warning codes; the web layer turns code + params into translated text.
CASTLEMAN_VARIANT = "castleman_variant"
ENDOCRINOPATHY_THYROID_DIABETES_ONLY = "endocrinopathy_thyroid_diabetes_only"
ENDOCRINOPATHY_CONFLICT = "endocrinopathy_conflict"
VEGF_SPECIMEN = "vegf_specimen"
VEGF_NO_THRESHOLD = "vegf_no_threshold"
VEGF_CONFLICT = "vegf_conflict"
VEGF_CONFOUNDERS = "vegf_confounders"
UNSCORED_SIGNS_PRESENT = "unscored_signs_present"
WARNING_CODES = (
    CASTLEMAN_VARIANT,
    ENDOCRINOPATHY_THYROID_DIABETES_ONLY,
    ENDOCRINOPATHY_CONFLICT,
    VEGF_SPECIMEN,
    VEGF_NO_THRESHOLD,
    VEGF_CONFLICT,
    VEGF_CONFOUNDERS,
    UNSCORED_SIGNS_PRESENT,
)

THYROID_DIABETES = (ENDOCRINOPATHY_THYROID, ENDOCRINOPATHY_DIABETES)

_FINDINGS_SET = frozenset(FINDINGS)
_VALUES_SET = frozenset(VALUES)
_ALL_UNKNOWN = dict.fromkeys(FINDINGS, UNKNOWN)


@dataclass(frozen=True, slots=True)
class Measurement:
    """A VEGF concentration in pg/mL and the specimen it was measured in."""

    value: float
    specimen: str

    def __post_init__(self):
        value = float(self.value)
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"VEGF must be a finite number >= 0, not {self.value!r}")
        if self.specimen not in SPECIMENS:
            raise ValueError(f"unknown VEGF specimen {self.specimen!r}")
        object.__setattr__(self, "value", value)


@dataclass(frozen=True, slots=True)
class Case:
    """One checklist: a value for every finding slug, and an optional VEGF.

    Slugs left out are unknown. Unknown slugs or values raise ValueError.
    """

    findings: Mapping
    vegf: Measurement | None = None

    def __post_init__(self):
        given = self.findings
        if not _FINDINGS_SET.issuperset(given):
            extra = sorted(set(given) - _FINDINGS_SET)
            raise ValueError(f"unknown finding slug(s): {', '.join(map(str, extra))}")
        if not _VALUES_SET.issuperset(given.values()):
            bad = sorted({str(v) for v in given.values()} - _VALUES_SET)
            raise ValueError(f"unknown finding value(s): {', '.join(bad)}")
        if self.vegf is not None and not isinstance(self.vegf, Measurement):
            raise ValueError("vegf must be a Measurement or None")
        complete = dict(_ALL_UNKNOWN)
        complete.update(given)
        object.__setattr__(self, "findings", MappingProxyType(complete))

    @classmethod
    def from_values(cls, values, vegf=None):
        """Build a case from a mapping of slug -> value; missing slugs are unknown."""
        return cls(findings=dict(values), vegf=vegf)


@dataclass(frozen=True, slots=True)
class Derivation:
    """A value a set derived for itself, and the rule it used (short English text)."""

    value: str
    rule: str


@dataclass(frozen=True, slots=True)
class Warning:
    """A caution for one set: a stable code and its parameters (no text)."""

    code: str
    params: dict


# The two result records are built for every request (ten requirements, four sets), so
# they are plain slotted dataclasses: frozen ones cost a third of the evaluation time.
# Nothing changes them after evaluate() returns them.
@dataclass(slots=True)
class RequirementResult:
    key: str
    label: str
    status: str
    have: int
    need: int
    findings: tuple
    present: tuple
    unknown: tuple


@dataclass(slots=True)
class SetResult:
    slug: str
    label: str
    version: str
    source: object
    outcome: str
    grade: str | None
    extra_grades: dict
    findings: dict
    derived: dict
    decisive_unknowns: tuple
    requirements: tuple
    warnings: tuple
    # Status of each grade's rule, highest first; empty for a plain set.
    grade_statuses: dict


def evaluate(case, criteria_sets=CRITERIA_SETS):
    """Evaluate `case` against each set, in set order: {set slug: SetResult}."""
    return {criteria_set.slug: evaluate_set(criteria_set, case) for criteria_set in criteria_sets}


def evaluate_set(criteria_set, case):
    given = case.findings
    warnings = []
    derived = {}
    values = {slug: given[slug] for slug in criteria_set.findings}

    if given[CASTLEMAN_DISEASE] == PRESENT and given[MONOCLONAL_PLASMA_CELL_DISORDER] == ABSENT:
        warnings.append(Warning(CASTLEMAN_VARIANT, {}))

    _derive_endocrinopathy(criteria_set, given, values, derived, warnings)
    if criteria_set.uses_vegf:
        _derive_vegf(criteria_set, given, case.vegf, values, derived, warnings)

    unscored = tuple(slug for slug in OTHER_SIGNS if given[slug] == PRESENT)
    if unscored:
        warnings.append(Warning(UNSCORED_SIGNS_PRESENT, {"slugs": unscored}))

    requirement_results = tuple(
        _requirement_result(requirement, values) for requirement in criteria_set.requirements
    )
    statuses = [result.status for result in requirement_results]

    decisive = set()
    rule_statuses = []
    for _, positions in criteria_set.rules:
        rule_statuses.append(all_met([statuses[p] for p in positions]))
        not_met = sum(1 for p in positions if statuses[p] == NOT_MET)
        for p in positions:
            result = requirement_results[p]
            others_not_met = not_met - 1 if result.status == NOT_MET else not_met
            if others_not_met:
                continue
            # One more present among this requirement's unknowns flips it, while
            # the rest of them can still be assigned so it is one short.
            if result.have <= result.need - 1 <= result.have + len(result.unknown) - 1:
                decisive.update(result.unknown)

    if criteria_set.grades:
        grade_statuses = {
            grade.slug: status
            for grade, status in zip(criteria_set.grades, rule_statuses, strict=True)
        }
        # Grades are listed highest first.
        grade = next((slug for slug, status in grade_statuses.items() if status == MET), None)
        if grade is not None:
            outcome = MET
        elif all(status == NOT_MET for status in rule_statuses):
            outcome = NOT_MET
        else:
            outcome = INDETERMINATE
    else:
        grade_statuses = {}
        grade = None
        outcome = rule_statuses[0]

    extra_grades = {
        extra.slug: all_met(
            [_requirement_status(requirement, values) for requirement in extra.requirements]
        )
        for extra in criteria_set.extra_grades
    }

    return SetResult(
        slug=criteria_set.slug,
        label=criteria_set.label,
        version=criteria_set.version,
        source=criteria_set.source,
        outcome=outcome,
        grade=grade,
        extra_grades=extra_grades,
        findings=values,
        derived=derived,
        decisive_unknowns=tuple(slug for slug in criteria_set.findings if slug in decisive),
        requirements=requirement_results,
        warnings=tuple(warnings),
        grade_statuses=grade_statuses,
    )


def _requirement_result(requirement, values):
    present = []
    unknown = []
    for slug in requirement.findings:
        value = values[slug]
        if value == PRESENT:
            present.append(slug)
        elif value == UNKNOWN:
            unknown.append(slug)
    return RequirementResult(
        key=requirement.key,
        label=requirement.label,
        status=at_least(requirement.need, len(present), len(unknown)),
        have=len(present),
        need=requirement.need,
        findings=requirement.findings,
        present=tuple(present),
        unknown=tuple(unknown),
    )


def _requirement_status(requirement, values):
    present = unknown = 0
    for slug in requirement.findings:
        value = values[slug]
        if value == PRESENT:
            present += 1
        elif value == UNKNOWN:
            unknown += 1
    return at_least(requirement.need, present, unknown)


def _derive_endocrinopathy(criteria_set, given, values, derived, warnings):
    if ENDOCRINOPATHY not in values:
        return  # not a criterion of this set (Suichi 2019): nothing to derive or warn about
    counting = [given[slug] for slug in criteria_set.endocrine_subfindings]
    from_subfindings = or_(*counting)
    explicit = given[ENDOCRINOPATHY]

    # A set that leaves thyroid disease and diabetes out of its sub-findings
    # (Mayo's footnote: either alone, or both, is not enough) says so when
    # they are all the checklist shows.
    if explicit != PRESENT and PRESENT not in counting:
        alone = tuple(
            slug
            for slug in THYROID_DIABETES
            if given[slug] == PRESENT and slug not in criteria_set.endocrine_subfindings
        )
        if alone:
            warnings.append(Warning(ENDOCRINOPATHY_THYROID_DIABETES_ONLY, {"slugs": alone}))

    if explicit == UNKNOWN:
        if from_subfindings != UNKNOWN:
            derived[ENDOCRINOPATHY] = Derivation(from_subfindings, criteria_set.endocrine_rule)
            if ENDOCRINOPATHY in values:
                values[ENDOCRINOPATHY] = from_subfindings
    elif from_subfindings != UNKNOWN and from_subfindings != explicit:
        warnings.append(
            Warning(
                ENDOCRINOPATHY_CONFLICT,
                {
                    "explicit": explicit,
                    "derived": from_subfindings,
                    "rule": criteria_set.endocrine_rule,
                },
            )
        )


def _derive_vegf(criteria_set, given, measurement, values, derived, warnings):
    explicit = given[VEGF_ELEVATED]
    rule = criteria_set.vegf_rule
    measured = UNKNOWN
    if measurement is not None:
        if rule is None:
            if explicit == UNKNOWN:
                warnings.append(Warning(VEGF_NO_THRESHOLD, {"specimen": measurement.specimen}))
        elif measurement.specimen != rule.specimen:
            warnings.append(
                Warning(
                    VEGF_SPECIMEN,
                    {"specimen": measurement.specimen, "expected": rule.specimen},
                )
            )
        else:
            measured = PRESENT if measurement.value >= rule.threshold else ABSENT

    if measured != UNKNOWN:
        if explicit == UNKNOWN:
            values[VEGF_ELEVATED] = measured
            derived[VEGF_ELEVATED] = Derivation(measured, rule.rule)
        elif explicit != measured:
            warnings.append(
                Warning(
                    VEGF_CONFLICT,
                    {
                        "explicit": explicit,
                        "measured": measured,
                        "value": measurement.value,
                        "specimen": measurement.specimen,
                        "rule": rule.rule,
                    },
                )
            )
    if values[VEGF_ELEVATED] == PRESENT:
        warnings.append(Warning(VEGF_CONFOUNDERS, {}))
