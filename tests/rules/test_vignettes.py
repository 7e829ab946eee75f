"""Published-style vignettes, one expectation per set, plus the package's guarantees."""

import subprocess
import sys
from pathlib import Path

import pytest

from checklist.rules import (
    CRITERIA_SETS,
    FINDINGS,
    RULES_VERSION,
    Case,
    Measurement,
    SetResult,
    evaluate,
)
from tests.contract import SCORED

REPO_ROOT = Path(__file__).resolve().parents[2]

ALL_ABSENT = dict.fromkeys(SCORED, "absent")


def summary(results):
    return {slug: (r.outcome, r.grade, r.decisive_unknowns) for slug, r in results.items()}


def codes(result):
    return [warning.code for warning in result.warnings]


def present(*slugs):
    return dict.fromkeys(slugs, "present")


def test_results_come_in_set_order_with_their_sources():
    results = evaluate(Case.from_values({}))
    assert list(results) == ["mayo", "mayo_2003", "japan_2015", "suichi_2019"]
    assert all(isinstance(r, SetResult) for r in results.values())
    assert results["mayo"].label == "Mayo Clinic criteria (2023 update)"
    assert results["mayo"].source.pmid == "37732822"
    assert results["mayo"].source.doi == "10.1002/ajh.27081"
    assert results["japan_2015"].source.url == "https://www.nanbyou.or.jp/entry/241"
    assert [r.version for r in results.values()] == ["2023", "2003", "2015", "2019"]
    assert [r.key for r in results["mayo"].requirements] == [
        "mandatory_major",
        "other_major",
        "minor",
    ]
    assert RULES_VERSION


def test_classic_case_meets_every_set():
    # Demyelinating neuropathy, lambda M-protein, sclerotic lesion, raised VEGF,
    # splenomegaly, oedema, hyperpigmentation, thrombocytosis, hypogonadism.
    values = {
        **ALL_ABSENT,
        **present(
            "polyneuropathy",
            "monoclonal_plasma_cell_disorder",
            "sclerotic_bone_lesions",
            "vegf_elevated",
            "organomegaly",
            "extravascular_volume_overload",
            "skin_changes",
            "thrombocytosis_polycythemia",
            "endocrinopathy_gonadal",
        ),
        "endocrinopathy": "unknown",
    }
    results = evaluate(Case.from_values(values))
    assert summary(results) == {
        "mayo": ("met", None, ()),
        "mayo_2003": ("met", None, ()),
        "japan_2015": ("met", "definite", ()),
        "suichi_2019": ("met", None, ()),
    }
    assert results["mayo"].derived["endocrinopathy"].value == "present"
    assert results["japan_2015"].grade_statuses == {"definite": "met", "probable": "met"}
    assert results["japan_2015"].extra_grades == {"possible": "met"}
    mayo = results["mayo"]
    assert [(r.key, r.status, r.have, r.need) for r in mayo.requirements] == [
        ("mandatory_major", "met", 2, 2),
        ("other_major", "met", 2, 1),
        ("minor", "met", 5, 1),
    ]
    assert mayo.requirements[1].present == ("sclerotic_bone_lesions", "vegf_elevated")
    assert codes(mayo) == ["vegf_confounders"]
    assert codes(results["mayo_2003"]) == []


def test_castleman_variant_without_a_clonal_plasma_cell_disorder():
    values = {
        **ALL_ABSENT,
        **present("castleman_disease", "organomegaly", "extravascular_volume_overload"),
    }
    results = evaluate(Case.from_values(values))
    assert {slug: r.outcome for slug, r in results.items()} == dict.fromkeys(results, "not_met")
    for result in results.values():
        assert "castleman_variant" in codes(result)
        assert result.decisive_unknowns == ()


def test_missing_vegf_is_the_decisive_unknown():
    values = {
        **ALL_ABSENT,
        **present(
            "polyneuropathy",
            "monoclonal_plasma_cell_disorder",
            "organomegaly",
            "skin_changes",
        ),
        "vegf_elevated": "unknown",
    }
    results = evaluate(Case.from_values(values))
    assert summary(results) == {
        "mayo": ("indeterminate", None, ("vegf_elevated",)),
        "mayo_2003": ("met", None, ()),
        "japan_2015": ("indeterminate", None, ("vegf_elevated",)),
        "suichi_2019": ("indeterminate", None, ("vegf_elevated",)),
    }
    mayo = results["mayo"]
    assert mayo.requirements[1].status == "indeterminate"
    assert mayo.requirements[1].unknown == ("vegf_elevated",)


