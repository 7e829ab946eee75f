"""The checklist in HL7 FHIR R4 (4.0.1): the Questionnaire, a checklist as a
QuestionnaireResponse, a QuestionnaireResponse read back into the checklist's own
input, the $evaluate Bundle and OperationOutcomes (README, "FHIR").

Resources are plain dicts of FHIR JSON, built here and nowhere else; the views
(checklist.fhir_views) only pass requests in and bytes out. Nothing here decides a
rule or reads a value its own way: the Questionnaire is generated from the rules'
findings (SUBFINDINGS), the checklist's groups (checklist.form) and the content's
words; a QuestionnaireResponse becomes the query string the checklist would have been
given, read by checklist.query.parse with the checklist's own rules; the evaluation is
checklist.rules.evaluate, and each Observation is made from the JSON API's own
payload (checklist.api), so every door gives the same result in the same words.

No resource carries a patient's identity or the time of a test.
"""

import uuid
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

import orjson
from django.conf import settings
from django.utils.translation import gettext_noop as _
from django.utils.translation import override

from checklist import api, messages, query
from checklist.form import GROUPS
from checklist.labels import finding_label, finding_words, investigation_words
from checklist.rules import (
    ABSENT,
    CRITERIA_SETS_BY_SLUG,
    FINDINGS,
    PRESENT,
    RULES_VERSION,
    SPECIMENS,
    SUBFINDINGS,
    UNKNOWN,
    Case,
    evaluate,
)
from common.i18n import translator

FHIR_VERSION = "4.0.1"
QUESTIONNAIRE_ID = "poems-criteria"
# The language of every resource's own text; the Questionnaire adds translations.
LANGUAGE = "en"
# Django's language code -> the BCP 47 tag FHIR's translation extension carries.
TRANSLATIONS = (("zh-hans", "zh-Hans"), ("ja", "ja"))

UCUM = "http://unitsofmeasure.org"
PG_PER_ML = "pg/mL"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
UNIT_OPTION = "http://hl7.org/fhir/StructureDefinition/questionnaire-unitOption"
DATA_ABSENT_REASON = "http://terminology.hl7.org/CodeSystem/data-absent-reason"

# This site's code systems, under SITE_BASE_URL (code_system()).
FINDING_VALUE = "finding-value"
SPECIMEN = "vegf-specimen"
CRITERIA_SET = "criteria-set"
OUTCOME = "outcome"
GRADE = "grade"
RESULT_COMPONENT = "result-component"
INPUT_ERROR = "input-error"

# The group that holds the measured VEGF: on the checklist it follows the minor criteria.
MEASURED_GROUP = "measured_vegf"
MEASURED_AFTER = "minor"
MEASURED_TITLE = _("Measured VEGF (optional)")
MEASURE_TEXTS = {
    query.VEGF: _("VEGF concentration (pg/mL)"),
    query.VEGF_SPECIMEN: _("Specimen"),
    query.VEGF_ULN: _("Laboratory's upper limit of normal (pg/mL, optional)"),
}
TITLE = _("POEMS syndrome criteria checklist")

# The answers a finding takes; unknown is no answer.
FINDING_ANSWERS = (PRESENT, ABSENT)

# R4 QuestionnaireResponse.status (required binding).
QR_STATUSES = ("in-progress", "completed", "amended", "entered-in-error", "stopped")
ENTERED_IN_ERROR = "entered-in-error"
# R4's answer[x] types: any other "value..." element is not FHIR.
ANSWER_TYPES = frozenset(
    "value" + kind
    for kind in (
        "Boolean",
        "Decimal",
        "Integer",
        "Date",
        "DateTime",
        "Time",
        "String",
        "Uri",
        "Attachment",
        "Coding",
        "Quantity",
        "Reference",
    )
)
# More items than a whole checklist could use twice over is not a checklist.
MAX_ITEMS = 128
QR = "QuestionnaireResponse"

