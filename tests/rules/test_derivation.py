"""What each set derives for itself: the clone from its sub-findings, VEGF elevation
from a measured value, endocrinopathy from its sub-findings."""

import itertools

import pytest

from checklist.rules import (
    CRITERIA_SETS,
    JAPAN_2015,
    JAPAN_2024,
    MAYO,
    MAYO_2003,
    SUICHI_2019,
    Case,
    Measurement,
    evaluate,
    evaluate_set,
)
from checklist.rules.logic import all_met, and_, at_least, or_
from tests.contract import SETS

VALUES = ("present", "absent", "unknown")
PARENT = "monoclonal_plasma_cell_disorder"
IFE = "m_protein_ife"
CELLS = "clonal_plasma_cells"
CLONE_RULE = "M-protein by immunofixation or clonal plasma cells on biopsy"
NO_CLONE_RULE = "no clonal plasma-cell disorder"
ULN_RULE = "at or below the laboratory's upper limit of normal"


def test_kleene_helpers():
    order = {"absent": 0, "unknown": 1, "present": 2}
    for a, b in itertools.product(VALUES, repeat=2):
        assert and_(a, b) == min(a, b, key=order.get)
        assert or_(a, b) == max(a, b, key=order.get)
    assert and_() == "present"
    assert or_() == "absent"
    assert at_least(2, 2, 0) == "met"
    assert at_least(2, 1, 1) == "indeterminate"
    assert at_least(2, 0, 1) == "not_met"
    assert all_met(["met", "indeterminate"]) == "indeterminate"
    assert all_met(["indeterminate", "not_met"]) == "not_met"
    assert all_met([]) == "met"


def codes(result):
    return [caution.code for caution in result.cautions]


def caution(result, code):
    (found,) = [c for c in result.cautions if c.code == code]
    return found


def kleene_or(values):
    if "present" in values:
        return "present"
    if "unknown" in values:
        return "unknown"
    return "absent"


# ------------------------------------------------------------------ the clone


def expected_clone(slug, parent, ife, cells):
    """(slug scored, value, derivation rule or None) for a set, from the contract."""
    if slug == "japan_2015":
        if ife == "unknown" and parent == "absent":
            return IFE, "absent", NO_CLONE_RULE
        return IFE, ife, None
    from_subfindings = kleene_or([ife, cells])
    if parent == "unknown" and from_subfindings != "unknown":
        return PARENT, from_subfindings, CLONE_RULE
    return PARENT, parent, None


@pytest.mark.parametrize("castleman", ["present", "absent"])
def test_every_combination_of_the_clone_findings(castleman):
    for parent, ife, cells in itertools.product(VALUES, repeat=3):
        case = Case.from_values(
            {PARENT: parent, IFE: ife, CELLS: cells, "castleman_disease": castleman}
        )
        results = evaluate(case)
        assert tuple(results) == SETS
        # The contract's wording: parent absent with a sub-finding present, or
        # parent present with both sub-findings absent.
        conflict = (parent == "absent" and "present" in (ife, cells)) or (
            parent == "present" and ife == cells == "absent"
        )
        shown = parent if parent != "unknown" else kleene_or([ife, cells])
        variant = castleman == "present" and shown == "absent"
        for slug, result in results.items():
            context = (slug, parent, ife, cells, castleman)
            scored, value, rule = expected_clone(slug, parent, ife, cells)
            other = IFE if scored == PARENT else PARENT
            assert result.findings[scored] == value, context
            assert other not in result.findings, context
            assert CELLS not in result.findings, context
            if rule is None:
                assert scored not in result.derived, context
            else:
                assert (result.derived[scored].value, result.derived[scored].rule) == (
                    value,
                    rule,
                ), context
            assert set(result.derived) <= {scored}, context
            assert ("monoclonal_conflict" in codes(result)) == conflict, context
            assert ("castleman_variant" in codes(result)) == variant, context
            if conflict:
                assert caution(result, "monoclonal_conflict").params == {
                    "explicit": parent,
                    "derived": "present" if parent == "absent" else "absent",
                    "rule": CLONE_RULE,
                }
            # Decisive unknowns name what the set scores, never the other clone slugs.
            assert {other, CELLS}.isdisjoint(result.decisive_unknowns), context


