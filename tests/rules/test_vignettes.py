"""Published-style vignettes, one expectation per set, the review's engine runs,
and the package's guarantees."""

import ast
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
from tests.contract import SCORED, SETS

RULES_DIR = Path(__file__).resolve().parents[2] / "checklist" / "rules"

# The eleven findings of the checklist's main groups, all absent; the clone
# sub-findings are left unknown unless a vignette says otherwise.
ALL_ABSENT = dict.fromkeys(SCORED[:11], "absent")


def summary(results):
    return {slug: (r.outcome, r.grade, r.decisive_unknowns) for slug, r in results.items()}


def codes(result):
    return [caution.code for caution in result.cautions]


def present(*slugs):
    return dict.fromkeys(slugs, "present")


def test_results_come_in_set_order_with_their_sources():
    results = evaluate(Case.from_values({}))
    assert tuple(results) == SETS
    assert all(isinstance(r, SetResult) for r in results.values())
    assert results["mayo"].label == "Mayo Clinic criteria (2023 update)"
    assert results["mayo"].source.pmid == "37732822"
    assert results["mayo"].source.doi == "10.1002/ajh.27081"
    assert results["japan_2015"].source.url == "https://www.nanbyou.or.jp/entry/241"
    assert results["japan_2024"].label == "Japanese MHLW criteria (2024 revision)"
    assert results["japan_2024"].source.url == "https://www.mhlw.go.jp/stf/newpage_46002.html"
    assert [r.version for r in results.values()] == ["2023", "2003", "2015", "2024", "2019"]
    assert [(r.key, r.name) for r in results["mayo"].requirements] == [
        ("mandatory_major", "Mandatory major criteria"),
        ("other_major", "Other major criteria"),
        ("minor", "Minor criteria"),
    ]
    assert RULES_VERSION


def test_classic_case_meets_every_set():
    # Demyelinating neuropathy, lambda M-protein by immunofixation, sclerotic lesion,
    # raised VEGF, splenomegaly, oedema, hyperpigmentation, thrombocytosis, hypogonadism.
    values = {
        **ALL_ABSENT,
        **present(
            "polyneuropathy",
            "m_protein_ife",
            "sclerotic_bone_lesions",
            "vegf_elevated",
            "organomegaly",
            "extravascular_volume_overload",
            "skin_changes",
            "thrombocytosis_polycythemia",
            "endocrinopathy_gonadal",
        ),
        "monoclonal_plasma_cell_disorder": "unknown",
        "endocrinopathy": "unknown",
    }
    results = evaluate(Case.from_values(values))
    assert summary(results) == {
        "mayo": ("met", None, ()),
        "mayo_2003": ("met", None, ()),
        "japan_2015": ("met", "definite", ()),
        "japan_2024": ("met", "definite", ()),
        "suichi_2019": ("met", None, ()),
    }
    assert results["mayo"].derived["endocrinopathy"].value == "present"
    assert results["mayo"].derived["monoclonal_plasma_cell_disorder"].value == "present"
    assert results["japan_2015"].extra_grades == {"possible": "met"}
    mayo = results["mayo"]
    assert [(r.key, r.status, r.have, r.need) for r in mayo.requirements] == [
        ("mandatory_major", "met", 2, 2),
        ("other_major", "met", 2, 1),
        ("minor", "met", 5, 1),
    ]
    assert mayo.requirements[1].present == ("sclerotic_bone_lesions", "vegf_elevated")
    assert {slug: codes(r) for slug, r in results.items()} == {
        "mayo": ["vegf_confounders", "minor_other_cause"],
        "mayo_2003": ["minor_other_cause"],
        "japan_2015": ["vegf_confounders", "minor_other_cause", "thrombocytosis_wording"],
        "japan_2024": [
            "myeloma_exclusion",
            "vegf_confounders",
            "minor_other_cause",
            "thrombocytosis_wording",
        ],
        "suichi_2019": ["vegf_confounders", "minor_other_cause"],
    }


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
    assert results["japan_2015"].derived["m_protein_ife"].value == "absent"


