"""Three-valued evaluation of a checklist against each criteria set.

Per set, in named steps:

1. `_derive_values`: the set's scored findings as given, with the clone,
   endocrinopathy and VEGF elevation derived when they are unknown;
2. `_requirement_results`: count each requirement;
3. `_rule_statuses` and `_outcome_and_grade`: combine the requirements of each
   rule (Kleene AND, exact because the requirements of one rule share no
   finding) into the outcome and the grade;
4. `_decisive_unknowns`;
5. `_cautions`: what the result must be read with.

Decisive unknowns are computed from the structure of the rules, not by
enumerating assignments, on the set's scored findings after derivation. A rule
is an AND of threshold requirements over disjoint findings, and a finding only
ever helps a requirement, so an unknown finding f of requirement R can flip the
rule exactly when
  (a) no other requirement of the rule is certainly not met: each of them can
      then be met by some assignment of its own unknowns, independently of R;
  (b) some assignment of R's other unknowns leaves R exactly one short of its
      need: others_present <= need - 1 <= others_present + others_unknown.
Given (a), (b) holds exactly when R is indeterminate (present < need <=
present + unknown), whichever of R's unknowns f is; a met R satisfies neither
side, a not-met R fails (a) for its rule. So f is decisive for a rule iff f is
an unknown of an indeterminate requirement of a rule with no requirement not
met. For a graded set the result (outcome, grade) is fixed by the truth of the
grades' rules; because each grade's rule implies the one below it (checked in
`criteria.py`), flipping one rule changes (outcome, grade), so f changes it for
some assignment iff f is decisive for at least one grade's rule. The tests check
this against brute force on every checklist of the scored findings.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .cautions import (
    ATYPICAL_WITHOUT_M_PROTEIN,
    CASTLEMAN_VARIANT,
    CODE_ORDER,
    ENDOCRINOPATHY_CONFLICT,
    ENDOCRINOPATHY_THYROID_DIABETES_ONLY,
    GRADE_WITHOUT_CLONE,
    MINOR_OTHER_CAUSE,
    MONOCLONAL_CONFLICT,
    UNSCORED_SIGNS_PRESENT,
    VEGF_BELOW_CUTOFF,
    VEGF_CONFLICT,
    VEGF_CONFOUNDERS,
    VEGF_NO_THRESHOLD,
    VEGF_SPECIMEN,
    WARNING_CODES,
    Caution,
)
from .criteria import CLONE_RULE, CRITERIA_SETS, MINOR_KEY, NO_CLONE_RULE
from .findings import (
    ABSENT,
    CASTLEMAN_DISEASE,
    CLONAL_PLASMA_CELLS,
    ENDOCRINOPATHY,
    ENDOCRINOPATHY_DIABETES,
    ENDOCRINOPATHY_THYROID,
    FINDINGS,
    M_PROTEIN_IFE,
    MONOCLONAL_PLASMA_CELL_DISORDER,
    OTHER_SIGNS,
    PRESENT,
    SPECIMENS,
    UNKNOWN,
    VALUES,
    VEGF_ELEVATED,
)
from .logic import INDETERMINATE, MET, NOT_MET, all_met, at_least, or_

__all__ = [
    "WARNING_CODES",
    "Case",
    "Caution",
    "Derivation",
    "Measurement",
    "RequirementResult",
    "SetResult",
    "evaluate",
    "evaluate_set",
]

THYROID_DIABETES = (ENDOCRINOPATHY_THYROID, ENDOCRINOPATHY_DIABETES)

_FINDINGS_SET = frozenset(FINDINGS)
_VALUES_SET = frozenset(VALUES)
_ALL_UNKNOWN = dict.fromkeys(FINDINGS, UNKNOWN)


def _concentration(value, what):
    number = float(value)
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"{what} must be a finite number >= 0, not {value!r}")
    return number


@dataclass(frozen=True, slots=True)
class Measurement:
    """A VEGF concentration in pg/mL, the specimen it was measured in, and
    optionally the reporting laboratory's upper limit of normal (pg/mL)."""

    value: float
    specimen: str
    uln: float | None = None

    def __post_init__(self):
        object.__setattr__(self, "value", _concentration(self.value, "VEGF"))
        if self.specimen not in SPECIMENS:
            raise ValueError(f"unknown VEGF specimen {self.specimen!r}")
        if self.uln is not None:
            object.__setattr__(self, "uln", _concentration(self.uln, "the VEGF upper limit"))


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