def test_only_unscored_signs_present():
    values = {**ALL_ABSENT, **present("clubbing", "weight_loss", "low_vitamin_b12")}
    results = evaluate(Case.from_values(values))
    for result in results.values():
        assert result.outcome == "not_met"
        assert result.decisive_unknowns == ()
        (warning,) = result.warnings
        assert warning.code == "unscored_signs_present"
        assert warning.params == {"slugs": ("clubbing", "weight_loss", "low_vitamin_b12")}


def test_thyroid_and_diabetes_alone_do_not_count_for_mayo():
    values = {
        **ALL_ABSENT,
        **present(
            "polyneuropathy",
            "monoclonal_plasma_cell_disorder",
            "sclerotic_bone_lesions",
            "endocrinopathy_thyroid",
            "endocrinopathy_diabetes",
        ),
        "endocrinopathy": "unknown",
        "endocrinopathy_adrenal": "absent",
        "endocrinopathy_pituitary": "absent",
        "endocrinopathy_gonadal": "absent",
        "endocrinopathy_parathyroid": "absent",
    }
    results = evaluate(Case.from_values(values))
    mayo = results["mayo"]
    assert (mayo.outcome, mayo.findings["endocrinopathy"]) == ("not_met", "absent")
    assert mayo.derived["endocrinopathy"].rule == "any of adrenal, pituitary, gonadal, parathyroid"
    (warning,) = [w for w in mayo.warnings if w.code == "endocrinopathy_thyroid_diabetes_only"]
    assert warning.params == {"slugs": ("endocrinopathy_thyroid", "endocrinopathy_diabetes")}
    assert results["mayo_2003"].outcome == "met"
    assert results["mayo_2003"].findings["endocrinopathy"] == "present"
    assert "endocrinopathy_thyroid_diabetes_only" not in codes(results["mayo_2003"])


def test_thyroid_alone_with_the_other_glands_unknown_leaves_mayo_open():
    values = {
        **ALL_ABSENT,
        **present(
            "polyneuropathy",
            "monoclonal_plasma_cell_disorder",
            "sclerotic_bone_lesions",
            "endocrinopathy_thyroid",
        ),
        "endocrinopathy": "unknown",
    }
    mayo = evaluate(Case.from_values(values))["mayo"]
    assert mayo.outcome == "indeterminate"
    assert mayo.decisive_unknowns == ("endocrinopathy",)
    assert "endocrinopathy_thyroid_diabetes_only" in codes(mayo)


MAYO_WITHOUT_OTHER_MAJOR = {
    **ALL_ABSENT,
    **present("polyneuropathy", "monoclonal_plasma_cell_disorder", "skin_changes"),
    "vegf_elevated": "unknown",
}


@pytest.mark.parametrize(
    ("value", "outcome"),
    [(199.9, "not_met"), (200, "met"), (200.1, "met")],
)
def test_plasma_vegf_at_the_mayo_threshold(value, outcome):
    case = Case.from_values(MAYO_WITHOUT_OTHER_MAJOR, vegf=Measurement(value, "plasma"))
    mayo = evaluate(case)["mayo"]
    assert mayo.outcome == outcome
    assert mayo.decisive_unknowns == ()


JAPAN_WITHOUT_VEGF = {
    **ALL_ABSENT,
    **present("polyneuropathy", "monoclonal_plasma_cell_disorder", "organomegaly"),
    "vegf_elevated": "unknown",
}


@pytest.mark.parametrize(
    ("value", "outcome", "grade"),
    [(999.9, "not_met", None), (1000, "met", "definite"), (1000.1, "met", "definite")],
)
def test_serum_vegf_at_the_japanese_threshold(value, outcome, grade):
    case = Case.from_values(JAPAN_WITHOUT_VEGF, vegf=Measurement(value, "serum"))
    japan = evaluate(case)["japan_2015"]
    assert (japan.outcome, japan.grade, japan.decisive_unknowns) == (outcome, grade, ())


