"""GET /api/v1/evaluate: the JSON contract (issue "interactive checklist").

Every expectation here is read from shared/contract.md, not from the code.
"""

from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.contract import (
    CJK,
    MAYO_MET,
    ORDER,
    OUTCOMES,
    SCORED,
    SETS,
    SLUGS,
    STATUSES,
)

API = "/api/v1/evaluate"


def evaluate(client, query="", **headers):
    """GET the API; `query` is a mapping, a list of pairs or a raw query string."""
    if not isinstance(query, str):
        query = urlencode(query)
    return client.get(f"{API}?{query}" if query else API, **headers)


def evaluated(client, query=""):
    response = evaluate(client, query)
    assert response.status_code == 200, response.content
    return response.json()


def outcomes(body):
    """What must not depend on the language: outcomes, grades, unknowns, statuses."""
    return {
        slug: (
            result["outcome"],
            result["grade"],
            result["decisive_unknowns"],
            [
                (req["key"], req["status"], req["have"], req["need"])
                for req in result["requirements"]
            ],
            sorted(warning["code"] for warning in result["warnings"]),
            {key: value["value"] for key, value in result["derived"].items()},
        )
        for slug, result in body["results"].items()
    }


def warning_codes(result):
    return [warning["code"] for warning in result["warnings"]]


# --- The shape of a response -----------------------------------------------------------