# The two result records are built for every request (about fifteen requirements,
# five sets), so they are plain slotted dataclasses: frozen ones cost a third of the
# evaluation time. Nothing changes them after evaluate() returns them.
@dataclass(slots=True)
class RequirementResult:
    key: str
    name: str
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
    # The set's scored findings after derivation, in the contract's order.
    findings: dict
    derived: dict
    decisive_unknowns: tuple
    requirements: tuple
    # In the order of WARNING_CODES, each code at most once.
    cautions: tuple


def evaluate(case, criteria_sets=CRITERIA_SETS):
    """Evaluate `case` against each set, in set order: {set slug: SetResult}."""
    return {criteria_set.slug: evaluate_set(criteria_set, case) for criteria_set in criteria_sets}


def evaluate_set(criteria_set, case):
    values, derived, cautions = _derive_values(criteria_set, case)
    requirements = _requirement_results(criteria_set, values)
    rule_statuses = _rule_statuses(criteria_set, requirements)
    outcome, grade = _outcome_and_grade(criteria_set, rule_statuses)
    # Positional arguments, in field order: keywords make building the records
    # markedly slower, and they are built for every set of every request.
    return SetResult(
        criteria_set.slug,
        criteria_set.label,
        criteria_set.version,
        criteria_set.source,
        outcome,
        grade,
        _extra_grades(criteria_set, values),
        values,
        derived,
        _decisive_unknowns(criteria_set, requirements, rule_statuses),
        requirements,
        _cautions(criteria_set, case.findings, values, requirements, grade, cautions),
    )


# ------------------------------------------------------------------ derivation


def _derive_values(criteria_set, case):
    """The set's scored findings, with what it derives for itself.

    Returns (values, derived, cautions): `derived` holds a Derivation for each
    value the set derived; `cautions` those the derivations raised.
    """
    given = case.findings
    values = {slug: given[slug] for slug in criteria_set.findings}
    derived = {}
    cautions = []
    _derive_clone(criteria_set, given, values, derived, cautions)
    if ENDOCRINOPATHY in values:
        _derive_endocrinopathy(criteria_set, given, values, derived, cautions)
    if criteria_set.uses_vegf:
        _derive_vegf(criteria_set, given[VEGF_ELEVATED], case.vegf, values, derived, cautions)
    return values, derived, cautions


def _derive_clone(criteria_set, given, values, derived, cautions):
    """The clone (contract v3).

    The parent (a clone shown by any means) is, when unknown, the OR of its two
    sub-findings. A set that scores the narrower M-protein by immunofixation
    takes it as absent when the parent is absent, and otherwise leaves it as
    given: a clone shown on biopsy alone does not prove an M-protein.
    """
    parent = given[MONOCLONAL_PLASMA_CELL_DISORDER]
    from_subfindings = or_(given[M_PROTEIN_IFE], given[CLONAL_PLASMA_CELLS])
    if UNKNOWN not in (parent, from_subfindings) and parent != from_subfindings:
        cautions.append(
            Caution(
                MONOCLONAL_CONFLICT,
                {"explicit": parent, "derived": from_subfindings, "rule": CLONE_RULE},
            )
        )
    clone_shown = from_subfindings if parent == UNKNOWN else parent
    if given[CASTLEMAN_DISEASE] == PRESENT and clone_shown == ABSENT:
        cautions.append(Caution(CASTLEMAN_VARIANT, {}))

    if criteria_set.clone == MONOCLONAL_PLASMA_CELL_DISORDER:
        if parent == UNKNOWN and from_subfindings != UNKNOWN:
            values[MONOCLONAL_PLASMA_CELL_DISORDER] = from_subfindings
            derived[MONOCLONAL_PLASMA_CELL_DISORDER] = Derivation(from_subfindings, CLONE_RULE)
    elif values[M_PROTEIN_IFE] == UNKNOWN and parent == ABSENT:
        values[M_PROTEIN_IFE] = ABSENT
        derived[M_PROTEIN_IFE] = Derivation(ABSENT, NO_CLONE_RULE)


