"""An editor cannot make a page body look like, or clash with, the site around it
(security review F12): ids are namespaced, classes are the Markdown's own few, and no
link leaves for another host by a protocol-relative address."""

import html
import re

import pytest

from content.markdown import render
from content.models import Page
from tests.html import parse_html

# Ids the page templates give elements; tests/test_content.py checks the templates too.
PAGE_IDS = ["main", "ref-1", "checklist-form", "result", "references-heading", "search-q"]


def ids_in(markup):
    return re.findall(r'\bid="([^"]*)"', markup)


def hrefs_in(markup):
    return re.findall(r'\bhref="([^"]*)"', markup)


def classes_in(markup):
    return [name for value in re.findall(r'\bclass="([^"]*)"', markup) for name in value.split()]


@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_an_editors_id_never_clashes_with_the_pages(page_id):
    markup = render(
        f'<h2 id="{page_id}">x</h2>\n\n<a id="{page_id}">y</a>\n\n'
        f'<p><sup id="{page_id}">1</sup></p>\n\n<ul><li id="{page_id}">z</li></ul>\n'
    )
    assert ids_in(markup)
    assert page_id not in ids_in(markup)
    assert all(value.startswith("md-") for value in ids_in(markup))


def test_heading_anchors_and_footnotes_keep_working_inside_the_body():
    markup = render("## Where it counts\n\nRaised VEGF[^1].\n\n[^1]: Measured in plasma.\n")
    ids = set(ids_in(markup))
    assert "md-where-it-counts" in ids
    internal = [href for href in hrefs_in(markup) if href.startswith("#")]
    assert internal  # the footnote and its way back
    for href in internal:
        assert href[1:] in ids, href


def test_citation_links_still_point_at_the_references():
    markup = render("As shown [1, 3], and see [the list](#ref-2).")
    assert '[<a class="cite" href="#ref-1">1, 3</a>]' in markup
    assert 'href="#ref-2"' in markup


def test_an_editors_link_to_an_id_of_the_page_stays_inside_the_body():
    markup = render('[Skip](#main) <a href="#checklist-form">form</a>')
    assert hrefs_in(markup) == ["#md-main", "#md-checklist-form"]


@pytest.mark.parametrize(
    "markup",
    [
        '<a class="button" href="https://evil.example/">Back to your checklist</a>',
        '<div class="notice notice--error">Your checklist was lost.</div>',
        '<div class="table-scroll result"><p>x</p></div>',
        '<p><sup class="cite">1</sup></p>',
        '<a class="cite footnote-ref" href="#ref-1">1</a>',
    ],
)
def test_only_the_markdowns_own_classes_are_kept(markup):
    rendered = render(markup)
    assert set(classes_in(rendered)) <= {"footnote-ref"}
    for name in ("button", "notice", "table-scroll", "result", "cite"):
        assert name not in classes_in(rendered)


def test_footnotes_and_tables_keep_their_classes():
    markup = render("A[^1].\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[^1]: Note.\n")
    assert {"footnote", "footnote-ref", "footnote-backref", "table-scroll"} <= set(
        classes_in(markup)
    )
    assert 'role="region"' in markup  # the scrollable table, reachable by keyboard


@pytest.mark.parametrize(
    "href",
    [
        "//evil.example/x",
        "/\\evil.example/x",
        "\\\\evil.example/x",
        "\\/evil.example/x",
        " //evil.example/x",
        "/&#9;/evil.example/x",
        "/&#10;/evil.example/x",
        "&#1;//evil.example/x",
    ],
)
def test_protocol_relative_links_are_refused(href):
    markup = render(f'<a href="{href}">x</a> and [y]({href.strip()})')
    for kept in hrefs_in(html.unescape(markup)):
        # As a browser reads it: no spaces or controls around it, no tab or newline in
        # it, and a backslash for a slash.
        seen = re.sub(r"[\t\n\r]", "", kept).strip("".join(map(chr, range(0x21))))
        assert not seen.replace("\\", "/").startswith("//"), kept


@pytest.mark.parametrize(
    "href", ["/en/learn/vegf/", "../vegf/", "vegf/", "?q=vegf", "https://example.org/a"]
)
def test_other_links_are_kept(href):
    assert hrefs_in(render(f"[x]({href})")) == [href]


@pytest.mark.django_db
def test_a_spoofing_body_on_the_public_page(client):
    page = Page.objects.get(slug="vegf")
    page.body_en = (
        '<h2 id="main">Main</h2>\n\n<a id="ref-1" href="//evil.example/">1</a>\n\n'
        '<a class="button" href="https://evil.example/">Back to your checklist</a>\n'
    )
    page.save()
    response = client.get("/en/learn/vegf/")
    assert response.status_code == 200
    document = parse_html(response)
    ids = [element.get("id") for element in document.iter() if element.get("id")]
    assert len(ids) == len(set(ids)), "an id appears twice on the page"
    body = next(e for e in document.iter("div") if "content-body" in (e.get("class") or ""))
    assert not [e for e in body.iter() if "button" in (e.get("class") or "")]
    assert [e.get("href") for e in body.iter("a") if e.get("href")] == ["https://evil.example/"]
