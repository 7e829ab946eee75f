"""The criteria sets, as data.

Every set is an AND of threshold requirements ("at least `need` of these
findings present"); a graded set has one such AND per grade. The evaluation
in `evaluation.py` relies on two properties that `CriteriaSet` checks when it
is built (and the tests check again by brute force):

* within one rule (the set's requirements, or one grade's), the requirements
  share no finding, so each can be met or missed independently of the others;
* a graded set's grades are nested: each grade's rule implies the rule of the
  grade below it (definite implies probable).

A requirement has no sentence of its own: its `name` names the group ("Minor
criteria") and the web layer says "at least `need` of `findings`" itself, so
the words cannot drift from the rule.
"""

import math
from dataclasses import dataclass, field
from itertools import pairwise

from .cautions import MYELOMA_EXCLUSION, SET_CODES, THROMBOCYTOSIS_WORDING
from .findings import (
    ABSENT,
    CASTLEMAN_DISEASE,
    ENDOCRINE_SUBFINDINGS,
    ENDOCRINOPATHY,
    ENDOCRINOPATHY_ADRENAL,
    ENDOCRINOPATHY_GONADAL,
    ENDOCRINOPATHY_PARATHYROID,
    ENDOCRINOPATHY_PITUITARY,
    EXTRAVASCULAR_VOLUME_OVERLOAD,
    M_PROTEIN_IFE,
    MANDATORY_MAJOR,
    MINOR,
    MONOCLONAL_PLASMA_CELL_DISORDER,
    ORDER,
    ORGANOMEGALY,
    OTHER_MAJOR,
    PAPILLEDEMA,
    PLASMA,
    POLYNEUROPATHY,
    SCLEROTIC_BONE_LESIONS,
    SCORED,
    SERUM,
    SKIN_CHANGES,
    SPECIMENS,
    THROMBOCYTOSIS_POLYCYTHEMIA,
    UNKNOWN,
    VEGF_ELEVATED,
)


def gettext_noop(message):
    """Mark a string for translation without translating it.

    Django's makemessages extracts calls to `gettext_noop`; defining it here
    keeps this package free of Django. The web layer translates the strings.
    """
    return message


# The version of the rule engine as a whole: bump it whenever any set's logic,
# threshold or derivation changes, so printed summaries say which rules they used.
RULES_VERSION = "2026.11.29"

# Every set has a requirement under this key: the cautions about minor criteria read it.
MINOR_KEY = "minor"

# The findings a set can score as its clonal plasma-cell criterion: the parent
# (a clone shown by any means) or the narrower M-protein by immunofixation.
CLONE_FINDINGS = (MONOCLONAL_PLASMA_CELL_DISORDER, M_PROTEIN_IFE)

# How an unknown clone finding is derived (the same for every set, see evaluation.py).
CLONE_RULE = gettext_noop("M-protein by immunofixation or clonal plasma cells on biopsy")
NO_CLONE_RULE = gettext_noop("no clonal plasma-cell disorder")


@dataclass(frozen=True, slots=True)
class Source:
    citation: str
    pmid: str = ""
    doi: str = ""
    url: str = ""
    year: int | None = None


@dataclass(frozen=True, slots=True)
class Requirement:
    """At least `need` of `findings` present; `name` names the group of findings."""

    key: str
    name: str
    findings: tuple
    need: int

    def __post_init__(self):
        if not 1 <= self.need <= len(self.findings):
            raise ValueError(f"{self.key}: need {self.need} of {len(self.findings)}")
        if len(set(self.findings)) != len(self.findings):
            raise ValueError(f"{self.key}: repeated finding")
        unknown = set(self.findings) - set(SCORED)
        if unknown:
            raise ValueError(f"{self.key}: not a scored finding: {sorted(unknown)}")


@dataclass(frozen=True, slots=True)
class Grade:
    """A grade of a graded set: met when all the named requirements are met."""

    slug: str
    label: str
    requirements: tuple


@dataclass(frozen=True, slots=True)
class ExtraGrade:
    """A category reported for information only: it never makes a set met."""

    slug: str
    label: str
    requirements: tuple


