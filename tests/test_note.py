"""The note to paste into a clinical record: /<lang>/checklist/note.txt (contract v3)."""

import random
import re

import pytest

from tests.contract import LANGUAGES, SETS, SLUGS

pytestmark = pytest.mark.django_db

MAX_LINES = 40
WIDTH = 100


def note(client, language, query):
    response = client.get(f"/{language}/checklist/note.txt?{query}")
    return response, response.content.decode()


def crowded(count, seed):
    rng = random.Random(seed)
    for _ in range(count):
        weights = rng.choice([(8, 1, 1), (5, 3, 2), (3, 3, 4)])
        values = {s: rng.choices(["present", "absent", "unknown"], weights)[0] for s in SLUGS}
        query = "&".join(f"{slug}={value}" for slug, value in values.items())
        if rng.random() < 0.7:
            query += f"&vegf={rng.choice(['150', '4321', '123456.789'])}&vegf_specimen=serum"
            if rng.random() < 0.5:
                query += "&vegf_uln=96.5"
        yield values, query


def api(client, language, query):
    return client.get(f"/api/v1/evaluate?{query}&lang={language}").json()


def labels(client, language):
    """The finding labels as the API gives them, by slug (the result's own words)."""
    page = client.get(f"/{language}/checklist/").content.decode()
    return {
        slug: re.search(rf'id="field-{slug}">\s*<legend class="finding__label">([^<]+)<', page)
        .group(1)
        .replace("&#39;", "'")
        for slug in SLUGS
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_note_holds_the_whole_result_within_its_limits(client, language):
    words = labels(client, language)
    for values, query in crowded(12, seed=language):
        response, text = note(client, language, query)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert "no-store" in response["Cache-Control"]
        lines = text.splitlines()
        assert len(lines) <= MAX_LINES
        assert max(len(line) for line in lines) <= WIDTH
        result = api(client, language, query)
        # A wrapped line continues after two spaces; Chinese and Japanese break anywhere.
        flat = (" " if language == "en" else "").join(line.strip() for line in lines)
        for slug in SETS:
            assert result["results"][slug]["outcome_label"] in flat
        for slug, value in values.items():
            if value in ("present", "absent"):
                assert words[slug] in flat, (slug, words[slug])
        if "vegf=" in query:
            assert re.search(r"vegf=([0-9.]+)", query).group(1) in flat
        assert re.search(r"https?://\S+/c/\S+", text)
        assert "2026.11.29" in lines[0]


def test_the_note_says_when_and_by_which_rules(client, settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    _response, text = note(client, "en", "polyneuropathy=present")
    assert re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d\+09:00", text.splitlines()[0])


def test_the_note_gives_the_measured_vegf_whole_and_no_address_broken_across_lines(client):
    query = "polyneuropathy=present&vegf=350.5&vegf_specimen=plasma&vegf_uln=96.5"
    _response, text = note(client, "en", query)
    assert "VEGF: 350.5 pg/mL (plasma), upper limit of normal 96.5 pg/mL" in text
    sources = text.split("Sources:", 1)[1].split("Reopen:", 1)[0]
    assert "Dispenzieri A 2003, ashpublications.org" in sources
    for line in text.splitlines():
        # A wrapped line never starts inside an address.
        assert not re.match(r"\s+[a-z0-9/._-]+/", line), line


def test_the_note_names_the_next_investigations_and_the_cautions(client):
    _response, text = note(client, "en", "polyneuropathy=present&vegf=150&vegf_specimen=plasma")
    assert "What to order next:" in text
    assert "Cautions:" in text and "specificity cut-off" in text
    assert "Sources:" in text and "PMID 37732822" in text


def test_bad_input_is_a_plain_text_400_naming_each_error(client):
    response = client.get("/en/checklist/note.txt?polyneuropathy=maybe&vegf=1&colour=red")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    for key in ("polyneuropathy", "vegf_specimen", "colour"):
        assert re.search(rf"^{key}: \S", text, re.MULTILINE), key


def test_the_note_is_never_kept(client):
    response, _text = note(client, "ja", "polyneuropathy=present")
    assert not response.cookies
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_printed_summary_names_the_next_investigations_in_order(client, language):
    """One compact line on the print view and PDF: the API's plan, in its order."""
    query = "polyneuropathy=present&vegf=150&vegf_specimen=plasma"
    plan = [step["label"] for step in api(client, language, query)["workup"]]
    page = client.get(f"/{language}/checklist/print/?{query}").content.decode()
    line = re.search(r'<p class="next">(.*?)</p>', page, re.S).group(1)
    positions = [line.find(label.replace("'", "&#39;")) for label in plan]
    assert plan and -1 not in positions
    assert positions == sorted(positions)