def _derive_endocrinopathy(criteria_set, given, values, derived, cautions):
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
            cautions.append(Caution(ENDOCRINOPATHY_THYROID_DIABETES_ONLY, {"slugs": alone}))

    if explicit == UNKNOWN:
        if from_subfindings != UNKNOWN:
            values[ENDOCRINOPATHY] = from_subfindings
            derived[ENDOCRINOPATHY] = Derivation(from_subfindings, criteria_set.endocrine_rule)
    elif from_subfindings != UNKNOWN and from_subfindings != explicit:
        cautions.append(
            Caution(
                ENDOCRINOPATHY_CONFLICT,
                {
                    "explicit": explicit,
                    "derived": from_subfindings,
                    "rule": criteria_set.endocrine_rule,
                },
            )
        )


def _derive_vegf(criteria_set, explicit, measurement, values, derived, cautions):
    rule = criteria_set.vegf_rule
    if measurement is None:
        pass
    elif rule is None:
        if explicit == UNKNOWN:
            cautions.append(Caution(VEGF_NO_THRESHOLD, {"specimen": measurement.specimen}))
    elif measurement.specimen != rule.specimen:
        cautions.append(
            Caution(VEGF_SPECIMEN, {"specimen": measurement.specimen, "expected": rule.specimen})
        )
    else:
        _decide_vegf(rule, explicit, measurement, values, derived, cautions)
    if values[VEGF_ELEVATED] == PRESENT:
        cautions.append(Caution(VEGF_CONFOUNDERS, {}))


def _read_vegf(rule, measurement):
    """(value, rule text, whether the ULN decided) for a value in the rule's specimen."""
    if rule.uln_rule and measurement.uln is not None and measurement.value <= measurement.uln:
        return ABSENT, rule.uln_rule, True
    if measurement.value >= rule.threshold:
        return PRESENT, rule.rule, False
    return rule.below, rule.rule, False


def _decide_vegf(rule, explicit, measurement, values, derived, cautions):
    measured, text, by_uln = _read_vegf(rule, measurement)
    if measured == UNKNOWN:
        # Below a specificity cut-off: not a rule-out, and said so unless the
        # checklist settles VEGF elevation itself.
        if explicit == UNKNOWN:
            cautions.append(
                Caution(
                    VEGF_BELOW_CUTOFF,
                    {
                        "value": measurement.value,
                        "threshold": rule.threshold,
                        "specimen": measurement.specimen,
                    },
                )
            )
    elif explicit == UNKNOWN:
        values[VEGF_ELEVATED] = measured
        derived[VEGF_ELEVATED] = Derivation(measured, text)
    elif explicit != measured:
        params = {
            "explicit": explicit,
            "measured": measured,
            "value": measurement.value,
            "specimen": measurement.specimen,
            "rule": text,
        }
        if by_uln:
            params["uln"] = measurement.uln
        cautions.append(Caution(VEGF_CONFLICT, params))


# ----------------------------------------------------------- counting and rules


def _requirement_results(criteria_set, values):
    results = []
    for requirement in criteria_set.requirements:
        present = []
        unknown = []
        for slug in requirement.findings:
            value = values[slug]
            if value == PRESENT:
                present.append(slug)
            elif value == UNKNOWN:
                unknown.append(slug)
        have = len(present)
        results.append(
            RequirementResult(  # positional, in field order (see evaluate_set)
                requirement.key,
                requirement.name,
                at_least(requirement.need, have, len(unknown)),
                have,
                requirement.need,
                requirement.findings,
                tuple(present),
                tuple(unknown),
            )
        )
    return tuple(results)