@dataclass(frozen=True, slots=True)
class VegfRule:
    """How a measured VEGF decides VEGF elevation for a set.

    In the named specimen: at or below the laboratory's upper limit of normal is
    absent when the set uses it (`uln_rule` names that rule; "" when the set does
    not); else a value >= threshold is present; else `below` (absent, or unknown
    when the threshold is a specificity cut-off and not a rule-out).
    """

    specimen: str
    threshold: float
    rule: str
    source: Source
    below: str
    uln_rule: str = ""

    def __post_init__(self):
        if self.specimen not in SPECIMENS:
            raise ValueError(f"unknown specimen {self.specimen!r}")
        if not (math.isfinite(self.threshold) and self.threshold > 0):
            raise ValueError(f"VEGF threshold must be a finite number > 0: {self.threshold!r}")
        if self.below not in (ABSENT, UNKNOWN):
            raise ValueError(f"below the threshold is absent or unknown, not {self.below!r}")
        if not self.rule:
            raise ValueError("a VEGF rule needs its text")


@dataclass(frozen=True)
class CriteriaSet:
    slug: str
    label: str
    # A few words, for tight places (a phone's result bar, lists of sets).
    short_label: str
    version: str
    source: Source
    requirements: tuple
    # Highest first; empty for a plain (ungraded) set.
    grades: tuple
    # None when a measured VEGF decides nothing for this set.
    vegf_rule: VegfRule | None
    # The sub-findings whose three-valued OR stands for an unknown endocrinopathy.
    endocrine_subfindings: tuple
    endocrine_rule: str
    # False when VEGF is not a criterion of the set: it is then ignored entirely.
    uses_vegf: bool
    # The finding the set scores as its clonal plasma-cell criterion (CLONE_FINDINGS).
    clone: str
    extra_grades: tuple = ()
    # Caution codes shown with every result of the set.
    cautions: tuple = ()
    # (finding slug, caution code): the code is shown when that finding is present
    # for the set, because the set's own wording is narrower than the shared slug.
    wording_cautions: tuple = ()

    # Derived once, for the evaluation.
    # The scored findings the set uses, in the contract's order.
    findings: tuple = field(init=False, repr=False, compare=False)
    # One rule per grade (or one rule for a plain set): (grade slug or None,
    # indices into `requirements`).
    rules: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        self._validate_requirement_keys()
        rules = self._rules()
        self._validate_rules(rules)
        used = {f for requirement in self.requirements for f in requirement.findings}
        for extra in self.extra_grades:
            used.update(f for requirement in extra.requirements for f in requirement.findings)
        self._validate_endocrine()
        self._validate_vegf(used)
        self._validate_clone(used)
        self._validate_cautions(used)
        object.__setattr__(self, "findings", tuple(sorted(used, key=ORDER.__getitem__)))
        object.__setattr__(self, "rules", rules)

    def _validate_requirement_keys(self):
        keys = [requirement.key for requirement in self.requirements]
        if len(set(keys)) != len(keys):
            raise ValueError(f"{self.slug}: repeated requirement key")
        if MINOR_KEY not in keys:
            raise ValueError(f"{self.slug}: no requirement keyed {MINOR_KEY!r}")

    def _rules(self):
        if not self.grades:
            return ((None, tuple(range(len(self.requirements)))),)
        index = {
            requirement.key: position for position, requirement in enumerate(self.requirements)
        }
        unknown = {key for grade in self.grades for key in grade.requirements} - set(index)
        if unknown:
            raise ValueError(f"{self.slug}: a grade names no requirement {sorted(unknown)}")
        return tuple(
            (grade.slug, tuple(index[key] for key in grade.requirements)) for grade in self.grades
        )

    def _validate_rules(self, rules):
        for _, positions in rules:
            _check_disjoint(self.slug, [self.requirements[p] for p in positions])
        for extra in self.extra_grades:
            _check_disjoint(self.slug, extra.requirements)
        for higher, lower in pairwise(rules):
            _check_implies(
                self.slug,
                [self.requirements[p] for p in higher[1]],
                [self.requirements[p] for p in lower[1]],
            )

    def _validate_endocrine(self):
        if not set(self.endocrine_subfindings) <= set(ENDOCRINE_SUBFINDINGS):
            raise ValueError(f"{self.slug}: unknown endocrine sub-finding")

    def _validate_vegf(self, used):
        if (VEGF_ELEVATED in used) != self.uses_vegf:
            raise ValueError(f"{self.slug}: uses_vegf disagrees with the requirements")
        if self.vegf_rule is not None and not self.uses_vegf:
            raise ValueError(f"{self.slug}: a VEGF rule for a set that does not use VEGF")

    def _validate_clone(self, used):
        # The evaluation derives exactly one clone finding per set: the one it scores.
        if self.clone not in CLONE_FINDINGS:
            raise ValueError(f"{self.slug}: the clone must be one of {CLONE_FINDINGS}")
        if not any(self.clone in requirement.findings for requirement in self.requirements):
            raise ValueError(f"{self.slug}: no requirement scores the clone {self.clone!r}")
        if used & set(CLONE_FINDINGS) != {self.clone}:
            raise ValueError(f"{self.slug}: scores a clone finding other than {self.clone!r}")

    def _validate_cautions(self, used):
        codes = list(self.cautions)
        for finding, code in self.wording_cautions:
            if finding not in used:
                raise ValueError(f"{self.slug}: a wording caution on an unscored {finding!r}")
            codes.append(code)
        if not set(codes) <= set(SET_CODES):
            raise ValueError(f"{self.slug}: data can attach only the codes {SET_CODES}")
        if len(set(codes)) != len(codes):
            raise ValueError(f"{self.slug}: a caution code attached twice")


