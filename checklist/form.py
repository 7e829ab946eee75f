"""The checklist form's layout: its groups in order, the sub-findings under their
parent, and the generated notes that say how the criteria sets use each group."""

from dataclasses import dataclass

from django.utils.translation import gettext_noop as _

from checklist import statements
from checklist.labels import finding_label
from checklist.rules import (
    MANDATORY_MAJOR,
    MINOR,
    OTHER_MAJOR,
    OTHER_SIGNS,
    SUBFINDINGS,
)
from checklist.rules.findings import ENDOCRINOPATHY, MONOCLONAL_PLASMA_CELL_DISORDER

# The groups, as the current Mayo criteria group the findings (rules.findings).
GROUPS = (
    ("mandatory_major", _("Mandatory major criteria (Mayo)"), MANDATORY_MAJOR),
    ("other_major", _("Other major criteria (Mayo)"), OTHER_MAJOR),
    ("minor", _("Minor criteria (Mayo)"), MINOR),
    ("other_signs", _("Other signs"), OTHER_SIGNS),
)
SUBGROUP_TITLES = {
    MONOCLONAL_PLASMA_CELL_DISORDER: _("Monoclonal plasma cell disorder: how was it shown?"),
    ENDOCRINOPATHY: _("Endocrinopathy: which glands?"),
}


@dataclass(frozen=True, slots=True)
class Group:
    key: str
    title: str
    slugs: tuple
    note: statements.GroupNote


@dataclass(frozen=True, slots=True)
class Subgroup:
    title: str
    slugs: tuple
    notes: tuple


@dataclass(frozen=True, slots=True)
class Form:
    groups: tuple
    # {parent slug: Subgroup}
    subgroups: dict
    vegf_notes: tuple


def build_form(words, translate):
    def label(slug):
        return finding_label(words, slug)

    return Form(
        groups=tuple(
            Group(key, translate(title), slugs, statements.group_note(slugs, translate, label))
            for key, title, slugs in GROUPS
        ),
        subgroups={
            parent: Subgroup(
                translate(SUBGROUP_TITLES[parent]),
                slugs,
                statements.derivation_notes(parent, translate, label),
            )
            for parent, slugs in SUBFINDINGS.items()
        },
        vegf_notes=statements.vegf_notes(translate),
    )


# Every finding of the form, in the order it shows them (sub-findings after their parent).
FORM_ORDER = tuple(
    slug
    for _key, _title, slugs in GROUPS
    for parent in slugs
    for slug in (parent, *SUBFINDINGS.get(parent, ()))
)
