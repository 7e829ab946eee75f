"""The rule data: the contract's names, each set's content, and the checks that
refuse data the evaluation cannot handle."""

import dataclasses
import itertools

import pytest

from checklist.rules import (
    CLONE_SUBFINDINGS,
    CRITERIA_SETS,
    CRITERIA_SETS_BY_SLUG,
    ENDOCRINE_SUBFINDINGS,
    FINDINGS,
    JAPAN_2015,
    JAPAN_2024,
    MANDATORY_MAJOR,
    MAYO,
    MAYO_2003,
    MINOR,
    ORDER,
    OTHER_MAJOR,
    OTHER_SIGNS,
    RULES_VERSION,
    SCORED,
    SUBFINDINGS,
    SUICHI_2019,
    WARNING_CODES,
    ExtraGrade,
    Grade,
    Requirement,
)
from checklist.rules import findings as findings_module
from tests.contract import SCORED as CONTRACT_SCORED
from tests.contract import SETS as CONTRACT_SETS
from tests.contract import SLUGS as CONTRACT_SLUGS
from tests.contract import WARNING_CODES as CONTRACT_WARNING_CODES

PARENT = "monoclonal_plasma_cell_disorder"
IFE = "m_protein_ife"

# ------------------------------------------------------------- the contract


def test_the_engine_has_the_contract_slugs_in_order():
    assert FINDINGS == CONTRACT_SLUGS
    assert len(FINDINGS) == 26
    assert CONTRACT_SLUGS[:11] == MANDATORY_MAJOR + OTHER_MAJOR + MINOR
    assert (len(MANDATORY_MAJOR), len(OTHER_MAJOR), len(MINOR)) == (2, 3, 6)
    assert CONTRACT_SLUGS[11:18] == OTHER_SIGNS
    assert CONTRACT_SLUGS[18:24] == ENDOCRINE_SUBFINDINGS
    assert CONTRACT_SLUGS[24:] == CLONE_SUBFINDINGS == (IFE, "clonal_plasma_cells")
    assert SCORED == CONTRACT_SCORED
    assert dict(ORDER) == {slug: index for index, slug in enumerate(CONTRACT_SLUGS)}


def test_every_slug_has_one_constant():
    constants = {
        name: value
        for name, value in vars(findings_module).items()
        if name.isupper() and isinstance(value, str) and value in FINDINGS
    }
    assert sorted(constants.values()) == sorted(FINDINGS)
    assert {name.lower() for name in constants} == set(FINDINGS)


def test_subfindings_sit_under_their_parent():
    assert dict(SUBFINDINGS) == {
        "endocrinopathy": CONTRACT_SLUGS[18:24],
        PARENT: (IFE, "clonal_plasma_cells"),
    }


def test_sets_and_warning_codes_are_the_contract_ones():
    assert tuple(criteria_set.slug for criteria_set in CRITERIA_SETS) == CONTRACT_SETS
    assert tuple(CRITERIA_SETS_BY_SLUG) == CONTRACT_SETS
    assert len(set(WARNING_CODES)) == len(WARNING_CODES)
    assert set(WARNING_CODES) == set(CONTRACT_WARNING_CODES)


def test_rules_version():
    assert RULES_VERSION == "2026.11.29"


# ------------------------------------------------------------ each set's data


def test_the_mayo_set_uses_the_checklist_grouping():
    # One home for the grouping: the same tuples, not copies.
    findings = [requirement.findings for requirement in MAYO.requirements]
    assert findings[0] is MANDATORY_MAJOR
    assert findings[1] is OTHER_MAJOR
    assert findings[2] is MINOR


@pytest.mark.parametrize(
    ("criteria_set", "names"),
    [
        (
            MAYO,
            {
                "mandatory_major": "Mandatory major criteria",
                "other_major": "Other major criteria",
                "minor": "Minor criteria",
            },
        ),
        (MAYO_2003, {"major": "Major criteria", "minor": "Minor criteria"}),
        (
            JAPAN_2015,
            {
                "major": "Major criteria",
                "probable_major": "Major criteria for Probable",
                "minor": "Minor criteria",
            },
        ),
        (
            JAPAN_2024,
            {
                "major": "Major criteria",
                "probable_major": "Major criteria for Probable",
                "minor": "Minor criteria",
            },
        ),
        (SUICHI_2019, {"major": "Major criteria", "minor": "Minor criteria"}),
    ],
    ids=lambda value: getattr(value, "slug", ""),
)
def test_requirements_are_named_by_group(criteria_set, names):
    assert {r.key: r.name for r in criteria_set.requirements} == names
    for requirement in criteria_set.requirements:
        assert set(requirement.findings) <= set(SCORED)
        assert not hasattr(requirement, "label")