# Error codes of $evaluate beyond checklist.query's (CodeSystem input-error).
BAD_ANSWER = "bad_answer"
SEVERAL_ANSWERS = "several_answers"
BAD_UNIT = "bad_unit"
COMPARATOR = "comparator"
OTHER_QUESTIONNAIRE = "other_questionnaire"
NOT_EVALUATED_STATUS = "entered_in_error"
NOT_JSON = "not_json"
# The query string's own code, with words for a body.
TOO_MANY_ITEMS = query.TOO_MANY_FIELDS
NOT_A_QUESTIONNAIRE_RESPONSE = "not_a_questionnaire_response"
BAD_STRUCTURE = "bad_structure"

# The FHIR words are English (LANGUAGE): these are not for translation.
EVALUATE_ERRORS = {
    BAD_ANSWER: "This answer is not one of the item's options.",
    SEVERAL_ANSWERS: "This item takes one answer.",
    BAD_UNIT: "Give the value in pg/mL (system http://unitsofmeasure.org, code pg/mL).",
    COMPARATOR: "Give the value itself, without a comparator.",
    OTHER_QUESTIONNAIRE: "This QuestionnaireResponse answers another Questionnaire.",
    NOT_EVALUATED_STATUS: "A QuestionnaireResponse entered in error is not evaluated.",
    NOT_JSON: "The body is not JSON.",
    TOO_MANY_ITEMS: "The QuestionnaireResponse has far more items than the checklist.",
    NOT_A_QUESTIONNAIRE_RESPONSE: "Send one QuestionnaireResponse.",
}

# R4 IssueType for each error code.
ISSUE_TYPES = {
    query.TOO_MANY_FIELDS: "too-long",
    query.UNKNOWN_KEY: "not-supported",
    query.BAD_VALUE: "code-invalid",
    query.BAD_ENCODING: "invalid",
    query.CONFLICTING_REPEAT: "duplicate",
    query.BAD_NUMBER: "value",
    query.OUT_OF_RANGE: "value",
    query.SPECIMEN_REQUIRED: "required",
    query.BAD_SPECIMEN: "code-invalid",
    query.BAD_LANGUAGE: "code-invalid",
    BAD_ANSWER: "code-invalid",
    SEVERAL_ANSWERS: "structure",
    BAD_UNIT: "value",
    COMPARATOR: "value",
    OTHER_QUESTIONNAIRE: "not-supported",
    NOT_EVALUATED_STATUS: "business-rule",
    NOT_JSON: "structure",
    NOT_A_QUESTIONNAIRE_RESPONSE: "not-supported",
    BAD_STRUCTURE: "structure",
}

# What each linkId of the Questionnaire is.
GROUP, FINDING, QUANTITY, CHOICE = "group", "finding", "quantity", "choice"
LINK_KINDS = {
    **dict.fromkeys((key for key, _title, _slugs in GROUPS), GROUP),
    MEASURED_GROUP: GROUP,
    **dict.fromkeys(FINDINGS, FINDING),
    query.VEGF: QUANTITY,
    query.VEGF_ULN: QUANTITY,
    query.VEGF_SPECIMEN: CHOICE,
}


# ------------------------------------------------------------------ names


def code_system(name):
    """The URL of one of this site's code systems."""
    return f"{settings.SITE_BASE_URL}/fhir/CodeSystem/{name}"


def questionnaire_url():
    return f"{settings.SITE_BASE_URL}/fhir/Questionnaire/{QUESTIONNAIRE_ID}"


def questionnaire_reference():
    """The canonical reference a QuestionnaireResponse gives: url|version."""
    return f"{questionnaire_url()}|{RULES_VERSION}"


def _capitalized(text):
    """An answer's display as the checklist shows it ("Serum")."""
    return text[:1].upper() + text[1:]


def _coding(system, code, display=""):
    coding = {"system": code_system(system), "code": code}
    if display:
        coding["display"] = display
    return coding


def _concept(system, code, display):
    return {"coding": [_coding(system, code, display)], "text": display}


# ------------------------------------------------------------------ the Questionnaire


