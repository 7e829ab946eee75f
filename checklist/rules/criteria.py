"""The criteria sets, as data.

Every set is an AND of threshold requirements ("at least `need` of these
findings present"); a graded set has one such AND per grade. The evaluation
in `evaluation.py` relies on two properties that `CriteriaSet` checks when it
is built (and the tests check again by brute force):

* within one rule (the set's requirements, or one grade's), the requirements
  share no finding, so each can be met or missed independently of the others;
* a graded set's grades are nested: each grade's rule implies the rule of the
  grade below it (definite implies probable).
"""

from dataclasses import dataclass, field
from itertools import pairwise

from .findings import (
    CASTLEMAN_DISEASE,
    ENDOCRINE_SUBFINDINGS,
    ENDOCRINOPATHY,
    ENDOCRINOPATHY_ADRENAL,
    ENDOCRINOPATHY_GONADAL,
    ENDOCRINOPATHY_PARATHYROID,
    ENDOCRINOPATHY_PITUITARY,
    EXTRAVASCULAR_VOLUME_OVERLOAD,
    MONOCLONAL_PLASMA_CELL_DISORDER,
    ORDER,
    ORGANOMEGALY,
    PAPILLEDEMA,
    PLASMA,
    POLYNEUROPATHY,
    SCLEROTIC_BONE_LESIONS,
    SCORED,
    SERUM,
    SKIN_CHANGES,
    SPECIMENS,
    THROMBOCYTOSIS_POLYCYTHEMIA,
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
RULES_VERSION = "2026.11"


@dataclass(frozen=True, slots=True)
class Source:
    citation: str
    pmid: str = ""
    doi: str = ""
    url: str = ""
    year: int | None = None


@dataclass(frozen=True, slots=True)
class Requirement:
    """At least `need` of `findings` present; "all of" when need == len(findings)."""

    key: str
    label: str
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

    @property
    def all_of(self):
        return self.need == len(self.findings)


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
    """VEGF counts as elevated when value >= threshold in the named specimen."""

    specimen: str
    threshold: float
    rule: str
    source: Source

    def __post_init__(self):
        if self.specimen not in SPECIMENS:
            raise ValueError(f"unknown specimen {self.specimen!r}")


@dataclass(frozen=True)
class CriteriaSet:
    slug: str
    label: str
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
    extra_grades: tuple = ()

    # Derived once, for the evaluation.
    # The scored findings the set uses, in the contract's order.
    findings: tuple = field(init=False, repr=False, compare=False)
    # One rule per grade (or one rule for a plain set): (grade slug or None,
    # indices into `requirements`).
    rules: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        keys = [requirement.key for requirement in self.requirements]
        if len(set(keys)) != len(keys):
            raise ValueError(f"{self.slug}: repeated requirement key")
        index = {key: position for position, key in enumerate(keys)}
        if self.grades:
            rules = tuple(
                (grade.slug, tuple(index[key] for key in grade.requirements))
                for grade in self.grades
            )
        else:
            rules = ((None, tuple(range(len(self.requirements)))),)
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
        if not set(self.endocrine_subfindings) <= set(ENDOCRINE_SUBFINDINGS):
            raise ValueError(f"{self.slug}: unknown endocrine sub-finding")
        used = {f for requirement in self.requirements for f in requirement.findings}
        for extra in self.extra_grades:
            used.update(f for requirement in extra.requirements for f in requirement.findings)
        if (VEGF_ELEVATED in used) != self.uses_vegf:
            raise ValueError(f"{self.slug}: uses_vegf disagrees with the requirements")
        if self.vegf_rule is not None and not self.uses_vegf:
            raise ValueError(f"{self.slug}: a VEGF rule for a set that does not use VEGF")
        object.__setattr__(self, "findings", tuple(sorted(used, key=ORDER.__getitem__)))
        object.__setattr__(self, "rules", rules)

    @property
    def graded(self):
        return bool(self.grades)

    def requirement(self, key):
        for requirement in self.requirements:
            if requirement.key == key:
                return requirement
        raise KeyError(key)


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
        "Ministry of Health, Labour and Welfare (Japan). Designated intractable "
        "disease No. 16, Crow-Fukase (POEMS) syndrome: diagnostic criteria (2015)."
    ),
    url="https://www.nanbyou.or.jp/entry/241",
    year=2015,
)