def test_serum_versus_plasma_for_the_same_value():
    values = {
        **ALL_ABSENT,
        **present(
            "polyneuropathy",
            "monoclonal_plasma_cell_disorder",
            "organomegaly",
            "skin_changes",
        ),
        "vegf_elevated": "unknown",
    }
    serum = evaluate(Case.from_values(values, vegf=Measurement(1500, "serum")))
    assert summary(serum)["mayo"] == ("indeterminate", None, ("vegf_elevated",))
    assert summary(serum)["japan_2015"] == ("met", "definite", ())
    assert "vegf_specimen" in codes(serum["mayo"])
    plasma = evaluate(Case.from_values(values, vegf=Measurement(1500, "plasma")))
    assert summary(plasma)["mayo"] == ("met", None, ())
    assert summary(plasma)["japan_2015"] == ("indeterminate", None, ("vegf_elevated",))
    assert "vegf_specimen" in codes(plasma["japan_2015"])
    for results in (serum, plasma):
        assert summary(results)["suichi_2019"] == ("indeterminate", None, ("vegf_elevated",))
        assert "vegf_no_threshold" in codes(results["suichi_2019"])


def test_japanese_possible_constellation_is_not_met():
    # Neuropathy with two minor features, no M-protein, VEGF not raised.
    values = {**ALL_ABSENT, **present("polyneuropathy", "sclerotic_bone_lesions", "skin_changes")}
    japan = evaluate(Case.from_values(values, vegf=Measurement(400, "serum")))["japan_2015"]
    assert (japan.outcome, japan.grade) == ("not_met", None)
    assert japan.extra_grades == {"possible": "met"}
    assert japan.grade_statuses == {"definite": "not_met", "probable": "not_met"}


def test_all_unknown_case():
    results = evaluate(Case.from_values({}))
    for criteria_set in CRITERIA_SETS:
        result = results[criteria_set.slug]
        assert result.outcome == "indeterminate"
        assert result.grade is None
        assert result.decisive_unknowns == criteria_set.findings
        assert result.derived == {}
        assert result.warnings == ()
        assert all(r.status == "indeterminate" for r in result.requirements)
    assert len(results["mayo"].decisive_unknowns) == 11
    assert "vegf_elevated" not in results["mayo_2003"].decisive_unknowns
    assert "thrombocytosis_polycythemia" not in results["mayo_2003"].decisive_unknowns
    assert results["suichi_2019"].decisive_unknowns == (
        "polyneuropathy",
        "monoclonal_plasma_cell_disorder",
        "sclerotic_bone_lesions",
        "vegf_elevated",
        "organomegaly",
        "extravascular_volume_overload",
        "skin_changes",
    )
    assert results["japan_2015"].extra_grades == {"possible": "indeterminate"}


def test_japanese_probable_with_the_m_protein_decisive_for_definite():
    values = {
        **ALL_ABSENT,
        **present("polyneuropathy", "skin_changes"),
        "monoclonal_plasma_cell_disorder": "unknown",
        "vegf_elevated": "unknown",
    }
    case = Case.from_values(values, vegf=Measurement(1500, "serum"))
    japan = evaluate(case)["japan_2015"]
    assert (japan.outcome, japan.grade) == ("met", "probable")
    assert japan.decisive_unknowns == ("monoclonal_plasma_cell_disorder",)
    assert japan.grade_statuses == {"definite": "indeterminate", "probable": "met"}

    values["monoclonal_plasma_cell_disorder"] = "present"
    japan = evaluate(Case.from_values(values, vegf=Measurement(1500, "serum")))["japan_2015"]
    assert (japan.outcome, japan.grade, japan.decisive_unknowns) == ("met", "definite", ())

    values["monoclonal_plasma_cell_disorder"] = "absent"
    japan = evaluate(Case.from_values(values, vegf=Measurement(1500, "serum")))["japan_2015"]
    assert (japan.outcome, japan.grade, japan.decisive_unknowns) == ("met", "probable", ())


def test_case_rejects_unknown_slugs_and_values():
    with pytest.raises(ValueError, match="slug"):
        Case.from_values({"polyneuropathies": "present"})
    with pytest.raises(ValueError, match="value"):
        Case.from_values({"polyneuropathy": "yes"})
    with pytest.raises(ValueError, match="value"):
        Case.from_values({"polyneuropathy": ""})
    case = Case.from_values({"polyneuropathy": "present"})
    assert set(case.findings) == set(FINDINGS)
    assert case.findings["organomegaly"] == "unknown"
    with pytest.raises(TypeError):
        case.findings["organomegaly"] = "present"


def test_the_rules_package_imports_no_django():
    code = (
        "import sys; import checklist.rules; "
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')]"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, check=True)