def test_an_m_protein_shows_the_clone_for_the_sets_that_score_the_parent():
    results = evaluate(Case.from_values({IFE: "present"}))
    for slug in ("mayo", "mayo_2003", "japan_2024", "suichi_2019"):
        assert results[slug].findings[PARENT] == "present"
        assert results[slug].derived[PARENT].rule == CLONE_RULE
        assert PARENT not in results[slug].decisive_unknowns
    assert results["japan_2015"].findings[IFE] == "present"
    assert results["japan_2015"].derived == {}


def test_a_clone_on_biopsy_alone_proves_no_m_protein_for_japan_2015():
    base = {
        "polyneuropathy": "present",
        "vegf_elevated": "present",
        "skin_changes": "present",
        CELLS: "present",
    }
    results = evaluate(Case.from_values(base))
    japan_2015 = results["japan_2015"]
    assert japan_2015.findings[IFE] == "unknown"
    assert (japan_2015.outcome, japan_2015.grade) == ("met", "probable")
    assert japan_2015.decisive_unknowns == (IFE,)
    japan_2024 = results["japan_2024"]
    assert japan_2024.findings[PARENT] == "present"
    assert (japan_2024.outcome, japan_2024.grade, japan_2024.decisive_unknowns) == (
        "met",
        "definite",
        (),
    )
    # The same with the parent given and no sub-finding.
    results = evaluate(Case.from_values({**base, CELLS: "unknown", PARENT: "present"}))
    assert results["japan_2015"].decisive_unknowns == (IFE,)
    assert results["japan_2024"].grade == "definite"


def test_no_clone_means_no_m_protein_for_japan_2015():
    values = {
        "polyneuropathy": "present",
        "vegf_elevated": "present",
        "organomegaly": "present",
        PARENT: "absent",
    }
    japan = evaluate_set(JAPAN_2015, Case.from_values(values))
    assert japan.findings[IFE] == "absent"
    assert (japan.derived[IFE].value, japan.derived[IFE].rule) == ("absent", NO_CLONE_RULE)
    assert (japan.outcome, japan.grade, japan.decisive_unknowns) == ("met", "probable", ())
    # Without the parent's answer the M-protein stays open, and decides Definite.
    del values[PARENT]
    japan = evaluate_set(JAPAN_2015, Case.from_values(values))
    assert japan.findings[IFE] == "unknown"
    assert japan.derived == {}
    assert japan.decisive_unknowns == (IFE,)


def test_an_explicit_clone_value_wins():
    case = Case.from_values({PARENT: "absent", IFE: "present"})
    results = evaluate(case)
    for slug in ("mayo", "mayo_2003", "japan_2024", "suichi_2019"):
        assert results[slug].findings[PARENT] == "absent"
        assert results[slug].derived == {}
    assert results["japan_2015"].findings[IFE] == "present"
    assert results["japan_2015"].derived == {}
    for result in results.values():
        assert "monoclonal_conflict" in codes(result)


def test_monoclonal_conflict_both_ways_on_every_set():
    for values in (
        {PARENT: "absent", CELLS: "present"},
        {PARENT: "absent", IFE: "present", CELLS: "absent"},
        {PARENT: "present", IFE: "absent", CELLS: "absent"},
    ):
        results = evaluate(Case.from_values(values))
        assert [slug for slug, r in results.items() if "monoclonal_conflict" in codes(r)] == list(
            SETS
        ), values
    for values in (
        {PARENT: "present", IFE: "absent"},  # the clone may be on a biopsy
        {PARENT: "absent", IFE: "absent"},
        {PARENT: "present", CELLS: "present"},
        {IFE: "present", CELLS: "absent"},
    ):
        results = evaluate(Case.from_values(values))
        assert not any("monoclonal_conflict" in codes(r) for r in results.values()), values