def test_the_japanese_possible_grade_is_named_by_group():
    for criteria_set in (JAPAN_2015, JAPAN_2024):
        (possible,) = criteria_set.extra_grades
        assert possible.slug == "possible"
        assert [(r.key, r.name, r.need) for r in possible.requirements] == [
            ("possible_major", "Polyneuropathy", 1),
            ("possible_minor", "Minor criteria", 2),
        ]


@pytest.mark.parametrize(
    ("slug", "clone", "cautions", "wording"),
    [
        ("mayo", PARENT, (), ()),
        ("mayo_2003", PARENT, (), ()),
        (
            "japan_2015",
            IFE,
            (),
            (("thrombocytosis_polycythemia", "thrombocytosis_wording"),),
        ),
        (
            "japan_2024",
            PARENT,
            ("myeloma_exclusion",),
            (("thrombocytosis_polycythemia", "thrombocytosis_wording"),),
        ),
        ("suichi_2019", PARENT, (), ()),
    ],
)
def test_clone_and_set_cautions(slug, clone, cautions, wording):
    criteria_set = CRITERIA_SETS_BY_SLUG[slug]
    assert criteria_set.clone == clone
    assert criteria_set.cautions == cautions
    assert criteria_set.wording_cautions == wording
    # The set scores its clone and no other clone finding.
    assert clone in criteria_set.findings
    assert {PARENT, IFE} & set(criteria_set.findings) == {clone}
    assert "minor" in [r.key for r in criteria_set.requirements]


def test_japan_2024_is_japan_2015_with_any_clone():
    assert (JAPAN_2024.label, JAPAN_2024.version) == (
        "Japanese MHLW criteria (2024 revision)",
        "2024",
    )
    assert JAPAN_2024.source.url == "https://www.mhlw.go.jp/stf/newpage_46002.html"
    assert JAPAN_2024.source.year == 2024
    assert "26 November 2024" in JAPAN_2024.source.citation
    assert JAPAN_2015.label == "Japanese MHLW criteria (2015)"
    major_2015, *rest_2015 = JAPAN_2015.requirements
    major_2024, *rest_2024 = JAPAN_2024.requirements
    assert major_2015.findings == ("polyneuropathy", "vegf_elevated", IFE)
    assert major_2024.findings == ("polyneuropathy", "vegf_elevated", PARENT)
    assert rest_2015 == rest_2024
    assert len(rest_2015[1].findings) == 8  # the same eight minor items, one by one
    assert JAPAN_2015.grades == JAPAN_2024.grades
    assert [grade.slug for grade in JAPAN_2024.grades] == ["definite", "probable"]
    assert JAPAN_2015.extra_grades == JAPAN_2024.extra_grades


@pytest.mark.parametrize(
    ("slug", "specimen", "threshold", "rule", "below", "uln_rule"),
    [
        (
            "mayo",
            "plasma",
            200,
            "plasma >= 200 pg/mL",
            "unknown",
            "at or below the laboratory's upper limit of normal",
        ),
        ("japan_2015", "serum", 1000, "serum >= 1000 pg/mL", "absent", ""),
        ("japan_2024", "serum", 1000, "serum >= 1000 pg/mL (ELISA)", "absent", ""),
    ],
)
def test_vegf_rules(slug, specimen, threshold, rule, below, uln_rule):
    vegf_rule = CRITERIA_SETS_BY_SLUG[slug].vegf_rule
    assert (
        vegf_rule.specimen,
        vegf_rule.threshold,
        vegf_rule.rule,
        vegf_rule.below,
        vegf_rule.uln_rule,
    ) == (specimen, threshold, rule, below, uln_rule)


def test_sets_without_a_vegf_rule():
    assert SUICHI_2019.vegf_rule is None
    assert SUICHI_2019.uses_vegf
    assert MAYO_2003.vegf_rule is None
    assert not MAYO_2003.uses_vegf
    assert "D'Souza" in MAYO.vegf_rule.source.citation
    assert JAPAN_2024.vegf_rule.source is JAPAN_2024.source


# ------------------------------------------------------- structure and checks


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


def requirement(findings, need, key="r"):
    return Requirement(key=key, name=key, findings=findings, need=need)