def test_missing_vegf_is_the_decisive_unknown():
    values = {
        **ALL_ABSENT,
        **present(
            "polyneuropathy",
            "monoclonal_plasma_cell_disorder",
            "m_protein_ife",
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
        "japan_2024": ("indeterminate", None, ("vegf_elevated",)),
        "suichi_2019": ("indeterminate", None, ("vegf_elevated",)),
    }
    mayo = results["mayo"]
    assert mayo.requirements[1].status == "indeterminate"
    assert mayo.requirements[1].unknown == ("vegf_elevated",)


def test_only_unscored_signs_present():
    values = {**ALL_ABSENT, **present("clubbing", "weight_loss", "low_vitamin_b12")}
    results = evaluate(Case.from_values(values))
    for slug, result in results.items():
        assert result.outcome == "not_met"
        assert result.decisive_unknowns == ()
        expected = ["unscored_signs_present"]
        if slug == "japan_2024":
            expected.insert(0, "myeloma_exclusion")
        assert codes(result) == expected


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
    (caution,) = [c for c in mayo.cautions if c.code == "endocrinopathy_thyroid_diabetes_only"]
    assert caution.params == {"slugs": ("endocrinopathy_thyroid", "endocrinopathy_diabetes")}
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
    ("measurement", "outcome", "decisive", "caution"),
    [
        # Below the cut-off: not a rule-out, so not yet determinable.
        (Measurement(199.9, "plasma"), "indeterminate", ("vegf_elevated",), "vegf_below_cutoff"),
        (Measurement(200, "plasma"), "met", (), None),
        (Measurement(200.1, "plasma"), "met", (), None),
        # Within the laboratory's own normal range: not raised.
        (Measurement(60, "plasma", 96), "not_met", (), None),
        (Measurement(96, "plasma", 96), "not_met", (), None),
        (Measurement(97, "plasma", 96), "indeterminate", ("vegf_elevated",), "vegf_below_cutoff"),
    ],
)
def test_plasma_vegf_for_mayo(measurement, outcome, decisive, caution):
    mayo = evaluate(Case.from_values(MAYO_WITHOUT_OTHER_MAJOR, vegf=measurement))["mayo"]
    assert (mayo.outcome, mayo.decisive_unknowns) == (outcome, decisive)
    assert ("vegf_below_cutoff" in codes(mayo)) == (caution == "vegf_below_cutoff")


JAPAN_WITHOUT_VEGF = {
    **ALL_ABSENT,
    **present("polyneuropathy", "monoclonal_plasma_cell_disorder", "m_protein_ife", "organomegaly"),
    "vegf_elevated": "unknown",
}


@pytest.mark.parametrize("slug", ["japan_2015", "japan_2024"])
@pytest.mark.parametrize(
    ("value", "outcome", "grade"),
    [(999.9, "not_met", None), (1000, "met", "definite"), (1000.1, "met", "definite")],
)
def test_serum_vegf_at_the_japanese_threshold(slug, value, outcome, grade):
    case = Case.from_values(JAPAN_WITHOUT_VEGF, vegf=Measurement(value, "serum"))
    japan = evaluate(case)[slug]
    assert (japan.outcome, japan.grade, japan.decisive_unknowns) == (outcome, grade, ())


def test_serum_versus_plasma_for_the_same_value():
    values = {
        **ALL_ABSENT,
        **present(
            "polyneuropathy",
            "monoclonal_plasma_cell_disorder",
            "m_protein_ife",
            "organomegaly",
            "skin_changes",
        ),
        "vegf_elevated": "unknown",
    }
    serum = evaluate(Case.from_values(values, vegf=Measurement(1500, "serum")))
    assert summary(serum)["mayo"] == ("indeterminate", None, ("vegf_elevated",))
    assert summary(serum)["japan_2015"] == ("met", "definite", ())
    assert summary(serum)["japan_2024"] == ("met", "definite", ())
    assert "vegf_specimen" in codes(serum["mayo"])
    plasma = evaluate(Case.from_values(values, vegf=Measurement(1500, "plasma")))
    assert summary(plasma)["mayo"] == ("met", None, ())
    for slug in ("japan_2015", "japan_2024"):
        assert summary(plasma)[slug] == ("indeterminate", None, ("vegf_elevated",))
        assert "vegf_specimen" in codes(plasma[slug])
    for results in (serum, plasma):
        assert summary(results)["suichi_2019"] == ("indeterminate", None, ("vegf_elevated",))
        assert "vegf_no_threshold" in codes(results["suichi_2019"])


