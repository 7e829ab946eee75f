"""What each caution says, where it is explained and what sources it: one registry,
keyed by the engine's caution codes (checklist.rules.cautions; a test checks that the
keys are exactly the codes).

A message may use these placeholders, filled in by checklist.panel: %(signs)s (the
findings the caution names), %(specimen)s and %(expected)s (specimens), %(threshold)s
(pg/mL), %(grade)s. Never the checklist's own numbers: a caution's words are
remembered by checklist.rendering, and nothing typed into a checklist may be.

`reference` is the id of a reference in the shipped registry
(content/initial_content/references.toml), shown with the caution; None for cautions
that only describe the input.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_noop as _

from checklist.rules import cautions as codes


@dataclass(frozen=True, slots=True)
class CautionText:
    # What the result says (the checklist page, the API).
    message: str
    # The same, in one short line (the printed summary and the note).
    short: str
    page: str
    reference: str | None


CAUTIONS = {
    codes.GRADE_WITHOUT_CLONE: CautionText(
        _(
            "The %(grade)s grade needs no clonal plasma-cell disorder: this result does not "
            "mean that a clone was shown. Look for one before treating this as POEMS syndrome."
        ),
        _("%(grade)s needs no clonal plasma-cell disorder: this result does not show one."),
        "monoclonal-plasma-cell-disorder",
        "nanbyou-2015",
    ),
    codes.MYELOMA_EXCLUSION: CautionText(
        _(
            "The 2024 Japanese criteria exclude patients who meet the diagnostic criteria for "
            "multiple myeloma."
        ),
        _("Patients who meet the criteria for multiple myeloma are excluded."),
        "other-differentials",
        "mhlw-2024",
    ),
    codes.MONOCLONAL_CONFLICT: CautionText(
        _(
            "Your answer for the monoclonal plasma cell disorder disagrees with its "
            "sub-findings (M-protein by immunofixation, clonal plasma cells on biopsy). Your "
            "answer was used where a set scores it; check the sub-findings."
        ),
        _("The clone answer disagrees with its sub-findings; your answer was used."),
        "monoclonal-plasma-cell-disorder",
        None,
    ),
    codes.CASTLEMAN_VARIANT: CautionText(
        _(
            "Castleman disease without a clonal plasma-cell disorder may be the Castleman "
            "variant of POEMS syndrome. The criteria do not cover it: assess it separately."
        ),
        _("Castleman disease without a clone: perhaps the Castleman variant, not covered."),
        "castleman-disease",
        "dispenzieri-2019",
    ),
    codes.ATYPICAL_WITHOUT_M_PROTEIN: CautionText(
        _(
            "No clone was found, but VEGF is raised and at least two minor criteria are "
            "present: consider POEMS syndrome without a detectable M-protein, which the "
            "criteria do not cover, and search again for a clone (immunofixation, free light "
            "chains, marrow or lesion biopsy)."
        ),
        _("No clone, but raised VEGF and 2 or more minor criteria: consider atypical POEMS."),
        "monoclonal-plasma-cell-disorder",
        "he-2019",
    ),
    codes.ENDOCRINOPATHY_THYROID_DIABETES_ONLY: CautionText(
        _(
            "Diabetes mellitus or thyroid disease alone does not satisfy the Mayo "
            "endocrinopathy criterion, because both are common. Not counting the two together "
            "either is this tool's reading of that footnote."
        ),
        _("Diabetes or thyroid disease alone (or together: this tool's reading) does not count."),
        "endocrinopathy",
        "dispenzieri-2012",
    ),
    codes.ENDOCRINOPATHY_CONFLICT: CautionText(
        _(
            "Your endocrinopathy answer disagrees with the endocrine sub-findings. Your answer "
            "was used; check the sub-findings."
        ),
        _("The endocrinopathy answer disagrees with the glands; your answer was used."),
        "endocrinopathy",
        None,
    ),
    codes.VEGF_SPECIMEN: CautionText(
        _(
            "The VEGF was measured in %(specimen)s, but this set's threshold is for "
            "%(expected)s: the value decides nothing here. Serum VEGF runs higher than plasma "
            "VEGF, because platelets release it."
        ),
        _("VEGF in %(specimen)s, but the threshold is for %(expected)s: it decides nothing."),
        "vegf",
        "hashiguchi-2023",
    ),
    codes.VEGF_NO_THRESHOLD: CautionText(
        _(
            "This tool has not verified the VEGF threshold and specimen of this set's paper, "
            "so the measured value decides nothing here. Mark VEGF elevation yourself if you "
            "judge it raised."
        ),
        _("The VEGF threshold is not verified by this tool: the value decides nothing."),
        "vegf",
        None,
    ),
    codes.VEGF_BELOW_CUTOFF: CautionText(
        _(
            "The plasma VEGF is below %(threshold)s pg/mL, a cut-off chosen for "
            "specificity (95%% specific, 68%% sensitive): about a third of patients with POEMS "
            "syndrome are below it, so it does not rule VEGF elevation out. VEGF also falls "
            "with treatment. Give the laboratory's upper limit of normal, or mark VEGF "
            "elevation yourself."
        ),
        _("Plasma VEGF below %(threshold)s pg/mL (a specificity cut-off) does not rule it out."),
        "vegf",
        "dispenzieri-2012",
    ),
    codes.VEGF_CONFLICT: CautionText(
        _(
            "Your VEGF answer disagrees with the measured value under this set's rule. Your "
            "answer was used; check the value, its specimen and the upper limit of normal."
        ),
        _("The VEGF answer disagrees with the measured value; your answer was used."),
        "vegf",
        None,
    ),
    codes.VEGF_CONFOUNDERS: CautionText(
        _(
            "VEGF is not specific: iron-deficiency anaemia, COPD, sleep apnoea, cancer, "
            "vasculitis and chronic inflammation raise it too."
        ),
        _("VEGF is not specific: anaemia, COPD, sleep apnoea, cancer and inflammation raise it."),
        "vegf",
        "pihan-2018",
    ),
    codes.MINOR_OTHER_CAUSE: CautionText(
        _(
            "Count a minor criterion only when no other condition explains it, for example "
            "oedema from heart failure or hypothyroidism from autoimmune thyroiditis."
        ),
        _("Minor criteria count only when no other condition explains them."),
        "extravascular-volume-overload",
        "dispenzieri-2023",
    ),
    codes.THROMBOCYTOSIS_WORDING: CautionText(
        _(
            "The exact wording of this Japanese item (thrombocytosis, polycythaemia or both) "
            "is not verified by this tool, which scores the shared finding."
        ),
        _("Wording of the Japanese item (thrombocytosis, polycythaemia) not verified."),
        "thrombocytosis-polycythemia",
        "nanbyou-2015",
    ),
    codes.UNSCORED_SIGNS_PRESENT: CautionText(
        _(
            "%(signs)s: these signs support the clinical picture but never count towards any "
            "criteria set."
        ),
        _("%(signs)s: supportive signs, never scored."),
        "other-signs",
        "dispenzieri-2012",
    ),
}
