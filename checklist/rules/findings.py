"""Finding slugs, finding values and VEGF specimens.

The slugs are the public contract (query-string keys, API fields): each is
defined here once, in the order of the contract's table, and nowhere else.
"""

from types import MappingProxyType

PRESENT = "present"
ABSENT = "absent"
UNKNOWN = "unknown"
VALUES = (PRESENT, ABSENT, UNKNOWN)

SERUM = "serum"
PLASMA = "plasma"
SPECIMENS = (SERUM, PLASMA)

POLYNEUROPATHY = "polyneuropathy"
MONOCLONAL_PLASMA_CELL_DISORDER = "monoclonal_plasma_cell_disorder"
CASTLEMAN_DISEASE = "castleman_disease"
SCLEROTIC_BONE_LESIONS = "sclerotic_bone_lesions"
VEGF_ELEVATED = "vegf_elevated"
ORGANOMEGALY = "organomegaly"
EXTRAVASCULAR_VOLUME_OVERLOAD = "extravascular_volume_overload"
ENDOCRINOPATHY = "endocrinopathy"
SKIN_CHANGES = "skin_changes"
PAPILLEDEMA = "papilledema"
THROMBOCYTOSIS_POLYCYTHEMIA = "thrombocytosis_polycythemia"

CLUBBING = "clubbing"
WEIGHT_LOSS = "weight_loss"
HYPERHIDROSIS = "hyperhidrosis"
PULMONARY_HYPERTENSION = "pulmonary_hypertension"
THROMBOTIC_DIATHESES = "thrombotic_diatheses"
DIARRHEA = "diarrhea"
LOW_VITAMIN_B12 = "low_vitamin_b12"

ENDOCRINOPATHY_ADRENAL = "endocrinopathy_adrenal"
ENDOCRINOPATHY_PITUITARY = "endocrinopathy_pituitary"
ENDOCRINOPATHY_GONADAL = "endocrinopathy_gonadal"
ENDOCRINOPATHY_PARATHYROID = "endocrinopathy_parathyroid"
ENDOCRINOPATHY_THYROID = "endocrinopathy_thyroid"
ENDOCRINOPATHY_DIABETES = "endocrinopathy_diabetes"

# M-protein in serum or urine confirmed by immunofixation; clonal plasma cells on a
# biopsy. Either shows a clonal plasma-cell disorder; Japan 2015 scores the first.
M_PROTEIN_IFE = "m_protein_ife"
CLONAL_PLASMA_CELLS = "clonal_plasma_cells"

# The checklist's grouping, as the current Mayo criteria group the findings; the
# Mayo set's requirements are built from these same tuples.
MANDATORY_MAJOR = (POLYNEUROPATHY, MONOCLONAL_PLASMA_CELL_DISORDER)
OTHER_MAJOR = (CASTLEMAN_DISEASE, SCLEROTIC_BONE_LESIONS, VEGF_ELEVATED)
MINOR = (
    ORGANOMEGALY,
    EXTRAVASCULAR_VOLUME_OVERLOAD,
    ENDOCRINOPATHY,
    SKIN_CHANGES,
    PAPILLEDEMA,
    THROMBOCYTOSIS_POLYCYTHEMIA,
)

# Other symptoms and signs: recorded, shown, never scored by any set.
OTHER_SIGNS = (
    CLUBBING,
    WEIGHT_LOSS,
    HYPERHIDROSIS,
    PULMONARY_HYPERTENSION,
    THROMBOTIC_DIATHESES,
    DIARRHEA,
    LOW_VITAMIN_B12,
)

ENDOCRINE_SUBFINDINGS = (
    ENDOCRINOPATHY_ADRENAL,
    ENDOCRINOPATHY_PITUITARY,
    ENDOCRINOPATHY_GONADAL,
    ENDOCRINOPATHY_PARATHYROID,
    ENDOCRINOPATHY_THYROID,
    ENDOCRINOPATHY_DIABETES,
)

CLONE_SUBFINDINGS = (M_PROTEIN_IFE, CLONAL_PLASMA_CELLS)

# Every slug, in the order of the contract's table.
FINDINGS = (
    MANDATORY_MAJOR + OTHER_MAJOR + MINOR + OTHER_SIGNS + ENDOCRINE_SUBFINDINGS + CLONE_SUBFINDINGS
)

# Position of each slug in the contract's table: results list slugs in this order.
ORDER = MappingProxyType({slug: index for index, slug in enumerate(FINDINGS)})

# The findings a criteria set can score, in the contract's order: the eleven of the
# checklist's grouping, and the M-protein by immunofixation (Japan 2015 scores it).
SCORED = (*MANDATORY_MAJOR, *OTHER_MAJOR, *MINOR, M_PROTEIN_IFE)

# A parent finding and the sub-findings shown under it on the checklist: a set that
# scores the parent derives it from them when it is unknown.
SUBFINDINGS = MappingProxyType(
    {
        ENDOCRINOPATHY: ENDOCRINE_SUBFINDINGS,
        MONOCLONAL_PLASMA_CELL_DISORDER: CLONE_SUBFINDINGS,
    }
)
