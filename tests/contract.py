"""The public contract (shared/contract.md) as the tests read it.

Written out here, not imported from the code, so that a change to the code's slugs,
sets or values cannot silently change what the tests expect.
"""

import re

# The slug table, in the contract's order.
SLUGS = (
    "polyneuropathy",
    "monoclonal_plasma_cell_disorder",
    "castleman_disease",
    "sclerotic_bone_lesions",
    "vegf_elevated",
    "organomegaly",
    "extravascular_volume_overload",
    "endocrinopathy",
    "skin_changes",
    "papilledema",
    "thrombocytosis_polycythemia",
    "clubbing",
    "weight_loss",
    "hyperhidrosis",
    "pulmonary_hypertension",
    "thrombotic_diatheses",
    "diarrhea",
    "low_vitamin_b12",
    "endocrinopathy_adrenal",
    "endocrinopathy_pituitary",
    "endocrinopathy_gonadal",
    "endocrinopathy_parathyroid",
    "endocrinopathy_thyroid",
    "endocrinopathy_diabetes",
    "m_protein_ife",
    "clonal_plasma_cells",
)
# The findings a criteria set can score: the table's first eleven rows, and
# m_protein_ife (japan_2015 scores it in place of monoclonal_plasma_cell_disorder).
SCORED = (*SLUGS[:11], "m_protein_ife")
ORDER = {slug: index for index, slug in enumerate(SLUGS)}
VALUES = ("present", "absent", "unknown")
SETS = ("mayo", "mayo_2003", "japan_2015", "japan_2024", "suichi_2019")
OUTCOMES = ("met", "not_met", "indeterminate")
STATUSES = ("met", "not_met", "indeterminate")
LANGUAGES = ("en", "zh-hans", "ja")

# Warning codes the contract names.
CASTLEMAN_VARIANT = "castleman_variant"
MONOCLONAL_CONFLICT = "monoclonal_conflict"
VEGF_BELOW_CUTOFF = "vegf_below_cutoff"
MYELOMA_EXCLUSION = "myeloma_exclusion"
# Every warning code (stable identifiers, documented with the API): the contract's
# and the rest, in no particular order.
WARNING_CODES = (
    CASTLEMAN_VARIANT,
    MONOCLONAL_CONFLICT,
    VEGF_BELOW_CUTOFF,
    MYELOMA_EXCLUSION,
    "endocrinopathy_thyroid_diabetes_only",
    "endocrinopathy_conflict",
    "vegf_specimen",
    "vegf_no_threshold",
    "vegf_conflict",
    "vegf_confounders",
    "unscored_signs_present",
    "atypical_without_m_protein",
    "grade_without_clone",
    "minor_other_cause",
    "thrombocytosis_wording",
)

# Enough for Mayo's rule: both mandatory, one other major, one minor.
MAYO_MET = {
    "polyneuropathy": "present",
    "monoclonal_plasma_cell_disorder": "present",
    "sclerotic_bone_lesions": "present",
    "organomegaly": "present",
}

# Chinese or Japanese characters: a translated text contains some.
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
