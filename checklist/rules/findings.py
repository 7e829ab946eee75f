"""Finding slugs, finding values and VEGF specimens.

The slugs are the public contract (query-string keys, API fields): each is
defined here once, in the order of the contract's table, and nowhere else.
"""

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

ENDOCRINOPATHY_ADRENAL = "endocrinopathy_adrenal"
ENDOCRINOPATHY_PITUITARY = "endocrinopathy_pituitary"
ENDOCRINOPATHY_GONADAL = "endocrinopathy_gonadal"
ENDOCRINOPATHY_PARATHYROID = "endocrinopathy_parathyroid"
ENDOCRINOPATHY_THYROID = "endocrinopathy_thyroid"
ENDOCRINOPATHY_DIABETES = "endocrinopathy_diabetes"

# The eleven findings that criteria sets can score.
SCORED = (
    POLYNEUROPATHY,
    MONOCLONAL_PLASMA_CELL_DISORDER,
    CASTLEMAN_DISEASE,
    SCLEROTIC_BONE_LESIONS,
    VEGF_ELEVATED,
    ORGANOMEGALY,
    EXTRAVASCULAR_VOLUME_OVERLOAD,
    ENDOCRINOPATHY,
    SKIN_CHANGES,
    PAPILLEDEMA,
    THROMBOCYTOSIS_POLYCYTHEMIA,
)

# Other symptoms and signs: recorded, shown, never scored by any set.
OTHER_SIGNS = (
    "clubbing",
    "weight_loss",
    "hyperhidrosis",
    "pulmonary_hypertension",
    "thrombotic_diatheses",
    "diarrhea",
    "low_vitamin_b12",
)

ENDOCRINE_SUBFINDINGS = (
    ENDOCRINOPATHY_ADRENAL,
    ENDOCRINOPATHY_PITUITARY,
    ENDOCRINOPATHY_GONADAL,
    ENDOCRINOPATHY_PARATHYROID,
    ENDOCRINOPATHY_THYROID,
    ENDOCRINOPATHY_DIABETES,
)

FINDINGS = SCORED + OTHER_SIGNS + ENDOCRINE_SUBFINDINGS

# The checklist's grouping, as the current Mayo criteria group the findings.
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

# Position of each slug in the contract's table: results list slugs in this order.
ORDER = {slug: index for index, slug in enumerate(FINDINGS)}
