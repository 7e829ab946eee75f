"""The checklist pages and the short link (issue "interactive checklist").

The page must work with a plain form submission (no JavaScript), keep what the user
entered when part of it is wrong, show the same result in every language, and never
keep a checklist anywhere: not in a cache, a cookie, the session or the database.
"""

import random
import re
from decimal import Decimal
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checklist.models import RedFlag
from checklist.rules import RULES_VERSION, Measurement
from checklist.shortlink import check_symbol, decode_short_code, encode_short_code
from common.generation import bump
from tests.contract import LANGUAGES, MAYO_MET, SETS, SLUGS, VALUES
from tests.html import by_id, parse_html, text_of, with_class

FRAGMENT = {"HTTP_X_CHECKLIST_FRAGMENT": "result"}


def checklist_url(language="en", query=""):
    if not isinstance(query, str):
        query = urlencode(query)
    return f"/{language}/checklist/" + (f"?{query}" if query else "")


# --- HTML -------------------------------------------------------------------------------


def radios(page, name):
    return [
        element
        for element in page.iter("input")
        if element.get("type") == "radio" and element.get("name") == name
    ]


def answers(page):
    """{slug: the checked value} as the form shows it."""
    state = {}
    for slug in SLUGS:
        checked = [radio.get("value") for radio in radios(page, slug) if "checked" in radio.attrib]
        assert len(checked) == 1, f"{slug}: {len(checked)} radios checked"
        state[slug] = checked[0]
    return state


def form_submission(page):
    """The pairs a browser submits for the checklist form as shown (no JavaScript)."""
    form = by_id(page, "checklist-form")
    pairs = []
    for element in form.iter("input"):
        name = element.get("name")
        if not name or "disabled" in element.attrib:
            continue
        if element.get("type") in ("radio", "checkbox"):
            if "checked" in element.attrib:
                pairs.append((name, element.get("value", "on")))
        elif element.get("type") not in ("submit", "button", "reset"):
            pairs.append((name, element.get("value", "")))
    return form.get("action"), pairs


def set_results(page):
    """{set slug: (outcome, [requirement statuses])} from the result panel."""
    results = {}
    for article in with_class(page, "set-result", "article"):
        slug = article.get("aria-labelledby").removeprefix("set-")
        outcome = [
            name.removeprefix("outcome--")
            for p in with_class(article, "outcome", "p")
            for name in p.get("class").split()
            if name.startswith("outcome--")
        ]
        statuses = [
            name.removeprefix("requirement--")
            for li in with_class(article, "requirement", "li")
            for name in li.get("class").split()
            if name.startswith("requirement--")
        ]
        assert len(outcome) == 1, slug
        results[slug] = (outcome[0], statuses)
    return results


def warning_texts(page):
    return [text_of(li) for li in with_class(page, "warning", "li")]


def share_code(page):
    links = with_class(page, "share-link", "a")
    assert len(links) == 1
    path = links[0].get("href")
    assert path.startswith("/c/")
    return path.removeprefix("/c/")


# --- The form ---------------------------------------------------------------------------


def test_every_finding_is_offered_and_unassessed_by_default(client, db):
    response = client.get(checklist_url())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = parse_html(response)
    for slug in SLUGS:
        group = radios(page, slug)
        assert [radio.get("value") for radio in group] == list(VALUES), slug
        fieldset = by_id(page, f"field-{slug}")
        assert fieldset.tag == "fieldset"
        legend = fieldset.find("legend")
        assert text_of(legend) and text_of(legend) != slug
        assert all(radio in list(fieldset.iter("input")) for radio in group)
    assert answers(page) == dict.fromkeys(SLUGS, "unknown")
    assert by_id(page, "vegf").get("value") == ""
    specimen = [
        radio.get("value") for radio in radios(page, "vegf_specimen") if "checked" in radio.attrib
    ]
    assert specimen == [""]
    # Nothing left over from the server's own templating.
    assert "__CHECKLIST_CODE__" not in response.content.decode()


