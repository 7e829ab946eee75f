"""Blocks that explanatory pages place with [[name]] (settings.CONTENT_BLOCKS): made
from the rules themselves, so the pages cannot state a rule the checklist does not apply.
"""

from django.template.loader import render_to_string
from django.utils.translation import override

from checklist import statements
from checklist.labels import finding_label, finding_words
from checklist.rules import CRITERIA_SETS
from common.i18n import translator


def criteria_rules(language):
    """The table of every criteria set: its grades and requirements, how it reads a
    measured VEGF, and its source."""
    words = finding_words(language)
    translate = translator(language)

    def label(slug):
        return finding_label(words, slug)

    vegf = dict(zip(CRITERIA_SETS, statements.vegf_rules(translate), strict=True))
    rows = [
        {
            "label": translate(criteria_set.label),
            "rules": statements.set_rules(criteria_set, translate, label),
            "vegf": vegf[criteria_set],
            "source": criteria_set.source,
        }
        for criteria_set in CRITERIA_SETS
    ]
    with override(language):
        return render_to_string("checklist/criteria_rules.html", {"rows": rows})