MAYO = CriteriaSet(
    slug="mayo",
    label=gettext_noop("Mayo Clinic criteria (2023 update)"),
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
    requirements=(
        Requirement(
            key="mandatory_major",
            label=gettext_noop("Both mandatory major criteria"),
            findings=(POLYNEUROPATHY, MONOCLONAL_PLASMA_CELL_DISORDER),
            need=2,
        ),
        Requirement(
            key="other_major",
            label=gettext_noop("At least 1 of the 3 other major criteria"),
            findings=(CASTLEMAN_DISEASE, SCLEROTIC_BONE_LESIONS, VEGF_ELEVATED),
            need=1,
        ),
        Requirement(
            key="minor",
            label=gettext_noop("At least 1 of the 6 minor criteria"),
            findings=(
                ORGANOMEGALY,
                EXTRAVASCULAR_VOLUME_OVERLOAD,
                ENDOCRINOPATHY,
                SKIN_CHANGES,
                PAPILLEDEMA,
                THROMBOCYTOSIS_POLYCYTHEMIA,
            ),
            need=1,
        ),
    ),
    grades=(),
    vegf_rule=VegfRule(
        specimen=PLASMA,
        threshold=200.0,
        rule=gettext_noop("plasma >= 200 pg/mL"),
        source=D_SOUZA_2011,
    ),
    # Mayo's footnote: diabetes or thyroid disease alone (or both) does not count.
    endocrine_subfindings=MAYO_ENDOCRINE_SUBFINDINGS,
    endocrine_rule=ENDOCRINE_RULE_MAYO,
    uses_vegf=True,
)

MAYO_2003 = CriteriaSet(
    slug="mayo_2003",
    label=gettext_noop("Dispenzieri 2003 criteria"),
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
            label=gettext_noop("Both major criteria"),
            findings=(POLYNEUROPATHY, MONOCLONAL_PLASMA_CELL_DISORDER),
            need=2,
        ),
        Requirement(
            key="minor",
            label=gettext_noop("At least 1 of the 7 minor criteria"),
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

JAPAN_2015 = CriteriaSet(
    slug="japan_2015",
    label=gettext_noop("Japanese MHLW criteria (2015)"),
    version="2015",
    source=MHLW_2015,
    requirements=(
        Requirement(
            key="major",
            label=gettext_noop("All 3 major criteria"),
            findings=(POLYNEUROPATHY, VEGF_ELEVATED, MONOCLONAL_PLASMA_CELL_DISORDER),
            need=3,
        ),
        Requirement(
            key="probable_major",
            label=gettext_noop("Polyneuropathy and raised VEGF"),
            findings=(POLYNEUROPATHY, VEGF_ELEVATED),
            need=2,
        ),
        Requirement(
            key="minor",
            label=gettext_noop("At least 1 minor criterion"),
            findings=JAPAN_MINOR_FINDINGS,
            need=1,
        ),
    ),
    grades=(
        Grade(slug="definite", label=gettext_noop("Definite"), requirements=("major", "minor")),
        Grade(
            slug="probable",
            label=gettext_noop("Probable"),
            requirements=("probable_major", "minor"),
        ),
    ),
    vegf_rule=VegfRule(
        specimen=SERUM,
        threshold=1000.0,
        rule=gettext_noop("serum >= 1000 pg/mL (ELISA)"),
        source=MHLW_2015,
    ),
    endocrine_subfindings=ENDOCRINE_SUBFINDINGS,
    endocrine_rule=ENDOCRINE_RULE_ALL,
    uses_vegf=True,
    extra_grades=(
        ExtraGrade(
            slug="possible",
            label=gettext_noop("Possible"),
            requirements=(
                Requirement(
                    key="possible_major",
                    label=gettext_noop("Polyneuropathy"),
                    findings=(POLYNEUROPATHY,),
                    need=1,
                ),
                Requirement(
                    key="possible_minor",
                    label=gettext_noop("At least 2 minor criteria"),
                    findings=JAPAN_MINOR_FINDINGS,
                    need=2,
                ),
            ),
        ),
    ),
)

SUICHI_2019 = CriteriaSet(
    slug="suichi_2019",
    label=gettext_noop("Suichi et al. criteria (2019)"),
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
            label=gettext_noop("All 3 major criteria"),
            findings=(POLYNEUROPATHY, MONOCLONAL_PLASMA_CELL_DISORDER, VEGF_ELEVATED),
            need=3,
        ),
        Requirement(
            key="minor",
            label=gettext_noop("At least 2 of the 4 minor criteria"),
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
)

CRITERIA_SETS = (MAYO, MAYO_2003, JAPAN_2015, SUICHI_2019)
CRITERIA_SETS_BY_SLUG = {criteria_set.slug: criteria_set for criteria_set in CRITERIA_SETS}
