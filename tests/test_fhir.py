"""The checklist as HL7 FHIR R4 (issue 14): the Questionnaire, a checklist as a
QuestionnaireResponse, and POST $evaluate.

Every resource the site sends is validated with fhir.resources (its R4B models, the
same as R4 for these resources), and with the R4 bindings and invariants those models
do not check (restated below). What the resources must say is read from
shared/contract.md (tests/contract.py), not from the code.
"""

import copy
import io
import json
import re
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.translation import override
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from checklist import fhir, fhir_views
from checklist.models import Finding
from checklist.rules import RULES_VERSION
from tests.contract import CJK, MAYO_MET, OUTCOMES, SETS, SLUGS

BASE = "/api/v1/fhir"
QUESTIONNAIRE = f"{BASE}/Questionnaire"
RESPONSE = f"{BASE}/QuestionnaireResponse"
EVALUATE = f"{BASE}/$evaluate"
API = "/api/v1/evaluate"
FHIR_JSON = "application/fhir+json"
SITE = "http://127.0.0.1:8000"  # the test settings' SITE_BASE_URL (the default)

# The contract's measured values (v3), and its sub-findings, restated.
MEASURED = ("vegf", "vegf_specimen", "vegf_uln")
SUBFINDINGS = {
    "endocrinopathy": (
        "endocrinopathy_adrenal",
        "endocrinopathy_pituitary",
        "endocrinopathy_gonadal",
        "endocrinopathy_parathyroid",
        "endocrinopathy_thyroid",
        "endocrinopathy_diabetes",
    ),
    "monoclonal_plasma_cell_disorder": ("m_protein_ife", "clonal_plasma_cells"),
}
PARENT = {child: parent for parent, children in SUBFINDINGS.items() for child in children}
GRADED = ("japan_2015", "japan_2024")
GRADES = ("definite", "probable")

FINDING_VALUE = f"{SITE}/fhir/CodeSystem/finding-value"
CRITERIA_SET = f"{SITE}/fhir/CodeSystem/criteria-set"
OUTCOME = f"{SITE}/fhir/CodeSystem/outcome"
GRADE = f"{SITE}/fhir/CodeSystem/grade"
CANONICAL = f"{SITE}/fhir/Questionnaire/poems-criteria"
UCUM = "http://unitsofmeasure.org"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"

# R4 (4.0.1) value sets with required bindings, which fhir.resources does not check.
ITEM_TYPES = {
    "group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time",
    "string", "text", "url", "choice", "open-choice", "attachment", "reference", "quantity",
}  # fmt: skip
ENABLE_WHEN_OPERATORS = {"exists", "=", "!=", ">", "<", ">=", "<="}
PUBLICATION_STATUSES = {"draft", "active", "retired", "unknown"}
QR_STATUSES = {"in-progress", "completed", "amended", "entered-in-error", "stopped"}
OBSERVATION_STATUSES = {
    "registered", "preliminary", "final", "amended", "corrected", "cancelled",
    "entered-in-error", "unknown",
}  # fmt: skip
BUNDLE_TYPES = {
    "document", "message", "transaction", "transaction-response", "batch",
    "batch-response", "history", "searchset", "collection",
}  # fmt: skip
ISSUE_SEVERITIES = {"fatal", "error", "warning", "information"}
ISSUE_TYPES = {
    "invalid", "structure", "required", "value", "invariant", "security", "login",
    "unknown", "expired", "forbidden", "suppressed", "processing", "not-supported",
    "duplicate", "multiple-matches", "not-found", "deleted", "too-long", "code-invalid",
    "extension", "too-costly", "business-rule", "conflict", "transient", "lock-error",
    "no-store", "exception", "timeout", "incomplete", "throttled", "informational",
}  # fmt: skip
DATA_ABSENT_REASONS = {
    "unknown", "asked-unknown", "temp-unknown", "not-asked", "asked-declined", "masked",
    "not-applicable", "unsupported", "as-text", "error", "not-a-number",
    "negative-infinity", "positive-infinity", "not-performed", "not-permitted",
}  # fmt: skip
# What would identify a patient, or date a patient's test: none of it is ever sent.
IDENTITY_ELEMENTS = {
    "subject", "patient", "author", "source", "encounter", "identifier", "authored",
    "performer", "issued", "effectiveDateTime", "effectivePeriod", "effectiveInstant",
    "specimen", "focus", "basedOn", "partOf",
}  # fmt: skip


# --- Validation ---------------------------------------------------------------------------


def walk(items):
    """Every item (and answer item) of a tree of items, depth first."""
    for item in items:
        yield item
        yield from walk(item.get("item", []))
        for answer in item.get("answer", []):
            yield from walk(answer.get("item", []))


def check_questionnaire(resource):
    Questionnaire.model_validate(resource)
    assert resource["status"] in PUBLICATION_STATUSES
    assert re.fullmatch(r"[A-Z]([A-Za-z0-9_]){0,254}", resource["name"])  # que-0
    items = list(walk(resource["item"]))
    link_ids = [item["linkId"] for item in items]
    assert len(link_ids) == len(set(link_ids))  # que-2
    for item in items:
        assert item["type"] in ITEM_TYPES
        if item["type"] == "group":
            assert item.get("item")  # que-1
        if "answerOption" in item:
            assert item["type"] in ("choice", "open-choice")  # que-5
        for condition in item.get("enableWhen", []):
            assert condition["operator"] in ENABLE_WHEN_OPERATORS
            assert condition["question"] in link_ids
            if condition["operator"] == "exists":
                assert isinstance(condition.get("answerBoolean"), bool)  # que-7


