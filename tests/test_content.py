"""The explanatory pages as readers see them, and the shipped content behind them."""

import datetime
import html
import re
import shutil
import tomllib
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import formats, translation
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from checklist import loader as checklist_loader
from checklist.checks import findings_match_code
from checklist.models import Finding, Investigation, RedFlag
from checklist.rules import CRITERIA_SETS, FINDINGS, SCORED, Case, evaluate
from checklist.shortlink import encode_short_code
from common.i18n import translate
from content import loader
from content.markdown import render
from content.models import EditorProfile, Page, PageReference, Reference, Section

LANGUAGES = ("en", "zh-hans", "ja")
SUFFIXES = ("en", "zh_hans", "ja")
WORD_FIELDS = [f"{field}_{suffix}" for suffix in SUFFIXES for field in ("title", "summary", "body")]
SHIPPED = Path(loader.__file__).resolve().parent / "initial_content"
SHIPPED_WORDS = Path(checklist_loader.__file__).resolve().parent / "initial_content"
PMID = re.compile(r"^[1-9][0-9]{0,8}$")
DOI = re.compile(r"^10\.[0-9]{4,9}/\S+$")


def shipped_front_matter(slug, language):
    """The title and summary of a shipped page file, read straight from disk."""
    text = (SHIPPED / "pages" / slug / f"{language}.md").read_text(encoding="utf-8")
    return tomllib.loads(text.split("+++\n")[1])


def html_of(response):
    return response.content.decode()


def text_of(response):
    """The page with its character references resolved, to look for words in it."""
    return html.unescape(html_of(response))


def article_of(response):
    """The page's <article>: what an editor wrote, without the site's header and footer."""
    markup = html_of(response)
    return markup[markup.index("<article") : markup.index("</article>")]


# --- The shipped content ------------------------------------------------------------------


def reference_problem(reference):
    """Why a reference cannot be cited as it is, or "" when it can."""
    if reference.pmid or reference.doi:
        if reference.pmid and not PMID.fullmatch(reference.pmid):
            return f"malformed PMID {reference.pmid!r}"
        if reference.doi and not DOI.fullmatch(reference.doi):
            return f"malformed DOI {reference.doi!r}"
        if reference.url:
            return "a URL as well as a PMID or DOI (the URL is only for sources without)"
        return ""
    if re.fullmatch(r"https://[^\s/]+\.[^\s/]+(/\S*)?", reference.url):
        return ""  # a source whose identifiers could not be verified: its address
    return "neither a PMID, a DOI nor an https URL"


@pytest.mark.parametrize(
    ("pmid", "doi", "url", "valid"),
    [
        ("37732822", "10.1002/ajh.27081", "", True),
        ("37732822", "", "", True),
        ("", "10.1212/NXI.0000000000000486", "", True),
        ("", "", "https://www.nanbyou.or.jp/entry/241", True),
        ("", "", "", False),
        ("", "", "http://example.org/paper", False),
        ("", "", "not a url", False),
        ("PMID37732822", "", "", False),
        ("0123", "", "", False),
        ("1234567890", "", "", False),
        ("", "doi:10.1002/ajh.27081", "", False),
        ("", "https://doi.org/10.1002/ajh.27081", "", False),
        ("", "10.1002", "", False),
        ("37732822", "11.1002/ajh", "https://example.org/", False),
        ("37732822", "", "https://pubmed.ncbi.nlm.nih.gov/37732822/", False),
    ],
)
def test_the_reference_rule_itself(pmid, doi, url, valid):
    reference = Reference(citation="A paper.", pmid=pmid, doi=doi, url=url)
    assert (reference_problem(reference) == "") is valid


@pytest.mark.django_db
def test_every_published_page_has_its_words_in_every_language_and_a_reference():
    pages = list(Page.objects.published().prefetch_related("page_references"))
    assert len(pages) >= len(Section.values)
    for page in pages:
        missing = [name for name in WORD_FIELDS if not (getattr(page, name) or "").strip()]
        assert not missing, f"{page.slug}: no {missing}"
        assert page.page_references.all(), f"{page.slug} cites nothing"


@pytest.mark.django_db
def test_every_reference_has_a_pmid_or_doi_or_failing_both_an_https_url():
    problems = {
        reference.citation[:60]: reference_problem(reference)
        for reference in Reference.objects.all()
        if reference_problem(reference)
    }
    assert Reference.objects.count() > 20
    assert problems == {}


@pytest.mark.django_db
def test_the_model_refuses_a_reference_without_pmid_doi_or_url():
    with pytest.raises(ValidationError):
        Reference(citation="Hearsay.").full_clean()
    with pytest.raises(ValidationError, match="PMID"):
        Reference(citation="A paper.", pmid="PMID123").full_clean()
    with pytest.raises(ValidationError, match="DOI"):
        Reference(citation="A paper.", doi="doi:10.1/x").full_clean()


@pytest.mark.django_db
def test_references_are_numbered_from_one_without_gaps():
    for page in Page.objects.published():
        positions = list(page.page_references.values_list("position", flat=True))
        assert positions == list(range(1, len(positions) + 1)), page.slug