@pytest.mark.parametrize(
    ("findings", "need", "message"),
    [
        (("polyneuropathy",), 0, "need 0 of 1"),
        (("polyneuropathy",), 2, "need 2 of 1"),
        (("polyneuropathy", "polyneuropathy"), 1, "repeated finding"),
        (("clubbing",), 1, "not a scored finding"),
        (("clonal_plasma_cells",), 1, "not a scored finding"),
        (("endocrinopathy_adrenal",), 1, "not a scored finding"),
    ],
)
def test_a_requirement_refuses_what_the_engine_cannot_count(findings, need, message):
    with pytest.raises(ValueError, match=message):
        requirement(findings, need)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"specimen": "urine"}, "unknown specimen"),
        ({"threshold": 0}, "threshold"),
        ({"threshold": float("nan")}, "threshold"),
        ({"threshold": float("inf")}, "threshold"),
        ({"below": "present"}, "below the threshold"),
        ({"rule": ""}, "needs its text"),
    ],
)
def test_a_vegf_rule_refuses_what_the_engine_cannot_read(changes, message):
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(MAYO.vegf_rule, **changes)


OVERLAPPING = (
    requirement(("polyneuropathy", PARENT), 2, "a"),
    requirement((PARENT, "skin_changes"), 1, "minor"),
)
RENAMED_MINOR = (*MAYO.requirements[:2], dataclasses.replace(MAYO.requirements[2], key="lesser"))
NOT_NESTED = (
    Grade(slug="definite", label="", requirements=("minor",)),
    Grade(slug="probable", label="", requirements=("major", "minor")),
)
PARENT_FOR_INFORMATION = (
    ExtraGrade(slug="possible", label="", requirements=(requirement((PARENT,), 1),)),
)
OVERLAPPING_EXTRA = (
    ExtraGrade(
        slug="possible",
        label="",
        requirements=(
            requirement(("polyneuropathy", "skin_changes"), 1, "a"),
            requirement(("skin_changes",), 1, "b"),
        ),
    ),
)


@pytest.mark.parametrize(
    ("base", "changes", "message"),
    [
        (MAYO, {"requirements": MAYO.requirements * 2}, "repeated requirement key"),
        (MAYO, {"requirements": RENAMED_MINOR}, "no requirement keyed 'minor'"),
        (
            MAYO,
            {"requirements": OVERLAPPING, "uses_vegf": False, "vegf_rule": None},
            "share a finding",
        ),
        (JAPAN_2015, {"grades": NOT_NESTED}, "does not imply"),
        (
            JAPAN_2015,
            {"grades": (Grade(slug="definite", label="", requirements=("majors",)),)},
            "names no requirement",
        ),
        (JAPAN_2015, {"extra_grades": OVERLAPPING_EXTRA}, "share a finding"),
        (MAYO, {"endocrine_subfindings": ("endocrinopathy",)}, "endocrine sub-finding"),
        (MAYO, {"uses_vegf": False}, "uses_vegf disagrees"),
        (MAYO_2003, {"vegf_rule": MAYO.vegf_rule}, "a VEGF rule for a set"),
        (MAYO, {"clone": "clonal_plasma_cells"}, "the clone must be one of"),
        (MAYO, {"clone": IFE}, "no requirement scores the clone"),
        (JAPAN_2015, {"extra_grades": PARENT_FOR_INFORMATION}, "other than 'm_protein_ife'"),
        (MAYO, {"cautions": ("vegf_confounders",)}, "data can attach only"),
        (MAYO, {"cautions": ("myeloma_exclusion",) * 2}, "attached twice"),
        (
            MAYO,
            {
                "cautions": ("thrombocytosis_wording",),
                "wording_cautions": JAPAN_2015.wording_cautions,
            },
            "attached twice",
        ),
        (MAYO_2003, {"wording_cautions": JAPAN_2015.wording_cautions}, "on an unscored"),
    ],
)
def test_a_criteria_set_refuses_rules_the_engine_cannot_evaluate(base, changes, message):
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(base, **changes)


def test_the_checks_accept_what_the_engine_can_evaluate():
    one_grade = dataclasses.replace(JAPAN_2015, grades=JAPAN_2015.grades[1:])
    assert one_grade.rules == (("probable", (1, 2)),)
    with_cautions = dataclasses.replace(
        MAYO,
        cautions=("myeloma_exclusion",),
        wording_cautions=JAPAN_2015.wording_cautions,
    )
    assert with_cautions.findings == MAYO.findings