def check_response(resource):
    QuestionnaireResponse.model_validate(resource)
    assert resource["status"] in QR_STATUSES
    for item in walk(resource.get("item", [])):
        assert not (item.get("answer") and item.get("item")), item["linkId"]  # qrs-1
        assert item.get("answer") or item.get("item"), item["linkId"]
    assert not IDENTITY_ELEMENTS & set(resource)


def check_observation(resource):
    Observation.model_validate(resource)
    assert resource["status"] in OBSERVATION_STATUSES
    for component in resource.get("component", []):
        # Exactly one of a value and a reason for its absence (obs-6, for a component).
        assert ("valueCodeableConcept" in component) != ("dataAbsentReason" in component)
        if "dataAbsentReason" in component:
            assert component["dataAbsentReason"]["coding"][0]["code"] in DATA_ABSENT_REASONS
    assert not IDENTITY_ELEMENTS & set(resource)


def check_bundle(resource):
    Bundle.model_validate(resource)
    assert resource["type"] in BUNDLE_TYPES
    full_urls = [entry["fullUrl"] for entry in resource["entry"]]
    assert len(full_urls) == len(set(full_urls))
    for entry in resource["entry"]:
        inner = entry["resource"]
        if inner["resourceType"] == "QuestionnaireResponse":
            check_response(inner)
        else:
            check_observation(inner)
            for reference in inner["derivedFrom"]:
                assert reference["reference"] in full_urls


def check_outcome(resource):
    OperationOutcome.model_validate(resource)
    assert resource["issue"]
    for issue in resource["issue"]:
        assert issue["severity"] in ISSUE_SEVERITIES
        assert issue["code"] in ISSUE_TYPES
        assert issue["details"]["text"]


CHECKS = {
    "Questionnaire": check_questionnaire,
    "QuestionnaireResponse": check_response,
    "Bundle": check_bundle,
    "OperationOutcome": check_outcome,
}


def fhir_body(response, status=200):
    """The response's resource, validated; every answer is FHIR JSON and never stored."""
    assert response.status_code == status, response.content
    # FHIR's own way to say which version a body is (R4: "4.0"), and its charset.
    assert response["Content-Type"] == f"{FHIR_JSON}; fhirVersion=4.0; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    assert "Set-Cookie" not in response
    body = json.loads(response.content)
    CHECKS[body["resourceType"]](body)
    return body


# --- Requests -----------------------------------------------------------------------------


def get_questionnaire(client):
    return fhir_body(client.get(QUESTIONNAIRE))


def get_response(client, query):
    if not isinstance(query, str):
        query = urlencode(query)
    return fhir_body(client.get(f"{RESPONSE}?{query}"))


def post(client, resource, content_type=FHIR_JSON, **extra):
    data = resource if isinstance(resource, (bytes, str)) else json.dumps(resource)
    # Said outright: the test client leaves the type out when the body is empty.
    return client.post(
        EVALUATE, data, content_type=content_type, CONTENT_TYPE=content_type, **extra
    )


def evaluated(client, resource):
    return fhir_body(post(client, resource))


def rejected(client, resource, status, content_type=FHIR_JSON):
    return fhir_body(post(client, resource, content_type), status)


def observations(bundle):
    return {
        entry["resource"]["code"]["coding"][0]["code"]: entry["resource"]
        for entry in bundle["entry"][1:]
    }


def outcome_and_grade(observation):
    outcome = observation["valueCodeableConcept"]["coding"][0]["code"]
    grade = None
    for component in observation.get("component", []):
        if component["code"]["coding"][0]["code"] == "grade" and (
            "valueCodeableConcept" in component
        ):
            grade = component["valueCodeableConcept"]["coding"][0]["code"]
    return outcome, grade


def api_outcomes(client, query):
    response = client.get(f"{API}?{urlencode(query)}")
    assert response.status_code == 200
    return {
        slug: (result["outcome"], result["grade"])
        for slug, result in response.json()["results"].items()
    }


def questions(items):
    return [item for item in walk(items) if item.get("type") != "group"]


def response_item(resource, link_id):
    found = [item for item in walk(resource.get("item", [])) if item["linkId"] == link_id]
    assert len(found) <= 1
    return found[0] if found else None


def coding_answer(system, code):
    return {"valueCoding": {"system": system, "code": code}}


def flat_response(*items, **fields):
    """A QuestionnaireResponse with these (linkId, [answers]) at the top level."""
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{CANONICAL}|{RULES_VERSION}",
        "status": "completed",
        "item": [{"linkId": link_id, "answer": answers} for link_id, answers in items],
        **fields,
    }


def finding(link_id, value):
    return (link_id, [coding_answer(FINDING_VALUE, value)])


def quantity(link_id, value, **unit):
    unit = unit or {"unit": "pg/mL", "system": UCUM, "code": "pg/mL"}
    return (link_id, [{"valueQuantity": {"value": value, **unit}}])


def specimen(code):
    return ("vegf_specimen", [coding_answer(f"{SITE}/fhir/CodeSystem/vegf-specimen", code)])


# --- The Questionnaire --------------------------------------------------------------------


def test_the_questionnaire_asks_exactly_the_contracts_findings_and_measured_values(client, db):
    resource = get_questionnaire(client)
    link_ids = [item["linkId"] for item in questions(resource["item"])]
    assert sorted(link_ids) == sorted((*SLUGS, *MEASURED))