def _check_disjoint(slug, requirements):
    seen = set()
    for requirement in requirements:
        if seen & set(requirement.findings):
            raise ValueError(f"{slug}: requirements of one rule share a finding")
        seen.update(requirement.findings)


def _requirement_implies(higher, lower):
    # Any set of present findings meeting `higher` has at least
    # higher.need - |higher.findings - lower.findings| of lower's findings.
    outside = len(set(higher.findings) - set(lower.findings))
    return higher.need - outside >= lower.need


def _check_implies(slug, higher_rule, lower_rule):
    for lower in lower_rule:
        if not any(_requirement_implies(higher, lower) for higher in higher_rule):
            raise ValueError(f"{slug}: a grade does not imply the grade below it")


ENDOCRINE_RULE_MAYO = gettext_noop("any of adrenal, pituitary, gonadal, parathyroid")
ENDOCRINE_RULE_ALL = gettext_noop(
    "any of adrenal, pituitary, gonadal, parathyroid, thyroid, diabetes"
)

MAYO_ENDOCRINE_SUBFINDINGS = (
    ENDOCRINOPATHY_ADRENAL,
    ENDOCRINOPATHY_PITUITARY,
    ENDOCRINOPATHY_GONADAL,
    ENDOCRINOPATHY_PARATHYROID,
)

MAJOR_CRITERIA = gettext_noop("Major criteria")
MINOR_CRITERIA = gettext_noop("Minor criteria")

D_SOUZA_2011 = Source(
    citation=(
        "D'Souza A, Hayman SR, Buadi F, et al. The utility of plasma vascular "
        "endothelial growth factor levels in the diagnosis and follow-up of patients "
        "with POEMS syndrome. Blood. 2011;118(17):4663."
    ),
    # PMID and DOI not verified against a primary record: left empty on purpose.
    url="https://ashpublications.org/blood/article/118/17/4663/29066",
    year=2011,
)

MHLW_2015 = Source(
    citation=(
        "Japan Intractable Diseases Information Center. Crow-Fukase syndrome (designated "
        "intractable disease 16): diagnostic criteria. Ministry of Health, Labour and "
        "Welfare; 2015."
    ),
    url="https://www.nanbyou.or.jp/entry/241",
    year=2015,
)

MHLW_2024 = Source(
    citation=(
        "Ministry of Health, Labour and Welfare (Japan). 診断基準等のアップデートの概要 [Update "
        "of the diagnostic criteria of designated intractable diseases], No. 16 Crow-Fukase "
        "(POEMS) syndrome. 26 November 2024."
    ),
    url="https://www.mhlw.go.jp/stf/newpage_46002.html",
    year=2024,
)

MAYO = CriteriaSet(
    slug="mayo",
    label=gettext_noop("Mayo Clinic criteria (2023 update)"),
    short_label=gettext_noop("Mayo 2023"),
    version="2023",
    source=Source(
        citation=(
            "Dispenzieri A. POEMS syndrome: Update on diagnosis, risk-stratification, "
            "and management. Am J Hematol. 2023."
        ),
        pmid="37732822",
        doi="10.1002/ajh.27081",
        url="https://doi.org/10.1002/ajh.27081",
        year=2023,
    ),
    # The checklist's grouping is Mayo's: one home for it, in findings.py.
    requirements=(
        Requirement(
            key="mandatory_major",
            name=gettext_noop("Mandatory major criteria"),
            findings=MANDATORY_MAJOR,
            need=2,
        ),
        Requirement(
            key="other_major",
            name=gettext_noop("Other major criteria"),
            findings=OTHER_MAJOR,
            need=1,
        ),
        Requirement(key=MINOR_KEY, name=MINOR_CRITERIA, findings=MINOR, need=1),
    ),
    grades=(),
    # D'Souza 2011: 200 pg/mL is 95% specific but only 68% sensitive, so a value
    # below it rules nothing out; the laboratory's own normal range does.
    vegf_rule=VegfRule(
        specimen=PLASMA,
        threshold=200.0,
        rule=gettext_noop("plasma >= 200 pg/mL"),
        source=D_SOUZA_2011,
        below=UNKNOWN,
        uln_rule=gettext_noop("at or below the laboratory's upper limit of normal"),
    ),
    # Mayo's footnote: diabetes or thyroid disease alone (or both) does not count.
    endocrine_subfindings=MAYO_ENDOCRINE_SUBFINDINGS,
    endocrine_rule=ENDOCRINE_RULE_MAYO,
    uses_vegf=True,
    clone=MONOCLONAL_PLASMA_CELL_DISORDER,
)