def test_castleman_variant_reads_the_derived_parent_on_every_set():
    values = {"castleman_disease": "present", IFE: "absent", CELLS: "absent"}
    results = evaluate(Case.from_values(values))
    assert all("castleman_variant" in codes(r) for r in results.values())
    # The parent left open by one unknown sub-finding: no variant yet.
    results = evaluate(Case.from_values({"castleman_disease": "present", IFE: "absent"}))
    assert not any("castleman_variant" in codes(r) for r in results.values())
    # An explicit parent wins over the sub-findings.
    values = {"castleman_disease": "present", PARENT: "present", IFE: "absent", CELLS: "absent"}
    results = evaluate(Case.from_values(values))
    assert not any("castleman_variant" in codes(r) for r in results.values())


# ---------------------------------------------------------------- VEGF


@pytest.mark.parametrize(
    ("criteria_set", "value", "expected"),
    [
        (MAYO, 200, "present"),
        (MAYO, 200.01, "present"),
        (MAYO, 1_000_000, "present"),
        (JAPAN_2015, 999.99, "absent"),
        (JAPAN_2015, 0, "absent"),
        (JAPAN_2015, 1000, "present"),
        (JAPAN_2015, 1000.01, "present"),
        (JAPAN_2024, 999.99, "absent"),
        (JAPAN_2024, 1000, "present"),
    ],
)
def test_vegf_threshold_is_inclusive(criteria_set, value, expected):
    case = Case.from_values({}, vegf=Measurement(value, criteria_set.vegf_rule.specimen))
    result = evaluate_set(criteria_set, case)
    assert result.findings["vegf_elevated"] == expected
    derivation = result.derived["vegf_elevated"]
    assert derivation.value == expected
    assert derivation.rule == criteria_set.vegf_rule.rule
    assert "vegf_specimen" not in codes(result)
    assert "vegf_below_cutoff" not in codes(result)
    assert ("vegf_confounders" in codes(result)) == (expected == "present")


@pytest.mark.parametrize("value", [0, 150, 199.99])
def test_mayo_vegf_below_200_is_not_a_rule_out(value):
    result = evaluate_set(MAYO, Case.from_values({}, vegf=Measurement(value, "plasma")))
    assert result.findings["vegf_elevated"] == "unknown"
    assert result.derived == {}
    assert "vegf_elevated" in result.decisive_unknowns
    assert caution(result, "vegf_below_cutoff").params == {
        "value": float(value),
        "threshold": 200.0,
        "specimen": "plasma",
    }


@pytest.mark.parametrize(
    ("value", "uln", "expected", "rule"),
    [
        # At, below and above the laboratory's upper limit of normal.
        (80, 80, "absent", ULN_RULE),
        (40, 80, "absent", ULN_RULE),
        (0, 0, "absent", ULN_RULE),
        (80.01, 80, "unknown", None),
        (150, 80, "unknown", None),
        (200, 80, "present", "plasma >= 200 pg/mL"),
        # An upper limit above 200: the lab's range is read first.
        (220, 250, "absent", ULN_RULE),
        (250, 250, "absent", ULN_RULE),
        (250.5, 250, "present", "plasma >= 200 pg/mL"),
    ],
)
def test_mayo_reads_the_laboratory_upper_limit_first(value, uln, expected, rule):
    result = evaluate_set(MAYO, Case.from_values({}, vegf=Measurement(value, "plasma", uln)))
    assert result.findings["vegf_elevated"] == expected
    if rule is None:
        assert result.derived == {}
        assert "vegf_below_cutoff" in codes(result)
    else:
        assert (result.derived["vegf_elevated"].value, result.derived["vegf_elevated"].rule) == (
            expected,
            rule,
        )
        assert "vegf_below_cutoff" not in codes(result)


@pytest.mark.parametrize("criteria_set", [JAPAN_2015, JAPAN_2024], ids=lambda s: s.slug)
@pytest.mark.parametrize(
    ("value", "uln", "expected"),
    [(500, 800, "absent"), (900, 800, "absent"), (1000, 2000, "present"), (5000, 100, "present")],
)
def test_the_japanese_sets_ignore_the_upper_limit(criteria_set, value, uln, expected):
    case = Case.from_values({}, vegf=Measurement(value, "serum", uln))
    result = evaluate_set(criteria_set, case)
    assert result.findings["vegf_elevated"] == expected
    assert result.derived["vegf_elevated"].rule == criteria_set.vegf_rule.rule
    assert "vegf_below_cutoff" not in codes(result)