def test_the_questionnaire_is_grouped_as_the_checklist_with_sub_findings_under_their_parent(
    client, db
):
    resource = get_questionnaire(client)
    groups = resource["item"]
    assert all(group["type"] == "group" for group in groups)
    # The checklist's groups (Mayo's grouping), the measured VEGF after the minor criteria.
    assert [[item["linkId"] for item in group["item"]] for group in groups] == [
        list(SLUGS[0:2]),
        list(SLUGS[2:5]),
        list(SLUGS[5:11]),
        list(MEASURED),
        list(SLUGS[11:18]),
    ]
    for item in walk(groups):
        children = [child["linkId"] for child in item.get("item", [])]
        if item["linkId"] in SUBFINDINGS:
            assert children == list(SUBFINDINGS[item["linkId"]])
        elif item["type"] != "group":
            assert children == []


def test_each_finding_is_present_or_absent_and_unknown_is_no_answer(client, db):
    for item in questions(get_questionnaire(client)["item"]):
        if item["linkId"] in MEASURED:
            continue
        assert item["type"] == "choice"
        codings = [option["valueCoding"] for option in item["answerOption"]]
        assert [(c["system"], c["code"]) for c in codings] == [
            (FINDING_VALUE, "present"),
            (FINDING_VALUE, "absent"),
        ]
        assert not item.get("required")
        assert "initial" not in item


def test_the_measured_vegf_is_a_quantity_in_pg_per_ml_with_its_specimen(client, db):
    items = {item["linkId"]: item for item in walk(get_questionnaire(client)["item"])}
    unit = {"system": UCUM, "code": "pg/mL"}
    for key in ("vegf", "vegf_uln"):
        assert items[key]["type"] == "quantity"
        [option] = [
            extension["valueCoding"]
            for extension in items[key]["extension"]
            if extension["url"]
            == "http://hl7.org/fhir/StructureDefinition/questionnaire-unitOption"
        ]
        assert {"system": option["system"], "code": option["code"]} == unit
    specimen_item = items["vegf_specimen"]
    assert specimen_item["type"] == "choice"
    assert [option["valueCoding"]["code"] for option in specimen_item["answerOption"]] == [
        "serum",
        "plasma",
    ]
    # The specimen is needed, and the upper limit counts, only with a value.
    for key in ("vegf_specimen", "vegf_uln"):
        assert items[key]["enableWhen"] == [
            {"question": "vegf", "operator": "exists", "answerBoolean": True}
        ]
    assert specimen_item["required"] is True


def test_the_questionnaire_names_itself_on_the_site_and_follows_the_rules_version(
    client, db, settings
):
    resource = get_questionnaire(client)
    assert resource["url"] == CANONICAL
    assert resource["version"] == RULES_VERSION
    assert resource["status"] == "active"
    assert resource["language"] == "en"
    assert "subject" not in resource

    settings.SITE_BASE_URL = "https://poems.example.org"
    moved = json.dumps(get_questionnaire(client))
    assert SITE not in moved
    assert '"https://poems.example.org/fhir/Questionnaire/poems-criteria"' in moved
    assert '"https://poems.example.org/fhir/CodeSystem/finding-value"' in moved


def translations(element):
    return {
        next(e["valueCode"] for e in ext["extension"] if e["url"] == "lang"): next(
            e["valueString"] for e in ext["extension"] if e["url"] == "content"
        )
        for ext in element.get("extension", [])
        if ext["url"] == TRANSLATION
    }


def test_the_questionnaire_speaks_chinese_and_japanese_through_the_translation_extension(
    client, db
):
    resource = get_questionnaire(client)
    title = translations(resource["_title"])
    assert set(title) == {"zh-Hans", "ja"}
    assert all(CJK.search(text) for text in title.values())
    for item in questions(resource["item"]):
        if item["linkId"] == "vegf_uln":
            continue  # its words are new, not translated yet: then English alone
        words = translations(item["_text"])
        assert set(words) == {"zh-Hans", "ja"}, item["linkId"]
        for tag, language in (("zh-Hans", "zh-hans"), ("ja", "ja")):
            assert CJK.search(words[tag]), (item["linkId"], tag)
            if item["linkId"] in SLUGS:
                with override(language):
                    assert words[tag] == Finding.objects.get(slug=item["linkId"]).label
        for option in item.get("answerOption", []):
            assert set(translations(option["valueCoding"]["_display"])) == {"zh-Hans", "ja"}


def test_the_questionnaire_leaves_each_languages_words_to_that_language(client, db):
    get_questionnaire(client)
    get_response(client, MAYO_MET)
    with override("ja"):
        label = Finding.objects.get(slug="polyneuropathy").label
    assert CJK.search(label)
    page = client.get("/ja/checklist/").content.decode()
    assert label in page


def test_the_questionnaire_takes_its_words_from_the_content(client, db):
    finding = Finding.objects.get(slug="papilledema")
    finding.label_en = "Swollen optic discs"
    finding.save()
    items = {item["linkId"]: item for item in walk(get_questionnaire(client)["item"])}
    assert items["papilledema"]["text"] == "Swollen optic discs"


# --- A checklist as a QuestionnaireResponse -----------------------------------------------