@pytest.mark.django_db
def test_every_finding_of_the_rules_is_stored_and_links_to_a_published_page():
    findings = list(Finding.objects.select_related("page"))
    assert {finding.slug for finding in findings} == set(FINDINGS)
    assert len(findings) == len(FINDINGS)
    unlinked = [f.slug for f in findings if f.page is None or f.page.status != "published"]
    assert unlinked == []
    for finding in findings:
        for suffix in SUFFIXES:
            assert getattr(finding, f"label_{suffix}"), f"{finding.slug}: no label_{suffix}"


@pytest.mark.django_db
def test_the_system_check_reports_a_missing_and_an_unknown_finding():
    assert findings_match_code(None) == []
    Finding.objects.filter(slug="papilledema").delete()
    warnings = findings_match_code(None)
    assert [warning.id for warning in warnings] == ["checklist.W001"]
    assert "papilledema" in warnings[0].msg
    Finding.objects.create(slug="made_up", label_en="Made up")
    warnings = findings_match_code(None)
    assert [warning.id for warning in warnings] == ["checklist.W001", "checklist.W002"]
    assert "made_up" in warnings[1].msg


@pytest.mark.django_db
def test_an_upgrade_migrates_before_it_loads_the_new_findings():
    """A new release brings findings its database lacks until `load_initial_content`,
    which runs after `migrate`: the check must not stop the migration (it did, when the
    v3 sub-findings arrived). The pages serve meanwhile, with the code's own labels."""
    Finding.objects.filter(slug__in=["m_protein_ife", "clonal_plasma_cells"]).delete()
    # As from the command line: call_command skips the checks unless told not to.
    call_command("migrate", verbosity=0, skip_checks=False)
    call_command("load_initial_content", verbosity=0, skip_checks=False)
    assert findings_match_code(None) == []


# --- The index and a page -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_index_lists_the_sections_in_order_each_with_its_pages(client):
    response = client.get("/en/learn/")
    assert response.status_code == 200
    markup = html_of(response)
    shown = re.findall(r'<h2 id="section-([a-z-]+)">', markup)
    assert shown == list(Section.values)  # the shipped pages cover every section
    for section in shown:
        start = markup.index(f'id="section-{section}"')
        end = markup.index("</section>", start)
        links = re.findall(r'<a href="/en/learn/([a-z0-9-]+)/">', markup[start:end])
        expected = Page.objects.published().filter(section=section).order_by("order", "slug")
        assert links == [page.slug for page in expected], section
    assert str(Section.CRITERIA.label) in text_of(response)


@pytest.mark.django_db
def test_a_page_shows_its_words_anchored_headings_and_numbered_references(client):
    page = Page.objects.get(slug="vegf")
    response = client.get("/en/learn/vegf/")
    assert response.status_code == 200
    assertInHTML(f"<h1>{html.escape(page.title_en)}</h1>", html_of(response))
    assert page.summary_en in text_of(response)
    # Ids in a body are prefixed: none can clash with the page's own (#main, #ref-1).
    assertInHTML('<h2 id="md-where-it-counts">Where it counts</h2>', html_of(response))
    assertInHTML('<h2 id="md-plasma-or-serum">Plasma or serum</h2>', html_of(response))
    # A citation in the text links to its number in the list.
    assertContains(response, '<a class="cite" href="#ref-8">8</a>')
    article = article_of(response)
    previous = -1
    for link in page.page_references.select_related("reference").order_by("position"):
        reference = link.reference
        item = f'<li id="ref-{link.position}" value="{link.position}">'
        assert item in article
        where = article.index(item)
        assert where > previous, "references out of order"
        previous = where
        assert reference.citation in html.unescape(article[where:])
        if reference.pmid:
            assert f'href="https://pubmed.ncbi.nlm.nih.gov/{reference.pmid}/"' in article
        if reference.doi:
            assert f'href="https://doi.org/{reference.doi}"' in article
    assertContains(response, 'href="https://pubmed.ncbi.nlm.nih.gov/37732822/"')
    assertContains(response, 'href="https://doi.org/10.1002/ajh.27081"')
    assertContains(response, 'href="https://www.nanbyou.or.jp/entry/241"')


@pytest.mark.django_db
def test_a_page_links_its_published_related_pages(client):
    page = Page.objects.get(slug="vegf")
    related = list(page.related.all())
    assert related
    hidden = related[0]
    hidden.status = Page.Status.DRAFT
    hidden.save()
    response = client.get("/en/learn/vegf/")
    markup = html_of(response)
    aside = markup[markup.index('<aside class="page-meta"') : markup.index("</aside>")]
    for other in related[1:]:
        assertInHTML(f'<a href="/en/learn/{other.slug}/">{html.escape(other.title_en)}</a>', aside)
    assert f"/en/learn/{hidden.slug}/" not in aside  # a draft is never linked


@pytest.mark.django_db
def test_a_page_is_not_reviewed_until_a_clinician_reviews_it(client):
    response = client.get("/en/learn/vegf/")
    assertContains(response, "Not yet clinically reviewed.")
    assertNotContains(response, "Last clinically reviewed")


@pytest.fixture
def clinician(django_user_model):
    user = django_user_model.objects.create_user("ana", password="unused-pass-4821")
    return EditorProfile.objects.create(
        user=user, display_name="Dr Ana Ruiz", clinical_role="Consultant neurologist"
    )