def test_the_result_shows_every_set(client, db):
    page = parse_html(client.get(checklist_url()))
    results = set_results(page)
    assert list(results) == list(SETS)
    assert {outcome for outcome, _ in results.values()} == {"indeterminate"}
    for slug in SETS:
        assert text_of(by_id(page, f"set-{slug}"))


def test_mayo_shows_its_source(client, db):
    page = parse_html(client.get(checklist_url()))
    article = next(a for a in page.iter("article") if a.get("aria-labelledby") == "set-mayo")
    links = {link.get("href"): text_of(link) for link in article.iter("a")}
    assert links.get("https://pubmed.ncbi.nlm.nih.gov/37732822/") == "PMID 37732822"
    assert "https://doi.org/10.1002/ajh.27081" in links
    assert "Dispenzieri" in text_of(article)


@pytest.mark.parametrize("not_assessed", ["", "unknown"])
def test_a_plain_form_submission_with_nothing_assessed(client, db, not_assessed):
    query = [(slug, not_assessed) for slug in SLUGS] + [("vegf", ""), ("vegf_specimen", "")]
    response = client.get(checklist_url(query=query))
    assert response.status_code == 200
    page = parse_html(response)
    bare = parse_html(client.get(checklist_url()))
    assert answers(page) == answers(bare) == dict.fromkeys(SLUGS, "unknown")
    assert set_results(page) == set_results(bare)


def test_the_form_submits_what_it_shows(client, db):
    """Without JavaScript: submitting the form as shown gives the same checklist back."""
    given = {**MAYO_MET, "endocrinopathy_thyroid": "absent", "clubbing": "present"}
    first = parse_html(
        client.get(checklist_url(query={**given, "vegf": "350", "vegf_specimen": "plasma"}))
    )
    action, pairs = form_submission(first)
    assert action == "/en/checklist/"
    response = client.get(f"{action}?{urlencode(pairs)}")
    assert response.status_code == 200
    again = parse_html(response)
    assert answers(again) == answers(first) == {**dict.fromkeys(SLUGS, "unknown"), **given}
    assert by_id(again, "vegf").get("value") == "350"
    assert set_results(again) == set_results(first)
    assert share_code(again) == share_code(first)


def test_the_reset_link_leads_to_the_bare_checklist(client, db):
    for language in LANGUAGES:
        page = parse_html(client.get(checklist_url(language, MAYO_MET)))
        form = by_id(page, "checklist-form")
        actions = with_class(form, "form-actions")
        hrefs = [link.get("href") for block in actions for link in block.iter("a")]
        assert hrefs == [f"/{language}/checklist/"]


def test_answers_are_shown_as_given(client, db):
    given = {
        "polyneuropathy": "present",
        "castleman_disease": "absent",
        "endocrinopathy_diabetes": "present",
        "low_vitamin_b12": "absent",
    }
    page = parse_html(client.get(checklist_url(query=given)))
    assert answers(page) == {**dict.fromkeys(SLUGS, "unknown"), **given}
    # The endocrine sub-findings are open when one of them is answered; the clone's are not.
    details = {d.get("id"): d for d in with_class(page, "subfindings", "details")}
    assert set(details) == {"sub-monoclonal_plasma_cell_disorder", "sub-endocrinopathy"}
    assert "open" in details["sub-endocrinopathy"].attrib
    assert "open" not in details["sub-monoclonal_plasma_cell_disorder"].attrib


