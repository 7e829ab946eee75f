"""The cautions each result carries, beyond those of the derivations
(test_derivation.py): the set's own, the clone's absence, the minor criteria."""

import itertools
import random

import pytest

from checklist.rules import (
    FINDINGS,
    JAPAN_2015,
    JAPAN_2024,
    MAYO,
    MAYO_2003,
    SUICHI_2019,
    WARNING_CODES,
    Case,
    Caution,
    Measurement,
    evaluate,
    evaluate_set,
)
from tests.contract import MYELOMA_EXCLUSION, SETS
from tests.contract import WARNING_CODES as CONTRACT_WARNING_CODES

PARENT = "monoclonal_plasma_cell_disorder"
IFE = "m_protein_ife"


def codes(result):
    return [caution.code for caution in result.cautions]


def caution(result, code):
    (found,) = [c for c in result.cautions if c.code == code]
    return found


def present(*slugs):
    return dict.fromkeys(slugs, "present")


def test_a_caution_is_a_code_and_its_params():
    assert Caution("vegf_confounders", {}).code == "vegf_confounders"
    assert [f for f in Caution.__slots__] == ["code", "params"]


# ------------------------------------------------------- myeloma exclusion


@pytest.mark.parametrize(
    ("values", "outcome", "grade"),
    [
        (present("polyneuropathy", PARENT, "vegf_elevated", "skin_changes"), "met", "definite"),
        (present("polyneuropathy", "vegf_elevated", "skin_changes"), "met", "probable"),
        ({"polyneuropathy": "absent"}, "not_met", None),
        ({}, "indeterminate", None),
    ],
)
def test_myeloma_exclusion_with_every_japan_2024_result(values, outcome, grade):
    results = evaluate(Case.from_values(values))
    japan_2024 = results["japan_2024"]
    assert (japan_2024.outcome, japan_2024.grade) == (outcome, grade)
    assert caution(japan_2024, MYELOMA_EXCLUSION).params == {}
    for slug, result in results.items():
        assert (MYELOMA_EXCLUSION in codes(result)) == (slug == "japan_2024"), slug


def test_japan_2024_grades():
    base = present("polyneuropathy", "vegf_elevated", "organomegaly")
    cases = [
        ({**base, PARENT: "present"}, ("met", "definite", ())),
        # Any clone counts in 2024: a biopsy is enough.
        ({**base, "clonal_plasma_cells": "present"}, ("met", "definite", ())),
        ({**base, PARENT: "absent"}, ("met", "probable", ())),
        (base, ("met", "probable", (PARENT,))),
        ({**base, "vegf_elevated": "absent"}, ("not_met", None, ())),
    ]
    for values, expected in cases:
        result = evaluate_set(JAPAN_2024, Case.from_values(values))
        assert (result.outcome, result.grade, result.decisive_unknowns) == expected, values
    possible = present("polyneuropathy", "organomegaly", "skin_changes")
    result = evaluate_set(JAPAN_2024, Case.from_values({**possible, "vegf_elevated": "absent"}))
    assert (result.outcome, result.extra_grades) == ("not_met", {"possible": "met"})


# ------------------------------------------------------ grade without clone


@pytest.mark.parametrize("criteria_set", [JAPAN_2015, JAPAN_2024], ids=lambda s: s.slug)
def test_grade_without_clone_for_probable_only(criteria_set):
    probable = present("polyneuropathy", "vegf_elevated", "skin_changes")
    for clone in ("absent", "unknown"):
        result = evaluate_set(criteria_set, Case.from_values({**probable, PARENT: clone}))
        assert (result.outcome, result.grade) == ("met", "probable")
        assert caution(result, "grade_without_clone").params == {
            "grade": "probable",
            "clone": criteria_set.clone,
        }
    definite = {**probable, PARENT: "present", IFE: "present"}
    result = evaluate_set(criteria_set, Case.from_values(definite))
    assert (result.outcome, result.grade) == ("met", "definite")
    assert "grade_without_clone" not in codes(result)
    # Not met, or not yet: no grade, no caution.
    for values in (
        {**probable, "vegf_elevated": "absent"},
        {**probable, "vegf_elevated": "unknown"},
    ):
        result = evaluate_set(criteria_set, Case.from_values(values))
        assert result.grade is None
        assert "grade_without_clone" not in codes(result)


