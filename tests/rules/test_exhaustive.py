"""Every checklist of the 12 scored findings (3**12 of them), for every set, against an oracle.

The oracle states each published rule again as plain booleans, written here
without the engine's rule data, over the findings that set reads (japan_2015
reads m_protein_ife, the others the parent monoclonal_plasma_cell_disorder).
It applies the contract's clone derivation itself (clonal_plasma_cells is
unknown in these checklists):
* japan_2015: m_protein_ife unknown with the parent absent is absent;
* the others: the parent unknown with m_protein_ife present is present.
It then resolves unknowns by brute force: a partial checklist's facts are built
from its two children (its first unknown set absent / present), so all the
partial checklists of a set cost one pass.

Per partial checklist p (of the findings a set reads) and per rule r of the set:
* all_true[p] has bit r when r holds in every completion of p,
* any_true[p] has bit r when r holds in some completion of p,
* decisive[p] has bit i when unknown finding i changes (outcome, grade) for
  some completion of the other unknowns (the contract's definition).

Each raw checklist is then mapped to the code of the set's own derived values,
and the engine's result is compared with the oracle's expectation for that code.
"""

import dataclasses
import functools
import itertools

import pytest

from checklist.rules import (
    CRITERIA_SETS,
    CRITERIA_SETS_BY_SLUG,
    JAPAN_2015,
    JAPAN_2024,
    MAYO,
    Case,
    evaluate_set,
)
from tests.contract import SCORED, SETS

ABSENT, PRESENT, UNKNOWN = 0, 1, 2
DIGITS = (ABSENT, PRESENT, UNKNOWN)
VALUE_NAMES = ("absent", "present", "unknown")
PARENT = "monoclonal_plasma_cell_disorder"
IFE = "m_protein_ife"
# The raw checklist: the clone pair, and the ten other scored findings.
OTHERS = tuple(slug for slug in SCORED if slug not in (PARENT, IFE))

JAPAN_MINOR = (
    "sclerotic_bone_lesions",
    "castleman_disease",
    "organomegaly",
    "extravascular_volume_overload",
    "endocrinopathy",
    "skin_changes",
    "papilledema",
    "thrombocytosis_polycythemia",
)


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
    return sum(f[slug] for slug in JAPAN_MINOR)


def japanese(clone):
    """Definite, Probable and Possible of a Japanese set whose clone item is `clone`."""

    def definite(f):
        return f["polyneuropathy"] and f["vegf_elevated"] and f[clone] and japan_minor_count(f) >= 1

    def probable(f):
        return f["polyneuropathy"] and f["vegf_elevated"] and japan_minor_count(f) >= 1

    def possible(f):
        return f["polyneuropathy"] and japan_minor_count(f) >= 2

    return {
        "grades": (("definite", definite), ("probable", probable)),
        "extra": (("possible", possible),),
    }


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


MAIN = SCORED[:11]
# Per set: the findings its rules read (a rule reading any other raises KeyError),
# the finding it reads as the clone, its grade rules, highest first (one unnamed
# rule for a plain set), and its informational extra rules.
ORACLE = {
    "mayo": {"reads": MAIN, "clone": PARENT, "grades": ((None, mayo),), "extra": ()},
    "mayo_2003": {
        "reads": tuple(
            s for s in MAIN if s not in ("vegf_elevated", "thrombocytosis_polycythemia")
        ),
        "clone": PARENT,
        "grades": ((None, mayo_2003),),
        "extra": (),
    },
    "japan_2015": {
        "reads": tuple(s for s in SCORED if s != PARENT),
        "clone": IFE,
        **japanese(IFE),
    },
    "japan_2024": {"reads": MAIN, "clone": PARENT, **japanese(PARENT)},
    "suichi_2019": {
        "reads": (
            "polyneuropathy",
            "monoclonal_plasma_cell_disorder",
            "sclerotic_bone_lesions",
            "vegf_elevated",
            "organomegaly",
            "extravascular_volume_overload",
            "skin_changes",
        ),
        "clone": PARENT,
        "grades": ((None, suichi_2019),),
        "extra": (),
    },
}


def derived_clone(spec, parent, ife):
    """The set's own value of the clone finding it reads (contract v3), as a digit."""
    if spec["clone"] == IFE:
        return ABSENT if ife == UNKNOWN and parent == ABSENT else ife
    return PRESENT if parent == UNKNOWN and ife == PRESENT else parent


def weights(reads):
    # Digit k of a code (most significant first) is the value of reads[k].
    return {slug: 3 ** (len(reads) - 1 - k) for k, slug in enumerate(reads)}


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


def brute_force(spec):
    """all_true, any_true and decisive for every partial checklist of spec["reads"]."""
    reads = spec["reads"]
    n = len(reads)
    weight = [3 ** (n - 1 - k) for k in range(n)]
    rules = [rule for _, rule in spec["grades"]] + [rule for _, rule in spec["extra"]]
    size = 3**n
    all_true = [0] * size
    any_true = [0] * size
    decisive = [0] * size
    result = [None] * size
    for code, digits in enumerate(itertools.product(DIGITS, repeat=n)):
        unknowns = [k for k, d in enumerate(digits) if d == UNKNOWN]
        if not unknowns:
            f = {s: d == PRESENT for s, d in zip(reads, digits, strict=True)}
            truths = [bool(rule(f)) for rule in rules]
            mask = sum(1 << r for r, t in enumerate(truths) if t)
            all_true[code] = any_true[code] = mask
            grade_truths = [(g, t) for (g, _), t in zip(spec["grades"], truths, strict=False)]
            result[code] = full_result(grade_truths)
            continue
        # Children replace an unknown digit (2) by absent (0) or present (1):
        # their codes are smaller, so they were computed already.
        first = unknowns[0]
        absent_child = code - 2 * weight[first]
        present_child = code - weight[first]
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
            other = decisive[code - 2 * weight[second]] | decisive[code - weight[second]]
            mask |= other & (1 << first)
        decisive[code] = mask
    return all_true, any_true, decisive