# --- Bad input on the page --------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh-hans", "ja"])
def test_a_malformed_upper_limit_is_named_and_the_rest_is_kept(client, db, language):
    query = (
        "polyneuropathy=present&m_protein_ife=present&vegf=350&vegf_specimen=plasma&vegf_uln=1e3"
    )
    response = client.get(checklist_url(language, query))
    assert response.status_code == 400
    page = parse_html(response)
    targets = {link.get("href") for link in by_id(page, "error-summary").iter("a")}
    assert targets == {"#field-vegf_uln"}
    assert by_id(page, "vegf_uln").get("value") == "1e3"
    assert by_id(page, "vegf_uln").get("aria-invalid") == "true"
    assert by_id(page, "vegf").get("value") == "350"
    kept = answers(page)
    assert (kept["polyneuropathy"], kept["m_protein_ife"]) == ("present", "present")


def test_a_bad_request_shows_the_form_again_with_the_errors(client, db):
    query = "polyneuropathy=present&castleman_disease=maybe&vegf=abc&vegf_specimen=plasma"
    response = client.get(checklist_url(query=query))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "no-store" in response["Cache-Control"]
    page = parse_html(response)

    summary = by_id(page, "error-summary")
    assert summary.get("role") == "alert"
    targets = {link.get("href") for link in summary.iter("a")}
    assert {"#field-castleman_disease", "#field-vegf"} <= targets
    # The summary comes before the form.
    order = [element.get("id") for element in page.iter() if element.get("id")]
    assert order.index("error-summary") < order.index("checklist-form")

    vegf_field = by_id(page, "field-vegf")
    assert by_id(vegf_field, "error-vegf") is not None
    vegf_input = by_id(page, "vegf")
    assert vegf_input.get("value") == "abc"
    assert vegf_input.get("aria-invalid") == "true"
    assert "error-vegf" in vegf_input.get("aria-describedby", "")

    castleman_field = by_id(page, "field-castleman_disease")
    assert text_of(by_id(castleman_field, "error-castleman_disease"))
    for radio in radios(page, "castleman_disease"):
        assert "error-castleman_disease" in radio.get("aria-describedby", "")

    # What the user got right is kept.
    assert answers(page)["polyneuropathy"] == "present"
    specimen = [r.get("value") for r in radios(page, "vegf_specimen") if "checked" in r.attrib]
    assert specimen == ["plasma"]
    # No result is shown for input that could not be read.
    assert set_results(page) == {}
    assert len(list(page.iter("h1"))) == 1


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("foo=bar", "foo"),
        ("lang=ja", "lang"),
        ("polyneuropathy=yes", "polyneuropathy"),
        ("polyneuropathy=present&polyneuropathy=absent", "polyneuropathy"),
        ("vegf=1e3&vegf_specimen=serum", "vegf"),
        ("vegf=-5&vegf_specimen=serum", "vegf"),
        ("vegf=NaN&vegf_specimen=serum", "vegf"),
        ("vegf=1000001&vegf_specimen=serum", "vegf"),
        ("vegf=350", "vegf_specimen"),
        ("vegf=350&vegf_specimen=urine", "vegf_specimen"),
        ("&".join(f"k{index}=present" for index in range(500)), None),
        ("polyneuropathy=%FF", None),
    ],
    ids=lambda value: value[:40] if isinstance(value, str) else str(value),
)
def test_bad_input_on_the_page_is_a_400_with_the_form(client, db, query, key):
    response = client.get(checklist_url(query=query))
    assert response.status_code == 400
    page = parse_html(response)
    summary = by_id(page, "error-summary")
    assert summary.get("role") == "alert"
    assert by_id(page, "checklist-form") is not None
    if key is not None:
        assert key in text_of(summary)
    if key in SLUGS or key in ("vegf", "vegf_specimen"):
        assert by_id(by_id(page, f"field-{key}"), f"error-{key}") is not None