def _translated(element, texts):
    """{element: English, _element: the translations} for `texts` ({language: text}).

    A translation that only repeats the English (a string not yet translated) is left
    out: FHIR readers then fall back to the English themselves.
    """
    english = texts[LANGUAGE]
    extensions = [
        {
            "url": TRANSLATION,
            "extension": [
                {"url": "lang", "valueCode": tag},
                {"url": "content", "valueString": texts[language]},
            ],
        }
        for language, tag in TRANSLATIONS
        if texts[language] and texts[language] != english
    ]
    words = {element: english}
    if extensions:
        words["_" + element] = {"extension": extensions}
    return words


class _Words:
    """The words of every language the Questionnaire speaks."""

    def __init__(self):
        self.languages = (LANGUAGE, *(language for language, _tag in TRANSLATIONS))
        self.findings = {}
        for language in self.languages:
            self.findings[language] = finding_words(language)
        self.gettext = {language: translator(language) for language in self.languages}

    def finding(self, slug):
        return {
            language: finding_label(self.findings[language], slug) for language in self.languages
        }

    def message(self, message, capitalize=False):
        texts = {language: self.gettext[language](message) for language in self.languages}
        if capitalize:
            texts = {language: _capitalized(text) for language, text in texts.items()}
        return texts


def _option(words, system, code, message):
    coding = {"system": code_system(system), "code": code}
    coding.update(_translated("display", words.message(message, capitalize=True)))
    return {"valueCoding": coding}


def _finding_question(words, slug):
    item = {"linkId": slug, **_translated("text", words.finding(slug)), "type": "choice"}
    item["answerOption"] = [
        _option(words, FINDING_VALUE, value, messages.VALUES[value]) for value in FINDING_ANSWERS
    ]
    if slug in SUBFINDINGS:
        item["item"] = [_finding_question(words, child) for child in SUBFINDINGS[slug]]
    return item


def _quantity_question(words, key, **more):
    unit = {
        "url": UNIT_OPTION,
        "valueCoding": {"system": UCUM, "code": PG_PER_ML, "display": PG_PER_ML},
    }
    return {
        "extension": [unit],
        "linkId": key,
        **_translated("text", words.message(MEASURE_TEXTS[key])),
        "type": "quantity",
        **more,
    }


def _measured_group(words):
    # The specimen and the upper limit of normal count only with a value.
    when_measured = {
        "enableWhen": [{"question": query.VEGF, "operator": "exists", "answerBoolean": True}]
    }
    specimen = {
        "linkId": query.VEGF_SPECIMEN,
        **_translated("text", words.message(MEASURE_TEXTS[query.VEGF_SPECIMEN])),
        "type": "choice",
        **when_measured,
        "required": True,
        "answerOption": [
            _option(words, SPECIMEN, specimen, messages.SPECIMENS[specimen])
            for specimen in SPECIMENS
        ],
    }
    return {
        "linkId": MEASURED_GROUP,
        **_translated("text", words.message(MEASURED_TITLE)),
        "type": "group",
        "item": [
            _quantity_question(words, query.VEGF),
            specimen,
            _quantity_question(words, query.VEGF_ULN, **when_measured),
        ],
    }


def questionnaire():
    """The checklist as a Questionnaire: its groups in order, each finding a choice of
    present or absent (unknown is no answer), sub-findings under their parent, and the
    measured VEGF after the minor criteria."""
    words = _Words()
    items = []
    for key, title, slugs in GROUPS:
        items.append(
            {
                "linkId": key,
                **_translated("text", words.message(title)),
                "type": "group",
                "item": [_finding_question(words, slug) for slug in slugs],
            }
        )
        if key == MEASURED_AFTER:
            items.append(_measured_group(words))
    return {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "language": LANGUAGE,
        "url": questionnaire_url(),
        "version": RULES_VERSION,
        "name": "POEMSCriteria",
        **_translated("title", words.message(TITLE)),
        "status": "active",
        "experimental": False,
        "subjectType": ["Patient"],
        "description": (
            "The POEMS syndrome criteria checklist, generated from the rules (version "
            f"{RULES_VERSION}). Each finding is present or absent; a finding not assessed "
            "has no answer, and is never read as absent. POST a QuestionnaireResponse to "
            "/api/v1/fhir/$evaluate for the result under each published criteria set."
        ),
        "item": items,
    }