def test_japanese_possible_constellation_is_not_met():
    # Neuropathy with two minor features, no clone, VEGF not raised.
    values = {**ALL_ABSENT, **present("polyneuropathy", "sclerotic_bone_lesions", "skin_changes")}
    results = evaluate(Case.from_values(values, vegf=Measurement(400, "serum")))
    for slug in ("japan_2015", "japan_2024"):
        japan = results[slug]
        assert (japan.outcome, japan.grade, japan.decisive_unknowns) == ("not_met", None, ())
        assert japan.extra_grades == {"possible": "met"}


def test_all_unknown_case():
    results = evaluate(Case.from_values({}))
    for criteria_set in CRITERIA_SETS:
        result = results[criteria_set.slug]
        assert result.outcome == "indeterminate"
        assert result.grade is None
        assert result.decisive_unknowns == criteria_set.findings
        assert result.derived == {}
        expected = ["myeloma_exclusion"] if criteria_set.slug == "japan_2024" else []
        assert codes(result) == expected
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
    # Japan 2015 names what it scores: the M-protein by immunofixation, never the parent.
    assert results["japan_2015"].decisive_unknowns[-1] == "m_protein_ife"
    assert "monoclonal_plasma_cell_disorder" not in results["japan_2015"].decisive_unknowns
    assert results["japan_2024"].decisive_unknowns == results["mayo"].decisive_unknowns
    assert results["japan_2015"].extra_grades == {"possible": "indeterminate"}


def test_japanese_probable_with_the_clone_decisive_for_definite():
    values = {
        **ALL_ABSENT,
        **present("polyneuropathy", "skin_changes"),
        "monoclonal_plasma_cell_disorder": "unknown",
        "vegf_elevated": "unknown",
    }
    vegf = Measurement(1500, "serum")
    results = evaluate(Case.from_values(values, vegf=vegf))
    assert summary(results)["japan_2015"] == ("met", "probable", ("m_protein_ife",))
    assert summary(results)["japan_2024"] == (
        "met",
        "probable",
        ("monoclonal_plasma_cell_disorder",),
    )

    # A clone shown: enough for 2024; 2015 still needs the M-protein by immunofixation.
    values["monoclonal_plasma_cell_disorder"] = "present"
    results = evaluate(Case.from_values(values, vegf=vegf))
    assert summary(results)["japan_2015"] == ("met", "probable", ("m_protein_ife",))
    assert summary(results)["japan_2024"] == ("met", "definite", ())
    results = evaluate(Case.from_values({**values, "m_protein_ife": "present"}, vegf=vegf))
    assert summary(results)["japan_2015"] == ("met", "definite", ())

    values["monoclonal_plasma_cell_disorder"] = "absent"
    results = evaluate(Case.from_values(values, vegf=vegf))
    assert summary(results)["japan_2015"] == ("met", "probable", ())
    assert summary(results)["japan_2024"] == ("met", "probable", ())


# ------------------------------------------------------- the review's engine runs
# (clinical-review.md section 1.5, and the code review's API example)


def test_review_japan_probable_without_a_clone_says_so():
    values = {
        "polyneuropathy": "present",
        "vegf_elevated": "present",
        "organomegaly": "present",
        "monoclonal_plasma_cell_disorder": "absent",
    }
    results = evaluate(Case.from_values(values))
    for slug in ("japan_2015", "japan_2024"):
        japan = results[slug]
        assert (japan.outcome, japan.grade) == ("met", "probable")
        assert "grade_without_clone" in codes(japan)
    assert results["mayo"].outcome == "not_met"


def test_review_castleman_without_a_clone_in_japan():
    values = {
        **present("polyneuropathy", "castleman_disease", "vegf_elevated", "organomegaly"),
        "monoclonal_plasma_cell_disorder": "absent",
    }
    results = evaluate(Case.from_values(values))
    japan = results["japan_2015"]
    assert (japan.outcome, japan.grade) == ("met", "probable")
    assert {"castleman_variant", "grade_without_clone", "atypical_without_m_protein"} <= set(
        codes(japan)
    )
    assert all("castleman_variant" in codes(r) for r in results.values())


