"""The one-page summary: print view and PDF, in every language, with a QR code that works."""

import io
import random
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import zxingcpp
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from checklist.rules import FINDINGS

pytestmark = [pytest.mark.django_db, pytest.mark.pdf]

CLASSIC = (
    "polyneuropathy=present&monoclonal_plasma_cell_disorder=present"
    "&sclerotic_bone_lesions=present&skin_changes=present&vegf=350&vegf_specimen=plasma"
)
# Everything assessed and every warning raised: the longest summary there is.
WORST = "&".join(
    [
        f"{slug}=present"
        for slug in FINDINGS
        if slug not in {"monoclonal_plasma_cell_disorder", "endocrinopathy", "vegf_elevated"}
    ]
    + ["monoclonal_plasma_cell_disorder=absent", "endocrinopathy=absent"]
    + ["vegf=123456.789", "vegf_specimen=serum", "vegf_elevated=absent"]
)
# The review's two-page case (shared/reviews/security-review.md, F13).
REVIEW_CASE = (
    "polyneuropathy=present&monoclonal_plasma_cell_disorder=present&castleman_disease=present"
    "&vegf=4321&vegf_specimen=serum&endocrinopathy=absent&endocrinopathy_thyroid=present"
    "&clubbing=present&weight_loss=present&hyperhidrosis=present"
)
RANDOM_CHECKLISTS = 30
OUTCOME_WORDS = {"en": "Criteria met", "zh-hans": "符合", "ja": "満たす"}
FINDING_WORDS = {"en": "Polyneuropathy", "zh-hans": "多发性神经病", "ja": "多発ニューロパチー"}
CJK_FONTS = {"zh-hans": "Noto-Sans-CJK-SC", "ja": "Noto-Sans-CJK-JP"}


def poppler(tool, *args, data):
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return subprocess.run(
        [tool, *args, "-", "-"], input=data, capture_output=True, check=True
    ).stdout