@functools.cache
def expected_results(slug):
    """(outcome, grade, decisive_unknowns, extra_grades) per code of the set's own values."""
    spec = ORACLE[slug]
    reads = spec["reads"]
    all_true, any_true, decisive = brute_force(spec)
    grades = spec["grades"]
    graded = grades[0][0] is not None
    grade_bits = [(grade, 1 << r) for r, (grade, _) in enumerate(grades)]
    any_grade = sum(bit for _, bit in grade_bits)
    extra_bits = [(name, 1 << (len(grades) + e)) for e, (name, _) in enumerate(spec["extra"])]
    # Decisive masks repeat a lot: build each tuple of slugs once.
    decisive_slugs = functools.cache(
        lambda mask: tuple(s for k, s in enumerate(reads) if mask & (1 << k))
    )
    expected = []
    for code in range(3 ** len(reads)):
        met = next((grade for grade, bit in grade_bits if all_true[code] & bit), False)
        if met is not False:
            outcome, grade = "met", met if graded else None
        elif any_true[code] & any_grade:
            outcome, grade = "indeterminate", None
        else:
            outcome, grade = "not_met", None
        extra = {name: status(bit, all_true[code], any_true[code]) for name, bit in extra_bits}
        expected.append((outcome, grade, decisive_slugs(decisive[code]), extra))
    return expected


@functools.cache
def other_codes(slug):
    """The part of the set's code given by OTHERS, for each of their 3**10 checklists
    in itertools.product order (findings the set does not read add nothing)."""
    weight = weights(ORACLE[slug]["reads"])
    codes = [0]
    for other in OTHERS:
        w = weight.get(other, 0)
        codes = [code + d * w for code in codes for d in DIGITS]
    return codes


def mismatches(parent, ife, pairs, limit=5):
    """Compare the engine with the oracle on the 3**10 checklists of the other
    findings with this clone pair; `pairs` are (oracle slug, criteria set)."""
    sets = []
    for slug, criteria_set in pairs:
        spec = ORACLE[slug]
        clone_code = derived_clone(spec, parent, ife) * weights(spec["reads"])[spec["clone"]]
        sets.append((criteria_set, clone_code, other_codes(slug), expected_results(slug)))
    clone_values = {PARENT: VALUE_NAMES[parent], IFE: VALUE_NAMES[ife]}

    found = []
    for index, names in enumerate(itertools.product(VALUE_NAMES, repeat=len(OTHERS))):
        values = dict(zip(OTHERS, names, strict=True))
        values.update(clone_values)
        case = Case(values)
        for criteria_set, clone_code, codes, expected in sets:
            result = evaluate_set(criteria_set, case)
            actual = (result.outcome, result.grade, result.decisive_unknowns, result.extra_grades)
            if actual != expected[codes[index] + clone_code]:
                found.append(
                    (criteria_set.slug, values, expected[codes[index] + clone_code], actual)
                )
        if len(found) >= limit:
            break
    return found


@pytest.mark.parametrize(
    ("parent", "ife"),
    list(itertools.product(DIGITS, repeat=2)),
    ids=lambda d: VALUE_NAMES[d],
)
def test_every_checklist_matches_the_oracle(parent, ife):
    """The 3**10 checklists of the other findings, with this clone pair, for every set."""
    pairs = [(criteria_set.slug, criteria_set) for criteria_set in CRITERIA_SETS]
    assert not mismatches(parent, ife, pairs)


def test_the_oracle_covers_every_set_and_reads_what_each_set_scores():
    assert tuple(ORACLE) == SETS
    assert tuple(criteria_set.slug for criteria_set in CRITERIA_SETS) == SETS
    for slug, spec in ORACLE.items():
        assert CRITERIA_SETS_BY_SLUG[slug].findings == spec["reads"], slug


@pytest.mark.parametrize(
    ("oracle", "criteria_set", "parent", "ife"),
    [
        # One more minor criterion needed than Mayo's rule says.
        (
            "mayo",
            dataclasses.replace(
                MAYO,
                requirements=(
                    *MAYO.requirements[:2],
                    dataclasses.replace(MAYO.requirements[2], need=2),
                ),
            ),
            PRESENT,
            UNKNOWN,
        ),
        # The 2024 set read as the 2015 one: a clone on biopsy is not an M-protein.
        ("japan_2015", JAPAN_2024, PRESENT, UNKNOWN),
        # The 2015 set read as the 2024 one.
        ("japan_2024", JAPAN_2015, UNKNOWN, UNKNOWN),
        # A clone shown, the M-protein by immunofixation absent.
        ("japan_2024", JAPAN_2015, PRESENT, ABSENT),
    ],
    ids=["mayo-minor-need", "2024-as-2015", "2015-as-2024", "2015-as-2024-ife-absent"],
)
def test_the_comparison_catches_a_wrong_rule(oracle, criteria_set, parent, ife):
    assert mismatches(parent, ife, [(oracle, criteria_set)], limit=1)
