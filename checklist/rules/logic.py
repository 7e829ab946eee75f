"""Kleene three-valued logic over finding values, and requirement statuses.

A finding value is present / absent / unknown; an unknown is never read as
absent. A requirement or a rule has a status: met / not_met / indeterminate.
"""

from .findings import ABSENT, PRESENT, UNKNOWN

MET = "met"
NOT_MET = "not_met"
INDETERMINATE = "indeterminate"
STATUSES = (MET, NOT_MET, INDETERMINATE)


def and_(*values):
    """Kleene conjunction: absent wins, then unknown; of nothing, present."""
    if ABSENT in values:
        return ABSENT
    if UNKNOWN in values:
        return UNKNOWN
    return PRESENT


def or_(*values):
    """Kleene disjunction: present wins, then unknown; of nothing, absent."""
    if PRESENT in values:
        return PRESENT
    if UNKNOWN in values:
        return UNKNOWN
    return ABSENT


def at_least(need, present, unknown):
    """Status of "at least `need` present" given counts of present and unknown."""
    if present >= need:
        return MET
    if present + unknown < need:
        return NOT_MET
    return INDETERMINATE


def all_met(statuses):
    """Kleene conjunction of statuses (exact when they share no finding)."""
    if NOT_MET in statuses:
        return NOT_MET
    if INDETERMINATE in statuses:
        return INDETERMINATE
    return MET
