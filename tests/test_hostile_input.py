"""Bad input never becomes a 500: thousands of random and hostile query strings.

Every answer is 200 or 400; the API always answers JSON, the pages HTML with the
form and an error summary. Property-based (Hypothesis), with a fixed budget.
"""

import json
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checklist.rules import FINDINGS
from tests.contract import SETS

pytestmark = pytest.mark.django_db

KEYS = st.one_of(
    st.sampled_from([*FINDINGS, "vegf", "vegf_specimen", "lang", "utm_source", "fbclid"]),
    st.text(min_size=0, max_size=30),
)
VALUES = st.one_of(
    st.sampled_from(["present", "absent", "unknown", "", "PRESENT", "serum", "plasma", "ja"]),
    st.sampled_from(["NaN", "inf", "-1", "1e3", "0x10", "1000000.0000001", "٣٥٠", "３５０"]),
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
PAIRS = st.lists(st.tuples(KEYS, VALUES), max_size=40)
RAW = st.one_of(
    PAIRS.map(urlencode),
    st.text(max_size=300).map(lambda text: quote(text, safe="=&%+;")),
    st.binary(max_size=200).map(lambda data: "".join(f"%{byte:02X}" for byte in data)),
    st.integers(min_value=60, max_value=400).map(lambda n: "&".join(["a=b"] * n)),
)
SETTINGS = settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(raw=RAW)
def test_api_answers_200_or_400_json(client, raw):
    response = client.get(f"/api/v1/evaluate?{raw}")
    assert response.status_code in (200, 400)
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    if response.status_code == 400:
        assert body["errors"] and all(isinstance(v, str) and v for v in body["errors"].values())
    else:
        assert set(body["results"]) == set(SETS)


@SETTINGS
@given(raw=RAW)
def test_checklist_page_answers_200_or_400(client, raw):
    response = client.get(f"/en/checklist/?{raw}")
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert 'id="checklist-form"' in html  # the form is always there, nothing is lost
    if response.status_code == 400:
        assert 'role="alert"' in html


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(raw=RAW)
def test_print_view_answers_200_or_400(client, raw):
    response = client.get(f"/ja/checklist/print/?{raw}")
    assert response.status_code in (200, 400)


@pytest.mark.pdf
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(raw=RAW)
def test_pdf_answers_a_pdf_or_400(client, raw):
    response = client.get(f"/zh-hans/checklist/summary.pdf?{raw}")
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_api_other_methods_are_json_405(client, method):
    response = getattr(client, method)("/api/v1/evaluate?polyneuropathy=present")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert "errors" in json.loads(response.content)