def test_grade_without_clone_never_for_ungraded_sets():
    values = present(
        "polyneuropathy",
        PARENT,
        "vegf_elevated",
        "sclerotic_bone_lesions",
        "skin_changes",
        "organomegaly",
    )
    for criteria_set in (MAYO, MAYO_2003, SUICHI_2019):
        result = evaluate_set(criteria_set, Case.from_values(values))
        assert result.outcome == "met"
        assert "grade_without_clone" not in codes(result)


# --------------------------------------------- atypical, without an M-protein


def test_atypical_without_m_protein():
    values = {
        **present("polyneuropathy", "vegf_elevated", "organomegaly", "skin_changes"),
        PARENT: "absent",
    }
    results = evaluate(Case.from_values(values))
    flagged = [slug for slug, r in results.items() if "atypical_without_m_protein" in codes(r)]
    # Mayo 2003 does not use VEGF: never there.
    assert flagged == ["mayo", "japan_2015", "japan_2024", "suichi_2019"]
    assert caution(results["mayo"], "atypical_without_m_protein").params == {
        "clone": PARENT,
        "slugs": ("organomegaly", "skin_changes"),
    }
    assert caution(results["japan_2015"], "atypical_without_m_protein").params == {
        "clone": IFE,
        "slugs": ("organomegaly", "skin_changes"),
    }


@pytest.mark.parametrize(
    "change",
    [
        {"skin_changes": "unknown"},  # one minor criterion present
        {PARENT: "unknown"},  # the clone not known absent
        {"vegf_elevated": "unknown"},  # VEGF not known raised
        {"vegf_elevated": "absent"},
    ],
)
def test_atypical_needs_every_part(change):
    values = {
        **present("polyneuropathy", "vegf_elevated", "organomegaly", "skin_changes"),
        PARENT: "absent",
        **change,
    }
    results = evaluate(Case.from_values(values))
    assert not any("atypical_without_m_protein" in codes(r) for r in results.values())


def test_atypical_reads_each_set_after_derivation():
    # The clone absent through its sub-findings; VEGF raised through a measured value.
    values = {
        **present("organomegaly", "skin_changes", "papilledema"),
        IFE: "absent",
        "clonal_plasma_cells": "absent",
    }
    results = evaluate(Case.from_values(values, vegf=Measurement(1500, "serum")))
    flagged = [slug for slug, r in results.items() if "atypical_without_m_protein" in codes(r)]
    # Serum decides for the Japanese sets only (Suichi derives nothing from a value).
    assert flagged == ["japan_2015", "japan_2024"]
    results = evaluate(Case.from_values(values, vegf=Measurement(1500, "plasma")))
    flagged = [slug for slug, r in results.items() if "atypical_without_m_protein" in codes(r)]
    assert flagged == ["mayo"]
    # Given explicitly, VEGF counts everywhere it is a criterion.
    results = evaluate(Case.from_values({**values, "vegf_elevated": "present"}))
    flagged = [slug for slug, r in results.items() if "atypical_without_m_protein" in codes(r)]
    assert flagged == ["mayo", "japan_2015", "japan_2024", "suichi_2019"]
    # Suichi's minor list lacks papilloedema: one short there without skin changes.
    values = {**values, "skin_changes": "absent", "vegf_elevated": "present"}
    results = evaluate(Case.from_values(values))
    flagged = [slug for slug, r in results.items() if "atypical_without_m_protein" in codes(r)]
    assert flagged == ["mayo", "japan_2015", "japan_2024"]
    values["skin_changes"] = "present"
    # Japan 2015 reads a clone on biopsy as no proof of an M-protein, and an absent
    # M-protein is what it scores.
    values = {**values, "clonal_plasma_cells": "present", "vegf_elevated": "present"}
    results = evaluate(Case.from_values(values))
    flagged = [slug for slug, r in results.items() if "atypical_without_m_protein" in codes(r)]
    assert flagged == ["japan_2015"]


