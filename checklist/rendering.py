"""The checklist page's HTML.

Three things are remembered, each in a bounded LRU and keyed by exactly what it is
made from (docs/caching.md):

* the page skeleton: the page with a slot for every part that depends on the
  checklist, made from no visitor's data (`_skeleton(language, generation)`);
* each finding's fieldset in each of its three states (`_fieldset(language,
  generation, slug, value)`);
* each part of the result panel, keyed by the view value it renders, with the
  language and the template it is rendered by (`_part`).

The content generation and the release are in every key that depends on the words
or the code (common.generation). Pages with input errors are rendered whole, without
any of these.
"""

import re
from functools import lru_cache

from django.template import engines
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from checklist import messages
from checklist.form import FORM_ORDER, build_form
from checklist.labels import finding_words
from checklist.query import MEASUREMENT_KEYS, VEGF, VEGF_ULN
from checklist.rules import RULES_VERSION, SUBFINDINGS, UNKNOWN, VALUES
from common.generation import current
from common.i18n import page_context, translator

# A slot in the skeleton: a character that never occurs in page text.
_MARK = "\x1e"
# Where a fieldset's "learn more" link carries the checklist's short code.
_CODE = "\x1dcode\x1d"
_SLOT = re.compile(f"{_MARK}([^{_MARK}]*){_MARK}")
RESULT_TEMPLATE = "checklist/result.html"
# Bounds: 26 findings x 3 states x 3 languages fit the fieldsets twice over; result
# parts are small (a requirement row is about 400 bytes).
FIELDSETS = 512
SKELETONS = 8
MEASURES = 16
PARTS = 8192


def _slot(name):
    return mark_safe(f"{_MARK}{name}{_MARK}")  # noqa: S308 (our own marker, no user text)


# ---------------------------------------------------------------- the form


def _choices(value, translate):
    return [
        {"value": choice, "label": translate(messages.VALUES[choice]), "checked": choice == value}
        for choice in VALUES
    ]


def render_fieldset(slug, words, value, translate, error="", code=""):
    entry = words.get(slug)
    return render_to_string(
        "checklist/finding.html",
        {
            "slug": slug,
            "label": entry.label if entry else slug,
            "hint": entry.hint if entry else "",
            "page": entry.page if entry else "",
            "choices": _choices(value, translate),
            "error": error,
            "subfinding": any(slug in subs for subs in SUBFINDINGS.values()),
            "code_mark": code,
        },
    )


@lru_cache(maxsize=FIELDSETS)
def _fieldset(language, generation, slug, value):
    return render_fieldset(slug, finding_words(language), value, translator(language), code=_CODE)


def render_measure(parsed, error_messages):
    """The VEGF fields as typed, with their errors (the page with input errors)."""
    return _render_measure(
        parsed.vegf_specimen,
        parsed.vegf_text,
        parsed.vegf_uln_text,
        {key: error_messages.get(key, "") for key in MEASUREMENT_KEYS},
    )


def _render_measure(specimen, vegf, uln, errors):
    return render_to_string(
        "checklist/measure.html",
        {
            "vegf": vegf,
            "specimen": specimen,
            "uln": uln,
            "specimens": [(key, messages.SPECIMENS[key]) for key in messages.SPECIMENS],
            "errors": errors,
        },
    )


@lru_cache(maxsize=MEASURES)
def _measure(language, specimen):
    """The VEGF fields with slots for the typed numbers, which are never remembered."""
    no_errors = dict.fromkeys(MEASUREMENT_KEYS, "")
    return _render_measure(specimen, _slot(VEGF), _slot(VEGF_ULN), no_errors)


def measure_html(parsed):
    specimen = parsed.vegf_specimen if parsed.vegf_specimen in messages.SPECIMENS else ""
    html = _measure(get_language(), specimen)
    html = html.replace(_slot(VEGF), escape(parsed.vegf_text))
    return html.replace(_slot(VEGF_ULN), escape(parsed.vegf_uln_text))


# --------------------------------------------------------------- the result


def _result_template():
    # The environment returns the same template until its file changes (a reload in
    # development), so the template is part of every remembered part's key.
    return engines["jinja2"].env.get_template(RESULT_TEMPLATE)