# ------------------------------------------------------------------ a QuestionnaireResponse


def _answered_finding(words, parsed, slug):
    """The finding's item, or None when it and its sub-findings are all unknown.

    A question's sub-items go under its answer; when it has none, under the item
    itself (R4's qrs-1: never under both).
    """
    children = [
        child
        for child in (_answered_finding(words, parsed, sub) for sub in SUBFINDINGS.get(slug, ()))
        if child is not None
    ]
    value = parsed.findings[slug]
    if value == UNKNOWN and not children:
        return None
    item = {"linkId": slug, "text": finding_label(words, slug)}
    if value == UNKNOWN:
        item["item"] = children
        return item
    translate = translator(LANGUAGE)
    answer = {"valueCoding": _coding(FINDING_VALUE, value, translate(messages.VALUES[value]))}
    if children:
        answer["item"] = children
    item["answer"] = [answer]
    return item


def _quantity(value):
    return {"value": value, "unit": PG_PER_ML, "system": UCUM, "code": PG_PER_ML}


def _measured_answers(vegf):
    translate = translator(LANGUAGE)
    items = [
        {
            "linkId": query.VEGF,
            "text": translate(MEASURE_TEXTS[query.VEGF]),
            "answer": [{"valueQuantity": _quantity(vegf.value)}],
        },
        {
            "linkId": query.VEGF_SPECIMEN,
            "text": translate(MEASURE_TEXTS[query.VEGF_SPECIMEN]),
            "answer": [
                {
                    "valueCoding": _coding(
                        SPECIMEN,
                        vegf.specimen,
                        _capitalized(translate(messages.SPECIMENS[vegf.specimen])),
                    )
                }
            ],
        },
    ]
    if vegf.uln is not None:
        items.append(
            {
                "linkId": query.VEGF_ULN,
                "text": translate(MEASURE_TEXTS[query.VEGF_ULN]),
                "answer": [{"valueQuantity": _quantity(vegf.uln)}],
            }
        )
    return {"linkId": MEASURED_GROUP, "text": translate(MEASURED_TITLE), "item": items}


def questionnaire_response(parsed, status="completed"):
    """A valid checklist (checklist.query) as a QuestionnaireResponse with no subject.

    Only what was given appears: a finding that is unknown has no item (unless a
    sub-finding under it has an answer: then it has an item with no answer), a group
    with nothing answered has no item.
    """
    words = finding_words(LANGUAGE)
    translate = translator(LANGUAGE)
    items = []
    for key, title, slugs in GROUPS:
        answered = [
            item
            for item in (_answered_finding(words, parsed, slug) for slug in slugs)
            if item is not None
        ]
        if answered:
            items.append({"linkId": key, "text": translate(title), "item": answered})
        if key == MEASURED_AFTER and parsed.vegf is not None:
            items.append(_measured_answers(parsed.vegf))
    resource = {
        "resourceType": "QuestionnaireResponse",
        "language": LANGUAGE,
        "questionnaire": questionnaire_reference(),
        "status": status,
    }
    if items:
        resource["item"] = items
    return resource


# ------------------------------------------------------------------ errors


@dataclass(frozen=True, slots=True)
class Issue:
    """One error: its code (checklist.query's or EVALUATE_ERRORS'), what it says, and
    where (the checklist key, which is the item's linkId, or a FHIRPath)."""

    code: str
    text: str
    expression: str = ""
    # The IssueType, when the code (then "") does not give it.
    issue_type: str = ""


class Rejected(Exception):
    """A request that cannot be answered with a resource: its HTTP status and issues."""

    def __init__(self, status, issues):
        super().__init__(status)
        self.status = status
        self.issues = tuple(issues)


def operation_outcome(issues):
    return {
        "resourceType": "OperationOutcome",
        "issue": [_issue(issue) for issue in issues],
    }