@pytest.mark.django_db
def test_a_review_shows_who_and_when_until_the_words_change(client, clinician):
    page = Page.objects.get(slug="vegf")
    on = datetime.date(2025, 3, 4)
    page.mark_reviewed(clinician, on)
    page.save()
    with translation.override("en"):
        when = formats.date_format(on, "DATE_FORMAT")
    response = client.get("/en/learn/vegf/")
    assertContains(
        response,
        f"Last clinically reviewed on {when} by Dr Ana Ruiz, Consultant neurologist.",
    )
    assertNotContains(response, "Not yet clinically reviewed")

    page.body_ja += "\n追記。"  # any language's words: the review was of the whole page
    page.save()
    response = client.get("/en/learn/vegf/")
    assertNotContains(response, "Last clinically reviewed")
    assertContains(response, "Not yet clinically reviewed.")


@pytest.mark.django_db
@pytest.mark.parametrize("field", WORD_FIELDS)
def test_a_review_applies_only_to_the_words_reviewed(clinician, field):
    page = Page.objects.get(slug="vegf")
    page.mark_reviewed(clinician, datetime.date(2025, 3, 4))
    page.save()
    page.refresh_from_db()
    assert page.review_is_current
    page.order += 1  # not words: the review still holds
    page.save()
    page.refresh_from_db()
    assert page.review_is_current
    setattr(page, field, (getattr(page, field) or "") + " changed")
    page.save()
    page.refresh_from_db()
    assert not page.review_is_current


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["", "   "])
def test_an_editor_without_a_clinical_role_cannot_review(django_user_model, role):
    user = django_user_model.objects.create_user("ben", password="unused-pass-4821")
    profile = EditorProfile.objects.create(user=user, display_name="Ben", clinical_role=role)
    page = Page.objects.get(slug="vegf")
    with pytest.raises(ValidationError):
        page.mark_reviewed(profile, datetime.date(2025, 3, 4))
    assert page.reviewed_by is None
    assert not page.review_is_current


# --- Back to the checklist ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_reader_from_a_checklist_gets_a_link_back_and_nothing_is_stored(client):
    code = encode_short_code({"polyneuropathy": "present", "papilledema": "absent"})
    response = client.get(f"/en/learn/vegf/?from={code}")
    assert response.status_code == 200
    back = f"/en/checklist/c/{code}"
    assertContains(response, f'<a class="button" href="{back}">Back to your checklist</a>')
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    # The link reopens the checklist.
    reopened = client.get(back)
    assert reopened["Location"] == "/en/checklist/?polyneuropathy=present&papilledema=absent"
    assert "no-store" in reopened["Cache-Control"]
    # Moving on to a related page keeps the way back.
    related = Page.objects.get(slug="vegf").related.first()
    assertContains(response, f'href="/en/learn/{related.slug}/?from={code}"')
    # In Japanese, the way back leads to the Japanese checklist, whatever the browser says.
    japanese = client.get(f"/ja/learn/vegf/?from={code}")
    assertContains(japanese, f'href="/ja/checklist/c/{code}"')
    reopened = client.get(f"/ja/checklist/c/{code}", HTTP_ACCEPT_LANGUAGE="en")
    assert reopened["Location"] == "/ja/checklist/?polyneuropathy=present&papilledema=absent"


@pytest.mark.django_db
def test_the_index_from_a_checklist_is_not_stored_either(client):
    code = encode_short_code({"polyneuropathy": "present"})
    response = client.get(f"/en/learn/?from={code}")
    assertContains(response, f'href="/en/checklist/c/{code}"')
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["", "<script>", "a b", "1/2", "x" * 129])
def test_a_from_that_cannot_be_a_checklist_code_is_ignored(client, code):
    response = client.get("/en/learn/vegf/", {"from": code})
    assert response.status_code == 200
    assertNotContains(response, "Back to your checklist")
    assertNotContains(response, "/checklist/c/")
    assertContains(response, "Open the checklist")
    # Whatever it holds, an address with a checklist code is not kept anywhere.
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address", ["/en/learn/vegf/?polyneuropathy=present", "/ja/learn/?q=VEGF", "/en/learn/?x=1"]
)
def test_a_page_with_any_query_string_is_never_stored(client, address):
    """Findings pasted into a page's address are a checklist too: not kept by any cache."""
    response = client.get(address)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert not response.has_header("ETag")


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["nonsense", "2abc", "1" + "z" * 12, "1-s5"])
def test_a_code_that_is_not_a_checklist_leads_to_a_clear_page(client, code):
    """The pages pass the code along unread (they know nothing of the checklist); the
    checklist says plainly that it is not valid, and reflects nothing of it."""
    response = client.get("/en/learn/vegf/", {"from": code})
    assertContains(response, f'href="/en/checklist/c/{code}"')
    back = client.get(f"/en/checklist/c/{code}")
    assert back.status_code == 404
    assertContains(back, "This short link is not valid", status_code=404)
    assert code not in back.content.decode()
    assert "no-store" in back["Cache-Control"]