@lru_cache(maxsize=PARTS)
def _part(template, macro, language, view):
    """A macro's HTML for `view`: the view value, the language and the template are all
    that it is made from."""
    arguments = () if view is None else (view,)
    return str(getattr(template.module, macro)(*arguments))


def result_html(panel, errors=()):
    """The result panel for a valid checklist (`panel`), or the list of `errors`."""
    template = _result_template()
    module = template.module
    if panel is None:
        return str(module.errors(errors))
    language = get_language()

    def part(macro, view):
        return _part(template, macro, language, view)

    html = [str(module.open(panel))]
    for view in panel.sets:
        html.append(part("set_head", view.head))
        html.extend(part("requirement", row) for row in view.requirements)
        html.append(part("set_tail", view.tail))
    html.append(part("sets_close", None))
    for kind, macro, items in (("workup", "workup_step", panel.workup),
                               ("cautions", "caution_item", panel.cautions)):  # fmt: skip
        if items:
            html.append(part("list_head", kind))
            html.extend(part(macro, item) for item in items)
            html.append(part("list_close", None))
    if panel.red_flags:
        html.append(part("red_flags", panel.red_flags))
    html.append(str(module.close(panel, _action_urls(language))))
    return "".join(html)


@lru_cache(maxsize=SKELETONS)
def _action_urls(language):
    """Where the result's buttons lead (before the checklist's query string), and the
    rules version the result was made with."""
    return {
        "print": reverse("checklist:print"),
        "pdf": reverse("checklist:pdf"),
        "note": reverse("checklist:note"),
        "rules_version": RULES_VERSION,
    }


# ----------------------------------------------------------------- the page


def _subgroup_open(parsed, parent):
    return any(parsed.findings[slug] != UNKNOWN for slug in SUBFINDINGS[parent])


def _page_context(language, form, fill, suffix):
    return {
        **page_context(language, f"/{language}/checklist/", suffix, "checklist"),
        "form": form,
        "fill": fill,
    }


@lru_cache(maxsize=SKELETONS)
def _skeleton(language, generation):
    """The page in `language` with slots: no visitor's data can be in it, since it is
    made from nothing but its arguments."""
    form = build_form(finding_words(language), translator(language))
    html = render_to_string(
        "checklist/checklist.html",
        {**_page_context(language, form, _slot, _slot("query")), "errors": []},
    )
    return tuple(_SLOT.split(html))


def page_html(page):
    """The whole page for a checklist without input errors."""
    language = get_language()
    generation = current()
    parsed = page.parsed
    code = page.panel.short_code
    pieces = {
        f"finding:{slug}": _fieldset(language, generation, slug, parsed.findings[slug]).replace(
            _CODE, code
        )
        for slug in FORM_ORDER
    }
    pieces.update({f"open:{parent}": " open" if _subgroup_open(parsed, parent) else ""
                   for parent in SUBFINDINGS})  # fmt: skip
    pieces["measure"] = measure_html(parsed)
    pieces["result"] = result_html(page.panel)
    pieces["query"] = escape(f"?{page.query_string}") if page.query_string else ""
    parts = _skeleton(language, generation)
    return "".join(pieces[part] if index % 2 else part for index, part in enumerate(parts))


def page_html_with_errors(request, page):
    """The page for a checklist with input errors: everything typed shown again, each
    error next to its field and in a summary. Rendered whole (nothing remembered)."""
    language = get_language()
    parsed = page.parsed
    words = finding_words(language)
    translate = translator(language)
    messages_by_key = dict(page.errors)
    pieces = {
        f"finding:{slug}": render_fieldset(
            slug, words, parsed.findings[slug], translate, messages_by_key.get(slug, "")
        )
        for slug in FORM_ORDER
    }
    pieces.update({f"open:{parent}": " open" if _subgroup_open(parsed, parent) else ""
                   for parent in SUBFINDINGS})  # fmt: skip
    pieces["measure"] = render_measure(parsed, messages_by_key)
    pieces["result"] = result_html(None, page.errors)

    def fill(name):
        return mark_safe(pieces[name])  # noqa: S308 (each piece is rendered with autoescape)

    suffix = f"?{page.query_string}" if page.query_string else ""
    context = _page_context(language, build_form(words, translate), fill, suffix)
    context["errors"] = page.errors
    context["field_keys"] = page.field_keys
    return render_to_string("checklist/checklist.html", context, request)
