"""Every checklist of the 11 scored findings (3**11 of them) against an oracle.

The oracle states each published rule again as plain booleans, written here
without the engine's rule data, and resolves unknowns by brute force: a
partial checklist's facts are built from its two children (its first unknown
set absent / present), so all 3**11 partial checklists cost one pass.

Per partial checklist p and per rule r of a set:
* all_true[p] has bit r when r holds in every completion of p,
* any_true[p] has bit r when r holds in some completion of p,
* decisive[p] has bit i when unknown finding i changes (outcome, grade) for
  some completion of the other unknowns (the contract's definition).
"""

import dataclasses
import itertools

import pytest

from checklist.rules import (
    CRITERIA_SETS,
    CRITERIA_SETS_BY_SLUG,
    ENDOCRINE_SUBFINDINGS,
    FINDINGS,
    JAPAN_2015,
    MANDATORY_MAJOR,
    MAYO,
    MINOR,
    OTHER_MAJOR,
    OTHER_SIGNS,
    SCORED,
    Case,
    Grade,
    Requirement,
    VegfRule,
    evaluate_set,
)
from tests.contract import SCORED as CONTRACT_SCORED
from tests.contract import SLUGS as CONTRACT_SLUGS

# The contract's scored findings, in its table order.
SLUGS = CONTRACT_SCORED
N = len(SLUGS)
ABSENT, PRESENT, UNKNOWN = 0, 1, 2
VALUE_NAMES = ("absent", "present", "unknown")
# Digit k of a code (most significant first) is the value of SLUGS[k].
WEIGHTS = tuple(3 ** (N - 1 - k) for k in range(N))


def mayo(f):
    return (
        f["polyneuropathy"]
        and f["monoclonal_plasma_cell_disorder"]
        and (f["castleman_disease"] or f["sclerotic_bone_lesions"] or f["vegf_elevated"])
        and (
            f["organomegaly"]
            or f["extravascular_volume_overload"]
            or f["endocrinopathy"]
            or f["skin_changes"]
            or f["papilledema"]
            or f["thrombocytosis_polycythemia"]
        )
    )


def mayo_2003(f):
    return (
        f["polyneuropathy"]
        and f["monoclonal_plasma_cell_disorder"]
        and (
            f["sclerotic_bone_lesions"]
            or f["castleman_disease"]
            or f["organomegaly"]
            or f["extravascular_volume_overload"]
            or f["endocrinopathy"]
            or f["skin_changes"]
            or f["papilledema"]
        )
    )


def japan_minor_count(f):
    return sum(
        (
            f["sclerotic_bone_lesions"],
            f["castleman_disease"],
            f["organomegaly"],
            f["extravascular_volume_overload"],
            f["endocrinopathy"],
            f["skin_changes"],
            f["papilledema"],
            f["thrombocytosis_polycythemia"],
        )
    )


def japan_definite(f):
    return (
        f["polyneuropathy"]
        and f["vegf_elevated"]
        and f["monoclonal_plasma_cell_disorder"]
        and japan_minor_count(f) >= 1
    )


def japan_probable(f):
    return f["polyneuropathy"] and f["vegf_elevated"] and japan_minor_count(f) >= 1


def japan_possible(f):
    return f["polyneuropathy"] and japan_minor_count(f) >= 2


def suichi_2019(f):
    minor = sum(
        (
            f["extravascular_volume_overload"],
            f["skin_changes"],
            f["organomegaly"],
            f["sclerotic_bone_lesions"],
        )
    )
    return (
        f["polyneuropathy"]
        and f["monoclonal_plasma_cell_disorder"]
        and f["vegf_elevated"]
        and minor >= 2
    )


# Per set: its grade rules, highest first (one unnamed rule for a plain set),
# and its informational extra rules.
ORACLE = {
    "mayo": {"grades": ((None, mayo),), "extra": ()},
    "mayo_2003": {"grades": ((None, mayo_2003),), "extra": ()},
    "japan_2015": {
        "grades": (("definite", japan_definite), ("probable", japan_probable)),
        "extra": (("possible", japan_possible),),
    },
    "suichi_2019": {"grades": ((None, suichi_2019),), "extra": ()},
}