def _issue(issue):
    entry = {"severity": "error", "code": issue.issue_type or ISSUE_TYPES[issue.code]}
    details = {"text": issue.text}
    if issue.code in ISSUE_TYPES:
        details["coding"] = [_coding(INPUT_ERROR, issue.code)]
    entry["details"] = details
    if issue.expression:
        entry["expression"] = [issue.expression]
    return entry


def http_issue(issue_type, text):
    """An issue about the request itself (method, media type, size): no error code of ours."""
    return Issue("", text, issue_type=issue_type)


def _query_issue(code, key):
    """An error of checklist.query's, in its own words, named by its key."""
    return Issue(code, translator(LANGUAGE)(messages.ERRORS[code]), key)


def query_issues(errors):
    """checklist.query's errors ({key: code}) as issues, each named by its key."""
    return [_query_issue(code, key) for key, code in errors.items()]


# ------------------------------------------------------------------ reading a QuestionnaireResponse


def _structure(path, text):
    return Issue(BAD_STRUCTURE, text, path)


def _evaluate_issue(code, expression):
    return Issue(code, EVALUATE_ERRORS[code], expression)


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _plain_decimal(number):
    """A JSON number as the checklist's plain decimal text (never in exponent form)."""
    if isinstance(number, int):
        return str(number)
    return format(Decimal(repr(number)), "f")


class _Reader:
    """Reads the items of a QuestionnaireResponse into (key, value) pairs of the
    checklist's query string, and what cannot be read: `structure` (not valid FHIR:
    400) and `unfit` (valid, but not a checklist: 422)."""

    def __init__(self):
        self.pairs = []
        self.structure = []
        self.unfit = []
        self.count = 0

    def read(self, items, path):
        # Depth first, in document order, without recursion (nesting is unbounded).
        pending = [(items, path)]
        while pending:
            items, path = pending.pop()
            if not isinstance(items, list):
                self.structure.append(_structure(path, "Expected an array of items."))
                continue
            nested = []
            for index, item in enumerate(items):
                self.count += 1
                if self.count > MAX_ITEMS:
                    return
                nested.extend(self._item(item, f"{path}[{index}]"))
            pending.extend(reversed(nested))

    def _item(self, item, path):
        """Reads one item; returns its sub-item lists, each with its path."""
        if not isinstance(item, dict):
            self.structure.append(_structure(path, "Expected an item (a JSON object)."))
            return []
        link_id = item.get("linkId")
        if not isinstance(link_id, str) or not link_id:
            self.structure.append(_structure(f"{path}.linkId", "Every item needs a linkId."))
            return []
        answers = item.get("answer", [])
        if not isinstance(answers, list) or not all(isinstance(a, dict) for a in answers):
            self.structure.append(_structure(f"{path}.answer", "Expected an array of answers."))
            return []
        nested = []
        if "item" in item:
            if answers:
                self.structure.append(
                    _structure(path, "An item's sub-items go under its answer (qrs-1).")
                )
                return []
            nested.append((item["item"], f"{path}.item"))
        for index, answer in enumerate(answers):
            if "item" in answer:
                nested.append((answer["item"], f"{path}.answer[{index}].item"))
        self._answers(link_id, answers, f"{path}.answer")
        return nested

    def _answers(self, link_id, answers, path):
        kind = LINK_KINDS.get(link_id)
        if kind is None:
            self.unfit.append(_query_issue(query.UNKNOWN_KEY, link_id))
            return
        values = []
        for index, answer in enumerate(answers):
            elements = [key for key in answer if key.startswith("value")]
            if len(elements) > 1 or not set(elements) <= ANSWER_TYPES:
                self.structure.append(_structure(f"{path}[{index}]", "Expected one answer[x]."))
                return
            values.append((elements[0], answer[elements[0]]) if elements else (None, None))
        if not values:
            return  # not answered: unknown
        if kind == GROUP:
            self.unfit.append(_evaluate_issue(BAD_ANSWER, link_id))
        elif len(values) > 1:
            self.unfit.append(_evaluate_issue(SEVERAL_ANSWERS, link_id))
        elif kind == QUANTITY:
            self._quantity(link_id, *values[0], f"{path}[0]")
        elif kind == FINDING:
            self._coding(link_id, *values[0], FINDING_VALUE, FINDING_ANSWERS, f"{path}[0]")
        else:
            self._coding(link_id, *values[0], SPECIMEN, SPECIMENS, f"{path}[0]")

    def _coding(self, link_id, element, value, system, codes, path):
        if element != "valueCoding":
            self.unfit.append(_evaluate_issue(BAD_ANSWER, link_id))
            return
        if not isinstance(value, dict) or not all(
            isinstance(value.get(key, ""), str) for key in ("system", "code", "display")
        ):
            self.structure.append(_structure(f"{path}.valueCoding", "Expected a Coding."))
            return
        if value.get("system") != code_system(system) or value.get("code") not in codes:
            self.unfit.append(_evaluate_issue(BAD_ANSWER, link_id))
            return
        self.pairs.append((link_id, value["code"]))

    def _quantity(self, link_id, element, value, path):
        if element != "valueQuantity":
            self.unfit.append(_evaluate_issue(BAD_ANSWER, link_id))
            return
        where = f"{path}.valueQuantity"
        if not isinstance(value, dict):
            self.structure.append(_structure(where, "Expected a Quantity."))
            return
        if "value" in value and not _is_number(value["value"]):
            self.structure.append(_structure(f"{where}.value", "Expected a number."))
            return
        if not all(
            isinstance(value.get(key, ""), str) for key in ("unit", "system", "code", "comparator")
        ):
            self.structure.append(_structure(where, "Expected a Quantity."))
            return
        if "comparator" in value:
            self.unfit.append(_evaluate_issue(COMPARATOR, link_id))
        elif value.get("system") != UCUM or value.get("code") != PG_PER_ML:
            self.unfit.append(_evaluate_issue(BAD_UNIT, link_id))
        elif "value" not in value:
            self.unfit.append(_query_issue(query.BAD_NUMBER, link_id))
        elif value["value"] > query.VEGF_MAX:
            self.unfit.append(_query_issue(query.OUT_OF_RANGE, link_id))
        else:
            self.pairs.append((link_id, _plain_decimal(value["value"])))


