"""Editors write Markdown; readers get safe HTML (no script, style or event handlers)."""

import re

import markdown
import nh3
from django.conf import settings
from django.utils.html import escape
from django.utils.module_loading import import_string
from django.utils.translation import get_language, gettext
from markdown.extensions.toc import slugify_unicode

_ALLOWED_TAGS = {
    "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "strong", "em", "b", "i", "sub", "sup",
    "ul", "ol", "li", "blockquote", "code", "pre", "a", "table", "thead", "tbody", "tr",
    "th", "td", "caption", "div", "section", "span", "abbr", "dl", "dt", "dd",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id", "class"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "th": {"align", "scope"}, "td": {"align"},
    "li": {"id"}, "sup": {"id"}, "div": {"class"}, "abbr": {"title"},
    "ol": {"start"},
}  # fmt: skip
# Every id in a body gets this prefix: heading anchors, footnotes, and whatever an editor
# writes, so none can clash with the page's own (#main, #ref-1, #checklist-form...).
ID_PREFIX = "md-"
# The only classes a body keeps: the footnotes extension's. An editor's own ("button",
# "notice") could make text look like the site's controls.
_ALLOWED_CLASSES = {"div": {"footnote"}, "a": {"footnote-ref", "footnote-backref"}}
# A link to a numbered reference (outside the body) keeps its target.
_REFERENCE = re.compile(r"#ref-\d+")
# What a browser ignores in a URL: leading and trailing C0 controls and spaces, and any
# tab or newline; a backslash counts as a slash. So //host, /\host and \\host all
# lead to another host.
_IGNORED_IN_URLS = re.compile(r"^[\x00-\x20]+|[\x00-\x20]+$|[\t\n\r]")
_PROTOCOL_RELATIVE = re.compile(r"[/\\]{2}")
# Body text cites the page's numbered references as [1] or [1, 3]: link them.
_CITATION = re.compile(r"\[(\d{1,2}(?:\s*[,–-]\s*\d{1,2})*)\](?!\()")


_TAG = re.compile(r"(<[^>]*>)")
_NO_CITATIONS_INSIDE = {"a", "code", "pre"}


def _link_citations(html):
    """Turn [1] or [1, 3] in running text into links to the numbered references.

    Only text between tags is touched, and none inside links or code, so attribute
    values and code samples stay exactly as written.
    """

    def link(match):
        numbers = re.findall(r"\d+", match.group(1))
        return f'[<a class="cite" href="#ref-{numbers[0]}">{match.group(1)}</a>]'

    inside = []
    pieces = _TAG.split(html)
    for index, piece in enumerate(pieces):
        if index % 2:  # a tag
            name = piece.strip("</>").split()[0].lower() if piece.strip("</>") else ""
            if name in _NO_CITATIONS_INSIDE:
                if piece.startswith("</"):
                    if inside and inside[-1] == name:
                        inside.pop()
                elif not piece.endswith("/>"):
                    inside.append(name)
        elif not inside:
            pieces[index] = _CITATION.sub(link, piece)
    return "".join(pieces)


def _scrollable_tables(html):
    """A wide table scrolls inside its own focusable region, so keyboards reach it too."""
    label = escape(gettext("Table (scrolls sideways)"))
    opening = f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}">'
    return html.replace("<table>", opening + "<table>").replace("</table>", "</table></div>")


def _keep_classes(tag, attribute, value):
    """nh3's attribute filter: the allowed classes of `value`, or no attribute at all."""
    if attribute != "class":
        return value
    kept = [name for name in value.split() if name in _ALLOWED_CLASSES.get(tag, ())]
    return " ".join(kept) or None


def _relative_url(url):
    """A relative link as the body may have it: a fragment points into the body (its ids
    are prefixed), except a reference's; a protocol-relative address is dropped."""
    if _PROTOCOL_RELATIVE.match(_IGNORED_IN_URLS.sub("", url)):
        return None
    into_the_body = url.startswith("#") and not _REFERENCE.fullmatch(url)
    if into_the_body and not url.startswith("#" + ID_PREFIX):
        return "#" + ID_PREFIX + url[1:]
    return url


# A line that is only [[name]]: a block the site generates (settings.CONTENT_BLOCKS),
# such as the table of the criteria sets' rules, made from the rules themselves.
_BLOCK = re.compile(r"^\[\[([a-z0-9-]+)\]\]$", re.MULTILINE)


def render(text):
    """Markdown to sanitised HTML, with the site's generated blocks in their places."""
    pieces = _BLOCK.split(text)
    html = []
    for index, piece in enumerate(pieces):
        html.append(_block(piece) if index % 2 else _render_markdown(piece))
    return "".join(html)


def _block(name):
    """A generated block's HTML (trusted: made by the site's own templates), or the
    marker itself, escaped, when there is no such block (an editor's typo shows)."""
    path = settings.CONTENT_BLOCKS.get(name)
    if path is None:
        return f"<p>{escape(f'[[{name}]]')}</p>"
    return import_string(path)(get_language())


def _render_markdown(text):
    """Markdown to sanitised HTML: headings get anchors; tables and footnotes work."""
    html = markdown.markdown(
        text,
        extensions=["tables", "footnotes", "toc", "sane_lists"],
        # Unicode slugs, so Chinese and Japanese headings get meaningful anchors too.
        extension_configs={"toc": {"permalink": False, "slugify": slugify_unicode}},
        output_format="html",
    )
    html = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        url_relative=_relative_url,
        attribute_filter=_keep_classes,
        id_prefix=ID_PREFIX,
        link_rel="noopener noreferrer",
    )
    return _scrollable_tables(_link_citations(html))