@pytest.mark.parametrize("view", ["checklist/", "checklist/print/"])
def test_tracking_keys_are_ignored_on_pages(client, db, view):
    plain = client.get(f"/en/{view}?polyneuropathy=present")
    tracked = client.get(
        f"/en/{view}?polyneuropathy=present&utm_source=mail&utm_campaign=x&fbclid=1&gclid=2"
        "&msclkid=3"
    )
    assert tracked.status_code == plain.status_code == 200
    assert set_results(parse_html(tracked)) == set_results(parse_html(plain))


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([*SLUGS[:4], "vegf", "vegf_specimen", "lang", "utm_x", "x"]),
            st.one_of(
                st.sampled_from(["present", "absent", "unknown", "", "serum", "plasma"]),
                st.text(max_size=6),
            ),
        ),
        max_size=6,
    )
)
def test_no_input_breaks_the_page(client, db, pairs):
    response = client.get(checklist_url(query=pairs))
    assert response.status_code in (200, 400)
    assert b'id="checklist-form"' in response.content


# --- What the result shows --------------------------------------------------------------


@pytest.mark.parametrize("value", ["present", "absent", "unknown"])
def test_red_flags_only_when_a_polyneuropathy_is_present(client, db, value):
    page = parse_html(client.get(checklist_url(query={"polyneuropathy": value})))
    sections = with_class(page, "red-flags", "section")
    if value == "present":
        flags = RedFlag.objects.count()
        assert flags > 0, "the shipped content has red flags"
        assert len(sections) == 1
        assert len(list(sections[0].iter("li"))) == flags
    else:
        assert sections == []


def test_castleman_variant_is_flagged(client, db):
    query = {"castleman_disease": "present", "monoclonal_plasma_cell_disorder": "absent"}
    warnings = warning_texts(parse_html(client.get(checklist_url(query=query))))
    assert any("Castleman variant" in text for text in warnings)
    unknown_clone = {"castleman_disease": "present"}
    warnings = warning_texts(parse_html(client.get(checklist_url(query=unknown_clone))))
    assert not any("Castleman variant" in text for text in warnings)


def test_thyroid_disease_alone_is_flagged(client, db):
    page = parse_html(client.get(checklist_url(query={"endocrinopathy_thyroid": "present"})))
    assert any("thyroid disease alone" in text for text in warning_texts(page))
    both = {"endocrinopathy_thyroid": "present", "endocrinopathy_adrenal": "present"}
    page = parse_html(client.get(checklist_url(query=both)))
    assert not any("thyroid disease alone" in text for text in warning_texts(page))


def test_japan_possible_is_shown_as_information_only(client, db):
    query = {
        "polyneuropathy": "present",
        "vegf_elevated": "absent",
        "organomegaly": "present",
        "skin_changes": "present",
    }
    page = parse_html(client.get(checklist_url(query=query)))
    assert set_results(page)["japan_2015"][0] == "not_met"
    article = next(a for a in page.iter("article") if a.get("aria-labelledby") == "set-japan_2015")
    extra = [text_of(p) for p in with_class(article, "extra-grade", "p")]
    assert len(extra) == 1
    assert "Possible" in extra[0] and "information only" in extra[0]
    assert extra[0].endswith("Met")


def test_a_measured_vegf_is_shown_with_the_rule_it_was_judged_by(client, db):
    page = parse_html(client.get(checklist_url(query={"vegf": "350", "vegf_specimen": "plasma"})))
    article = next(a for a in page.iter("article") if a.get("aria-labelledby") == "set-mayo")
    derived = [text_of(p) for p in with_class(article, "derived", "p")]
    assert any("plasma >= 200 pg/mL" in text for text in derived)
    assert any("measured in plasma" in text for text in warning_texts(page))
    summary = text_of(with_class(page, "result__summary", "p")[0])
    assert "350" in summary and "plasma" in summary


CASES = [
    {},
    MAYO_MET,
    {**MAYO_MET, "polyneuropathy": "absent"},
    {"polyneuropathy": "present", "vegf": "350", "vegf_specimen": "plasma"},
    {"polyneuropathy": "present", "vegf_elevated": "present", "skin_changes": "present"},
    {"endocrinopathy_thyroid": "present", "castleman_disease": "present"},
]


