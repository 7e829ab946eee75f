"""The work-up planner: which investigations could settle what is still open.

Each investigation informs some findings (the mapping below is its one home). For a
checklist's results, `plan` lists the investigations that inform at least one
decisive unknown of some set: with the decisive unknowns they inform, and the sets
for which one of those is decisive. Most sets settled first; ties in the order of the
first finding they inform in the contract's slug table, then in the order below.
"""

from dataclasses import dataclass

from .findings import (
    CASTLEMAN_DISEASE,
    CLONAL_PLASMA_CELLS,
    ENDOCRINE_SUBFINDINGS,
    ENDOCRINOPATHY,
    EXTRAVASCULAR_VOLUME_OVERLOAD,
    M_PROTEIN_IFE,
    MONOCLONAL_PLASMA_CELL_DISORDER,
    ORDER,
    ORGANOMEGALY,
    PAPILLEDEMA,
    POLYNEUROPATHY,
    PULMONARY_HYPERTENSION,
    SCLEROTIC_BONE_LESIONS,
    SKIN_CHANGES,
    THROMBOCYTOSIS_POLYCYTHEMIA,
    VEGF_ELEVATED,
)


@dataclass(frozen=True, slots=True)
class Investigation:
    """A stable slug (an API identifier) and the findings the investigation informs."""

    slug: str
    informs: tuple


INVESTIGATIONS = (
    Investigation("nerve_conduction_studies", (POLYNEUROPATHY,)),
    Investigation(
        "immunofixation_free_light_chains", (MONOCLONAL_PLASMA_CELL_DISORDER, M_PROTEIN_IFE)
    ),
    Investigation("bone_marrow_biopsy", (MONOCLONAL_PLASMA_CELL_DISORDER, CLONAL_PLASMA_CELLS)),
    Investigation("vegf", (VEGF_ELEVATED,)),
    Investigation("skeletal_ct", (SCLEROTIC_BONE_LESIONS,)),
    Investigation(
        "lymph_node_biopsy",
        (CASTLEMAN_DISEASE, MONOCLONAL_PLASMA_CELL_DISORDER, CLONAL_PLASMA_CELLS),
    ),
    Investigation("body_imaging", (ORGANOMEGALY, EXTRAVASCULAR_VOLUME_OVERLOAD)),
    Investigation("endocrine_panel", (ENDOCRINOPATHY, *ENDOCRINE_SUBFINDINGS)),
    Investigation("skin_examination", (SKIN_CHANGES,)),
    Investigation("fundoscopy", (PAPILLEDEMA,)),
    Investigation("full_blood_count", (THROMBOCYTOSIS_POLYCYTHEMIA,)),
    Investigation("echocardiography", (EXTRAVASCULAR_VOLUME_OVERLOAD, PULMONARY_HYPERTENSION)),
)
INVESTIGATIONS_BY_SLUG = {investigation.slug: investigation for investigation in INVESTIGATIONS}
_POSITION = {investigation.slug: position for position, investigation in enumerate(INVESTIGATIONS)}


@dataclass(frozen=True, slots=True)
class Step:
    """One investigation of the plan: the decisive unknowns it informs (contract order)
    and the sets it could settle (in the order of the results)."""

    slug: str
    findings: tuple
    settles: tuple


def plan(results):
    """The steps for `results` ({set slug: SetResult}, as evaluate returns them)."""
    decisive = {slug: set(result.decisive_unknowns) for slug, result in results.items()}
    open_findings = set().union(*decisive.values()) if decisive else set()
    steps = []
    for investigation in INVESTIGATIONS:
        findings = tuple(
            sorted((f for f in investigation.informs if f in open_findings), key=ORDER.get)
        )
        if not findings:
            continue
        settles = tuple(slug for slug, unknowns in decisive.items() if unknowns & set(findings))
        steps.append(Step(investigation.slug, findings, settles))
    steps.sort(key=lambda step: (-len(step.settles), ORDER[step.findings[0]], _POSITION[step.slug]))
    return tuple(steps)