# --- Markdown ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "forbidden"),
    [
        ("<script>alert('x')</script>", ["<script", "alert("]),
        ("<style>body { display: none }</style>", ["<style", "display: none"]),
        ('<p onclick="alert(1)">Hi</p>', ["onclick", "alert("]),
        ('<img src="x" onerror="alert(1)">', ["onerror", "<img"]),
        ('<a href="#" onmouseover="steal()">x</a>', ["onmouseover", "steal"]),
        ("[click](javascript:alert(1))", ["javascript:"]),
        ('<a href="javascript:alert(1)">click</a>', ["javascript:"]),
        ('<a href="JaVaScRiPt:alert(1)">click</a>', ["javascript:", "alert("]),
        ('<iframe src="https://evil.example/"></iframe>', ["<iframe", "evil.example"]),
        ('<object data="x.swf"></object><embed src="x.swf">', ["<object", "<embed"]),
        ('<form action="https://evil.example/"><input name="q"></form>', ["<form", "<input"]),
        ('<div style="position:fixed">x</div>', ["style="]),
    ],
)
def test_the_sanitiser_removes_what_could_run_or_restyle(markdown, forbidden):
    markup = render(f"Before.\n\n{markdown}\n\nAfter.").lower()
    for needle in forbidden:
        assert needle.lower() not in markup
    assert "before." in markup
    assert "after." in markup


def test_the_sanitiser_keeps_tables_footnotes_headings_and_safe_links():
    markup = render(
        "## Where it counts\n\n"
        "Raised VEGF[^1], see [the guideline](https://example.org/g) [1, 3].\n\n"
        "| Set | Role |\n|---|---|\n| Mayo | Major |\n\n"
        "[^1]: Measured in plasma.\n"
    )
    assertInHTML('<h2 id="md-where-it-counts">Where it counts</h2>', markup)
    assertInHTML("<th>Set</th>", markup)
    assertInHTML("<td>Mayo</td>", markup)
    assert '<sup id="md-fnref:1">' in markup
    assert '<li id="md-fn:1">' in markup
    assert 'href="#md-fn:1"' in markup
    assert "Measured in plasma." in markup
    assert 'href="https://example.org/g"' in markup
    assert '[<a class="cite" href="#ref-1">1, 3</a>]' in markup


def test_headings_get_distinct_anchors():
    markup = render("## Dose\n\ntext\n\n## Dose\n\n## 血清\n\n## 血漿\n")
    ids = re.findall(r'<h2 id="([^"]+)">', markup)
    assert len(ids) == 4
    assert len(set(ids)) == 4
    assert ids[0] == "md-dose"


@pytest.mark.django_db
def test_an_editors_script_is_inert_on_the_public_page(client):
    page = Page.objects.get(slug="vegf")
    page.body_en = (
        "## Safe heading\n\n<script>document.title='pwned'</script>\n\n"
        '<a href="javascript:steal()" onclick="steal()">click</a>\n\n'
        '<img src="x" onerror="steal()"><iframe src="https://evil.example/"></iframe>\n'
    )
    page.save()
    response = client.get("/en/learn/vegf/")
    assert response.status_code == 200
    article = article_of(response)
    assert '<h2 id="md-safe-heading">Safe heading</h2>' in article
    for needle in ("<script", "pwned", "javascript:", "onclick", "onerror", "steal(", "<iframe"):
        assert needle not in article


# --- Drafts and missing translations -----------------------------------------------------


@pytest.fixture
def draft(db):
    return Page.objects.create(
        slug="draft-page",
        section=Section.TREATMENT,
        title_en="Secret draft",
        summary_en="Not ready.",
        body_en="## Not ready\n\nWork in progress.",
        status=Page.Status.DRAFT,
    )


def test_a_draft_is_not_found_by_readers(client, draft):
    assert client.get("/en/learn/draft-page/").status_code == 404
    assertNotContains(client.get("/en/learn/"), "Secret draft")
    assertNotContains(client.get("/en/learn/", {"q": "Secret"}), "Secret draft")


def test_staff_who_may_view_pages_preview_a_draft(client, draft, django_user_model):
    user = django_user_model.objects.create_user("viewer", password="unused", is_staff=True)
    client.force_login(user)
    assert client.get("/en/learn/draft-page/").status_code == 404  # staff, but no permission
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="content", codename="view_page")
    )
    response = client.get("/en/learn/draft-page/")
    assert response.status_code == 200
    assertContains(response, "Preview: this page is a draft")
    assertContains(response, "Secret draft")
    assert "no-store" in response["Cache-Control"]
    # A published page is not labelled a preview, even for staff.
    assertNotContains(client.get("/en/learn/vegf/"), "Preview:")


def test_a_signed_in_reader_without_staff_status_sees_no_draft(client, draft, django_user_model):
    user = django_user_model.objects.create_user("reader", password="unused")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="content", codename="view_page")
    )
    client.force_login(user)
    assert client.get("/en/learn/draft-page/").status_code == 404


@pytest.mark.django_db
def test_a_translated_page_is_shown_in_the_readers_language(client):
    response = client.get("/ja/learn/vegf/")
    assertInHTML(f"<h1>{shipped_front_matter('vegf', 'ja')['title']}</h1>", html_of(response))
    assert '<article class="content-page">' in html_of(response)  # no lang="en"
    response = client.get("/zh-hans/learn/vegf/")
    assertInHTML(f"<h1>{shipped_front_matter('vegf', 'zh-hans')['title']}</h1>", html_of(response))