@pytest.mark.parametrize("case", CASES)
def test_the_page_agrees_with_the_api_in_every_language(client, db, case):
    api = client.get(f"/api/v1/evaluate?{urlencode(case)}").json()["results"]
    expected = {
        slug: (result["outcome"], [req["status"] for req in result["requirements"]])
        for slug, result in api.items()
    }
    codes = set()
    for language in LANGUAGES:
        page = parse_html(client.get(checklist_url(language, case)))
        assert set_results(page) == expected, language
        assert answers(page) == {
            **dict.fromkeys(SLUGS, "unknown"),
            **{slug: value for slug, value in case.items() if slug in SLUGS},
        }
        codes.add(share_code(page))
    assert len(codes) == 1


# --- The live update's fragment ---------------------------------------------------------


def test_the_fragment_is_the_result_alone(client, db):
    query = {**MAYO_MET, "vegf": "350", "vegf_specimen": "plasma"}
    full = client.get(checklist_url(query=query))
    response = client.get(checklist_url(query=query), **FRAGMENT)
    assert response.status_code == 200
    fragment = parse_html(response)
    top = [element for element in fragment if element.tag != "document"]
    assert [element.tag for element in top] == ["section"]
    assert top[0].get("id") == "result"
    for tag in ("html", "head", "header", "footer", "form", "h1"):
        assert fragment.find(f".//{tag}") is None, tag
    assert set_results(fragment) == set_results(parse_html(full))
    code = response["X-Checklist-Fragment-Code"]
    assert code == share_code(parse_html(full))
    assert code == encode_short_code(
        {**dict.fromkeys(SLUGS, "unknown"), **MAYO_MET}, Measurement(350.0, "plasma")
    )
    assert "X-Checklist-Fragment" in response["Vary"]
    assert "no-store" in response["Cache-Control"]


def test_a_fragment_for_bad_input_says_what_is_wrong(client, db):
    response = client.get(checklist_url(query="vegf=abc&vegf_specimen=serum"), **FRAGMENT)
    assert response.status_code == 400
    fragment = parse_html(response)
    assert by_id(fragment, "result") is not None
    assert "vegf" in text_of(fragment)
    assert set_results(fragment) == {}


# --- Privacy and cost -------------------------------------------------------------------


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.mark.parametrize(
    ("url", "status"),
    [
        (checklist_url(query=MAYO_MET), 200),
        (checklist_url("ja", {**MAYO_MET, "vegf": "350", "vegf_specimen": "serum"}), 200),
        (checklist_url(query="vegf=abc"), 400),
        ("/en/checklist/print/?polyneuropathy=present&vegf=350&vegf_specimen=plasma", 200),
        ("/zh-hans/checklist/print/?foo=1", 400),
        ("/c/" + encode_short_code({"polyneuropathy": "present"}), 302),
        ("/c/not-a-code", 404),
    ],
)
def test_a_checklist_is_never_kept(client, db, url, status):
    before = row_counts()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == status
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control
    assert "public" not in cache_control
    assert not response.cookies, "no cookie on a checklist response"
    assert django_settings.SESSION_COOKIE_NAME not in client.cookies
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE"))
    ]
    assert writes == []
    assert row_counts() == before


def test_the_fragment_is_never_kept(client, db):
    response = client.get(checklist_url(query=MAYO_MET), **FRAGMENT)
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


def test_the_page_costs_a_few_queries_however_much_is_given(client, db):
    everything = {slug: "present" for slug in SLUGS}
    with CaptureQueriesContext(connection) as nothing_given:
        assert client.get(checklist_url()).status_code == 200
    bump()  # a new content generation: nothing cached applies
    with CaptureQueriesContext(connection) as all_given:
        assert client.get(checklist_url(query=everything)).status_code == 200
    # Cold: the finding words, red flags, cautions' sources and planner's words (with their
    # sources), once per language and content version; warm: none.
    assert len(nothing_given) == len(all_given) <= 5
    # Warm: the words and red flags come from the cache.
    with CaptureQueriesContext(connection) as warm:
        client.get(checklist_url(query={**everything, "vegf": "1", "vegf_specimen": "serum"}))
        client.get(checklist_url(query=MAYO_MET), **FRAGMENT)
    assert len(warm) <= 1