def _resource(body):
    try:
        resource = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise Rejected(400, [_evaluate_issue(NOT_JSON, "")]) from None
    if not isinstance(resource, dict) or resource.get("resourceType") != QR:
        raise Rejected(400, [_evaluate_issue(NOT_A_QUESTIONNAIRE_RESPONSE, "")])
    return resource


def _status(resource):
    status = resource.get("status")
    if status not in QR_STATUSES:
        raise Rejected(
            400,
            [_structure(f"{QR}.status", f"The status must be one of {', '.join(QR_STATUSES)}.")],
        )
    return status


def _checks_questionnaire(resource):
    """[] when the resource answers this Questionnaire (any version) or names none."""
    if "questionnaire" not in resource:
        return []
    reference = resource["questionnaire"]
    if not isinstance(reference, str):
        raise Rejected(400, [_structure(f"{QR}.questionnaire", "Expected a canonical URL.")])
    if reference.partition("|")[0] == questionnaire_url():
        return []
    return [_evaluate_issue(OTHER_QUESTIONNAIRE, f"{QR}.questionnaire")]


def read_questionnaire_response(body):
    """The checklist a QuestionnaireResponse (JSON bytes) gives, and its status.

    Raises Rejected: 400 when the body is not a QuestionnaireResponse, 422 when it is
    one the checklist cannot take (each issue names the linkId, which is the key).
    """
    resource = _resource(body)
    status = _status(resource)
    unfit = _checks_questionnaire(resource)
    if status == ENTERED_IN_ERROR:
        unfit.append(_evaluate_issue(NOT_EVALUATED_STATUS, f"{QR}.status"))
    reader = _Reader()
    reader.read(resource.get("item", []), f"{QR}.item")
    if reader.structure:
        raise Rejected(400, reader.structure)
    if reader.count > MAX_ITEMS:
        raise Rejected(422, [*unfit, _evaluate_issue(TOO_MANY_ITEMS, f"{QR}.item")])
    unfit.extend(reader.unfit)
    parsed = query.parse(urlencode(reader.pairs))
    if query.QUERY in parsed.errors:  # too many answers for one query string
        raise Rejected(422, [*unfit, _evaluate_issue(TOO_MANY_ITEMS, f"{QR}.item")])
    named = {issue.expression for issue in unfit}
    unfit.extend(issue for issue in query_issues(parsed.errors) if issue.expression not in named)
    if unfit:
        raise Rejected(422, unfit)
    return parsed, status


