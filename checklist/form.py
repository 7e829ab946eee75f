"""The checklist form's HTML, assembled from pre-rendered fragments.

Every finding's fieldset exists in three states (present, absent, not assessed). They
are rendered once per language and content version and then joined, so showing the
form costs string joins, not template rendering (see README, "Speed").
"""

from django.template.loader import render_to_string
from django.utils.translation import get_language

from checklist import texts
from checklist.presentation import ENDOCRINE_GROUP, FORM_GROUPS
from checklist.rules import VALUES
from checklist.rules.findings import ENDOCRINOPATHY
from content.cache import generation

# Replaced at request time by the checklist's short code in "learn more" links.
FROM_PLACEHOLDER = "__CHECKLIST_CODE__"
_fragments = {}


def _choices(value):
    return [
        {"value": choice, "label": texts.VALUES[choice], "checked": choice == value}
        for choice in ("present", "absent", "unknown")
    ]


def render_finding(slug, words, value, error=""):
    entry = words.get(slug, {})
    return render_to_string(
        "checklist/includes/finding.html",
        {
            "slug": slug,
            "label": entry.get("label", slug),
            "hint": entry.get("hint", ""),
            "page": entry.get("page", ""),
            "choices": _choices(value),
            "error": error,
            "from_placeholder": FROM_PLACEHOLDER,
            "is_endocrinopathy": slug == ENDOCRINOPATHY,
        },
    )


def _fragment_table(words):
    key = (get_language(), generation())
    table = _fragments.get(key)
    if table is None:
        table = {
            (slug, value): render_finding(slug, words, value)
            for _group, slugs in (*FORM_GROUPS, ("endocrine", ENDOCRINE_GROUP))
            for slug in slugs
            for value in VALUES
        }
        for stale in [k for k in _fragments if k[1] != key[1]]:
            del _fragments[stale]  # an editor changed the words: drop the old version
        _fragments[key] = table
    return table


def form_groups(parsed, words, error_messages):
    """[(group key, html)] for the form, plus the endocrine sub-findings' html."""
    table = _fragment_table(words)

    def html(slug):
        if slug in error_messages:
            return render_finding(slug, words, parsed.findings[slug], error_messages[slug])
        return table[slug, parsed.findings[slug]]

    groups = {key: "".join(html(slug) for slug in slugs) for key, slugs in FORM_GROUPS}
    groups["endocrine"] = "".join(html(slug) for slug in ENDOCRINE_GROUP)
    return groups
