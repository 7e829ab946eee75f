"""Caution codes: what a set's result warns about, as stable identifiers.

A caution is a code and its parameters, never text: the web layer turns each
code into translated words. Results list their cautions in the order of
`WARNING_CODES`, each code at most once.
"""

from dataclasses import dataclass

# About the result as a whole.
GRADE_WITHOUT_CLONE = "grade_without_clone"
MYELOMA_EXCLUSION = "myeloma_exclusion"
# About the clone.
MONOCLONAL_CONFLICT = "monoclonal_conflict"
CASTLEMAN_VARIANT = "castleman_variant"
ATYPICAL_WITHOUT_M_PROTEIN = "atypical_without_m_protein"
# About endocrinopathy.
ENDOCRINOPATHY_THYROID_DIABETES_ONLY = "endocrinopathy_thyroid_diabetes_only"
ENDOCRINOPATHY_CONFLICT = "endocrinopathy_conflict"
# About VEGF.
VEGF_SPECIMEN = "vegf_specimen"
VEGF_NO_THRESHOLD = "vegf_no_threshold"
VEGF_BELOW_CUTOFF = "vegf_below_cutoff"
VEGF_CONFLICT = "vegf_conflict"
VEGF_CONFOUNDERS = "vegf_confounders"
# About the minor criteria and the other signs.
MINOR_OTHER_CAUSE = "minor_other_cause"
THROMBOCYTOSIS_WORDING = "thrombocytosis_wording"
UNSCORED_SIGNS_PRESENT = "unscored_signs_present"

# Every code, in the order results list them.
WARNING_CODES = (
    GRADE_WITHOUT_CLONE,
    MYELOMA_EXCLUSION,
    MONOCLONAL_CONFLICT,
    CASTLEMAN_VARIANT,
    ATYPICAL_WITHOUT_M_PROTEIN,
    ENDOCRINOPATHY_THYROID_DIABETES_ONLY,
    ENDOCRINOPATHY_CONFLICT,
    VEGF_SPECIMEN,
    VEGF_NO_THRESHOLD,
    VEGF_BELOW_CUTOFF,
    VEGF_CONFLICT,
    VEGF_CONFOUNDERS,
    MINOR_OTHER_CAUSE,
    THROMBOCYTOSIS_WORDING,
    UNSCORED_SIGNS_PRESENT,
)
CODE_ORDER = {code: position for position, code in enumerate(WARNING_CODES)}

# The codes a criteria set attaches through its data (`cautions`, `wording_cautions`);
# the engine computes every other code itself, so data may not attach those.
SET_CODES = (MYELOMA_EXCLUSION, THROMBOCYTOSIS_WORDING)


@dataclass(frozen=True, slots=True)
class Caution:
    """A caution for one set's result: a stable code and its parameters (no text)."""

    code: str
    params: dict