def test_a_checklist_is_a_questionnaire_response_with_no_subject(client, db):
    resource = get_response(client, MAYO_MET)
    assert resource["questionnaire"] == f"{CANONICAL}|{RULES_VERSION}"
    assert resource["status"] == "completed"
    given = {
        item["linkId"]: item["answer"][0]["valueCoding"]
        for item in walk(resource["item"])
        if item.get("answer")
    }
    assert {slug: coding["code"] for slug, coding in given.items()} == MAYO_MET
    assert {coding["system"] for coding in given.values()} == {FINDING_VALUE}


def test_an_unknown_finding_has_no_item(client, db):
    assert "item" not in get_response(client, "")
    assert "item" not in get_response(client, dict.fromkeys(SLUGS, "unknown"))
    resource = get_response(client, {"polyneuropathy": "present", "papilledema": ""})
    assert [item["linkId"] for item in walk(resource["item"])] == [
        "mandatory_major",
        "polyneuropathy",
    ]


def test_the_response_is_nested_as_the_questionnaire(client, db):
    resource = get_response(
        client,
        {
            "endocrinopathy_adrenal": "present",  # under an unknown parent
            "monoclonal_plasma_cell_disorder": "present",
            "clonal_plasma_cells": "absent",  # under an answered parent
            "clubbing": "absent",
        },
    )
    endocrine = response_item(resource, "endocrinopathy")
    assert "answer" not in endocrine
    assert [item["linkId"] for item in endocrine["item"]] == ["endocrinopathy_adrenal"]
    clone = response_item(resource, "monoclonal_plasma_cell_disorder")
    assert "item" not in clone
    assert [item["linkId"] for item in clone["answer"][0]["item"]] == ["clonal_plasma_cells"]

    # Every item sits where the Questionnaire puts it.
    parents = {}
    for item in walk(get_questionnaire(client)["item"]):
        for child in item.get("item", []):
            parents[child["linkId"]] = item["linkId"]

    def check(items, parent):
        for item in items:
            assert parents.get(item["linkId"]) == parent, item["linkId"]
            check(item.get("item", []), item["linkId"])
            for answer in item.get("answer", []):
                check(answer.get("item", []), item["linkId"])

    check(resource["item"], None)


def test_the_measured_vegf_is_answered_in_pg_per_ml(client, db):
    resource = get_response(client, {"vegf": "350.5", "vegf_specimen": "plasma", "vegf_uln": "100"})
    answers = {
        item["linkId"]: item["answer"][0] for item in walk(resource["item"]) if item.get("answer")
    }
    unit = {"unit": "pg/mL", "system": UCUM, "code": "pg/mL"}
    assert answers["vegf"]["valueQuantity"] == {"value": 350.5, **unit}
    assert answers["vegf_uln"]["valueQuantity"] == {"value": 100, **unit}
    assert answers["vegf_specimen"]["valueCoding"]["code"] == "plasma"
    # Without a value the specimen and the upper limit are ignored, as on the checklist.
    assert "item" not in get_response(client, {"vegf_specimen": "serum", "vegf_uln": "80"})


def test_the_response_takes_the_checklists_query_and_ignores_tracking_keys(client, db):
    plain = get_response(client, MAYO_MET)
    assert get_response(client, {**MAYO_MET, "utm_source": "x", "fbclid": "y"}) == plain


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ("polyneuropathy=maybe", ["polyneuropathy"]),
        ("made_up=present", ["made_up"]),
        ("lang=ja", ["lang"]),  # the API's key, not the checklist's
        ("vegf=350", ["vegf_specimen"]),
        ("vegf=-1&vegf_specimen=serum", ["vegf"]),
        ("vegf=2000000&vegf_specimen=serum", ["vegf"]),
        ("vegf=350&vegf_specimen=blood", ["vegf_specimen"]),
        ("clubbing=present&clubbing=absent", ["clubbing"]),
        ("polyneuropathy=maybe&x=1&vegf=3", ["polyneuropathy", "x", "vegf_specimen"]),
        ("&".join(f"k{i}=1" for i in range(100)), ["query"]),
    ],
)
def test_bad_input_to_the_response_is_an_operation_outcome_naming_each_error(
    client, db, query, keys
):
    body = fhir_body(client.get(f"{RESPONSE}?{query}"), 400)
    assert [issue["expression"] for issue in body["issue"]] == [[key] for key in keys]
    assert all(issue["severity"] == "error" for issue in body["issue"])


# --- $evaluate ----------------------------------------------------------------------------


def test_evaluate_answers_a_collection_of_the_response_and_one_observation_per_set(client, db):
    query = {**MAYO_MET, "vegf": "1200", "vegf_specimen": "serum"}
    response = get_response(client, query)
    bundle = evaluated(client, response)
    assert bundle["type"] == "collection"
    first = bundle["entry"][0]
    assert first["resource"] == response  # echoed, as this site writes that checklist
    assert first["fullUrl"].startswith("urn:uuid:")
    found = observations(bundle)
    assert list(found) == list(SETS)
    expected = api_outcomes(client, query)
    for slug, observation in found.items():
        coding = observation["code"]["coding"][0]
        assert coding["system"] == CRITERIA_SET
        assert coding["display"]
        value = observation["valueCodeableConcept"]["coding"][0]
        assert value["system"] == OUTCOME
        assert value["code"] in OUTCOMES
        assert outcome_and_grade(observation) == expected[slug], slug
        assert observation["status"] == "final"
        assert observation["derivedFrom"] == [{"reference": first["fullUrl"]}]