@pytest.mark.parametrize(
    ("criteria_set", "specimen", "expected_specimen"),
    [(MAYO, "serum", "plasma"), (JAPAN_2015, "plasma", "serum"), (JAPAN_2024, "plasma", "serum")],
)
@pytest.mark.parametrize("uln", [None, 10, 100_000])
def test_vegf_in_the_other_specimen_stays_unknown(criteria_set, specimen, expected_specimen, uln):
    for value in (5, 150, 50_000):
        case = Case.from_values({}, vegf=Measurement(value, specimen, uln))
        result = evaluate_set(criteria_set, case)
        assert result.findings["vegf_elevated"] == "unknown"
        assert "vegf_elevated" not in result.derived
        assert caution(result, "vegf_specimen").params == {
            "specimen": specimen,
            "expected": expected_specimen,
        }
        assert "vegf_elevated" in result.decisive_unknowns
        assert "vegf_confounders" not in codes(result)
        assert "vegf_below_cutoff" not in codes(result)


@pytest.mark.parametrize("specimen", ["serum", "plasma"])
@pytest.mark.parametrize("value", [0, 199, 200, 999, 1000, 50_000])
@pytest.mark.parametrize("uln", [None, 500])
def test_suichi_derives_nothing_from_a_measured_vegf(specimen, value, uln):
    case = Case.from_values({}, vegf=Measurement(value, specimen, uln))
    result = evaluate_set(SUICHI_2019, case)
    assert result.findings["vegf_elevated"] == "unknown"
    assert result.derived == {}
    assert codes(result) == ["vegf_no_threshold"]
    assert caution(result, "vegf_no_threshold").params == {"specimen": specimen}


def test_suichi_uses_an_explicit_vegf_without_a_threshold_warning():
    case = Case.from_values({"vegf_elevated": "present"}, vegf=Measurement(10, "serum"))
    result = evaluate_set(SUICHI_2019, case)
    assert result.findings["vegf_elevated"] == "present"
    assert codes(result) == ["vegf_confounders"]


@pytest.mark.parametrize("specimen", ["serum", "plasma"])
@pytest.mark.parametrize("value", [0, 150, 199, 200, 999, 1000, 50_000])
@pytest.mark.parametrize("explicit", ["present", "absent", "unknown"])
def test_mayo_2003_ignores_vegf_entirely(specimen, value, explicit):
    case = Case.from_values({"vegf_elevated": explicit}, vegf=Measurement(value, specimen, uln=180))
    result = evaluate_set(MAYO_2003, case)
    assert "vegf_elevated" not in result.findings
    assert result.derived == {}
    assert result.cautions == ()
    assert "vegf_elevated" not in result.decisive_unknowns
    assert all("vegf_elevated" not in r.findings for r in result.requirements)


def test_mayo_2003_vegf_never_changes_the_outcome():
    base = {
        "polyneuropathy": "present",
        "monoclonal_plasma_cell_disorder": "present",
        "skin_changes": "present",
    }
    outcomes = {
        evaluate_set(MAYO_2003, Case.from_values({**base, "vegf_elevated": v}, vegf=m)).outcome
        for v in ("present", "absent", "unknown")
        for m in (None, Measurement(0, "plasma"), Measurement(5000, "serum"))
    }
    assert outcomes == {"met"}


@pytest.mark.parametrize(
    ("criteria_set", "measurement", "explicit", "measured", "rule"),
    [
        (MAYO, Measurement(300, "plasma"), "absent", "present", "plasma >= 200 pg/mL"),
        (MAYO, Measurement(300, "plasma", 350), "present", "absent", ULN_RULE),
        (MAYO, Measurement(80, "plasma", 100), "present", "absent", ULN_RULE),
        (JAPAN_2015, Measurement(1500, "serum"), "absent", "present", "serum >= 1000 pg/mL"),
        (JAPAN_2015, Measurement(300, "serum"), "present", "absent", "serum >= 1000 pg/mL"),
        (
            JAPAN_2024,
            Measurement(300, "serum", 5000),
            "present",
            "absent",
            "serum >= 1000 pg/mL (ELISA)",
        ),
    ],
)
def test_explicit_vegf_wins_over_the_measured_value_with_a_warning(
    criteria_set, measurement, explicit, measured, rule
):
    case = Case.from_values({"vegf_elevated": explicit}, vegf=measurement)
    result = evaluate_set(criteria_set, case)
    assert result.findings["vegf_elevated"] == explicit
    assert "vegf_elevated" not in result.derived
    expected = {
        "explicit": explicit,
        "measured": measured,
        "value": measurement.value,
        "specimen": measurement.specimen,
        "rule": rule,
    }
    if rule == ULN_RULE:
        expected["uln"] = measurement.uln
    assert caution(result, "vegf_conflict").params == expected


