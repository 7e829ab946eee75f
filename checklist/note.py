"""The note: the summary as plain text to paste into a clinical record.

At most MAX_LINES lines of at most WIDTH characters. Made from the same view-model as
the page and the summary (checklist.panel); when a crowded checklist would run
longer, the findings not assessed are counted instead of listed, then the cautions
share lines: never a set's outcome, a finding present or absent, the VEGF or the link.
"""

import textwrap

from django.utils.translation import gettext_noop as _

from checklist.labels import short_citation
from checklist.rules import RULES_VERSION

WIDTH = 100
MAX_LINES = 40


def _wrap(text):
    """Lines of at most WIDTH characters. A word is broken only when it is longer than a
    line (Chinese and Japanese run without spaces), so addresses stay whole."""
    return textwrap.wrap(text, WIDTH, subsequent_indent="  ", break_on_hyphens=False) or [""]


def _list_line(label, items, translate):
    return _wrap(f"{label} {translate(_(', ')).join(items) or '—'}")


def _set_line(view, translate):
    head = view.head
    outcome = f"{head.symbol} {head.outcome_label}"
    if head.grade_label:
        outcome += f" · {head.grade_label}"
    counts = translate(_("; ")).join(
        translate(_("%(name)s %(have)s/%(total)s %(status)s"))
        % {"name": row.name, "have": row.have, "total": row.total, "status": row.status_label}
        for row in view.requirements
    )
    return _wrap(
        translate(_("%(set)s: %(outcome)s (%(requirements)s)"))
        % {"set": head.short_label, "outcome": outcome, "requirements": counts}
    )


def note_lines(panel, made_at, short_url, translate, compact=0):
    """The note's lines; `compact` 1 counts the findings not assessed, 2 also joins the
    cautions into running text."""
    lines = _wrap(
        translate(_("POEMS syndrome criteria, %(when)s, rules %(rules)s"))
        % {"when": made_at.isoformat(timespec="minutes"), "rules": RULES_VERSION}
    )
    for view in panel.sets:
        lines += _set_line(view, translate)
    lines += _list_line(translate(_("Present:")), panel.present, translate)
    lines += _list_line(translate(_("Absent:")), panel.absent, translate)
    if compact:
        lines += _wrap(
            translate(_("Findings not assessed: %(count)s.")) % {"count": len(panel.not_assessed)}
        )
    else:
        lines += _list_line(translate(_("Not assessed:")), panel.not_assessed, translate)
    if panel.vegf:
        vegf = translate(_("VEGF: %(value)s pg/mL (%(specimen)s)")) % {
            "value": panel.vegf.value,
            "specimen": panel.vegf.specimen,
        }
        if panel.vegf.uln:
            vegf += translate(_(", upper limit of normal %(uln)s pg/mL")) % {"uln": panel.vegf.uln}
        lines += _wrap(vegf)
    cautions = [
        translate(_("%(caution)s (%(sets)s)"))
        % {"caution": caution.short, "sets": translate(_(", ")).join(caution.sets)}
        for caution in panel.cautions
    ]
    if cautions and compact >= 2:
        lines += _wrap(translate(_("Cautions: %(cautions)s")) % {"cautions": " ".join(cautions)})
    elif cautions:
        lines += [translate(_("Cautions:"))]
        for caution in cautions:
            lines += _wrap(f"- {caution}")
    if panel.workup:
        lines += _list_line(
            translate(_("What to order next:")), [step.label for step in panel.workup], translate
        )
    sources = [short_citation(view.tail.source) for view in panel.sets]
    lines += _wrap(
        translate(_("Sources: %(sources)s")) % {"sources": translate(_("; ")).join(sources)}
    )
    lines += _wrap(translate(_("Reopen: %(url)s")) % {"url": short_url})
    return lines


def note_text(panel, made_at, short_url, translate):
    for compact in (0, 1, 2):
        lines = note_lines(panel, made_at, short_url, translate, compact)
        if len(lines) <= MAX_LINES:
            break
    return "\n".join(lines) + "\n"