@pytest.mark.django_db
@pytest.mark.parametrize("empty", ["", None])
def test_an_untranslated_page_falls_back_to_english_and_says_so(client, empty):
    page = Page.objects.get(slug="vegf")
    page.title_ja = page.summary_ja = page.body_ja = empty
    page.save()
    response = client.get("/ja/learn/vegf/")
    assert response.status_code == 200
    assertContains(response, '<article class="content-page" lang="en">')
    assertInHTML(f"<h1>{html.escape(page.title_en)}</h1>", html_of(response))
    assert page.summary_en in text_of(response)
    assertInHTML('<h2 id="md-where-it-counts">Where it counts</h2>', html_of(response))
    with translation.override("ja"):
        notice = translation.gettext(
            "This page has not been translated into %(language)s yet, so it is shown in English."
        ) % {"language": translation.get_language_info("ja")["name_local"]}
    assert notice in text_of(response)
    # The index shows the English title too, rather than nothing.
    index = client.get("/ja/learn/")
    assert page.title_en in text_of(index)
    # Other languages are unaffected.
    assert '<article class="content-page">' in html_of(client.get("/zh-hans/learn/vegf/"))


# --- Search ------------------------------------------------------------------------------


def shipped_pages_containing(language, word):
    folders = (SHIPPED / "pages").iterdir()
    return {
        folder.name
        for folder in folders
        if word.casefold() in (folder / f"{language}.md").read_text(encoding="utf-8").casefold()
    }


def numbers_in(heading, query):
    """The count a results heading shows (any digits other than the query's)."""
    return re.findall(r"[0-9]+", heading.replace(query, ""))


def search_results(response):
    markup = html_of(response)
    assert '<section aria-labelledby="results-heading"' in markup
    section = markup[markup.index('id="results-heading"') : markup.index("</section>")]
    heading = html.unescape(re.search(r'id="results-heading">(.*?)</h2>', section).group(1))
    slugs = re.findall(r'<a href="/[a-z-]+/learn/([a-z0-9-]+)/">', section)
    return heading, slugs


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "word"),
    [
        ("en", "iron-deficiency"),
        ("en", "IRON-DEFICIENCY"),
        ("zh-hans", "缺铁性贫血"),
        ("ja", "鉄欠乏性貧血"),
        ("en", "hazard ratio 12.81"),
        ("zh-hans", "风险比12.81"),
        ("ja", "ハザード比12.81"),
    ],
)
def test_search_finds_pages_by_a_word_of_their_body_in_each_language(client, language, word):
    expected = shipped_pages_containing(language, word)
    assert "vegf" in expected
    response = client.get(f"/{language}/learn/", {"q": word})
    assert response.status_code == 200
    heading, slugs = search_results(response)
    assert set(slugs) == expected
    assert len(slugs) == len(expected)
    assert word in heading
    assert numbers_in(heading, word) == [str(len(expected))]


@pytest.mark.django_db
def test_search_looks_only_in_the_readers_language(client):
    _heading, slugs = search_results(client.get("/en/learn/", {"q": "鉄欠乏性貧血"}))
    assert slugs == []
    _heading, slugs = search_results(client.get("/ja/learn/", {"q": "缺铁性贫血"}))
    assert slugs == []


@pytest.mark.django_db
def test_search_shows_a_count_of_zero_when_nothing_matches(client):
    response = client.get("/en/learn/", {"q": "xylophone"})
    heading, slugs = search_results(response)
    assert slugs == []
    assert numbers_in(heading, "xylophone") == ["0"]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_search_shows_the_index(client, query):
    response = client.get("/en/learn/", {"q": query})
    assert response.status_code == 200
    assertNotContains(response, "results-heading")
    assert re.findall(r'<h2 id="section-([a-z-]+)">', html_of(response)) == list(Section.values)


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["x" * 150, "鉄" * 500, "%_'\"\\" * 40])
def test_a_very_long_search_does_not_fail(client, query):
    response = client.get("/ja/learn/", {"q": query})
    assert response.status_code == 200
    heading, slugs = search_results(response)
    assert slugs == []
    assert query[:101] not in heading  # the query is cut to 100 characters


@pytest.mark.django_db
def test_a_search_with_sql_wildcards_matches_them_literally(client):
    _heading, slugs = search_results(client.get("/en/learn/", {"q": "%"}))
    assert set(slugs) == shipped_pages_containing("en", "%")
    _heading, slugs = search_results(client.get("/en/learn/", {"q": "_"}))
    assert set(slugs) == shipped_pages_containing("en", "_")


# --- The loader ------------------------------------------------------------------------


@pytest.mark.django_db
def test_loading_again_keeps_what_editors_changed_and_refresh_restores_it(django_user_model):
    editor = django_user_model.objects.create_user("edith")
    page = Page.objects.get(slug="vegf")
    page.title_en = "VEGF, as an editor put it"
    page.title_ja = "編集者のVEGF"
    page._history_user = editor  # as the admin records it
    page.save()
    finding = Finding.objects.get(slug="papilledema")
    finding.label_en = "Swollen optic discs"
    finding._history_user = editor
    finding.save()
    pages_before, findings_before = Page.objects.count(), Finding.objects.count()

    call_command("load_initial_content", stdout=_Sink())
    page.refresh_from_db()
    finding.refresh_from_db()
    assert page.title_en == "VEGF, as an editor put it"
    assert page.title_ja == "編集者のVEGF"
    assert finding.label_en == "Swollen optic discs"
    assert (Page.objects.count(), Finding.objects.count()) == (pages_before, findings_before)

    call_command("load_initial_content", "--refresh", stdout=_Sink())
    page.refresh_from_db()
    finding.refresh_from_db()
    assert page.title_en == shipped_front_matter("vegf", "en")["title"]
    assert page.title_ja == shipped_front_matter("vegf", "ja")["title"]
    findings_toml = tomllib.loads((SHIPPED_WORDS / "findings.toml").read_text(encoding="utf-8"))
    assert finding.label_en == findings_toml["papilledema"]["en"]["label"]
    assert (Page.objects.count(), Finding.objects.count()) == (pages_before, findings_before)
    assert page.page_references.count() == len(
        tomllib.loads((SHIPPED / "pages/vegf/page.toml").read_text(encoding="utf-8"))["references"]
    )