def test_each_observation_notes_the_rules_version_and_the_sets_source(client, db):
    found = observations(evaluated(client, get_response(client, MAYO_MET)))
    api = client.get(f"{API}?{urlencode(MAYO_MET)}").json()["results"]
    for slug, observation in found.items():
        notes = [note["text"] for note in observation["note"]]
        assert RULES_VERSION in notes[0]
        source = api[slug]["source"]
        assert notes[1].startswith(source["citation"])
        if source["pmid"]:
            assert f"PMID: {source['pmid']}" in notes[1]
        if source["doi"]:
            assert f"DOI: {source['doi']}" in notes[1]
        # And what the result must be read with, as the JSON API words it.
        assert notes[2:] == [warning["message"] for warning in api[slug]["warnings"]]
    assert "PMID: 37732822" in found["mayo"]["note"][1]["text"]


@pytest.mark.parametrize(
    ("query", "outcome", "grade"),
    [
        (
            {
                "polyneuropathy": "present",
                "vegf_elevated": "present",
                "m_protein_ife": "present",
                "monoclonal_plasma_cell_disorder": "present",
                "skin_changes": "present",
            },
            "met",
            "definite",
        ),
        (
            {"polyneuropathy": "present", "vegf_elevated": "present", "skin_changes": "present"},
            "met",
            "probable",
        ),
        ({"polyneuropathy": "absent"}, "not_met", None),
        ({"polyneuropathy": "present"}, "indeterminate", None),
    ],
)
def test_a_graded_set_has_a_grade_component(client, db, query, outcome, grade):
    found = observations(evaluated(client, get_response(client, query)))
    for slug in GRADED:
        observation = found[slug]
        assert outcome_and_grade(observation) == (outcome, grade), slug
        [component] = [
            c for c in observation["component"] if c["code"]["coding"][0]["code"] == "grade"
        ]
        if grade:
            coding = component["valueCodeableConcept"]["coding"][0]
            assert (coding["system"], coding["code"]) == (GRADE, grade)
            assert grade in GRADES
        else:
            reason = component["dataAbsentReason"]["coding"][0]["code"]
            assert reason == ("not-applicable" if outcome == "not_met" else "temp-unknown")
    for slug in set(SETS) - set(GRADED):
        assert "component" not in found[slug]


def test_possible_is_reported_for_information_only(client, db):
    query = {"polyneuropathy": "present", "skin_changes": "present", "papilledema": "present"}
    found = observations(evaluated(client, get_response(client, query)))
    api = client.get(f"{API}?{urlencode(query)}").json()["results"]
    for slug in GRADED:
        [possible] = [
            c for c in found[slug]["component"] if c["code"]["coding"][0]["code"] == "possible"
        ]
        status = possible["valueCodeableConcept"]["coding"][0]["code"]
        assert status == api[slug]["extra_grades"]["possible"] == "met"
        assert outcome_and_grade(found[slug]) == (api[slug]["outcome"], api[slug]["grade"])


def test_evaluate_reads_a_flat_response_and_any_version_of_the_questionnaire(client, db):
    flat = flat_response(*(finding(slug, value) for slug, value in MAYO_MET.items()))
    expected = api_outcomes(client, MAYO_MET)
    for questionnaire in (f"{CANONICAL}|2020.01.01", CANONICAL, None):
        resource = copy.deepcopy(flat)
        if questionnaire is None:
            del resource["questionnaire"]
        else:
            resource["questionnaire"] = questionnaire
        bundle = evaluated(client, resource)
        assert {slug: outcome_and_grade(o) for slug, o in observations(bundle).items()} == (
            expected
        )
        # Normalised: written as this site writes that checklist.
        assert bundle["entry"][0]["resource"] == get_response(client, MAYO_MET)


def test_an_item_without_an_answer_is_unknown_never_absent(client, db):
    resource = flat_response(finding("polyneuropathy", "present"))
    resource["item"].append({"linkId": "monoclonal_plasma_cell_disorder"})
    found = observations(evaluated(client, resource))
    assert outcome_and_grade(found["mayo"]) == ("indeterminate", None)


def test_evaluate_keeps_no_identity_and_stores_nothing(client, db):
    resource = get_response(client, MAYO_MET)
    resource.update(
        {
            "id": "qr-1",
            "identifier": {"system": "urn:example:forms", "value": "12345"},
            "subject": {"reference": "Patient/123", "display": "A. Patient"},
            "author": {"reference": "Practitioner/9"},
            "authored": "2026-11-20T10:00:00Z",
            "source": {"reference": "Patient/123"},
            "status": "amended",
        }
    )
    with CaptureQueriesContext(connection) as queries:
        bundle = evaluated(client, resource)
    text = json.dumps(bundle)
    for secret in ("Patient/123", "A. Patient", "12345", "2026-11-20", "qr-1", "Practitioner"):
        assert secret not in text
    assert bundle["entry"][0]["resource"]["status"] == "amended"
    for query in queries.captured_queries:
        assert query["sql"].lstrip().upper().startswith(("SELECT", "SAVEPOINT", "RELEASE")), query


def test_evaluate_accepts_plain_json_and_needs_no_csrf_token_or_cookie(client, db):
    resource = get_response(client, MAYO_MET)
    strict = Client(enforce_csrf_checks=True)
    strict.cookies["sessionid"] = "not-a-session"
    strict.cookies["csrftoken"] = "x" * 32
    for content_type in (FHIR_JSON, "application/json", "application/fhir+json; charset=UTF-8"):
        response = post(strict, resource, content_type)
        fhir_body(response)
        assert "Cookie" not in response.get("Vary", "")


