"""The sentences the reader sees about what the sets require say what the engine does.

checklist.statements builds them from the rules' data; these tests hold them to the
engine itself: a finding said to be "required" by a set is one whose absence, with
every other finding present, leaves that set unmet (or below the grades it is said
to be required for), and "Every criteria set requires" names exactly the findings
every set needs. The clinical review found "required by every set" written by hand for
the clone, which the Japanese Probable grade does not need.
"""

import pytest

from checklist.form import GROUPS
from checklist.rules import ABSENT, CRITERIA_SETS, PRESENT, SUBFINDINGS, Case, evaluate_set
from checklist.rules.findings import MONOCLONAL_PLASMA_CELL_DISORDER, POLYNEUROPATHY
from checklist.rules.logic import MET, NOT_MET
from checklist.statements import finding_use, group_note


def identity(text):
    return text


def _without(criteria_set, slug):
    """The set's result with every finding it scores present but `slug` absent."""
    findings = {finding: PRESENT for finding in criteria_set.findings}
    findings[slug] = ABSENT
    return evaluate_set(criteria_set, Case(findings))


SCORED = [(s, slug) for s in CRITERIA_SETS for slug in s.findings]


@pytest.mark.parametrize(("criteria_set", "slug"), SCORED, ids=lambda v: getattr(v, "slug", v))
def test_required_means_the_set_fails_without_it(criteria_set, slug):
    use = finding_use(criteria_set, slug)
    result = _without(criteria_set, slug)
    if use.required:
        assert result.outcome == NOT_MET
    else:
        assert result.outcome == MET
        grade_labels = {grade.slug: grade.label for grade in criteria_set.grades}
        # Required for some grades only: reached without it, but at a grade that does
        # not need it.
        assert grade_labels.get(result.grade) not in use.required_for


@pytest.mark.parametrize(("key", "title", "slugs"), GROUPS, ids=[g[0] for g in GROUPS])
def test_every_set_requires_names_exactly_what_every_set_needs(key, title, slugs):
    note = group_note(slugs, identity, identity)
    group = [s for slug in slugs for s in (slug, *SUBFINDINGS.get(slug, ()))]
    needed_by_all = [
        slug
        for slug in group
        if all(
            slug in criteria_set.findings and _without(criteria_set, slug).outcome == NOT_MET
            for criteria_set in CRITERIA_SETS
        )
    ]
    if not any(slug in criteria_set.findings for criteria_set in CRITERIA_SETS for slug in group):
        assert note.general == ("No criteria set scores these.",)
    elif needed_by_all:
        findings = ", ".join(needed_by_all)
        assert note.general == (f"Every criteria set requires: {findings}.",)
    else:
        assert note.general == ()


def test_the_clone_is_not_said_to_be_required_by_every_set():
    """The review's first E1: a Japanese Probable grade is met without a clone."""
    note = group_note((POLYNEUROPATHY, MONOCLONAL_PLASMA_CELL_DISORDER), identity, identity)
    assert note.general == ("Every criteria set requires: polyneuropathy.",)
    japan = next(s for s in CRITERIA_SETS if s.slug == "japan_2015")
    clone = japan.clone
    assert _without(japan, clone).outcome == MET
    assert "required" not in [part.strip() for part in _use_words(japan, clone)]


def _use_words(criteria_set, slug):
    note = group_note((slug,), identity, identity)
    line = next(use.text for use in note.uses if use.set_label == criteria_set.label)
    return line.split(":", 1)[1].split(";")