def _rule_statuses(criteria_set, requirements):
    """Status of each rule (one per grade, highest first; one for a plain set)."""
    return [
        all_met([requirements[p].status for p in positions]) for _, positions in criteria_set.rules
    ]


def _outcome_and_grade(criteria_set, rule_statuses):
    if not criteria_set.grades:
        return rule_statuses[0], None
    # The highest grade certainly met; grades are listed highest first.
    for (grade, _), status in zip(criteria_set.rules, rule_statuses, strict=True):
        if status == MET:
            return MET, grade
    if all(status == NOT_MET for status in rule_statuses):
        return NOT_MET, None
    return INDETERMINATE, None


def _extra_grades(criteria_set, values):
    return {
        extra.slug: all_met(
            [_requirement_status(requirement, values) for requirement in extra.requirements]
        )
        for extra in criteria_set.extra_grades
    }


def _requirement_status(requirement, values):
    present = unknown = 0
    for slug in requirement.findings:
        value = values[slug]
        if value == PRESENT:
            present += 1
        elif value == UNKNOWN:
            unknown += 1
    return at_least(requirement.need, present, unknown)


def _decisive_unknowns(criteria_set, requirements, rule_statuses):
    """The unknowns of the indeterminate requirements of the rules that are not
    certainly missed (see the module docstring), in the contract's order."""
    decisive = set()
    for (_, positions), status in zip(criteria_set.rules, rule_statuses, strict=True):
        if status == NOT_MET:
            continue
        for position in positions:
            requirement = requirements[position]
            if requirement.status == INDETERMINATE:
                decisive.update(requirement.unknown)
    return tuple(slug for slug in criteria_set.findings if slug in decisive)


# ------------------------------------------------------------------- cautions


def _cautions(criteria_set, given, values, requirements, grade, cautions):
    """The derivations' cautions and the result's, in the order of WARNING_CODES."""
    clone = criteria_set.clone
    for code in criteria_set.cautions:
        cautions.append(Caution(code, {}))
    for requirement in requirements:
        if requirement.key == MINOR_KEY:
            minor = requirement.present
            break
    else:  # criteria.py refuses a set without one
        raise LookupError(f"{criteria_set.slug}: no {MINOR_KEY!r} requirement")
    if minor:
        # Minor criteria count only when no other condition explains them.
        cautions.append(Caution(MINOR_OTHER_CAUSE, {"slugs": minor}))
        if (
            len(minor) >= 2
            and criteria_set.uses_vegf
            and values[clone] == ABSENT
            and values[VEGF_ELEVATED] == PRESENT
        ):
            # Atypical POEMS without a detectable M-protein (He T, Ann Hematol 2019).
            cautions.append(Caution(ATYPICAL_WITHOUT_M_PROTEIN, {"clone": clone, "slugs": minor}))
    if grade is not None and not _grade_scores_clone(criteria_set, grade):
        cautions.append(Caution(GRADE_WITHOUT_CLONE, {"grade": grade, "clone": clone}))
    for finding, code in criteria_set.wording_cautions:
        if values[finding] == PRESENT:
            cautions.append(Caution(code, {"slug": finding}))
    unscored = [slug for slug in OTHER_SIGNS if given[slug] == PRESENT]
    if unscored:
        cautions.append(Caution(UNSCORED_SIGNS_PRESENT, {"slugs": tuple(unscored)}))
    # Each code is raised at most once: by one step above, or by the set's data
    # (whose codes criteria.py keeps apart from these and distinct).
    if len(cautions) > 1:
        cautions.sort(key=_code_order)
    return tuple(cautions)


def _code_order(caution):
    return CODE_ORDER[caution.code]


def _grade_scores_clone(criteria_set, grade):
    for slug, positions in criteria_set.rules:
        if slug == grade:
            return any(
                criteria_set.clone in criteria_set.requirements[p].findings for p in positions
            )
    raise KeyError(grade)