def test_a_response_has_the_contracts_shape(client, db):
    response = evaluate(
        client, {"polyneuropathy": "present", "vegf": "350", "vegf_specimen": "plasma"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()

    assert list(body["findings"]) == list(SLUGS)
    assert body["findings"]["polyneuropathy"] == "present"
    assert {body["findings"][slug] for slug in SLUGS[1:]} == {"unknown"}
    assert body["measurements"] == {"vegf": {"value": 350.0, "specimen": "plasma"}}
    assert set(body["results"]) == set(SETS)

    for slug, result in body["results"].items():
        assert isinstance(result["label"], str) and result["label"], slug
        assert isinstance(result["version"], str) and result["version"], slug
        assert {"citation", "pmid", "doi"} <= set(result["source"]), slug
        assert result["source"]["citation"], slug
        assert result["outcome"] in OUTCOMES, slug
        assert isinstance(result["outcome_label"], str) and result["outcome_label"], slug
        assert "grade" in result, slug
        assert isinstance(result["derived"], dict), slug
        for derivation in result["derived"].values():
            assert derivation["value"] in ("present", "absent")
            assert derivation["rule"]
        unknowns = result["decisive_unknowns"]
        assert unknowns == sorted(unknowns, key=ORDER.__getitem__), f"{slug}: not contract order"
        for requirement in result["requirements"]:
            assert requirement["status"] in STATUSES
            assert isinstance(requirement["have"], int) and isinstance(requirement["need"], int)
            assert set(requirement["present"]) <= set(requirement["findings"]) <= set(SLUGS)
            assert requirement["have"] == len(requirement["present"])
        for warning in result["warnings"]:
            assert set(warning) >= {"code", "message"} and warning["code"] and warning["message"]

    mayo = body["results"]["mayo"]
    assert mayo["label"] == "Mayo Clinic criteria (2023 update)"
    assert mayo["source"]["pmid"] == "37732822"
    assert mayo["source"]["doi"] == "10.1002/ajh.27081"
    assert mayo["grade"] is None
    assert [req["key"] for req in mayo["requirements"]] == [
        "mandatory_major",
        "other_major",
        "minor",
    ]
    mandatory = mayo["requirements"][0]
    assert mandatory["findings"] == ["polyneuropathy", "monoclonal_plasma_cell_disorder"]
    assert (mandatory["have"], mandatory["need"], mandatory["present"]) == (
        1,
        2,
        ["polyneuropathy"],
    )
    assert mandatory["status"] == "indeterminate"


def test_nothing_given_is_all_unknown_and_nothing_is_decided(client, db):
    body = evaluated(client)
    assert body["findings"] == dict.fromkeys(SLUGS, "unknown")
    assert body["measurements"] == {}
    for slug, result in body["results"].items():
        assert result["outcome"] == "indeterminate", slug
        assert result["grade"] is None
        assert result["derived"] == {}
        assert "polyneuropathy" in result["decisive_unknowns"]


def test_empty_values_are_unknown(client, db):
    """A plain HTML form sends every field, empty when not assessed."""
    query = [(slug, "") for slug in SLUGS] + [("vegf", ""), ("vegf_specimen", "")]
    assert evaluated(client, query) == evaluated(client)


def test_explicit_unknown_is_unknown(client, db):
    assert evaluated(client, dict.fromkeys(SLUGS, "unknown")) == evaluated(client)


def test_findings_are_given_back_as_given_never_derived(client, db):
    body = evaluated(
        client,
        {"endocrinopathy_adrenal": "present", "vegf": "350", "vegf_specimen": "plasma"},
    )
    assert body["findings"]["endocrinopathy"] == "unknown"
    assert body["findings"]["vegf_elevated"] == "unknown"
    assert body["results"]["mayo"]["derived"]["endocrinopathy"]["value"] == "present"


def test_a_certain_result_has_no_decisive_unknowns(client, db):
    body = evaluated(client, MAYO_MET)
    mayo, mayo_2003 = body["results"]["mayo"], body["results"]["mayo_2003"]
    assert (mayo["outcome"], mayo["decisive_unknowns"]) == ("met", [])
    assert [req["status"] for req in mayo["requirements"]] == ["met", "met", "met"]
    assert (mayo_2003["outcome"], mayo_2003["decisive_unknowns"]) == ("met", [])
    # Japan needs VEGF, which nobody assessed: it stays open, and VEGF would decide it.
    japan = body["results"]["japan_2015"]
    assert japan["outcome"] == "indeterminate"
    assert "vegf_elevated" in japan["decisive_unknowns"]


def test_a_missing_mandatory_criterion_is_not_met_whatever_else(client, db):
    body = evaluated(client, {**MAYO_MET, "polyneuropathy": "absent"})
    for slug in SETS:
        result = body["results"][slug]
        assert (result["outcome"], result["decisive_unknowns"]) == ("not_met", []), slug


def test_decisive_unknowns_follow_the_contract_order(client, db):
    body = evaluated(
        client, {"polyneuropathy": "present", "monoclonal_plasma_cell_disorder": "present"}
    )
    mayo = body["results"]["mayo"]
    assert mayo["decisive_unknowns"] == [
        "castleman_disease",
        "sclerotic_bone_lesions",
        "vegf_elevated",
        "organomegaly",
        "extravascular_volume_overload",
        "endocrinopathy",
        "skin_changes",
        "papilledema",
        "thrombocytosis_polycythemia",
    ]
    assert "vegf_elevated" not in body["results"]["mayo_2003"]["decisive_unknowns"]


# --- Japan's grades -----------------------------------------------------------------------


def test_japan_definite(client, db):
    body = evaluated(
        client,
        {
            "polyneuropathy": "present",
            "monoclonal_plasma_cell_disorder": "present",
            "vegf_elevated": "present",
            "skin_changes": "present",
        },
    )
    japan_2024 = body["results"]["japan_2024"]
    assert (japan_2024["outcome"], japan_2024["grade"]) == ("met", "definite")
    # The 2015 criteria ask for an M-protein confirmed by immunofixation, which a clone
    # shown by any means does not prove: Probable, with that finding still open.
    japan_2015 = body["results"]["japan_2015"]
    assert (japan_2015["outcome"], japan_2015["grade"]) == ("met", "probable")
    assert japan_2015["decisive_unknowns"] == ["m_protein_ife"]
    assert "grade_without_clone" in warning_codes(japan_2015)


def test_japan_2015_definite_needs_the_m_protein_by_immunofixation(client, db):
    body = evaluated(
        client,
        {
            "polyneuropathy": "present",
            "m_protein_ife": "present",
            "vegf_elevated": "present",
            "skin_changes": "present",
        },
    )
    for slug in ("japan_2015", "japan_2024", "mayo_2003", "suichi_2019"):
        assert body["results"][slug]["grade"] in ("definite", None)
    japan = body["results"]["japan_2015"]
    assert (japan["outcome"], japan["grade"]) == ("met", "definite")
    assert body["results"]["mayo"]["derived"]["monoclonal_plasma_cell_disorder"]["value"] == (
        "present"
    )


def test_japan_probable_when_the_m_protein_is_not_confirmed(client, db):
    body = evaluated(
        client,
        {
            "polyneuropathy": "present",
            "monoclonal_plasma_cell_disorder": "absent",
            "vegf_elevated": "present",
            "skin_changes": "present",
        },
    )
    japan = body["results"]["japan_2015"]
    assert (japan["outcome"], japan["grade"], japan["decisive_unknowns"]) == (
        "met",
        "probable",
        [],
    )


def test_japan_possible_is_information_never_met(client, db):
    body = evaluated(
        client,
        {
            "polyneuropathy": "present",
            "vegf_elevated": "absent",
            "organomegaly": "present",
            "skin_changes": "present",
        },
    )
    japan = body["results"]["japan_2015"]
    assert japan["outcome"] == "not_met"
    assert japan["grade"] is None
    assert japan["extra_grades"] == {"possible": "met"}


# --- VEGF ----------------------------------------------------------------------------------


def test_plasma_vegf_decides_for_mayo_only(client, db):
    body = evaluated(client, {"vegf": "350", "vegf_specimen": "plasma"})
    mayo = body["results"]["mayo"]
    assert mayo["derived"]["vegf_elevated"] == {"value": "present", "rule": "plasma >= 200 pg/mL"}
    other_major = next(req for req in mayo["requirements"] if req["key"] == "other_major")
    assert other_major["present"] == ["vegf_elevated"]
    assert other_major["status"] == "met"

    japan = body["results"]["japan_2015"]
    assert "vegf_elevated" not in japan["derived"]
    assert "vegf_specimen" in warning_codes(japan)
    assert "vegf_elevated" in japan["decisive_unknowns"]

    mayo_2003 = body["results"]["mayo_2003"]
    assert mayo_2003["derived"] == {}
    assert not [code for code in warning_codes(mayo_2003) if code.startswith("vegf")]
    assert all("vegf_elevated" not in req["findings"] for req in mayo_2003["requirements"])

    suichi = body["results"]["suichi_2019"]
    assert "vegf_elevated" not in suichi["derived"]
    assert "vegf_no_threshold" in warning_codes(suichi)


def test_serum_vegf_decides_for_japan_only(client, db):
    body = evaluated(client, {"vegf": "1000", "vegf_specimen": "serum"})
    japan = body["results"]["japan_2015"]
    assert japan["derived"]["vegf_elevated"]["value"] == "present"
    mayo = body["results"]["mayo"]
    assert "vegf_elevated" not in mayo["derived"]
    assert "vegf_specimen" in warning_codes(mayo)


@pytest.mark.parametrize(
    ("vegf", "specimen", "set_slug", "expected"),
    [
        ("200", "plasma", "mayo", "present"),
        ("200.0", "plasma", "mayo", "present"),
        # Below Mayo's 200 pg/mL (a specificity cut-off, not a rule-out) stays open.
        ("199.999999", "plasma", "mayo", "unknown"),
        ("0", "plasma", "mayo", "unknown"),
        ("1000", "serum", "japan_2015", "present"),
        ("999.9", "serum", "japan_2015", "absent"),
        ("1000000", "serum", "japan_2015", "present"),
    ],
)
def test_vegf_thresholds_are_inclusive(client, db, vegf, specimen, set_slug, expected):
    body = evaluated(client, {"vegf": vegf, "vegf_specimen": specimen})
    result = body["results"][set_slug]
    if expected == "unknown":
        assert "vegf_elevated" not in result["derived"]
        assert "vegf_below_cutoff" in warning_codes(result)
    else:
        assert result["derived"]["vegf_elevated"]["value"] == expected


@pytest.mark.parametrize(
    ("vegf", "uln", "expected"),
    [
        ("150", "150", "absent"),  # at the laboratory's upper limit of normal: not raised
        ("80", "100", "absent"),
        ("150", "100", "unknown"),  # above normal, below the cut-off: open, with a caution
        ("250", "100", "present"),
        ("220", "250", "absent"),  # the laboratory's own range is read first
    ],
)
def test_mayo_reads_the_laboratory_upper_limit_of_normal_first(client, db, vegf, uln, expected):
    body = evaluated(client, {"vegf": vegf, "vegf_specimen": "plasma", "vegf_uln": uln})
    assert body["measurements"]["vegf"] == {
        "value": float(vegf),
        "specimen": "plasma",
        "uln": float(uln),
    }
    mayo = body["results"]["mayo"]
    derived = mayo["derived"].get("vegf_elevated", {"value": "unknown"})["value"]
    assert derived == expected
    assert ("vegf_below_cutoff" in warning_codes(mayo)) == (expected == "unknown")
    # The Japanese sets judge a serum value by the number itself.
    assert "vegf_elevated" not in body["results"]["japan_2015"]["derived"]


def test_a_malformed_upper_limit_is_named_and_ignored_without_a_value(client, db):
    response = client.get(f"{API}?vegf=150&vegf_specimen=plasma&vegf_uln=ten")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"vegf_uln"}
    assert client.get(f"{API}?vegf_uln=ten").status_code == 200


def test_an_explicit_vegf_answer_wins_and_a_disagreement_is_flagged(client, db):
    body = evaluated(client, {"vegf_elevated": "absent", "vegf": "350", "vegf_specimen": "plasma"})
    mayo = body["results"]["mayo"]
    assert "vegf_elevated" not in mayo["derived"]
    assert "vegf_conflict" in warning_codes(mayo)
    other_major = next(req for req in mayo["requirements"] if req["key"] == "other_major")
    assert "vegf_elevated" not in other_major["present"]


@pytest.mark.parametrize("specimen", ["serum", "plasma", "urine", ""])
def test_a_specimen_without_a_value_is_ignored(client, db, specimen):
    body = evaluated(client, {"vegf_specimen": specimen})
    assert body == evaluated(client)


def test_measurements_echo_the_value(client, db):
    body = evaluated(client, {"vegf": "199.5", "vegf_specimen": "serum"})
    assert body["measurements"] == {"vegf": {"value": 199.5, "specimen": "serum"}}


# --- Endocrinopathy -----------------------------------------------------------------------------


def test_thyroid_disease_alone_does_not_count_for_mayo(client, db):
    body = evaluated(client, {"endocrinopathy_thyroid": "present"})
    mayo = body["results"]["mayo"]
    assert "endocrinopathy" not in mayo["derived"]
    assert "endocrinopathy_thyroid_diabetes_only" in warning_codes(mayo)
    assert body["results"]["japan_2015"]["derived"]["endocrinopathy"]["value"] == "present"


def test_an_explicit_endocrinopathy_wins_over_its_sub_findings(client, db):
    body = evaluated(client, {"endocrinopathy": "absent", "endocrinopathy_adrenal": "present"})
    mayo = body["results"]["mayo"]
    assert "endocrinopathy" not in mayo["derived"]
    assert "endocrinopathy_conflict" in warning_codes(mayo)


def test_castleman_variant_warning(client, db):
    body = evaluated(
        client, {"castleman_disease": "present", "monoclonal_plasma_cell_disorder": "absent"}
    )
    for slug in SETS:
        assert "castleman_variant" in warning_codes(body["results"][slug]), slug


# --- Bad input ---------------------------------------------------------------------------------

BAD_INPUT = [
    ("foo=1", "foo"),
    ("polyneuropathy=yes", "polyneuropathy"),
    ("polyneuropathy=Present", "polyneuropathy"),
    ("polyneuropathy=present%20", "polyneuropathy"),
    ("polyneuropathy=present&polyneuropathy=absent", "polyneuropathy"),
    ("vegf=abc&vegf_specimen=serum", "vegf"),
    ("vegf=1e3&vegf_specimen=serum", "vegf"),
    ("vegf=-5&vegf_specimen=serum", "vegf"),
    ("vegf=NaN&vegf_specimen=serum", "vegf"),
    ("vegf=inf&vegf_specimen=serum", "vegf"),
    ("vegf=1000001&vegf_specimen=serum", "vegf"),
    ("vegf=1000000.5&vegf_specimen=serum", "vegf"),
    ("vegf=1%2C000&vegf_specimen=serum", "vegf"),
    ("vegf=0x10&vegf_specimen=serum", "vegf"),
    ("vegf=12.5.1&vegf_specimen=serum", "vegf"),
    ("vegf=%EF%BC%93%EF%BC%95%EF%BC%90&vegf_specimen=serum", "vegf"),  # full-width digits
    ("vegf=350", "vegf_specimen"),
    ("vegf=350&vegf_specimen=", "vegf_specimen"),
    ("vegf=350&vegf_specimen=urine", "vegf_specimen"),
    ("vegf=350&vegf_specimen=Serum", "vegf_specimen"),
    ("vegf=350&vegf=400&vegf_specimen=serum", "vegf"),
    ("lang=fr", "lang"),
    ("lang=zh", "lang"),
    ("lang=JA", "lang"),
    ("lang=en&lang=ja", "lang"),
    ("utm_source=x&utm_source=y&polyneuropathy=maybe", "polyneuropathy"),
]


@pytest.mark.parametrize(("query", "key"), BAD_INPUT)
def test_bad_input_is_a_400_naming_the_key(client, db, query, key):
    response = evaluate(client, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"errors"}
    assert key in body["errors"]
    assert all(isinstance(reason, str) and reason for reason in body["errors"].values())
    assert "no-store" in response["Cache-Control"]


def test_every_problem_is_reported_at_once(client, db):
    response = evaluate(client, "foo=1&polyneuropathy=maybe&vegf=abc&vegf_specimen=serum")
    assert response.status_code == 400
    assert {"foo", "polyneuropathy", "vegf"} <= set(response.json()["errors"])


@pytest.mark.parametrize(
    "query",
    [
        "&".join(f"key{index}=present" for index in range(500)),
        "&".join("polyneuropathy=present" for _ in range(500)),
        "&".join(f"utm_{index}=x" for index in range(500)),
        "foo=" + "x" * 20_000,
        "&" * 5000,
    ],
    ids=["500-keys", "500-repeats", "500-tracking", "long-value", "ampersands"],
)
def test_too_many_fields_is_a_json_400(client, db, query):
    response = evaluate(client, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"]


def test_undecodable_input_is_a_json_400(client, db):
    response = evaluate(client, "polyneuropathy=%FF%FE")
    assert response.status_code == 400
    assert response.json()["errors"]


def test_the_same_value_repeated_is_fine(client, db):
    repeated = evaluated(client, "polyneuropathy=present&polyneuropathy=present")
    assert repeated == evaluated(client, "polyneuropathy=present")


@pytest.mark.parametrize(
    "tracking",
    [
        "utm_source=newsletter",
        "utm_campaign=x&utm_medium=email",
        "fbclid=abc",
        "gclid=1",
        "msclkid=z",
    ],
)
def test_tracking_keys_are_ignored(client, db, tracking):
    assert evaluated(client, f"polyneuropathy=present&{tracking}") == evaluated(
        client, "polyneuropathy=present"
    )


def test_repeated_tracking_keys_are_ignored_too(client, db):
    query = "utm_source=a&utm_source=b&fbclid=1&fbclid=2&polyneuropathy=present"
    assert evaluated(client, query) == evaluated(client, "polyneuropathy=present")


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([*SLUGS[:6], "vegf", "vegf_specimen", "lang", "utm_x", "x", ""]),
            st.one_of(
                st.sampled_from(["present", "absent", "unknown", "", "serum", "plasma", "ja"]),
                st.from_regex(r"[0-9.eE+-]{0,10}", fullmatch=True),
                st.text(max_size=8),
            ),
        ),
        max_size=8,
    )
)
def test_no_input_breaks_the_api(client, db, pairs):
    response = evaluate(client, urlencode(pairs))
    assert response.status_code in (200, 400)
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert ("errors" in body) is (response.status_code == 400)


