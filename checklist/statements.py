"""Sentences about what the criteria sets require, generated from the rules' data.

No sentence here is written by hand about a particular set: each is built from
`checklist.rules` (requirement names, counts, grades, derivation rules, VEGF rules),
so it cannot say something the engine does not do. The words come from gettext
(`translate`) and from the findings' labels (`label(slug)`), in the reader's language.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_noop as _

from checklist.rules import ABSENT, CRITERIA_SETS, SUBFINDINGS, UNKNOWN
from checklist.rules.criteria import CLONE_RULE
from checklist.rules.findings import ENDOCRINOPATHY, MONOCLONAL_PLASMA_CELL_DISORDER


@dataclass(frozen=True, slots=True)
class SetUse:
    """How one criteria set uses a group of findings."""

    set_label: str
    text: str


@dataclass(frozen=True, slots=True)
class GroupNote:
    # Statements that hold for every set ("Every criteria set requires: ...").
    general: tuple
    # One line per set that uses the group.
    uses: tuple


@dataclass(frozen=True, slots=True)
class FindingUse:
    """How a set scores one finding: required by every grade's rule, required by some
    grades' rules only, and the counted requirements ("at least k of n") it is in."""

    required: bool
    required_for: tuple
    counted_in: tuple

    def __bool__(self):
        return self.required or bool(self.required_for or self.counted_in)


def _list(items, translate):
    return translate(_(", ")).join(items)


def requirement_label(requirement, translate, label):
    """ "Minor criteria: at least 1 of 6", "Major criteria: all 3", or a finding's label
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


def requirement_name(requirement, translate, label):
    """The requirement's short name, or its finding's label when it is that one finding."""
    if len(requirement.findings) == 1:
        return label(requirement.findings[0])
    return translate(requirement.name)


def requirement_sentence(requirement, translate, label):
    """The requirement with its findings named: "Minor criteria: at least 1 of 6
    (organomegaly, ...)"."""
    head = requirement_label(requirement, translate, label)
    if len(requirement.findings) == 1:
        return head
    return translate(_("%(requirement)s (%(findings)s)")) % {
        "requirement": head,
        "findings": _list([label(slug) for slug in requirement.findings], translate),
    }


def set_rules(criteria_set, translate, label):
    """[(grade label or "", sentence)] for each rule of the set, highest grade first;
    information-only grades last, marked as such."""
    by_key = {requirement.key: requirement for requirement in criteria_set.requirements}
    joiner = translate(_("; "))

    def sentence(requirements):
        return joiner.join(requirement_sentence(r, translate, label) for r in requirements)

    if not criteria_set.grades:
        return [("", sentence(criteria_set.requirements))]
    rules = [
        (translate(grade.label), sentence([by_key[key] for key in grade.requirements]))
        for grade in criteria_set.grades
    ]
    for extra in criteria_set.extra_grades:
        grade = translate(_("%(grade)s (information only, never counts as met)")) % {
            "grade": translate(extra.label)
        }
        rules.append((grade, sentence(extra.requirements)))
    return rules


def finding_use(criteria_set, slug):
    """How the set scores `slug` (a FindingUse, false when it does not score it)."""
    by_key = {requirement.key: requirement for requirement in criteria_set.requirements}
    if criteria_set.grades:
        rules = [
            (grade.label, [by_key[key] for key in grade.requirements])
            for grade in criteria_set.grades
        ]
    else:
        rules = [(None, criteria_set.requirements)]
    required_for = tuple(
        grade
        for grade, requirements in rules
        if any(slug in r.findings and r.need == len(r.findings) for r in requirements)
    )
    counted_in = tuple(
        r for r in criteria_set.requirements if slug in r.findings and r.need < len(r.findings)
    )
    required = len(required_for) == len(rules)
    return FindingUse(required, () if required else required_for, counted_in)


def use_text(use, translate, label):
    parts = []
    if use.required:
        parts.append(translate(_("required")))
    elif use.required_for:
        grades = _list([translate(grade) for grade in use.required_for], translate)
        parts.append(translate(_("required for %(grades)s")) % {"grades": grades})
    parts.extend(requirement_label(r, translate, label) for r in use.counted_in)
    return translate(_("; ")).join(parts)