# --- Same rules for every door ------------------------------------------------------------


VEGF_VALUES = st.one_of(
    st.sampled_from(["0", "199.9", "200", "999", "1000", "1000000"]),
    st.integers(min_value=0, max_value=5000).map(str),
)


@settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.fixed_dictionaries(
        {slug: st.sampled_from(["present", "absent", "unknown"]) for slug in SLUGS}
    ),
    st.one_of(
        st.none(),
        st.tuples(
            VEGF_VALUES, st.sampled_from(["serum", "plasma"]), st.one_of(st.none(), VEGF_VALUES)
        ),
    ),
)
def test_the_fhir_door_gives_the_apis_outcomes_and_grades(client, db, findings, vegf):
    query = {slug: value for slug, value in findings.items() if value != "unknown"}
    if vegf is not None:
        query.update({"vegf": vegf[0], "vegf_specimen": vegf[1]})
        if vegf[2] is not None:
            query["vegf_uln"] = vegf[2]
    response = get_response(client, query)
    bundle = evaluated(client, response)
    assert bundle["entry"][0]["resource"] == response
    found = {slug: outcome_and_grade(o) for slug, o in observations(bundle).items()}
    assert found == api_outcomes(client, query)


# --- Errors -------------------------------------------------------------------------------


def issue_keys(body):
    return [(issue["details"]["coding"][0]["code"], issue["expression"]) for issue in body["issue"]]


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"{",
        b"not json",
        b"\xff\xfe{}",
        b'{"resourceType": "QuestionnaireResponse", "status": "completed",}',
        b"[]",
        b"null",
        b'{"resourceType": "Patient", "id": "1"}',
        b'{"resourceType": "Bundle", "type": "collection"}',
        b'{"status": "completed"}',
    ],
)
def test_a_body_that_is_not_a_questionnaire_response_is_400(client, db, body):
    result = rejected(client, body, 400)
    assert result["issue"][0]["code"] in ("structure", "not-supported")


@pytest.mark.parametrize(
    ("change", "expression"),
    [
        ({"status": "done"}, "QuestionnaireResponse.status"),
        ({"status": None}, "QuestionnaireResponse.status"),
        ({"questionnaire": 7}, "QuestionnaireResponse.questionnaire"),
        ({"item": {"linkId": "polyneuropathy"}}, "QuestionnaireResponse.item"),
        ({"item": [{"answer": []}]}, "QuestionnaireResponse.item[0].linkId"),
        ({"item": [{"linkId": 3}]}, "QuestionnaireResponse.item[0].linkId"),
        ({"item": ["polyneuropathy"]}, "QuestionnaireResponse.item[0]"),
        ({"item": [{"linkId": "minor", "item": "x"}]}, "QuestionnaireResponse.item[0].item"),
        ({"item": [{"linkId": "clubbing", "answer": {}}]}, "QuestionnaireResponse.item[0].answer"),
        (
            {
                "item": [
                    {
                        "linkId": "endocrinopathy",
                        "answer": [coding_answer(FINDING_VALUE, "present")],
                        "item": [{"linkId": "endocrinopathy_adrenal"}],
                    }
                ]
            },
            "QuestionnaireResponse.item[0]",  # qrs-1: not under both item and answer
        ),
        (
            {
                "item": [
                    {"linkId": "clubbing", "answer": [{"valueString": "a", "valueBoolean": True}]}
                ]
            },
            "QuestionnaireResponse.item[0].answer[0]",
        ),
        (
            {"item": [{"linkId": "clubbing", "answer": [{"valueCoding": "present"}]}]},
            "QuestionnaireResponse.item[0].answer[0].valueCoding",
        ),
        (
            {"item": [{"linkId": "vegf", "answer": [{"valueQuantity": {"value": "350"}}]}]},
            "QuestionnaireResponse.item[0].answer[0].valueQuantity.value",
        ),
        (
            {"item": [{"linkId": "vegf", "answer": [{"valueQuantity": {"value": True}}]}]},
            "QuestionnaireResponse.item[0].answer[0].valueQuantity.value",
        ),
        (
            {"item": [{"linkId": "vegf", "answer": [{"valueQuantity": "350 pg/mL"}]}]},
            "QuestionnaireResponse.item[0].answer[0].valueQuantity",
        ),
        (
            {"item": [{"linkId": "vegf", "answer": [{"valueQuantity": {"value": 1, "code": 5}}]}]},
            "QuestionnaireResponse.item[0].answer[0].valueQuantity",
        ),
    ],
)
def test_a_response_that_is_not_valid_fhir_is_400(client, db, change, expression):
    resource = {**flat_response(), **change}
    if resource["status"] is None:
        del resource["status"]
    body = rejected(client, resource, 400)
    assert [issue["expression"] for issue in body["issue"]] == [[expression]]