def _history_versions():
    return sum(
        model.history.count() for model in (Page, Reference, Finding, RedFlag, Investigation)
    )


@pytest.mark.django_db
def test_a_new_release_reaches_every_row_no_editor_changed(shipped_copy):
    """The words of a running site follow the release's files, unless an editor changed
    them: a correction shipped in a release must reach the readers."""
    edits = {
        "pages/vegf/en.md": ("title = ", 'title = "VEGF in the new release"\n#'),
        "words/findings.toml": ('label = "Papilloedema', 'label = "Papilloedema, new release'),
        "words/investigations.toml": ('label = "', 'label = "New release: '),
        "words/red_flags.toml": ('en = "', 'en = "New release: '),
        "references.toml": ("citation = \"D'Souza A", "citation = \"New release: D'Souza A"),
    }
    for relative, (old, new) in edits.items():
        path = shipped_copy / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, relative
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    # One related page fewer on another page.
    meta = shipped_copy / "pages/history/page.toml"
    related = tomllib.loads(meta.read_text(encoding="utf-8"))["related"]
    text = meta.read_text(encoding="utf-8")
    meta.write_text(text.replace(f'"{related[0]}"', "").replace("[, ", "["), encoding="utf-8")

    out = _Sink()
    call_command("load_initial_content", stdout=out)
    assert Page.objects.get(slug="vegf").title_en == "VEGF in the new release"
    history = Page.objects.get(slug="history")
    assert sorted(history.related.values_list("slug", flat=True)) == sorted(related[1:])
    assert Finding.objects.get(slug="papilledema").label_en.startswith("Papilloedema, new release")
    assert Investigation.objects.filter(label_en__startswith="New release: ").count() == 1
    assert RedFlag.objects.filter(text_en__startswith="New release: ").count() == 1
    assert Reference.objects.get(key="dsouza-2011").citation.startswith("New release: ")
    assert "0 created, 6 updated" in out.text

    # Loading the same files again writes nothing: no history version for nothing.
    versions = _history_versions()
    out = _Sink()
    call_command("load_initial_content", stdout=out)
    assert _history_versions() == versions
    assert "0 created, 0 updated" in out.text


@pytest.mark.django_db
def test_loading_recreates_a_deleted_page_and_reports_it():
    Page.objects.filter(slug="history").delete()
    out = _Sink()
    call_command("load_initial_content", stdout=out)
    assert Page.objects.published().filter(slug="history").exists()
    assert "1 created" in out.text


class _Sink:
    """A stdout for call_command that keeps what was written."""

    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def _break_front_matter(root):
    path = root / "pages/vegf/en.md"
    path.write_text(path.read_text(encoding="utf-8").replace("+++\n", "", 1), encoding="utf-8")
    return "pages/vegf/en.md"


def _break_title(root):
    path = root / "pages/vegf/ja.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^title = .*\n", "", text, count=1), encoding="utf-8")
    return "pages/vegf/ja.md"


def _break_toml(root):
    (root / "pages/vegf/page.toml").write_text('section = "criteria\n', encoding="utf-8")
    return "pages/vegf/page.toml"


def _remove_english(root):
    (root / "pages/vegf/en.md").unlink()
    return "pages/vegf"


def _new_page_in_unknown_section(root):
    shutil.copytree(root / "pages/vegf", root / "pages/zz-new")
    toml = root / "pages/zz-new/page.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('section = "criteria"', 'section = "gossip"'),
        encoding="utf-8",
    )
    return "zz-new"


def _a_reference_with_a_bad_pmid(root):
    path = root / "references.toml"
    text = path.read_text(encoding="utf-8").replace('pmid = "37732822"', 'pmid = "PMID 1"')
    path.write_text(text, encoding="utf-8")
    return "references.toml [dispenzieri-2023]"


def _two_ids_for_one_pmid(root):
    path = root / "references.toml"
    text = path.read_text(encoding="utf-8")
    text += '\n[dispenzieri-2023-again]\ncitation = "Another title"\npmid = "37732822"\n'
    path.write_text(text, encoding="utf-8")
    return "PMID 37732822 is cited as [dispenzieri-2023] and as [dispenzieri-2023-again]"


def _a_page_citing_an_unknown_id(root):
    toml = root / "pages/vegf/page.toml"
    text = toml.read_text(encoding="utf-8").replace(
        "references = [", 'references = ["no-such-id", '
    )
    toml.write_text(text, encoding="utf-8")
    return "pages/vegf: no reference [no-such-id]"


def _new_page_with_an_unknown_related_page(root):
    shutil.copytree(root / "pages/vegf", root / "pages/zz-new")
    toml = root / "pages/zz-new/page.toml"
    text = toml.read_text(encoding="utf-8").replace('related = ["', 'related = ["no-such-page", "')
    toml.write_text(text, encoding="utf-8")
    return "no-such-page"