def status(rule_bit, all_true, any_true):
    if all_true & rule_bit:
        return "met"
    if not any_true & rule_bit:
        return "not_met"
    return "indeterminate"


def full_result(grade_truths):
    """(outcome, grade) of a checklist without unknowns."""
    for slug, truth in grade_truths:
        if truth:
            return ("met", slug)
    return ("not_met", None)


def build_oracle(slug):
    spec = ORACLE[slug]
    rules = [rule for _, rule in spec["grades"]] + [rule for _, rule in spec["extra"]]
    size = 3**N
    all_true = [0] * size
    any_true = [0] * size
    decisive = [0] * size
    result = [None] * size
    for code, digits in enumerate(itertools.product((ABSENT, PRESENT, UNKNOWN), repeat=N)):
        unknowns = [k for k, d in enumerate(digits) if d == UNKNOWN]
        if not unknowns:
            f = {s: d == PRESENT for s, d in zip(SLUGS, digits, strict=True)}
            truths = [bool(rule(f)) for rule in rules]
            mask = sum(1 << r for r, t in enumerate(truths) if t)
            all_true[code] = any_true[code] = mask
            grade_truths = [(g, t) for (g, _), t in zip(spec["grades"], truths, strict=False)]
            result[code] = full_result(grade_truths)
            continue
        # Children replace an unknown digit (2) by absent (0) or present (1):
        # their codes are smaller, so they were computed already.
        first = unknowns[0]
        absent_child = code - 2 * WEIGHTS[first]
        present_child = code - WEIGHTS[first]
        all_true[code] = all_true[absent_child] & all_true[present_child]
        any_true[code] = any_true[absent_child] | any_true[present_child]
        # Any other unknown is decisive here iff it is so with `first` fixed
        # either way.
        mask = decisive[absent_child] | decisive[present_child]
        # `first` itself: fix another unknown either way, or compare directly.
        if len(unknowns) == 1:
            if result[absent_child] != result[present_child]:
                mask |= 1 << first
        else:
            second = unknowns[1]
            other = decisive[code - 2 * WEIGHTS[second]] | decisive[code - WEIGHTS[second]]
            mask |= other & (1 << first)
        decisive[code] = mask
    return spec, all_true, any_true, decisive


@pytest.mark.parametrize("slug", [criteria_set.slug for criteria_set in CRITERIA_SETS])
def test_every_checklist_matches_the_oracle(slug):
    criteria_set = CRITERIA_SETS_BY_SLUG[slug]
    spec, all_true, any_true, decisive = build_oracle(slug)
    grades = spec["grades"]
    graded = grades[0][0] is not None
    grade_bits = [1 << r for r in range(len(grades))]
    extra_bits = [(name, 1 << (len(grades) + e)) for e, (name, _) in enumerate(spec["extra"])]

    mismatches = []
    for code, digits in enumerate(itertools.product((ABSENT, PRESENT, UNKNOWN), repeat=N)):
        values = {s: VALUE_NAMES[d] for s, d in zip(SLUGS, digits, strict=True)}
        result = evaluate_set(criteria_set, Case.from_values(values))

        met_grades = [
            g for (g, _), bit in zip(grades, grade_bits, strict=True) if all_true[code] & bit
        ]
        if met_grades:
            outcome = "met"
        elif not any(any_true[code] & bit for bit in grade_bits):
            outcome = "not_met"
        else:
            outcome = "indeterminate"
        expected = {
            "outcome": outcome,
            "grade": met_grades[0] if graded and met_grades else None,
            "decisive_unknowns": tuple(s for k, s in enumerate(SLUGS) if decisive[code] & (1 << k)),
            "extra_grades": {
                name: status(bit, all_true[code], any_true[code]) for name, bit in extra_bits
            },
        }
        actual = {
            "outcome": result.outcome,
            "grade": result.grade,
            "decisive_unknowns": result.decisive_unknowns,
            "extra_grades": result.extra_grades,
        }
        if actual != expected:
            mismatches.append((values, expected, actual))
            if len(mismatches) >= 5:
                break
    assert not mismatches, mismatches


