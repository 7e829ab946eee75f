"""Sentences about what the criteria sets require, generated from the rules' data.

No sentence here is written by hand about a particular set: each is built from
`checklist.rules` (requirement names, counts, grades, derivations), so it cannot say
something the engine does not do. The words come from gettext (`translate`) and from
the findings' labels (`label(slug)`), in the reader's language.
"""

from dataclasses import dataclass

from checklist.rules import CRITERIA_SETS, SUBFINDINGS, CriteriaSet
from django.utils.translation import gettext_noop as _


@dataclass(frozen=True, slots=True)
class SetUse:
    """How one criteria set uses a group of findings: (set label, what it says)."""

    set_label: str
    text: str


@dataclass(frozen=True, slots=True)
class GroupNote:
    """The generated notes of one group of the checklist form."""

    # Statements that hold for every set ("Every criteria set requires: ...").
    general: tuple
    # One line per set that uses the group.
    uses: tuple


def requirement_label(requirement, translate, label):
    """"Minor criteria: at least 1 of 6", "Major criteria: all 3", or a finding's label
    when the requirement is that one finding."""
    total = len(requirement.findings)
    if total == 1:
        return label(requirement.findings[0])
    name = translate(requirement.name)
    if requirement.need == total:
        message = _("%(name)s: both") if total == 2 else _("%(name)s: all %(total)s")
    else:
        message = _("%(name)s: at least %(need)s of %(total)s")
    return translate(message) % {"name": name, "need": requirement.need, "total": total}


def requirement_sentence(requirement, translate, label):
    """The requirement with its findings named: "Minor criteria: at least 1 of 6
    (organomegaly, ...)"."""
    head = requirement_label(requirement, translate, label)
    if len(requirement.findings) == 1:
        return head
    names = translate(_(", ")).join(label(slug) for slug in requirement.findings)
    return translate(_("%(requirement)s (%(findings)s)")) % {"requirement": head, "findings": names}


def set_rules(criteria_set, translate, label):
    """[(grade label or "", sentence)] for each rule of the set, highest grade first;
    information-only grades last, marked as such."""
    by_key = {requirement.key: requirement for requirement in criteria_set.requirements}
    joiner = translate(_("; "))
    rules = []
    if criteria_set.grades:
        for grade in criteria_set.grades:
            sentence = joiner.join(
                requirement_sentence(by_key[key], translate, label) for key in grade.requirements
            )
            rules.append((translate(grade.label), sentence))
    else:
        sentence = joiner.join(
            requirement_sentence(requirement, translate, label)
            for requirement in criteria_set.requirements
        )
        rules.append(("", sentence))
    for extra in criteria_set.extra_grades:
        sentence = joiner.join(
            requirement_sentence(requirement, translate, label)
            for requirement in extra.requirements
        )
        grade = translate(_("%(grade)s (information only, never counts as met)")) % {
            "grade": translate(extra.label)
        }
        rules.append((grade, sentence))
    return rules


def _grade_rules(criteria_set):
    """[(grade label or None, requirements of that grade's rule)]."""
    by_key = {requirement.key: requirement for requirement in criteria_set.requirements}
    if not criteria_set.grades:
        return [(None, criteria_set.requirements)]
    return [
        (grade.label, [by_key[key] for key in grade.requirements]) for grade in criteria_set.grades
    ]


def finding_use(criteria_set: CriteriaSet, slug, translate, label):
    """How the set scores one finding, in words, or "" when it does not score it."""
    rules = _grade_rules(criteria_set)
    required_in = [
        grade
        for grade, requirements in rules
        if any(slug in r.findings and r.need == len(r.findings) for r in requirements)
    ]
    counted_in = []
    for requirement in criteria_set.requirements:
        if slug in requirement.findings and requirement.need < len(requirement.findings):
            counted_in.append(requirement_label(requirement, translate, label))
    if len(required_in) == len(rules):
        return translate(_("required"))
    parts = []
    if required_in:
        grades = translate(_(", ")).join(translate(grade) for grade in required_in)
        parts.append(translate(_("required for %(grades)s")) % {"grades": grades})
    parts.extend(counted_in)
    return translate(_("; ")).join(parts)


def required_by_every_set(slugs, translate, label, criteria_sets=CRITERIA_SETS):
    """The findings of `slugs` that every set requires for every grade."""
    return [
        slug
        for slug in slugs
        if all(
            finding_use(criteria_set, slug, translate, label) == translate(_("required"))
            for criteria_set in criteria_sets
        )
    ]


def scored_by_some_set(slugs, criteria_sets=CRITERIA_SETS):
    """Whether any set scores any of `slugs`."""
    return any(slug in criteria_set.findings for criteria_set in criteria_sets for slug in slugs)


def group_note(slugs, translate, label, criteria_sets=CRITERIA_SETS):
    """What the sets do with a group of the form's findings (sub-findings included)."""
    group = [s for slug in slugs for s in (slug, *SUBFINDINGS.get(slug, ()))]
    general = []
    if not scored_by_some_set(group, criteria_sets):
        general.append(translate(_("No criteria set scores these.")))
        return GroupNote(general=tuple(general), uses=())
    always = required_by_every_set(group, translate, label, criteria_sets)
    if always:
        general.append(
            translate(_("Every criteria set requires: %(findings)s."))
            % {"findings": translate(_(", ")).join(label(slug) for slug in always)}
        )
    uses = []
    for criteria_set in criteria_sets:
        parts = []
        for slug in group:
            if slug in always:
                continue
            use = finding_use(criteria_set, slug, translate, label)
            if use:
                parts.append(translate(_("%(finding)s: %(use)s")) % {"finding": label(slug), "use": use})
        if parts:
            uses.append(SetUse(translate(criteria_set.label), translate(_("; ")).join(parts)))
    return GroupNote(general=tuple(general), uses=tuple(uses))