def _with_subfindings(slugs):
    return [s for slug in slugs for s in (slug, *SUBFINDINGS.get(slug, ()))]


def group_note(slugs, translate, label, criteria_sets=CRITERIA_SETS):
    """What the sets do with a group of the form's findings (sub-findings included)."""
    group = _with_subfindings(slugs)
    if not any(slug in criteria_set.findings for criteria_set in criteria_sets for slug in group):
        return GroupNote(general=(translate(_("No criteria set scores these.")),), uses=())
    always = [
        slug
        for slug in group
        if all(finding_use(criteria_set, slug).required for criteria_set in criteria_sets)
    ]
    general = ()
    if always:
        general = (
            translate(_("Every criteria set requires: %(findings)s."))
            % {"findings": _list([label(slug) for slug in always], translate)},
        )
    uses = []
    for criteria_set in criteria_sets:
        parts = [
            translate(_("%(finding)s: %(use)s"))
            % {"finding": label(slug), "use": use_text(use, translate, label)}
            for slug in group
            if slug not in always and (use := finding_use(criteria_set, slug))
        ]
        if parts:
            uses.append(SetUse(translate(criteria_set.label), translate(_("; ")).join(parts)))
    return GroupNote(general=general, uses=tuple(uses))


def _by_text(pairs):
    """[(text, [set labels])] with the sets that say the same thing together."""
    grouped = {}
    for set_label, text in pairs:
        grouped.setdefault(text, []).append(set_label)
    return list(grouped.items())


def _lines(pairs, translate):
    return tuple(
        translate(_("%(sets)s: %(rule)s")) % {"sets": _list(sets, translate), "rule": text}
        for text, sets in _by_text(pairs)
    )


def derivation_notes(parent, translate, label, criteria_sets=CRITERIA_SETS):
    """How each set reads a parent finding that is not assessed from its sub-findings."""
    pairs = []
    for criteria_set in criteria_sets:
        name = translate(criteria_set.short_label)
        if parent == ENDOCRINOPATHY and ENDOCRINOPATHY in criteria_set.findings:
            pairs.append((name, translate(criteria_set.endocrine_rule)))
        elif parent == MONOCLONAL_PLASMA_CELL_DISORDER:
            if criteria_set.clone == parent:
                pairs.append((name, translate(CLONE_RULE)))
            else:
                text = translate(_("scores %(finding)s itself")) % {
                    "finding": label(criteria_set.clone)
                }
                pairs.append((name, text))
    head = translate(_("When %(finding)s is left not assessed, each set reads it so:")) % {
        "finding": label(parent)
    }
    return (head, *_lines(pairs, translate))


def vegf_rule(criteria_set, translate):
    """How the set decides VEGF elevation from a measured value, in words."""
    rule = criteria_set.vegf_rule
    if not criteria_set.uses_vegf:
        return translate(_("VEGF is not a criterion"))
    if rule is None:
        return translate(_("no threshold verified by this tool; the value decides nothing"))
    parts = [translate(_("raised at %(rule)s")) % {"rule": translate(rule.rule)}]
    if rule.uln_rule:
        parts.append(translate(_("not raised %(rule)s")) % {"rule": translate(rule.uln_rule)})
    if rule.below == UNKNOWN:
        parts.append(translate(_("otherwise left open")))
    elif rule.below == ABSENT:
        parts.append(translate(_("otherwise not raised")))
    return translate(_("; ")).join(parts)


def vegf_rules(translate, criteria_sets=CRITERIA_SETS):
    """vegf_rule for each set, in order."""
    return [vegf_rule(criteria_set, translate) for criteria_set in criteria_sets]


def vegf_notes(translate, criteria_sets=CRITERIA_SETS):
    """How each set decides VEGF elevation, the sets that say the same thing together."""
    pairs = [
        (translate(criteria_set.short_label), vegf_rule(criteria_set, translate))
        for criteria_set in criteria_sets
    ]
    return _lines(pairs, translate)