def pdf_pages(data):
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True)
    line = next(x for x in info.stdout.decode().splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def qr_texts(data):
    """Render the page as a 150 dpi scan would see it and decode every barcode on it."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    png = subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", "-"],
        input=data,
        capture_output=True,
        check=True,
    ).stdout
    image = Image.open(io.BytesIO(png))
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


@pytest.fixture
def get_pdf(client):
    def get(language, query):
        response = client.get(f"/{language}/checklist/summary.pdf?{query}")
        assert response.status_code == 200, response.content[:500]
        assert response["Content-Type"] == "application/pdf"
        return response

    return get


@pytest.mark.parametrize("language", ["en", "zh-hans", "ja"])
@pytest.mark.parametrize("query", [CLASSIC, WORST], ids=["classic", "worst"])
def test_pdf_is_one_page_in_the_readers_language(get_pdf, language, query):
    response = get_pdf(language, query)
    data = response.content
    assert data.startswith(b"%PDF-")
    assert pdf_pages(data) == 1
    text = poppler("pdftotext", "-layout", data=data).decode()
    assert FINDING_WORDS[language] in text
    if query == CLASSIC:
        assert OUTCOME_WORDS[language] in text


def crowded_checklists(count, seed):
    """Random checklists weighted to long summaries: most findings present (so that
    many cautions fire and the findings lists are long), often a VEGF with an upper
    limit of normal, sometimes answers that contradict the sub-findings."""
    rng = random.Random(seed)
    for _ in range(count):
        weights = rng.choice([(8, 1, 1), (6, 2, 2), (4, 4, 2), (2, 2, 6)])
        pairs = [
            f"{slug}={rng.choices(['present', 'absent', 'unknown'], weights)[0]}"
            for slug in FINDINGS
        ]
        if rng.random() < 0.8:
            specimen = rng.choice(["serum", "plasma"])
            pairs.append(f"vegf={rng.choice([150, 350, 999.5, 4321, 123456.789])}")
            pairs.append(f"vegf_specimen={specimen}")
            if rng.random() < 0.5:
                pairs.append(f"vegf_uln={rng.choice([80, 120, 999])}")
        yield "&".join(pairs)


@pytest.mark.parametrize("language", ["en", "zh-hans", "ja"])
def test_every_summary_fits_one_page(get_pdf, language):
    """Not one worst case: any checklist, crowded ones above all, prints on one page."""
    queries = [REVIEW_CASE, WORST, *crowded_checklists(RANDOM_CHECKLISTS, seed=language)]
    two_pages = [query for query in queries if pdf_pages(get_pdf(language, query).content) != 1]
    assert not two_pages


def test_no_text_of_the_summary_is_smaller_than_8_points():
    sheet = Path(__file__).resolve().parent.parent / "static" / "css" / "summary.css"
    sizes = re.findall(r"font-size:\s*([0-9.]+)(pt|px|mm|rem|em|%)", sheet.read_text())
    assert sizes
    # The screen-only rules (the browser's view, not the paper) may use other units.
    printed = [float(value) for value, unit in sizes if unit == "pt"]
    assert printed and min(printed) >= 8
    assert {unit for _value, unit in sizes} <= {"pt"}


@pytest.mark.parametrize("language", ["zh-hans", "ja"])
def test_cjk_pdfs_embed_the_right_noto_font(get_pdf, language):
    data = get_pdf(language, WORST).content
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    fonts = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True)
    listing = fonts.stdout.decode()
    assert CJK_FONTS[language] in listing
    other = CJK_FONTS["ja" if language == "zh-hans" else "zh-hans"]
    assert other not in listing, "Japanese must not get Chinese glyph shapes, nor the reverse"


def test_pdf_download_headers(get_pdf):
    response = get_pdf("en", CLASSIC)
    assert response["Content-Disposition"].startswith('attachment; filename="poems-criteria-')
    assert response["Content-Disposition"].endswith('.pdf"')
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


@pytest.mark.django_db
def test_head_says_what_a_get_would_answer_without_making_the_pdf(client, monkeypatch):
    """A HEAD flood must not cost a PDF each (security review F1)."""
    from checklist import summary

    def refuse(*args, **kwargs):
        raise AssertionError("HEAD made a PDF")

    monkeypatch.setattr(summary, "render_pdf", refuse)
    response = client.head(f"/en/checklist/summary.pdf?{CLASSIC}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="poems-criteria-')
    assert "no-store" in response["Cache-Control"]
    assert client.head("/en/checklist/summary.pdf?polyneuropathy=maybe").status_code == 400


def test_pdf_bad_query_is_a_400_form_not_a_500(client):
    response = client.get("/en/checklist/summary.pdf?polyneuropathy=maybe&vegf=12")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert b'id="error-polyneuropathy"' in response.content
    assert b'id="error-vegf_specimen"' in response.content


def test_pdf_request_writes_nothing(client):
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/en/checklist/summary.pdf?{CLASSIC}")
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []


def _query_of(url):
    return sorted(parse_qsl(urlsplit(url).query))


@pytest.mark.parametrize("language", ["en", "ja"])
def test_qr_code_reopens_the_same_checklist(client, get_pdf, settings, language):
    settings.SITE_BASE_URL = "https://poems.example.org"
    data = get_pdf(language, WORST).content
    texts = qr_texts(data)
    assert len(texts) == 1
    short_url = texts[0]
    assert short_url.startswith("https://poems.example.org/c/")
    path = urlsplit(short_url).path
    redirect = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert redirect.status_code == 302
    expected = client.get(f"/{language}/checklist/?{WORST}")
    assert expected.status_code == 200
    reopened = dict(_query_of(redirect["Location"]))
    original = dict(parse_qsl(WORST))
    assert reopened["vegf"] == "123456.789"
    for slug in FINDINGS:
        assert reopened.get(slug, "unknown") == original.get(slug, "unknown")


@pytest.mark.parametrize("language", ["en", "zh-hans", "ja"])
def test_print_view_has_everything_on_one_sheet(client, language):
    response = client.get(f"/{language}/checklist/print/?{WORST}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert "<svg" in html  # the QR code, inline: nothing fetched from elsewhere
    assert "/c/" in html
    for marker in ("PMID 37732822", 'class="blank"', "set-box"):
        assert marker in html


def test_the_pdf_stylesheet_is_all_understood_by_weasyprint(get_pdf, caplog):
    """A rule WeasyPrint ignores is a rule the PDF silently lacks."""
    with caplog.at_level("WARNING", logger="weasyprint"):
        get_pdf("ja", WORST)
    assert [record.getMessage() for record in caplog.records if record.name == "weasyprint"] == []


def test_a_pdf_never_fetches_anything_and_does_not_fail_on_a_refused_address(monkeypatch):
    """Whatever the page names (an editor's image, a stylesheet elsewhere), the PDF is made
    from what the site holds: the address is refused and left out, never an error."""
    from checklist import summary

    page = (
        '<html><body><p>Summary</p><img src="https://example.org/x.png">'
        '<link rel="stylesheet" href="file:///etc/passwd"></body></html>'
    )
    monkeypatch.setattr(summary, "render_to_string", lambda *args, **kwargs: page)
    assert summary.render_pdf(None, {}).startswith(b"%PDF")