MAYO_2003 = CriteriaSet(
    slug="mayo_2003",
    label=gettext_noop("Dispenzieri 2003 criteria"),
    short_label=gettext_noop("Mayo 2003"),
    version="2003",
    source=Source(
        citation=(
            "Dispenzieri A, Kyle RA, Lacy MQ, et al. POEMS syndrome: definitions and "
            "long-term outcome. Blood. 2003;101(7):2496-2506."
        ),
        # PMID and DOI not verified against a primary record: left empty on purpose.
        url=(
            "https://ashpublications.org/blood/article/101/7/2496/106657/"
            "POEMS-syndrome-definitions-and-long-term"
        ),
        year=2003,
    ),
    requirements=(
        Requirement(
            key="major",
            name=MAJOR_CRITERIA,
            findings=(POLYNEUROPATHY, MONOCLONAL_PLASMA_CELL_DISORDER),
            need=2,
        ),
        Requirement(
            key=MINOR_KEY,
            name=MINOR_CRITERIA,
            findings=(
                SCLEROTIC_BONE_LESIONS,
                CASTLEMAN_DISEASE,
                ORGANOMEGALY,
                EXTRAVASCULAR_VOLUME_OVERLOAD,
                ENDOCRINOPATHY,
                SKIN_CHANGES,
                PAPILLEDEMA,
            ),
            need=1,
        ),
    ),
    grades=(),
    # VEGF and thrombocytosis are not criteria of this set.
    vegf_rule=None,
    endocrine_subfindings=ENDOCRINE_SUBFINDINGS,
    endocrine_rule=ENDOCRINE_RULE_ALL,
    uses_vegf=False,
    clone=MONOCLONAL_PLASMA_CELL_DISORDER,
)

JAPAN_MINOR_FINDINGS = (
    SCLEROTIC_BONE_LESIONS,
    CASTLEMAN_DISEASE,
    ORGANOMEGALY,
    EXTRAVASCULAR_VOLUME_OVERLOAD,
    ENDOCRINOPATHY,
    SKIN_CHANGES,
    PAPILLEDEMA,
    THROMBOCYTOSIS_POLYCYTHEMIA,
)

# The Japanese minor list may name thrombocytosis without polycythaemia (not yet
# confirmed against the official text): both Japanese sets score the shared slug
# and say so. Change it here, once, when the wording is settled.
JAPAN_WORDING_CAUTIONS = ((THROMBOCYTOSIS_POLYCYTHEMIA, THROMBOCYTOSIS_WORDING),)


def _japanese_set(*, slug, label, short_label, version, source, clone, vegf_rule, cautions=()):
    """The Japanese MHLW criteria: Definite > Probable, and Possible for information.

    The eight minor items are counted one by one. Probable needs no clone.
    """
    return CriteriaSet(
        slug=slug,
        label=label,
        short_label=short_label,
        version=version,
        source=source,
        requirements=(
            Requirement(
                key="major",
                name=MAJOR_CRITERIA,
                findings=(POLYNEUROPATHY, VEGF_ELEVATED, clone),
                need=3,
            ),
            Requirement(
                key="probable_major",
                name=gettext_noop("Major criteria for Probable"),
                findings=(POLYNEUROPATHY, VEGF_ELEVATED),
                need=2,
            ),
            Requirement(key=MINOR_KEY, name=MINOR_CRITERIA, findings=JAPAN_MINOR_FINDINGS, need=1),
        ),
        grades=(
            Grade(slug="definite", label=gettext_noop("Definite"), requirements=("major", "minor")),
            Grade(
                slug="probable",
                label=gettext_noop("Probable"),
                requirements=("probable_major", "minor"),
            ),
        ),
        vegf_rule=vegf_rule,
        endocrine_subfindings=ENDOCRINE_SUBFINDINGS,
        endocrine_rule=ENDOCRINE_RULE_ALL,
        uses_vegf=True,
        clone=clone,
        extra_grades=(
            ExtraGrade(
                slug="possible",
                label=gettext_noop("Possible"),
                requirements=(
                    Requirement(
                        key="possible_major",
                        name=gettext_noop("Polyneuropathy"),
                        findings=(POLYNEUROPATHY,),
                        need=1,
                    ),
                    Requirement(
                        key="possible_minor",
                        name=MINOR_CRITERIA,
                        findings=JAPAN_MINOR_FINDINGS,
                        need=2,
                    ),
                ),
            ),
        ),
        cautions=cautions,
        wording_cautions=JAPAN_WORDING_CAUTIONS,
    )