# --- Short links ------------------------------------------------------------------------

VEGF_SAMPLES = ["0", "199.5", "200", "1000", "999999.999999", "1000000", "0.000001", "12.5"]
ACCEPT = [("ja", "ja"), ("zh-CN", "zh-hans"), ("zh-Hans", "zh-hans"), ("fr", "en"), (None, "en")]


def random_checklist(rng):
    """Findings (sometimes sparse, sometimes full) and, half the time, a VEGF."""
    density = rng.choice([0.1, 0.5, 1.0])
    findings = {
        slug: rng.choice(("present", "absent")) if rng.random() < density else "unknown"
        for slug in SLUGS
    }
    vegf = None
    if rng.random() < 0.5:
        if rng.random() < 0.5:
            text = rng.choice(VEGF_SAMPLES)
        else:
            text = f"{rng.randint(0, 999_999)}.{rng.randint(0, 999_999):06d}"
        vegf = (text, rng.choice(("serum", "plasma")))
    return findings, vegf


def follow_short_link(client, code, accept_language=None):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language else {}
    return client.get(f"/c/{quote(code, safe='')}", **headers)


def test_short_links_round_trip(client, db):
    rng = random.Random(20261121)
    for case in range(300):
        findings, vegf = random_checklist(rng)
        measurement = Measurement(float(vegf[0]), vegf[1]) if vegf else None
        code = encode_short_code(findings, measurement)
        assert re.fullmatch(r"2[0-9A-HJKMNP-TV-Z]+", code), code
        accept, language = ACCEPT[case % len(ACCEPT)]
        response = follow_short_link(client, code, accept)
        assert response.status_code == 302, code
        assert "no-store" in response["Cache-Control"]
        target = urlsplit(response["Location"])
        assert target.path == f"/{language}/checklist/"
        pairs = parse_qsl(target.query, keep_blank_values=True, strict_parsing=bool(target.query))
        given = dict(pairs)
        assert len(given) == len(pairs), "a key repeated in the canonical query"
        expected = {slug: value for slug, value in findings.items() if value != "unknown"}
        assert {key: given[key] for key in given if key in SLUGS} == expected, code
        if vegf is None:
            assert "vegf" not in given and "vegf_specimen" not in given
        else:
            assert re.fullmatch(r"[0-9]+(\.[0-9]+)?", given["vegf"]), given["vegf"]
            assert Decimal(given["vegf"]) == Decimal(vegf[0])
            assert given["vegf_specimen"] == vegf[1]
        assert set(given) <= {*SLUGS, "vegf", "vegf_specimen"}
        if case % 20 == 0:
            page = client.get(response["Location"])
            assert page.status_code == 200
            shown = parse_html(page)
            assert answers(shown) == findings
            assert share_code(shown) == code


def test_the_share_link_leads_back_to_the_same_checklist(client, db):
    query = {**MAYO_MET, "clubbing": "absent", "vegf": "199.5", "vegf_specimen": "serum"}
    page = parse_html(client.get(checklist_url("ja", query)))
    response = follow_short_link(client, share_code(page), "ja")
    assert response.status_code == 302
    again = parse_html(client.get(response["Location"]))
    assert answers(again) == answers(page)
    assert by_id(again, "vegf").get("value") == "199.5"
    assert set_results(again) == set_results(page)


def test_an_empty_checklist_has_a_short_link_too(client, db):
    code = encode_short_code(dict.fromkeys(SLUGS, "unknown"))
    response = follow_short_link(client, code)
    assert response.status_code == 302
    assert response["Location"] == "/en/checklist/"