@pytest.mark.parametrize(
    ("criteria_set", "specimen", "value", "explicit"),
    [
        (MAYO, "plasma", 300, "present"),
        (JAPAN_2015, "serum", 1000, "present"),
        (JAPAN_2015, "serum", 999, "absent"),
        (JAPAN_2024, "serum", 999, "absent"),
        # Below Mayo's cut-off decides nothing, so it cannot disagree.
        (MAYO, "plasma", 100, "absent"),
        (MAYO, "plasma", 100, "present"),
        # The other specimen decides nothing either.
        (MAYO, "serum", 100, "present"),
        (JAPAN_2015, "plasma", 5000, "absent"),
    ],
)
def test_no_vegf_conflict_when_the_measured_value_agrees_or_decides_nothing(
    criteria_set, specimen, value, explicit
):
    case = Case.from_values({"vegf_elevated": explicit}, vegf=Measurement(value, specimen))
    result = evaluate_set(criteria_set, case)
    assert result.findings["vegf_elevated"] == explicit
    assert "vegf_conflict" not in codes(result)
    # Only an open VEGF elevation is left open by a value below the cut-off.
    assert "vegf_below_cutoff" not in codes(result)


def test_vegf_confounders_warning_follows_the_effective_value():
    results = evaluate(Case.from_values({"vegf_elevated": "present"}))
    assert [slug for slug, r in results.items() if "vegf_confounders" in codes(r)] == [
        "mayo",
        "japan_2015",
        "japan_2024",
        "suichi_2019",
    ]
    results = evaluate(Case.from_values({}, vegf=Measurement(250, "plasma")))
    assert [slug for slug, r in results.items() if "vegf_confounders" in codes(r)] == ["mayo"]
    results = evaluate(Case.from_values({}, vegf=Measurement(1250, "serum")))
    assert [slug for slug, r in results.items() if "vegf_confounders" in codes(r)] == [
        "japan_2015",
        "japan_2024",
    ]


def test_one_measurement_is_read_per_set():
    results = evaluate(Case.from_values({}, vegf=Measurement(1200, "serum")))
    assert [r.findings.get("vegf_elevated") for r in results.values()] == [
        "unknown",
        None,
        "present",
        "present",
        "unknown",
    ]
    results = evaluate(Case.from_values({}, vegf=Measurement(1200, "plasma")))
    assert [r.findings.get("vegf_elevated") for r in results.values()] == [
        "present",
        None,
        "unknown",
        "unknown",
        "unknown",
    ]


def test_measurement_validation():
    assert Measurement(200, "plasma").value == 200.0
    assert isinstance(Measurement(200, "plasma").value, float)
    assert Measurement(200, "plasma").uln is None
    assert Measurement(200, "plasma", 80).uln == 80.0
    assert isinstance(Measurement(200, "plasma", 80).uln, float)
    assert Measurement(200, "plasma", uln=0).uln == 0.0
    for bad in (-1, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="VEGF must be"):
            Measurement(bad, "plasma")
        with pytest.raises(ValueError, match="upper limit"):
            Measurement(200, "plasma", bad)
    with pytest.raises(ValueError):
        Measurement(200, "urine")
    with pytest.raises(ValueError):
        Case.from_values({}, vegf=200)


# ------------------------------------------------------- endocrinopathy

SUBFINDINGS = (
    "endocrinopathy_adrenal",
    "endocrinopathy_pituitary",
    "endocrinopathy_gonadal",
    "endocrinopathy_parathyroid",
    "endocrinopathy_thyroid",
    "endocrinopathy_diabetes",
)
MAYO_COUNTING = SUBFINDINGS[:4]


