"""The checklist's fixed words: gettext strings for outcomes, statuses, values and
input errors (marked here, translated where they are shown, common.i18n).

Criteria-set, grade and requirement names come from checklist.rules (marked there
with gettext_noop); what each caution says is in checklist.cautions; finding labels
and hints are content in the database (checklist.labels).
"""

from django.utils.translation import gettext_noop as _

from checklist import query
from checklist.rules import ABSENT, INDETERMINATE, MET, NOT_MET, PLASMA, PRESENT, SERUM, UNKNOWN

OUTCOMES = {
    MET: _("Criteria met"),
    NOT_MET: _("Criteria not met"),
    INDETERMINATE: _("Not yet determinable"),
}
# A symbol for each outcome, so that colour is never the only sign.
OUTCOME_SYMBOLS = {MET: "✓", NOT_MET: "✕", INDETERMINATE: "?"}
STATUSES = {
    MET: _("Met"),
    NOT_MET: _("Not met"),
    INDETERMINATE: _("Open"),
}
VALUES = {
    PRESENT: _("Present"),
    ABSENT: _("Absent"),
    UNKNOWN: _("Not assessed"),
}
SPECIMENS = {SERUM: _("serum"), PLASMA: _("plasma")}

# What is wrong with an input, by error code.
ERRORS = {
    query.TOO_MANY_FIELDS: _("The address has too many fields. Start again from the checklist."),
    query.UNKNOWN_KEY: _("This is not a field of the checklist."),
    query.BAD_VALUE: _("Choose present, absent or not assessed."),
    query.BAD_ENCODING: _("This part of the address is garbled (not valid text)."),
    query.CONFLICTING_REPEAT: _("This field is given twice with different values."),
    query.BAD_NUMBER: _("Enter a plain number in pg/mL, for example 350 or 1200.5."),
    query.OUT_OF_RANGE: _("Enter a value from 0 to 1,000,000 pg/mL."),
    query.SPECIMEN_REQUIRED: _("Say whether the VEGF was measured in serum or plasma."),
    query.BAD_SPECIMEN: _("Choose serum or plasma."),
    query.BAD_LANGUAGE: _("Choose en, zh-hans or ja."),
}