# --- Languages ---------------------------------------------------------------------------------

LANGUAGE_CASES = [
    {},
    MAYO_MET,
    {"polyneuropathy": "present", "vegf": "350", "vegf_specimen": "plasma"},
    {
        "castleman_disease": "present",
        "monoclonal_plasma_cell_disorder": "absent",
        "clubbing": "present",
    },
    {"endocrinopathy_thyroid": "present", "polyneuropathy": "present", "vegf_elevated": "present"},
]


@pytest.mark.parametrize("case", LANGUAGE_CASES)
def test_the_result_does_not_depend_on_the_language(client, db, case):
    english = evaluated(client, case)
    assert evaluated(client, {**case, "lang": "en"}) == english
    for code in ("zh-hans", "ja"):
        translated = evaluated(client, {**case, "lang": code})
        assert translated["findings"] == english["findings"]
        assert translated["measurements"] == english["measurements"]
        assert outcomes(translated) == outcomes(english), code


@pytest.mark.parametrize("code", ["zh-hans", "ja"])
def test_labels_come_in_the_requested_language(client, db, code):
    case = {
        "polyneuropathy": "present",
        "castleman_disease": "present",
        "monoclonal_plasma_cell_disorder": "absent",
        "clubbing": "present",
        "vegf": "350",
        "vegf_specimen": "plasma",
    }
    english = evaluated(client, case)["results"]
    translated = evaluated(client, {**case, "lang": code})["results"]
    untranslated = []
    for slug in SETS:
        texts = [
            ("label", english[slug]["label"], translated[slug]["label"]),
            ("outcome_label", english[slug]["outcome_label"], translated[slug]["outcome_label"]),
        ]
        texts += [
            (f"requirement {en['key']}", en["label"], tr["label"])
            for en, tr in zip(
                english[slug]["requirements"], translated[slug]["requirements"], strict=True
            )
        ]
        texts += [
            (f"warning {en['code']}", en["message"], tr["message"])
            for en, tr in zip(english[slug]["warnings"], translated[slug]["warnings"], strict=True)
        ]
        texts += [
            (f"derived {key}", english[slug]["derived"][key]["rule"], value["rule"])
            for key, value in translated[slug]["derived"].items()
        ]
        for what, en_text, tr_text in texts:
            if tr_text == en_text or not CJK.search(tr_text):
                untranslated.append(f"{slug} {what}: {tr_text!r}")
    assert not untranslated, f"not translated into {code}:\n" + "\n".join(untranslated)


