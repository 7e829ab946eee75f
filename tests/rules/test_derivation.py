"""Deriving VEGF elevation from a measured value and endocrinopathy from its sub-findings."""

import itertools

import pytest

from checklist.rules import (
    CRITERIA_SETS,
    JAPAN_2015,
    MAYO,
    MAYO_2003,
    SUICHI_2019,
    Case,
    Measurement,
    evaluate,
    evaluate_set,
)
from checklist.rules.logic import all_met, and_, at_least, or_

VALUES = ("present", "absent", "unknown")


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
    return [warning.code for warning in result.warnings]


def warning(result, code):
    (found,) = [w for w in result.warnings if w.code == code]
    return found


# ---------------------------------------------------------------- VEGF


@pytest.mark.parametrize(
    ("criteria_set", "specimen", "value", "expected"),
    [
        (MAYO, "plasma", 199.99, "absent"),
        (MAYO, "plasma", 200, "present"),
        (MAYO, "plasma", 200.01, "present"),
        (MAYO, "plasma", 0, "absent"),
        (JAPAN_2015, "serum", 999.99, "absent"),
        (JAPAN_2015, "serum", 1000, "present"),
        (JAPAN_2015, "serum", 1000.01, "present"),
        (JAPAN_2015, "serum", 1_000_000, "present"),
    ],
)
def test_vegf_threshold_is_inclusive(criteria_set, specimen, value, expected):
    case = Case.from_values({}, vegf=Measurement(value, specimen))
    result = evaluate_set(criteria_set, case)
    assert result.findings["vegf_elevated"] == expected
    derivation = result.derived["vegf_elevated"]
    assert derivation.value == expected
    assert derivation.rule == criteria_set.vegf_rule.rule
    assert "vegf_specimen" not in codes(result)
    assert ("vegf_confounders" in codes(result)) == (expected == "present")


def test_vegf_rule_texts():
    assert MAYO.vegf_rule.rule == "plasma >= 200 pg/mL"
    assert MAYO.vegf_rule.threshold == 200
    assert JAPAN_2015.vegf_rule.rule == "serum >= 1000 pg/mL (ELISA)"
    assert JAPAN_2015.vegf_rule.threshold == 1000
    assert "D'Souza" in MAYO.vegf_rule.source.citation


@pytest.mark.parametrize(
    ("criteria_set", "specimen", "expected_specimen"),
    [(MAYO, "serum", "plasma"), (JAPAN_2015, "plasma", "serum")],
)
def test_vegf_in_the_other_specimen_stays_unknown(criteria_set, specimen, expected_specimen):
    case = Case.from_values({}, vegf=Measurement(50_000, specimen))
    result = evaluate_set(criteria_set, case)
    assert result.findings["vegf_elevated"] == "unknown"
    assert "vegf_elevated" not in result.derived
    assert warning(result, "vegf_specimen").params == {
        "specimen": specimen,
        "expected": expected_specimen,
    }
    assert "vegf_elevated" in result.decisive_unknowns
    assert "vegf_confounders" not in codes(result)


@pytest.mark.parametrize("specimen", ["serum", "plasma"])
@pytest.mark.parametrize("value", [0, 199, 200, 999, 1000, 50_000])
def test_suichi_derives_nothing_from_a_measured_vegf(specimen, value):
    result = evaluate_set(SUICHI_2019, Case.from_values({}, vegf=Measurement(value, specimen)))
    assert result.findings["vegf_elevated"] == "unknown"
    assert result.derived == {}
    assert codes(result) == ["vegf_no_threshold"]
    assert warning(result, "vegf_no_threshold").params == {"specimen": specimen}


def test_suichi_uses_an_explicit_vegf_without_a_threshold_warning():
    case = Case.from_values({"vegf_elevated": "present"}, vegf=Measurement(10, "serum"))
    result = evaluate_set(SUICHI_2019, case)
    assert result.findings["vegf_elevated"] == "present"
    assert codes(result) == ["vegf_confounders"]