def with_check(body):
    """A code built by hand, with its right check symbol: only its shape is wrong."""
    return body + check_symbol(body)


# encode_short_code({"polyneuropathy": "present"}, Measurement(350.0, "plasma")) is
# "2000000001P350M" (checklist/shortlink.py describes the format).
GARBAGE = [
    "0",
    "1",
    "2A",
    "1A-p350",  # the first format, never deployed
    "1Xy9Kq",
    "2000000001P350A",  # wrong check symbol
    "2000000001P350",  # no check symbol
    "2000000001P350M-",
    "2000000001P350M ",
    "2000000001P350U",
    "2000000001P.350M",
    with_check("3000000001P350"),  # unknown format
    with_check("200000001P350"),  # findings too short
    with_check("2ZZZZZZZZZ"),  # more than 3**26
    with_check("200000001"),  # eight findings symbols
    with_check("2000000001X350"),  # no such specimen
    with_check("2000000001P"),
    with_check("2000000001P0350"),  # not as format_vegf prints it
    with_check("2000000001P350D0"),
    with_check("2000000001P350D"),
    with_check("2000000001PD5"),
    with_check("2000000001P1000001"),  # above the maximum
    with_check("2000000001P1000000D5"),
    with_check("2000000001P350N"),
    with_check("2000000001P350N200N1"),
    with_check("2000000001P350S200"),
    "2" + "A" * 200,
    "1A\n",
    "2ä",
    "x" * 500,
]


@pytest.mark.parametrize("code", GARBAGE)
def test_decode_rejects_garbage(code):
    assert decode_short_code(code) is None


def test_decode_rejects_nothing_at_all():
    assert decode_short_code("") is None
    assert decode_short_code(None) is None


@pytest.mark.parametrize("code", GARBAGE)
def test_an_invalid_short_link_is_a_clear_404(client, db, code):
    response = follow_short_link(client, code)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    page = parse_html(response)
    assert text_of(page.find(".//h1")) == "This short link is not valid"
    links = [link.get("href") for link in page.find(".//main").iter("a")]
    assert "/en/checklist/" in links


def test_an_invalid_short_link_speaks_the_visitors_language(client, db):
    response = follow_short_link(client, "1A-x", "ja")
    assert response.status_code == 404
    page = parse_html(response)
    assert page.find(".//html").get("lang") == "ja"
    assert "/ja/checklist/" in [link.get("href") for link in page.find(".//main").iter("a")]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(max_size=30))
def test_decode_never_raises(code):
    decoded = decode_short_code(code)
    if decoded is not None:
        findings, vegf = decoded
        assert list(findings) == list(SLUGS)
        assert set(findings.values()) <= set(VALUES)
        assert vegf is None or (
            0 <= vegf.value <= 1_000_000 and vegf.specimen in ("serum", "plasma")
        )


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.fixed_dictionaries({slug: st.sampled_from(VALUES) for slug in SLUGS}),
    st.one_of(
        st.none(),
        st.tuples(
            st.decimals(min_value=0, max_value=1_000_000, places=6, allow_nan=False),
            st.sampled_from(("serum", "plasma")),
            st.one_of(st.none(), st.floats(min_value=0, max_value=1_000_000)),
        ),
    ),
)
def test_decode_inverts_encode(findings, vegf):
    measurement = Measurement(float(vegf[0]), vegf[1], vegf[2]) if vegf else None
    decoded_findings, decoded_vegf = decode_short_code(encode_short_code(findings, measurement))
    assert decoded_findings == findings
    assert decoded_vegf == measurement


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.text(min_size=1, max_size=20))
def test_no_short_link_breaks_the_site(client, db, code):
    response = follow_short_link(client, code)
    assert response.status_code in (302, 404)


def test_the_result_says_which_rules_it_used(client, db):
    page = client.get(checklist_url(query={"polyneuropathy": "present"})).content.decode()
    assert f"Rules version {RULES_VERSION}." in page