@pytest.mark.parametrize("code", ["zh-hans", "ja"])
def test_finding_names_in_warnings_come_in_the_requested_language(client, db, code):
    body = evaluated(client, {"clubbing": "present", "lang": code})
    message = next(
        warning["message"]
        for warning in body["results"]["mayo"]["warnings"]
        if warning["code"] == "unscored_signs_present"
    )
    assert "clubbing" not in message.lower()
    assert CJK.search(message)


@pytest.mark.parametrize("code", ["zh-hans", "ja"])
def test_errors_come_in_the_requested_language(client, db, code):
    english = evaluate(client, "foo=1").json()["errors"]["foo"]
    response = evaluate(client, f"foo=1&lang={code}")
    assert response.status_code == 400
    message = response.json()["errors"]["foo"]
    assert message != english and CJK.search(message), message


def test_a_bad_language_is_reported_in_english(client, db):
    response = evaluate(client, "lang=fr&foo=1")
    assert response.status_code == 400
    assert response.json()["errors"]["foo"] == evaluate(client, "foo=1").json()["errors"]["foo"]


def test_the_api_ignores_accept_language(client, db):
    body = evaluated(client, "polyneuropathy=present")
    assert evaluate(client, "polyneuropathy=present", HTTP_ACCEPT_LANGUAGE="ja").json() == body