def _break_a_red_flags_reference(root):
    path = root / "words" / "red_flags.toml"
    text = path.read_text(encoding="utf-8").replace('reference = "', 'reference = "no-', 1)
    path.write_text(text, encoding="utf-8")
    return "red_flags.toml"


def _drop_a_finding(root):
    path = root / "words" / "findings.toml"
    text = path.read_text(encoding="utf-8").replace("[papilledema", "[papilloedema")
    path.write_text(text, encoding="utf-8")
    return "findings.toml"


@pytest.fixture
def shipped_copy(tmp_path, monkeypatch):
    """The shipped content (the pages' in the folder, the checklist's words in words/)."""
    root = tmp_path / "initial_content"
    shutil.copytree(SHIPPED, root)
    shutil.copytree(SHIPPED_WORDS, root / "words")
    monkeypatch.setattr(loader, "INITIAL_CONTENT", root)
    monkeypatch.setattr(checklist_loader, "INITIAL_CONTENT", root / "words")
    return root


@pytest.mark.django_db
def test_a_copy_of_the_shipped_content_loads(shipped_copy):
    (shipped_copy / "pages/vegf/en.md").write_text(
        '+++\ntitle = "From the copy"\nsummary = "S."\n+++\nBody.\n', encoding="utf-8"
    )
    call_command("load_initial_content", "--refresh", stdout=_Sink())
    assert Page.objects.get(slug="vegf").title_en == "From the copy"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "breaker",
    [
        _break_front_matter,
        _break_title,
        _break_toml,
        _remove_english,
        _new_page_in_unknown_section,
        _a_reference_with_a_bad_pmid,
        _two_ids_for_one_pmid,
        _a_page_citing_an_unknown_id,
        _new_page_with_an_unknown_related_page,
        _break_a_red_flags_reference,
        _drop_a_finding,
    ],
)
def test_a_malformed_shipped_file_is_a_clear_error_and_changes_nothing(shipped_copy, breaker):
    where = breaker(shipped_copy)
    pages = sorted(Page.objects.values_list("slug", "title_en"))
    references = Reference.objects.count()
    with pytest.raises(CommandError) as error:
        call_command("load_initial_content", "--refresh", stdout=_Sink())
    assert where in str(error.value)
    assert sorted(Page.objects.values_list("slug", "title_en")) == pages
    assert Reference.objects.count() == references


# --- Export and import ------------------------------------------------------------------


REFERENCE_FIELDS = ("citation", "pmid", "doi", "url", "year")
FINDING_WORDS = [f"{field}_{suffix}" for suffix in SUFFIXES for field in ("label", "hint")]


def content_snapshot():
    """Everything editors write, in a form that compares equal when nothing was lost."""
    pages = {}
    for page in Page.objects.prefetch_related("related", "page_references__reference"):
        pages[page.slug] = {
            "fields": {
                name: getattr(page, name)
                for name in [*WORD_FIELDS, "section", "order", "status", "reviewed_digest"]
            },
            "references": [
                (link.position, *(getattr(link.reference, name) for name in REFERENCE_FIELDS))
                for link in page.page_references.all()
            ],
            "related": sorted(other.slug for other in page.related.all()),
        }
    findings = {
        finding.slug: (
            [getattr(finding, name) for name in FINDING_WORDS],
            finding.page.slug if finding.page else None,
        )
        for finding in Finding.objects.select_related("page")
    }
    red_flags = [
        (
            flag.order,
            [getattr(flag, f"text_{suffix}") for suffix in SUFFIXES],
            flag.reference.citation,
        )
        for flag in RedFlag.objects.select_related("reference").order_by("order", "id")
    ]
    investigations = {
        investigation.slug: (
            [
                getattr(investigation, f"{field}_{suffix}")
                for suffix in SUFFIXES
                for field in ("label", "guidance")
            ],
            sorted(reference.citation for reference in investigation.references.all()),
        )
        for investigation in Investigation.objects.prefetch_related("references")
    }
    return {
        "pages": pages,
        "findings": findings,
        "red_flags": red_flags,
        "investigations": investigations,
    }


@pytest.mark.django_db
def test_export_then_import_loses_nothing(tmp_path):
    page = Page.objects.get(slug="vegf")
    page.title_ja = ""  # an untranslated field survives as such
    page.save()
    before = content_snapshot()
    assert len(before["pages"]) >= 20
    dump = tmp_path / "content.json"
    call_command(
        "dumpdata", "content", "checklist", natural_foreign=True, output=str(dump), indent=1
    )
    Finding.objects.all().delete()
    RedFlag.objects.all().delete()
    Investigation.objects.all().delete()
    PageReference.objects.all().delete()
    Page.related.through.objects.all().delete()
    Page.objects.all().delete()
    Reference.objects.all().delete()
    empty = {"pages": {}, "findings": {}, "red_flags": [], "investigations": {}}
    assert content_snapshot() == empty
    call_command("loaddata", str(dump), verbosity=0)
    assert content_snapshot() == before


# --- HTTP caching and queries ---------------------------------------------------------