@pytest.mark.parametrize(
    ("items", "errors"),
    [
        ([finding("made_up", "present")], [("unknown_key", ["made_up"])]),
        ([finding("clubbing", "unknown")], [("bad_answer", ["clubbing"])]),
        ([finding("clubbing", "maybe")], [("bad_answer", ["clubbing"])]),
        (
            [("clubbing", [coding_answer("http://snomed.info/sct", "present")])],
            [("bad_answer", ["clubbing"])],
        ),
        ([("clubbing", [{"valueBoolean": True}])], [("bad_answer", ["clubbing"])]),
        ([("clubbing", [{"item": []}])], [("bad_answer", ["clubbing"])]),
        ([("minor", [coding_answer(FINDING_VALUE, "present")])], [("bad_answer", ["minor"])]),
        (
            [
                (
                    "clubbing",
                    [
                        coding_answer(FINDING_VALUE, "present"),
                        coding_answer(FINDING_VALUE, "absent"),
                    ],
                )
            ],
            [("several_answers", ["clubbing"])],
        ),
        (
            [finding("clubbing", "present"), finding("clubbing", "absent")],
            [("conflicting_repeat", ["clubbing"])],
        ),
        ([quantity("vegf", 350)], [("specimen_required", ["vegf_specimen"])]),
        (
            [quantity("vegf", 350), specimen("blood")],
            [("bad_answer", ["vegf_specimen"])],
        ),
        (
            [quantity("vegf", 35, unit="ng/mL", system=UCUM, code="ng/mL"), specimen("serum")],
            [("bad_unit", ["vegf"])],
        ),
        ([quantity("vegf", 350, unit="pg/mL"), specimen("serum")], [("bad_unit", ["vegf"])]),
        (
            [quantity("vegf", 1000, comparator=">", system=UCUM, code="pg/mL"), specimen("serum")],
            [("comparator", ["vegf"])],
        ),
        ([quantity("vegf", -5), specimen("serum")], [("bad_number", ["vegf"])]),
        ([quantity("vegf", 2_000_000), specimen("serum")], [("out_of_range", ["vegf"])]),
        ([quantity("vegf", 1e300), specimen("serum")], [("out_of_range", ["vegf"])]),
        ([quantity("vegf", 1e-300), specimen("serum")], [("bad_number", ["vegf"])]),
        (
            [("vegf", [{"valueQuantity": {"system": UCUM, "code": "pg/mL"}}]), specimen("serum")],
            [("bad_number", ["vegf"])],
        ),
        ([("vegf", [{"valueDecimal": 350}]), specimen("serum")], [("bad_answer", ["vegf"])]),
        (
            [quantity("vegf", 350), specimen("serum"), quantity("vegf_uln", 2e6)],
            [("out_of_range", ["vegf_uln"])],
        ),
        (
            [finding("made_up", "present"), finding("clubbing", "maybe"), quantity("vegf", 350)],
            [
                ("unknown_key", ["made_up"]),
                ("bad_answer", ["clubbing"]),
                ("specimen_required", ["vegf_specimen"]),
            ],
        ),
    ],
)
def test_a_response_the_checklist_cannot_take_is_422_naming_each_item(client, db, items, errors):
    body = rejected(client, flat_response(*items), 422)
    assert issue_keys(body) == errors


def test_a_response_to_another_questionnaire_or_entered_in_error_is_422(client, db):
    other = flat_response(questionnaire="http://example.org/fhir/Questionnaire/phq-9")
    assert issue_keys(rejected(client, other, 422)) == [
        ("other_questionnaire", ["QuestionnaireResponse.questionnaire"])
    ]
    wrong = flat_response(status="entered-in-error")
    assert issue_keys(rejected(client, wrong, 422)) == [
        ("entered_in_error", ["QuestionnaireResponse.status"])
    ]


def test_too_many_items_is_422(client, db):
    too_many = [("too_many_fields", ["QuestionnaireResponse.item"])]
    many = flat_response(*([finding("clubbing", "present")] * 200))
    assert issue_keys(rejected(client, many, 422)) == too_many
    # Fewer items, but more answers than one checklist's query string takes.
    answers = flat_response(*([finding("clubbing", "present")] * 100))
    assert issue_keys(rejected(client, answers, 422)) == too_many
    # Deep nesting is read without recursion, and bounded the same way.
    deep = {"linkId": "minor"}
    for _ in range(300):
        deep = {"linkId": "minor", "item": [deep]}
    rejected(client, flat_response() | {"item": [deep]}, 422)


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/xml",
        "application/fhir+xml",
        "application/x-www-form-urlencoded",
        "application/fhir+json; charset=latin-1",
        "application/fhir+json; fhirVersion=3.0",
        "application/fhir+json; fhirVersion=5.0",
    ],
)
def test_another_media_type_is_415(client, db, content_type):
    response = post(client, get_response(client, MAYO_MET), content_type)
    assert fhir_body(response, 415)["issue"][0]["code"] == "not-supported"


@pytest.mark.parametrize(
    "content_type",
    ["application/fhir+json; fhirVersion=4.0", "application/json; fhirVersion=4.0; charset=utf-8"],
)
def test_a_body_that_says_it_is_r4_is_taken(client, db, content_type):
    response = post(client, get_response(client, MAYO_MET), content_type)
    assert fhir_body(response)["resourceType"] == "Bundle"


def test_a_body_over_one_mebibyte_is_413_and_one_mebibyte_is_read(client, db):
    resource = json.dumps(get_response(client, MAYO_MET)).encode()
    limit = 1024 * 1024
    padded = resource + b" " * (limit - len(resource))
    assert len(padded) == limit
    fhir_body(post(client, padded))
    assert fhir_body(post(client, padded + b" "), 413)["issue"][0]["code"] == "too-long"


def test_a_declared_length_over_one_mebibyte_is_413_unread(client, db):
    response = post(client, b"{}", CONTENT_LENGTH=str(2 * 1024 * 1024))
    assert fhir_body(response, 413)["issue"][0]["code"] == "too-long"