# The 2015 M-protein item is "M-protein (serum or urine) confirmed by
# immunofixation": narrower than a clone shown by any means, so it is scored
# through its own slug.
JAPAN_2015 = _japanese_set(
    slug="japan_2015",
    label=gettext_noop("Japanese MHLW criteria (2015)"),
    short_label=gettext_noop("Japan 2015"),
    version="2015",
    source=MHLW_2015,
    clone=M_PROTEIN_IFE,
    # No ELISA here: the 2024 revision added that word.
    vegf_rule=VegfRule(
        specimen=SERUM,
        threshold=1000.0,
        rule=gettext_noop("serum >= 1000 pg/mL"),
        source=MHLW_2015,
        below=ABSENT,
    ),
)

# The 2024 revision: any clonal plasma-cell disorder, VEGF by ELISA, and patients
# who meet the criteria for multiple myeloma excluded (said with every result).
JAPAN_2024 = _japanese_set(
    slug="japan_2024",
    label=gettext_noop("Japanese MHLW criteria (2024 revision)"),
    short_label=gettext_noop("Japan 2024"),
    version="2024",
    source=MHLW_2024,
    clone=MONOCLONAL_PLASMA_CELL_DISORDER,
    vegf_rule=VegfRule(
        specimen=SERUM,
        threshold=1000.0,
        rule=gettext_noop("serum >= 1000 pg/mL (ELISA)"),
        source=MHLW_2024,
        below=ABSENT,
    ),
    cautions=(MYELOMA_EXCLUSION,),
)

SUICHI_2019 = CriteriaSet(
    slug="suichi_2019",
    label=gettext_noop("Suichi et al. criteria (2019)"),
    short_label=gettext_noop("Suichi 2019"),
    version="2019",
    source=Source(
        citation=(
            "Suichi T, Misawa S, Sato Y, et al. Proposal of new clinical diagnostic "
            "criteria for POEMS syndrome. J Neurol Neurosurg Psychiatry. "
            "2019;90(2):133."
        ),
        # PMID and DOI not verified against a primary record: left empty on purpose.
        url="https://jnnp.bmj.com/content/90/2/133",
        year=2019,
    ),
    requirements=(
        Requirement(
            key="major",
            name=MAJOR_CRITERIA,
            findings=(POLYNEUROPATHY, MONOCLONAL_PLASMA_CELL_DISORDER, VEGF_ELEVATED),
            need=3,
        ),
        Requirement(
            key=MINOR_KEY,
            name=MINOR_CRITERIA,
            findings=(
                EXTRAVASCULAR_VOLUME_OVERLOAD,
                SKIN_CHANGES,
                ORGANOMEGALY,
                SCLEROTIC_BONE_LESIONS,
            ),
            need=2,
        ),
    ),
    grades=(),
    # The paper's threshold and specimen for "elevated VEGF" are not verified:
    # a measured value decides nothing for this set until a primary source does.
    vegf_rule=None,
    # Endocrinopathy is not a criterion here; derived like the other non-Mayo sets.
    endocrine_subfindings=ENDOCRINE_SUBFINDINGS,
    endocrine_rule=ENDOCRINE_RULE_ALL,
    uses_vegf=True,
    clone=MONOCLONAL_PLASMA_CELL_DISORDER,
)

CRITERIA_SETS = (MAYO, MAYO_2003, JAPAN_2015, JAPAN_2024, SUICHI_2019)
CRITERIA_SETS_BY_SLUG = {criteria_set.slug: criteria_set for criteria_set in CRITERIA_SETS}