@pytest.mark.django_db
def test_a_page_can_be_revalidated_and_changes_when_an_editor_saves(client):
    response = client.get("/en/learn/vegf/")
    etag = response["ETag"]
    assert etag.startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    assert "max-age=300" in response["Cache-Control"]

    again = client.get("/en/learn/vegf/", headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    modified = client.get(
        "/en/learn/vegf/", headers={"if-modified-since": response["Last-Modified"]}
    )
    assert modified.status_code == 304
    # Another language is another representation.
    assert client.get("/ja/learn/vegf/")["ETag"] != etag

    page = Page.objects.get(slug="vegf")
    page.title_en = "VEGF elevation, revised"
    page.save()
    after = client.get("/en/learn/vegf/", headers={"if-none-match": etag})
    assert after.status_code == 200
    assert after["ETag"] != etag
    assertContains(after, "VEGF elevation, revised")


@pytest.mark.django_db
def test_a_change_to_a_reference_changes_the_page(client):
    etag = client.get("/en/learn/vegf/")["ETag"]
    reference = Page.objects.get(slug="vegf").page_references.get(position=1).reference
    reference.citation = "Dispenzieri A. A corrected citation."
    reference.save()
    response = client.get("/en/learn/vegf/", headers={"if-none-match": etag})
    assert response.status_code == 200
    assertContains(response, "A corrected citation.")


@pytest.mark.django_db
def test_every_page_costs_at_most_four_queries_cold_and_none_warm(
    client, django_assert_max_num_queries
):
    slugs = list(Page.objects.published().values_list("slug", flat=True))
    most_references = max(Page.objects.published(), key=lambda p: p.page_references.count())
    assert most_references.page_references.count() >= 10
    for slug in slugs:
        for language in LANGUAGES:
            # The page, its references, its related pages; and the findings' words when
            # it holds a generated block (the criteria sets' rules).
            with django_assert_max_num_queries(4):
                assert client.get(f"/{language}/learn/{slug}/").status_code == 200
    for slug in slugs:
        with django_assert_max_num_queries(1):
            assert client.get(f"/en/learn/{slug}/").status_code == 200


@pytest.mark.django_db
def test_an_address_with_no_page_costs_one_query(client, django_assert_max_num_queries):
    """Crawlers ask for pages that do not exist: one look-up each, not one per header."""
    with django_assert_max_num_queries(1):
        assert client.get("/en/learn/no-such-page/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_index_costs_a_constant_number_of_queries(
    client, django_assert_max_num_queries, language
):
    # Untranslated pages fall back to English: that must not cost a query a page.
    for page in Page.objects.filter(section=Section.CRITERIA):
        page.title_ja = page.summary_ja = page.body_ja = ""
        page.title_zh_hans = ""
        page.save()  # and so the cache is cold
    with django_assert_max_num_queries(3):
        assert client.get(f"/{language}/learn/").status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get(f"/{language}/learn/").status_code == 200


@pytest.mark.django_db
def test_an_untranslated_page_costs_no_more_queries(client, django_assert_max_num_queries):
    page = Page.objects.get(slug="vegf")
    page.title_ja = page.summary_ja = page.body_ja = ""
    page.save()
    for other in page.related.all():
        other.title_ja = ""
        other.save()
    with django_assert_max_num_queries(3):
        assert client.get("/ja/learn/vegf/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sets_compared_page_shows_the_rules_the_engine_applies(client, language):
    body = html_of(client.get(f"/{language}/learn/criteria-sets-compared/"))
    assert "[[criteria-rules]]" not in body
    table = body[body.index('class="criteria-rules"') :]
    for criteria_set in CRITERIA_SETS:
        with translation.override(language):
            assert html.escape(translate(criteria_set.label)) in table
            for requirement in criteria_set.requirements:
                assert html.escape(translate(requirement.name)) in table


def test_an_unknown_block_is_shown_as_written():
    assert "[[no-such-block]]" in render("Before.\n\n[[no-such-block]]\n\nAfter.")


@pytest.mark.django_db
def test_the_worked_examples_of_the_sets_compared_page_match_the_engine():
    """The page's two examples, stated in prose, checked against the rules."""
    first = evaluate(
        Case.from_values(
            {
                "polyneuropathy": "present",
                "m_protein_ife": "present",
                "vegf_elevated": "present",
                "thrombocytosis_polycythemia": "present",
                **{
                    slug: "absent"
                    for slug in SCORED
                    if slug
                    not in {
                        "polyneuropathy",
                        "m_protein_ife",
                        "vegf_elevated",
                        "thrombocytosis_polycythemia",
                        "monoclonal_plasma_cell_disorder",
                    }
                },
            }
        )
    )
    assert first["mayo"].outcome == "met"
    assert (first["japan_2015"].grade, first["japan_2024"].grade) == ("definite", "definite")
    assert first["mayo_2003"].outcome == first["suichi_2019"].outcome == "not_met"
    second = evaluate(
        Case.from_values(
            {
                "polyneuropathy": "present",
                "vegf_elevated": "present",
                "organomegaly": "present",
                "clonal_plasma_cells": "present",
                "m_protein_ife": "absent",
                **{
                    slug: "absent"
                    for slug in SCORED
                    if slug
                    not in {
                        "polyneuropathy",
                        "vegf_elevated",
                        "organomegaly",
                        "m_protein_ife",
                        "monoclonal_plasma_cell_disorder",
                    }
                },
            }
        )
    )
    assert (second["japan_2015"].grade, second["japan_2024"].grade) == ("probable", "definite")
