"""The work-up planner: every scored finding has an investigation, and for any
checklist every decisive unknown is covered, in the contract's order."""

import random

import pytest

from checklist.rules import (
    CLONE_SUBFINDINGS,
    ENDOCRINE_SUBFINDINGS,
    FINDINGS,
    INVESTIGATIONS,
    SCORED,
    VALUES,
    Case,
    evaluate,
    plan,
)
from tests.contract import SLUGS

ORDER = {slug: position for position, slug in enumerate(SLUGS)}
# The contract's investigation slugs that the README documents.
DOCUMENTED = {
    "nerve_conduction_studies",
    "immunofixation_free_light_chains",
    "bone_marrow_biopsy",
    "vegf",
    "skeletal_ct",
    "lymph_node_biopsy",
    "body_imaging",
    "endocrine_panel",
    "skin_examination",
    "fundoscopy",
    "full_blood_count",
    "echocardiography",
}


def random_checklists(count, seed):
    rng = random.Random(seed)
    for _ in range(count):
        yield {slug: rng.choice(VALUES) for slug in FINDINGS if rng.random() < 0.7}


def test_every_scored_finding_and_sub_finding_has_an_investigation():
    informed = {slug for investigation in INVESTIGATIONS for slug in investigation.informs}
    assert set(SCORED) | set(ENDOCRINE_SUBFINDINGS) | set(CLONE_SUBFINDINGS) <= informed
    assert informed <= set(FINDINGS)


def test_investigation_slugs_are_stable_and_unique():
    slugs = [investigation.slug for investigation in INVESTIGATIONS]
    assert len(slugs) == len(set(slugs))
    assert set(slugs) == DOCUMENTED


@pytest.mark.parametrize("seed", range(4))
def test_every_decisive_unknown_is_covered_and_the_plan_is_ordered(seed):
    for values in random_checklists(500, seed):
        results = evaluate(Case.from_values(values))
        steps = plan(results)
        decisive = {slug: set(r.decisive_unknowns) for slug, r in results.items()}
        covered = {finding for step in steps for finding in step.findings}
        assert set().union(*decisive.values()) == covered
        for step in steps:
            # findings: the decisive unknowns it informs, in the slug table's order.
            assert list(step.findings) == sorted(step.findings, key=ORDER.__getitem__)
            assert all(any(f in unknowns for unknowns in decisive.values()) for f in step.findings)
            # settles: exactly the sets for which one of them is decisive, in set order.
            expected = [s for s, unknowns in decisive.items() if unknowns & set(step.findings)]
            assert list(step.settles) == expected
        keys = [(-len(step.settles), ORDER[step.findings[0]]) for step in steps]
        assert keys == sorted(keys)


def test_nothing_open_means_no_plan():
    everything = dict.fromkeys(SCORED, "absent")
    assert plan(evaluate(Case.from_values(everything))) == ()


def test_the_japanese_2015_m_protein_is_settled_by_immunofixation_only():
    results = evaluate(
        Case.from_values(
            {
                "polyneuropathy": "present",
                "monoclonal_plasma_cell_disorder": "present",
                "vegf_elevated": "present",
                "organomegaly": "present",
            }
        )
    )
    steps = {step.slug: step for step in plan(results)}
    assert steps["immunofixation_free_light_chains"].settles == ("japan_2015",)
    assert steps["immunofixation_free_light_chains"].findings == ("m_protein_ife",)
    assert "bone_marrow_biopsy" not in steps  # a clone on biopsy proves no M-protein