# ------------------------------------------------------------------ $evaluate


def _urn():
    return f"urn:uuid:{uuid.uuid4()}"


def _source_note(source):
    parts = [source["citation"]]
    if source["pmid"]:
        parts.append(f"PMID: {source['pmid']}.")
    if source["doi"]:
        parts.append(f"DOI: {source['doi']}.")
    if source["url"]:
        parts.append(source["url"])
    return " ".join(parts)


def _grade_component(result):
    component = {"code": _concept(RESULT_COMPONENT, "grade", "Grade")}
    if result["grade"]:
        component["valueCodeableConcept"] = _concept(GRADE, result["grade"], result["grade_label"])
    else:
        # No grade is certainly met: none can be (not met), or not yet known.
        reason = "not-applicable" if result["outcome"] == "not_met" else "temp-unknown"
        component["dataAbsentReason"] = {"coding": [{"system": DATA_ABSENT_REASON, "code": reason}]}
    return component


def _extra_grade_components(criteria_set, result, translate):
    """Categories reported for information only (Japan's "possible"): their status."""
    return [
        {
            "code": _concept(GRADE, extra.slug, translate(extra.label)),
            "valueCodeableConcept": {
                "coding": [_coding(OUTCOME, result["extra_grades"][extra.slug])],
                "text": translate(messages.STATUSES[result["extra_grades"][extra.slug]]),
            },
        }
        for extra in criteria_set.extra_grades
    ]


def observation(slug, result, derived_from, translate):
    """One criteria set's result (an entry of the JSON API's `results`) as an Observation."""
    criteria_set = CRITERIA_SETS_BY_SLUG[slug]
    resource = {
        "resourceType": "Observation",
        "status": "final",
        "code": _concept(CRITERIA_SET, slug, result["label"]),
        "valueCodeableConcept": _concept(OUTCOME, result["outcome"], result["outcome_label"]),
        "derivedFrom": [{"reference": derived_from}],
        "note": [
            {
                "text": (
                    f"POEMS Criteria rules version {RULES_VERSION}; "
                    f"{result['label']}, version {result['version']}."
                )
            },
            {"text": _source_note(result["source"])},
            *({"text": warning["message"]} for warning in result["warnings"]),
        ],
    }
    components = []
    if criteria_set.grades:
        components.append(_grade_component(result))
    components.extend(_extra_grade_components(criteria_set, result, translate))
    if components:
        resource["component"] = components
    return resource


def evaluation_bundle(parsed, status):
    """The $evaluate answer: a collection of the QuestionnaireResponse (normalised: as
    this site writes that checklist) and one Observation per criteria set."""
    translate = translator(LANGUAGE)
    with override(LANGUAGE):
        results = evaluate(Case(parsed.findings, parsed.vegf))
        payload = api.api_payload(
            parsed, results, finding_words(LANGUAGE), investigation_words(LANGUAGE), translate
        )
    response_url = _urn()
    entries = [{"fullUrl": response_url, "resource": questionnaire_response(parsed, status)}]
    entries.extend(
        {"fullUrl": _urn(), "resource": observation(slug, result, response_url, translate)}
        for slug, result in payload["results"].items()
    )
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def evaluate_body(body):
    """POST $evaluate: the Bundle for a QuestionnaireResponse (JSON bytes); raises Rejected."""
    parsed, status = read_questionnaire_response(body)
    return evaluation_bundle(parsed, status)