def test_a_body_without_a_length_is_still_bounded(rf):
    # As under ASGI, where a chunked body has no Content-Length to check first.
    request = rf.generic("POST", EVALUATE, CONTENT_TYPE=FHIR_JSON, CONTENT_LENGTH="chunked")
    request._stream = io.BytesIO(b" " * (1024 * 1024 + 1))
    response = fhir_views.evaluate(request)
    assert fhir_body(response, 413)["issue"][0]["code"] == "too-long"


def test_a_failure_is_an_operation_outcome_never_an_html_page(client, db, monkeypatch):
    def broken():
        raise RuntimeError("broken")

    monkeypatch.setattr(fhir, "questionnaire", broken)
    body = fhir_body(client.get(QUESTIONNAIRE), 500)
    assert body["issue"][0]["code"] == "exception"


@pytest.mark.parametrize(
    ("path", "method", "allow"),
    [
        (EVALUATE, "get", "POST"),
        (EVALUATE, "put", "POST"),
        (EVALUATE, "delete", "POST"),
        (EVALUATE, "options", "POST"),
        (QUESTIONNAIRE, "post", "GET, HEAD"),
        (QUESTIONNAIRE, "put", "GET, HEAD"),
        (RESPONSE, "post", "GET, HEAD"),
        (RESPONSE, "delete", "GET, HEAD"),
    ],
)
def test_other_methods_are_405_with_allow(client, db, path, method, allow):
    response = getattr(client, method)(path)
    fhir_body(response, 405)
    assert response["Allow"] == allow


@pytest.mark.parametrize("path", [QUESTIONNAIRE, f"{RESPONSE}?polyneuropathy=present"])
def test_head_is_answered(client, db, path):
    response = client.head(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_every_answer_is_never_stored_and_sets_no_cookie(client, db):
    """Each kind of answer, errors included, checked by fhir_body (no-store, no cookie)."""
    client.cookies["sessionid"] = "abc"
    resource = get_response(client, MAYO_MET)
    answers = [
        (client.get(QUESTIONNAIRE), 200),
        (client.get(f"{RESPONSE}?{urlencode(MAYO_MET)}"), 200),
        (client.get(f"{RESPONSE}?polyneuropathy=maybe"), 400),
        (post(client, resource), 200),
        (post(client, b"{"), 400),
        (post(client, flat_response(finding("made_up", "present"))), 422),
        (post(client, resource, "text/plain"), 415),
        (post(client, b" " * (1024 * 1024 + 1)), 413),
        (client.get(EVALUATE), 405),
    ]
    for response, status in answers:
        fhir_body(response, status)
        assert "private" in response["Cache-Control"]


# --- No body breaks it --------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(
        st.sampled_from(
            ["linkId", "answer", "item", "valueCoding", "valueQuantity", "value", "system",
             "code", "comparator", "unit", "status", "resourceType", "x"]
        ),
        children,
        max_size=4,
    ),
    max_leaves=12,
)  # fmt: skip
LINK_IDS = st.sampled_from(
    [*SLUGS[:4], "endocrinopathy", "endocrinopathy_thyroid", *MEASURED, "minor", "nope"]
)
ANSWERS = st.one_of(
    st.builds(coding_answer, st.sampled_from([FINDING_VALUE, "x"]), st.sampled_from(
        ["present", "absent", "unknown", "serum", ""])),
    st.builds(
        lambda value, code: {"valueQuantity": {"value": value, "system": UCUM, "code": code}},
        st.integers(-10, 2_000_000) | st.floats(allow_nan=False, allow_infinity=False),
        st.sampled_from(["pg/mL", "ng/mL"]),
    ),
    st.builds(lambda value: {"valueBoolean": value}, st.booleans()),
    JSON_VALUES,
)  # fmt: skip
ITEMS = st.recursive(
    st.fixed_dictionaries({"linkId": LINK_IDS}, optional={"answer": st.lists(ANSWERS, max_size=2)}),
    lambda children: st.fixed_dictionaries(
        {"linkId": LINK_IDS}, optional={"item": st.lists(children, max_size=3)}
    ),
    max_leaves=8,
)


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.one_of(
        JSON_VALUES,
        st.builds(
            lambda items, status: {
                "resourceType": "QuestionnaireResponse",
                "status": status,
                "item": items,
            },
            st.lists(ITEMS, max_size=4),
            st.sampled_from(["completed", "in-progress", "stopped", "nope"]),
        ),
    )
)
def test_no_body_breaks_evaluate(client, db, resource):
    response = post(client, resource)
    event(f"status {response.status_code}")
    assert response.status_code in (200, 400, 422)
    body = fhir_body(response, response.status_code)
    assert body["resourceType"] == ("Bundle" if response.status_code == 200 else "OperationOutcome")


# --- Size ---------------------------------------------------------------------------------


def test_a_typical_bundle_stays_small(client, db):
    """Six findings and a VEGF: the whole Bundle, as sent (README, "FHIR")."""
    query = {
        "polyneuropathy": "present",
        "monoclonal_plasma_cell_disorder": "present",
        "sclerotic_bone_lesions": "present",
        "organomegaly": "absent",
        "skin_changes": "present",
        "papilledema": "absent",
        "vegf": "1200",
        "vegf_specimen": "serum",
    }
    response = post(client, get_response(client, query))
    fhir_body(response)
    assert len(response.content) < 12_000