# ------------------------------------------------------- minor criteria


def test_minor_other_cause_when_a_minor_criterion_is_present():
    results = evaluate(Case.from_values(present("papilledema", "skin_changes")))
    params = {slug: caution(r, "minor_other_cause").params for slug, r in results.items()}
    assert params == {
        "mayo": {"slugs": ("skin_changes", "papilledema")},
        "mayo_2003": {"slugs": ("skin_changes", "papilledema")},
        "japan_2015": {"slugs": ("skin_changes", "papilledema")},
        "japan_2024": {"slugs": ("skin_changes", "papilledema")},
        # Papilloedema is not a Suichi minor criterion.
        "suichi_2019": {"slugs": ("skin_changes",)},
    }
    results = evaluate(Case.from_values(present("papilledema", "polyneuropathy")))
    assert "minor_other_cause" not in codes(results["suichi_2019"])
    # Sclerotic lesions are minor for Mayo 2003, major for Mayo.
    results = evaluate(Case.from_values(present("sclerotic_bone_lesions")))
    assert "minor_other_cause" not in codes(results["mayo"])
    assert caution(results["mayo_2003"], "minor_other_cause").params == {
        "slugs": ("sclerotic_bone_lesions",)
    }


def test_minor_other_cause_reads_the_derived_endocrinopathy():
    results = evaluate(Case.from_values(present("endocrinopathy_thyroid")))
    assert "minor_other_cause" not in codes(results["mayo"])
    assert caution(results["japan_2015"], "minor_other_cause").params == {
        "slugs": ("endocrinopathy",)
    }


def test_thrombocytosis_wording_for_the_japanese_sets():
    results = evaluate(Case.from_values(present("thrombocytosis_polycythemia")))
    flagged = [slug for slug, r in results.items() if "thrombocytosis_wording" in codes(r)]
    assert flagged == ["japan_2015", "japan_2024"]
    assert caution(results["japan_2024"], "thrombocytosis_wording").params == {
        "slug": "thrombocytosis_polycythemia"
    }
    for value in ("absent", "unknown"):
        results = evaluate(Case.from_values({"thrombocytosis_polycythemia": value}))
        assert not any("thrombocytosis_wording" in codes(r) for r in results.values())


def test_only_unscored_signs_present():
    values = {"clubbing": "present", "weight_loss": "present", "low_vitamin_b12": "present"}
    for result in evaluate(Case.from_values(values)).values():
        assert caution(result, "unscored_signs_present").params == {
            "slugs": ("clubbing", "weight_loss", "low_vitamin_b12")
        }


# --------------------------------------------------------- order, once each


def random_cases(count, seed=20261129):
    rng = random.Random(seed)
    for _ in range(count):
        values = {slug: rng.choice(("present", "absent", "unknown")) for slug in FINDINGS}
        vegf = None
        if rng.random() < 0.6:
            value = rng.choice((50, 150, 199, 200, 450, 999, 1000, 4000))
            uln = rng.choice((None, None, 100, 300))
            vegf = Measurement(value, rng.choice(("serum", "plasma")), uln)
        yield Case.from_values(values, vegf=vegf)


def test_cautions_come_once_each_in_the_order_of_the_codes():
    order = {code: position for position, code in enumerate(WARNING_CODES)}
    seen = set()
    for case in random_cases(3000):
        for result in evaluate(case).values():
            listed = codes(result)
            assert len(set(listed)) == len(listed), listed
            assert listed == sorted(listed, key=order.__getitem__), listed
            seen.update(listed)
    # The sample reaches every code, so the checks above have teeth.
    assert seen == set(CONTRACT_WARNING_CODES)


def test_every_set_is_evaluated_in_the_contract_order():
    for case in itertools.islice(random_cases(10, seed=1), 10):
        assert tuple(evaluate(case)) == SETS