def expected_from_subfindings(slug, subfindings):
    counting = MAYO_COUNTING if slug == "mayo" else SUBFINDINGS
    return kleene_or([subfindings[s] for s in counting])


@pytest.mark.parametrize("explicit", VALUES)
def test_every_combination_of_endocrine_subfindings(explicit):
    for combination in itertools.product(VALUES, repeat=len(SUBFINDINGS)):
        subfindings = dict(zip(SUBFINDINGS, combination, strict=True))
        case = Case.from_values({**subfindings, "endocrinopathy": explicit})
        for criteria_set in CRITERIA_SETS:
            result = evaluate_set(criteria_set, case)
            derived = expected_from_subfindings(criteria_set.slug, subfindings)
            effective = derived if explicit == "unknown" else explicit
            context = (criteria_set.slug, explicit, subfindings)

            if criteria_set.slug == "suichi_2019":
                # Not a criterion there: nothing derived, nothing to warn about.
                assert "endocrinopathy" not in result.findings, context
                assert "endocrinopathy" not in result.derived, context
                assert "endocrinopathy_conflict" not in codes(result), context
                continue
            assert result.findings["endocrinopathy"] == effective, context

            if explicit == "unknown" and derived != "unknown":
                assert result.derived["endocrinopathy"].value == derived, context
                assert result.derived["endocrinopathy"].rule == criteria_set.endocrine_rule
            else:
                assert "endocrinopathy" not in result.derived, context

            conflict = explicit != "unknown" and derived not in ("unknown", explicit)
            assert ("endocrinopathy_conflict" in codes(result)) == conflict, context
            if conflict:
                params = caution(result, "endocrinopathy_conflict").params
                assert (params["explicit"], params["derived"]) == (explicit, derived)

            thyroid_or_diabetes = "present" in combination[4:]
            thyroid_diabetes_only = (
                criteria_set.slug == "mayo"
                and thyroid_or_diabetes
                and "present" not in combination[:4]
                and explicit != "present"
            )
            assert (
                "endocrinopathy_thyroid_diabetes_only" in codes(result)
            ) == thyroid_diabetes_only, context


def test_endocrine_rule_texts():
    assert MAYO.endocrine_rule == "any of adrenal, pituitary, gonadal, parathyroid"
    assert MAYO.endocrine_subfindings == MAYO_COUNTING
    for criteria_set in (MAYO_2003, JAPAN_2015, JAPAN_2024, SUICHI_2019):
        assert criteria_set.endocrine_subfindings == SUBFINDINGS
        assert criteria_set.endocrine_rule == (
            "any of adrenal, pituitary, gonadal, parathyroid, thyroid, diabetes"
        )


def test_explicit_endocrinopathy_wins_with_a_conflict_warning():
    scoring = ("mayo", "mayo_2003", "japan_2015", "japan_2024")  # Suichi 2019 does not score it
    case = Case.from_values({"endocrinopathy": "absent", "endocrinopathy_adrenal": "present"})
    results = evaluate(case)
    for slug in scoring:
        assert results[slug].findings["endocrinopathy"] == "absent"
        assert "endocrinopathy_conflict" in codes(results[slug])
    assert "endocrinopathy_conflict" not in codes(results["suichi_2019"])
    case = Case.from_values({"endocrinopathy": "present", **dict.fromkeys(SUBFINDINGS, "absent")})
    results = evaluate(case)
    for slug in scoring:
        assert results[slug].findings["endocrinopathy"] == "present"
        assert "endocrinopathy_conflict" in codes(results[slug])
    assert "endocrinopathy_conflict" not in codes(results["suichi_2019"])


def test_thyroid_alone_is_a_conflict_for_mayo_only_when_endocrinopathy_is_explicit():
    values = {
        "endocrinopathy": "present",
        "endocrinopathy_thyroid": "present",
        **dict.fromkeys(MAYO_COUNTING, "absent"),
    }
    results = evaluate(Case.from_values(values))
    assert "endocrinopathy_conflict" in codes(results["mayo"])
    assert "endocrinopathy_conflict" not in codes(results["japan_2015"])
    assert results["mayo"].findings["endocrinopathy"] == "present"