# --- Privacy and cost --------------------------------------------------------------------------


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.mark.parametrize(
    "query",
    ["polyneuropathy=present&vegf=350&vegf_specimen=plasma", "foo=1", "lang=ja"],
)
def test_nothing_is_stored_and_nothing_may_be_cached(client, db, query):
    before = row_counts()
    with CaptureQueriesContext(connection) as queries:
        response = evaluate(client, query)
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert not response.cookies
    assert "Set-Cookie" not in response.headers
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE"))
    ]
    assert not writes
    assert row_counts() == before
    assert django_settings.SESSION_COOKIE_NAME not in client.cookies


def test_the_api_costs_few_queries(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        evaluate(client, "polyneuropathy=present&clubbing=present")
    # The words are cached: the next request needs the database at most once.
    with django_assert_max_num_queries(1):
        evaluate(client, "lang=en&" + urlencode(dict.fromkeys(SLUGS, "present")))


def test_the_api_answers_get_only(client, db):
    assert client.post(API, {"polyneuropathy": "present"}).status_code == 405
    head = client.head(f"{API}?polyneuropathy=present")
    assert head.status_code == 200


def test_the_workup_lists_what_would_settle_the_open_findings(client, db):
    body = evaluated(
        client, {"polyneuropathy": "present", "monoclonal_plasma_cell_disorder": "present"}
    )
    workup = body["workup"]
    assert workup and all(set(step) == {"slug", "label", "findings", "settles"} for step in workup)
    decisive = {slug: set(result["decisive_unknowns"]) for slug, result in body["results"].items()}
    # Every decisive unknown of every set is informed by some step ...
    assert {f for step in workup for f in step["findings"]} == set().union(*decisive.values())
    for step in workup:
        # ... each step settles exactly the sets for which one of its findings is decisive,
        assert step["settles"] == [s for s in SETS if decisive[s] & set(step["findings"])]
    # ... most sets settled first, ties in the order of their first finding.
    keys = [(-len(step["settles"]), SLUGS.index(step["findings"][0])) for step in workup]
    assert keys == sorted(keys)
    assert "vegf" in [step["slug"] for step in workup]


def test_the_workup_is_empty_when_nothing_is_open(client, db):
    body = evaluated(client, dict.fromkeys(SCORED, "absent"))
    assert body["workup"] == []


def test_the_workup_labels_come_in_the_requested_language(client, db):
    body = client.get(f"{API}?polyneuropathy=present&lang=ja").json()
    assert all(CJK.search(step["label"]) for step in body["workup"])