@pytest.mark.parametrize("specimen", ["serum", "plasma"])
@pytest.mark.parametrize("value", [0, 199, 200, 999, 1000, 50_000])
@pytest.mark.parametrize("explicit", ["present", "absent", "unknown"])
def test_mayo_2003_ignores_vegf_entirely(specimen, value, explicit):
    case = Case.from_values({"vegf_elevated": explicit}, vegf=Measurement(value, specimen))
    result = evaluate_set(MAYO_2003, case)
    assert "vegf_elevated" not in result.findings
    assert result.derived == {}
    assert result.warnings == ()
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
    ("criteria_set", "specimen", "value", "explicit", "measured"),
    [
        (MAYO, "plasma", 300, "absent", "present"),
        (MAYO, "plasma", 199, "present", "absent"),
        (JAPAN_2015, "serum", 1500, "absent", "present"),
        (JAPAN_2015, "serum", 300, "present", "absent"),
    ],
)
def test_explicit_vegf_wins_over_the_measured_value_with_a_warning(
    criteria_set, specimen, value, explicit, measured
):
    case = Case.from_values({"vegf_elevated": explicit}, vegf=Measurement(value, specimen))
    result = evaluate_set(criteria_set, case)
    assert result.findings["vegf_elevated"] == explicit
    assert "vegf_elevated" not in result.derived
    params = warning(result, "vegf_conflict").params
    assert params["explicit"] == explicit
    assert params["measured"] == measured
    assert params["rule"] == criteria_set.vegf_rule.rule


@pytest.mark.parametrize(
    ("criteria_set", "specimen", "value", "explicit"),
    [
        (MAYO, "plasma", 300, "present"),
        (MAYO, "plasma", 100, "absent"),
        (JAPAN_2015, "serum", 1000, "present"),
        (JAPAN_2015, "serum", 999, "absent"),
        # The other specimen decides nothing, so it cannot disagree.
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


def test_vegf_confounders_warning_follows_the_effective_value():
    results = evaluate(Case.from_values({"vegf_elevated": "present"}))
    assert {slug for slug, r in results.items() if "vegf_confounders" in codes(r)} == {
        "mayo",
        "japan_2015",
        "suichi_2019",
    }
    results = evaluate(Case.from_values({}, vegf=Measurement(250, "plasma")))
    assert {slug for slug, r in results.items() if "vegf_confounders" in codes(r)} == {"mayo"}


def test_one_measurement_is_read_per_set():
    results = evaluate(Case.from_values({}, vegf=Measurement(1200, "serum")))
    assert results["mayo"].findings["vegf_elevated"] == "unknown"
    assert results["japan_2015"].findings["vegf_elevated"] == "present"
    assert results["suichi_2019"].findings["vegf_elevated"] == "unknown"
    results = evaluate(Case.from_values({}, vegf=Measurement(1200, "plasma")))
    assert results["mayo"].findings["vegf_elevated"] == "present"
    assert results["japan_2015"].findings["vegf_elevated"] == "unknown"


def test_measurement_validation():
    assert Measurement(200, "plasma").value == 200.0
    assert isinstance(Measurement(200, "plasma").value, float)
    for bad in (-1, float("nan"), float("inf")):
        with pytest.raises(ValueError):
            Measurement(bad, "plasma")
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


def kleene_or(values):
    if "present" in values:
        return "present"
    if "unknown" in values:
        return "unknown"
    return "absent"


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
                params = warning(result, "endocrinopathy_conflict").params
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
    for criteria_set in (MAYO_2003, JAPAN_2015, SUICHI_2019):
        assert criteria_set.endocrine_subfindings == SUBFINDINGS
        assert criteria_set.endocrine_rule == (
            "any of adrenal, pituitary, gonadal, parathyroid, thyroid, diabetes"
        )


def test_explicit_endocrinopathy_wins_with_a_conflict_warning():
    scoring = ("mayo", "mayo_2003", "japan_2015")  # Suichi 2019 does not score it
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
