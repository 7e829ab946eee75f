"""The checklist's fixed words: gettext strings for outcomes, warnings and input errors.

Criteria-set and requirement labels come from checklist.rules (marked there with
gettext_noop); finding labels and hints are content in the database. These are marked
for translation only; poems_site.i18n.translate() words them in the reader's language.
"""

from django.utils.translation import gettext_noop as _

from checklist import query
from checklist.rules import INDETERMINATE, MET, NOT_MET, PLASMA, SERUM

OUTCOMES = {
    MET: _("Criteria met"),
    NOT_MET: _("Criteria not met"),
    INDETERMINATE: _("Not yet determinable"),
}
STATUSES = {
    MET: _("Met"),
    NOT_MET: _("Not met"),
    INDETERMINATE: _("Open"),
}
VALUES = {
    "present": _("Present"),
    "absent": _("Absent"),
    "unknown": _("Not assessed"),
}
SPECIMENS = {SERUM: _("serum"), PLASMA: _("plasma")}

# What each warning says. Parameters: {signs}, {specimen}, {expected}.
WARNINGS = {
    "castleman_variant": _(
        "Castleman disease without a clonal plasma-cell disorder may be the Castleman "
        "variant of POEMS syndrome. The criteria do not cover it: assess it separately."
    ),
    "endocrinopathy_thyroid_diabetes_only": _(
        "Diabetes mellitus or thyroid disease alone, or both together, does not satisfy the "
        "endocrinopathy criterion here: both are common in the general population."
    ),
    "endocrinopathy_conflict": _(
        "Your endocrinopathy answer disagrees with the endocrine sub-findings. Your answer "
        "was used; check the sub-findings."
    ),
    "vegf_specimen": _(
        "The VEGF was measured in {specimen}, but this set's threshold is for {expected}: "
        "the value decides nothing here. Serum VEGF runs higher than plasma VEGF."
    ),
    "vegf_no_threshold": _(
        "No verified VEGF threshold has been published for this set, so the measured value "
        "decides nothing here. Mark VEGF elevation yourself if you judge it raised."
    ),
    "vegf_conflict": _(
        "Your VEGF answer disagrees with the measured value under this set's threshold. "
        "Your answer was used; check the value and its specimen."
    ),
    "vegf_confounders": _(
        "VEGF is not specific: iron-deficiency anaemia, COPD, sleep apnoea, cancer, "
        "vasculitis and chronic inflammation raise it too, and serum runs higher than plasma."
    ),
    "unscored_signs_present": _(
        "{signs}: these signs support the clinical picture but never count towards any "
        "criteria set."
    ),
}
# The explanatory page that sources each warning's statement.
WARNING_PAGES = {
    "castleman_variant": "castleman-disease",
    "endocrinopathy_thyroid_diabetes_only": "endocrinopathy",
    "endocrinopathy_conflict": "endocrinopathy",
    "vegf_specimen": "vegf",
    "vegf_no_threshold": "vegf",
    "vegf_conflict": "vegf",
    "vegf_confounders": "vegf",
    "unscored_signs_present": "other-signs",
}

# What is wrong with an input, by error code.
ERRORS = {
    query.TOO_MANY_FIELDS: _("The address has too many fields. Start again from the checklist."),
    query.UNKNOWN_KEY: _("This is not a field of the checklist."),
    query.BAD_VALUE: _("Choose present, absent or not assessed."),
    query.BAD_ENCODING: _("This part of the address is garbled (not valid text)."),
    query.CONFLICTING_REPEAT: _("This field is given twice with different values."),
    query.BAD_NUMBER: _("Enter VEGF as a plain number in pg/mL, for example 350 or 1200.5."),
    query.OUT_OF_RANGE: _("Enter a VEGF value from 0 to 1,000,000 pg/mL."),
    query.SPECIMEN_REQUIRED: _("Say whether the VEGF was measured in serum or plasma."),
    query.BAD_SPECIMEN: _("Choose serum or plasma."),
    query.BAD_LANGUAGE: _("Choose en, zh-hans or ja."),
}

# The source of each warning's clinical statement (shown with it); None for warnings
# that only describe the input.
WARNING_SOURCES = {
    "castleman_variant": ("Dispenzieri A. Am J Hematol 2019;94:812-827", "31012139", ""),
    "endocrinopathy_thyroid_diabetes_only": (
        "Dispenzieri A. Blood 2012;119:5650-5658",
        "22547581",
        "",
    ),
    "vegf_specimen": ("Hashiguchi T. Brain and Nerve 2023", "", "10.11477/mf.1543209009"),
    "vegf_confounders": ("Pihan M, et al. Neurol Neuroimmunol Neuroinflamm 2018", "30175160", ""),
    "unscored_signs_present": ("Dispenzieri A. Blood 2012;119:5650-5658", "22547581", ""),
}
