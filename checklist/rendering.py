"""The checklist page's HTML: a skeleton cached per language, filled in per request.

Everything that is the same for every request in a language (the layout, the labels
and hints, every finding's fieldset in each of its three states) is rendered once per
language and content version. A request then renders only its result panel and joins
strings (README, "Speed"). Requests with input errors take the plain, uncached path.
"""

import copy
import re

from django.template.loader import get_template, render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from checklist import presentation, texts
from checklist.presentation import ENDOCRINE_GROUP, FORM_GROUPS
from checklist.rules import VALUES
from common.generation import current as generation
from poems_site.context_processors import language_links
from common.i18n import translate, translator

# Replaced by the checklist's short code in "learn more" links.
FROM_PLACEHOLDER = "__CHECKLIST_CODE__"
# Slots in a cached skeleton: a character that never occurs in page text.
_MARK = "\x1e"
_SLOT = re.compile(f"{_MARK}(\\w+){_MARK}")
GROUP_KEYS = (*(key for key, _slugs in FORM_GROUPS), "endocrine")

_fragments = {}
_fragments_of_results = {}
_skeletons = {}


def _slot(name):
    return mark_safe(f"{_MARK}{name}{_MARK}")  # noqa: S308 (our own marker, no user text)


def _current(store, build):
    """store[(language, generation)], built when missing; older versions are dropped."""
    key = (get_language(), generation())
    found = store.get(key)
    if found is None:
        for stale in [k for k in store if k[1] != key[1]]:
            del store[stale]
        found = store[key] = build()
    return found


def _choices(value):
    return [
        {"value": choice, "label": translate(texts.VALUES[choice]), "checked": choice == value}
        for choice in ("present", "absent", "unknown")
    ]


def render_finding(slug, words, value, error=""):
    entry = words.get(slug, {})
    return render_to_string(
        "checklist/finding.html",
        {
            "slug": slug,
            "label": entry.get("label", slug),
            "hint": entry.get("hint", ""),
            "page": entry.get("page", ""),
            "choices": _choices(value),
            "error": error,
            "from_placeholder": FROM_PLACEHOLDER,
        },
    )


def form_groups(parsed, words, error_messages, code):
    """{group key: html} for the form's groups in the state `parsed` describes."""

    def build():
        return {
            (slug, value): render_finding(slug, words, value)
            for _group, slugs in (*FORM_GROUPS, ("endocrine", ENDOCRINE_GROUP))
            for slug in slugs
            for value in VALUES
        }

    table = _current(_fragments, build)

    def html(slug):
        if slug in error_messages:
            return render_finding(slug, words, parsed.findings[slug], error_messages[slug])
        return table[slug, parsed.findings[slug]]

    groups = {key: "".join(html(slug) for slug in slugs) for key, slugs in FORM_GROUPS}
    groups["endocrine"] = "".join(html(slug) for slug in ENDOCRINE_GROUP)
    return {key: value.replace(FROM_PLACEHOLDER, code) for key, value in groups.items()}


_measures = {}


def measure_html(parsed, error_messages):
    """The VEGF fields: rendered once per specimen choice, the typed value put in."""
    if "vegf" in error_messages or "vegf_specimen" in error_messages:
        return render_to_string(
            "checklist/measure.html", {"parsed": parsed, "error_messages": error_messages}
        )

    def build():
        return {
            specimen: render_to_string(
                "checklist/measure.html",
                {
                    "parsed": {"vegf_text": _slot("vegf"), "vegf_specimen": specimen},
                    "error_messages": {},
                },
            )
            for specimen in ("", "serum", "plasma")
        }

    variants = _current(_measures, build)
    specimen = parsed.vegf_specimen if parsed.vegf_specimen in ("serum", "plasma") else ""
    return variants[specimen].replace(_slot("vegf"), escape(parsed.vegf_text))


def _pieces(request, context):
    """What fills the page's slots for this request (also the plain path's context)."""
    parsed = context["parsed"]
    return {
        **form_groups(parsed, context["words"], context["error_messages"], context["short_code"]),
        "measure": measure_html(parsed, context["error_messages"]),
        "endocrine_open": " open" if context["endocrine_open"] else "",
        "result": result_html(context),
    }


_result_parts = {}
_RESULT_PARTS_LIMIT = 20_000