def test_the_engine_has_the_contract_slugs_in_order():
    assert SCORED == SLUGS
    assert CONTRACT_SLUGS[11:18] == OTHER_SIGNS
    assert CONTRACT_SLUGS[18:] == ENDOCRINE_SUBFINDINGS
    assert FINDINGS == CONTRACT_SLUGS
    assert FINDINGS == SLUGS + OTHER_SIGNS + ENDOCRINE_SUBFINDINGS
    assert MANDATORY_MAJOR + OTHER_MAJOR + MINOR == SLUGS
    assert (len(MANDATORY_MAJOR), len(OTHER_MAJOR), len(MINOR)) == (2, 3, 6)


@pytest.mark.parametrize("criteria_set", CRITERIA_SETS, ids=lambda s: s.slug)
def test_structural_assumptions_of_the_decisive_computation(criteria_set):
    """The engine's decisive unknowns rely on two properties of the rule data:
    the requirements of one rule share no finding, and each grade's rule
    implies the rule of the grade below it. Check both by brute force here."""
    requirements = {r.key: r for r in criteria_set.requirements}
    if criteria_set.grades:
        rules = [[requirements[key] for key in grade.requirements] for grade in criteria_set.grades]
    else:
        rules = [list(criteria_set.requirements)]
    for rule in rules:
        findings = [f for requirement in rule for f in requirement.findings]
        assert len(findings) == len(set(findings)), "requirements of a rule share a finding"

    def holds(rule, present):
        return all(
            sum(f in present for f in requirement.findings) >= requirement.need
            for requirement in rule
        )

    used = criteria_set.findings
    for higher, lower in itertools.pairwise(rules):
        for bits in itertools.product((False, True), repeat=len(used)):
            present = {f for f, bit in zip(used, bits, strict=True) if bit}
            assert not holds(higher, present) or holds(lower, present)


def test_criteria_data_refuses_rules_the_engine_cannot_evaluate():
    def requirement(findings, need, key="r"):
        return Requirement(key=key, label=key, findings=findings, need=need)

    for findings, need in [
        (("polyneuropathy",), 0),
        (("polyneuropathy",), 2),
        (("polyneuropathy", "polyneuropathy"), 1),
        (("clubbing",), 1),
    ]:
        with pytest.raises(ValueError):
            requirement(findings, need)
    with pytest.raises(ValueError):
        VegfRule(specimen="urine", threshold=1, rule="", source=MAYO.source)

    overlapping = (
        requirement(("polyneuropathy", "organomegaly"), 2, "a"),
        requirement(("organomegaly", "skin_changes"), 1, "b"),
    )
    not_nested = (
        Grade(slug="definite", label="", requirements=("minor",)),
        Grade(slug="probable", label="", requirements=("major", "minor")),
    )
    for changes in [
        {"requirements": MAYO.requirements * 2},
        {"requirements": overlapping, "uses_vegf": False, "vegf_rule": None},
        {"endocrine_subfindings": ("endocrinopathy",)},
        {"uses_vegf": False},
        {"requirements": overlapping[:1], "uses_vegf": False},
    ]:
        with pytest.raises(ValueError):
            dataclasses.replace(MAYO, **changes)
    with pytest.raises(ValueError):
        dataclasses.replace(JAPAN_2015, grades=not_nested)
    assert dataclasses.replace(JAPAN_2015, grades=JAPAN_2015.grades[1:]).graded


def test_requirement_lookup_and_all_of():
    assert MAYO.requirement("mandatory_major").all_of
    assert not MAYO.requirement("minor").all_of
    assert JAPAN_2015.graded and not MAYO.graded
    with pytest.raises(KeyError):
        MAYO.requirement("definite")