def test_review_plasma_vegf_150_leaves_mayo_open():
    values = {
        **present("polyneuropathy", "monoclonal_plasma_cell_disorder", "organomegaly"),
        "sclerotic_bone_lesions": "absent",
        "castleman_disease": "absent",
    }
    mayo = evaluate(Case.from_values(values, vegf=Measurement(150, "plasma")))["mayo"]
    assert (mayo.outcome, mayo.decisive_unknowns) == ("indeterminate", ("vegf_elevated",))
    assert "vegf_below_cutoff" in codes(mayo)


def test_review_serum_3000():
    values = {
        **present("polyneuropathy", "monoclonal_plasma_cell_disorder", "organomegaly"),
        "sclerotic_bone_lesions": "absent",
        "castleman_disease": "absent",
    }
    results = evaluate(Case.from_values(values, vegf=Measurement(3000, "serum")))
    assert results["mayo"].outcome == "indeterminate"
    assert "vegf_specimen" in codes(results["mayo"])
    assert results["japan_2024"].grade == "definite"
    # Japan 2015 asks for the M-protein by immunofixation itself.
    assert summary(results)["japan_2015"] == ("met", "probable", ("m_protein_ife",))
    results = evaluate(
        Case.from_values({**values, "m_protein_ife": "present"}, vegf=Measurement(3000, "serum"))
    )
    assert results["japan_2015"].grade == "definite"


def test_review_japanese_possible_counts_each_minor_item():
    # Sclerotic lesions and Castleman disease count as two items (to be verified).
    values = present("polyneuropathy", "sclerotic_bone_lesions", "castleman_disease")
    results = evaluate(Case.from_values(values))
    assert results["japan_2015"].extra_grades == {"possible": "met"}
    assert results["japan_2024"].extra_grades == {"possible": "met"}


# --------------------------------------------------------------- the package


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
    assert case.findings["m_protein_ife"] == "unknown"
    with pytest.raises(TypeError):
        case.findings["organomegaly"] = "present"


PACKAGE = ("checklist", "rules")


def outside_imports(source):
    """The imports of a module of checklist.rules that are neither of the standard
    library nor of checklist.rules itself (relative imports resolved)."""
    outside = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level > len(PACKAGE):
                outside.append("." * node.level + (node.module or ""))
                continue
            # Relative to a module directly in checklist/rules: "." is the package.
            base = PACKAGE[: len(PACKAGE) + 1 - node.level] if node.level else ()
            modules = [".".join((*base, *filter(None, [node.module])))]
        elif isinstance(node, ast.Call) and (
            (isinstance(node.func, ast.Name) and node.func.id == "__import__")
            or (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
        ):
            outside.append(ast.unparse(node))
            continue
        else:
            continue
        for module in modules:
            inside = module == ".".join(PACKAGE) or module.startswith(".".join(PACKAGE) + ".")
            if not inside and module.split(".")[0] not in sys.stdlib_module_names:
                outside.append(module)
    return outside


@pytest.mark.parametrize(
    ("source", "outside"),
    [
        ("import json\nfrom dataclasses import dataclass\nimport collections.abc", []),
        ("from . import findings\nfrom .logic import MET", []),
        ("import checklist.rules.findings\nfrom checklist.rules import logic", []),
        ("import django", ["django"]),
        ("from django.utils.translation import gettext_noop", ["django.utils.translation"]),
        ("from ..query import parse", ["checklist.query"]),
        ("from .. import views", ["checklist"]),
        ("from checklist.query import parse", ["checklist.query"]),
        ("import checklist", ["checklist"]),
        ("import yaml, os", ["yaml"]),
        ("from ... import settings", ["..."]),
        ("def f():\n    import requests", ["requests"]),
        ("__import__('django')", ["__import__('django')"]),
        (
            "import importlib\nimportlib.import_module('django')",
            ["importlib.import_module('django')"],
        ),
    ],
)
def test_the_import_check_tells_inside_from_outside(source, outside):
    assert outside_imports(source) == outside


def test_the_rules_package_imports_only_the_standard_library_and_itself():
    modules = sorted(RULES_DIR.glob("*.py"))
    assert {path.name for path in modules} >= {"__init__.py", "criteria.py", "evaluation.py"}
    for path in modules:
        assert outside_imports(path.read_text(encoding="utf-8")) == [], path.name