def _parts():
    """The result panel's macros (templates/checklist/result_parts.html)."""
    template = get_template("checklist/result_parts.html").template
    module = _result_parts.get("module")
    if module is None or _result_parts.get("template") is not template:
        _result_parts.update(template=template, module=template.module)
        module = template.module
    return module


def result_html(context):
    """The result panel, assembled from parts.

    Each part is remembered, per language and content version, by the little state it
    depends on (a set's outcome, one requirement's findings, ...): that is what every
    request shares, while the combination of parts is each checklist's own.
    """
    parts = _parts()
    results = context["results"]
    if results is None:
        return str(parts.errors(context["errors"]))
    parsed, words = context["parsed"], context["words"]
    _ = translator(get_language())
    memo = _current(_fragments_of_results, dict)
    if len(memo) > _RESULT_PARTS_LIMIT:
        memo.clear()

    def part(key, render, *args):
        found = memo.get(key)
        if found is None:
            found = memo[key] = str(render(*args))
        return found

    html = [str(parts.open(parsed.assessed_count, presentation.vegf_view(parsed, _)))]
    for result in results.values():
        html.append(
            part(
                ("head", result.slug, result.outcome, result.grade),
                lambda r: parts.set_head(presentation.set_head_view(r, _)),
                result,
            )
        )
        for requirement in result.requirements:
            values = tuple(result.findings[slug] for slug in requirement.findings)
            html.append(
                part(
                    ("requirement", result.slug, requirement.key, values),
                    lambda r, q: parts.requirement(presentation.requirement_view(r, q, words, _)),
                    result,
                    requirement,
                )
            )
        derived = tuple((slug, item.value) for slug, item in result.derived.items())
        html.append(
            part(
                (
                    "tail",
                    result.slug,
                    tuple(result.extra_grades.items()),
                    derived,
                    *result.decisive_unknowns,
                ),
                lambda r: parts.set_tail(presentation.set_tail_view(r, words, _)),
                result,
            )
        )
    html.append(str(parts.sets_close()))
    lists = (
        ("open", parts.still_open_head, parts.still_open_item, "slug",
         presentation.still_open_views(results, words, _)),
        ("warning", parts.warnings_head, parts.warning_item, "message",
         presentation.warning_views(results, words, _)),
    )  # fmt: skip
    for name, head, render_item, identity, items in lists:
        if items:
            html.append(part((name, "head"), head))
            html.extend(
                part((name, item[identity], *item["sets"]), render_item, item) for item in items
            )
            html.append(part(("list-close",), parts.list_close))
    if presentation.show_red_flags(parsed) and context["red_flags"]:
        html.append(part(("red-flags",), parts.red_flags, context["red_flags"]))
    html.append(str(parts.close(context["canonical_query"], context["short_code"])))
    return "".join(html)


def page_html(request, context):
    """The whole checklist page."""
    pieces = _pieces(request, context)
    if context["errors"]:
        return render_to_string(
            "checklist/checklist.html",
            {**context, "slots": {key: mark_safe(value) for key, value in pieces.items()}},  # noqa: S308
            request,
        )
    parts = _current(_skeletons, lambda: _build_skeleton(request, context))
    query = request.META.get("QUERY_STRING", "")
    pieces["query"] = escape(f"?{query}") if query else ""
    return "".join(pieces[part] if index % 2 else part for index, part in enumerate(parts))


def _build_skeleton(request, context):
    """The page with slots, rendered from a copy of the request without its query
    string: nothing of the visitor who happens to build it may stay in it."""
    bare_request = copy.copy(request)
    bare_request.META = {**request.META, "QUERY_STRING": ""}
    slots = {key: _slot(key) for key in (*GROUP_KEYS, "measure", "endocrine_open", "result")}
    html = render_to_string(
        "checklist/checklist.html", {**context, "errors": [], "slots": slots}, bare_request
    )
    # The language links carry each request's own query string: a slot as well.
    for link in language_links(bare_request, get_language()):
        target = f'href="{link["url"]}" lang="{link["code"]}"'
        if html.count(target) != 1:
            raise RuntimeError(f"checklist skeleton: expected one language link {target}")
        html = html.replace(
            target, f'href="{link["url"]}{_MARK}query{_MARK}" lang="{link["code"]}"'
        )
    return _SLOT.split(html)
