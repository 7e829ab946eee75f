"""Reading a checklist from a query string, exactly as the contract allows.

Plain Python (no Django): the pages, the PDF and the API all read their input here,
so they accept and refuse exactly the same things. Errors are codes; the web layer
words them in the reader's language.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import unquote_plus

from checklist.rules import FINDINGS, SPECIMENS, UNKNOWN, VALUES, Measurement

VEGF = "vegf"
VEGF_SPECIMEN = "vegf_specimen"
VEGF_ULN = "vegf_uln"
MEASUREMENT_KEYS = (VEGF, VEGF_SPECIMEN, VEGF_ULN)
LANG = "lang"
LANGUAGES = ("en", "zh-hans", "ja")
TRACKING_KEYS = ("fbclid", "gclid", "msclkid")
TRACKING_PREFIX = "utm_"
# 26 findings, 3 measurements, a language and a few tracking keys fit well inside this.
MAX_FIELDS = 64
MAX_QUERY_LENGTH = 4096
VEGF_MAX = Decimal(1_000_000)
# The contract's "plain decimal number": digits with an optional decimal point.
_VEGF_PATTERN = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
VEGF_MAX_LENGTH = 40

# Error codes (see checklist.texts for their words).
TOO_MANY_FIELDS = "too_many_fields"
UNKNOWN_KEY = "unknown_key"
BAD_VALUE = "bad_value"
BAD_ENCODING = "bad_encoding"
CONFLICTING_REPEAT = "conflicting_repeat"
BAD_NUMBER = "bad_number"
OUT_OF_RANGE = "out_of_range"
SPECIMEN_REQUIRED = "specimen_required"
BAD_SPECIMEN = "bad_specimen"
BAD_LANGUAGE = "bad_language"
QUERY = "query"  # the key for errors about the query string as a whole


@dataclass
class ChecklistQuery:
    """Findings (every slug, defaulting to unknown), the optional VEGF and any errors."""

    findings: dict = field(default_factory=lambda: dict.fromkeys(FINDINGS, UNKNOWN))
    vegf: Measurement | None = None
    # The measurement fields as typed, kept to show the form again.
    vegf_text: str = ""
    vegf_specimen: str = ""
    vegf_uln_text: str = ""
    language: str = ""
    errors: dict = field(default_factory=dict)

    @property
    def is_valid(self):
        return not self.errors

    def canonical_query(self):
        """The shortest query string for this state: what share links and redirects use.

        Every key and value here is a slug, a value word or a plain decimal, none of
        which needs percent-encoding, so the pairs are joined as they are.
        """
        pairs = [f"{slug}={value}" for slug, value in self.findings.items() if value != UNKNOWN]
        if self.vegf is not None:
            pairs.append(f"{VEGF}={format_vegf(self.vegf.value)}")
            pairs.append(f"{VEGF_SPECIMEN}={self.vegf.specimen}")
            if self.vegf.uln is not None:
                pairs.append(f"{VEGF_ULN}={format_vegf(self.vegf.uln)}")
        return "&".join(pairs)

    @property
    def assessed_count(self):
        return sum(1 for value in self.findings.values() if value != UNKNOWN)


def format_vegf(value):
    """A VEGF value as a plain decimal, never in exponent form (the contract's format)."""
    return format(Decimal(repr(float(value))).normalize(), "f")


def _pairs(query_string):
    """(key, value, well_formed) for each field, as parse_qsl would read them (blank
    values kept), decoding only the fields that are encoded: most have nothing to decode.

    A field whose percent-encoding is not UTF-8 is reported by itself (its key, when
    that much can be read), so one bad field never costs the others.
    """
    pairs = []
    for pair in query_string.split("&"):
        if not pair:
            continue
        key, _equals, value = pair.partition("=")
        if "%" in pair or "+" in pair:
            try:
                key = unquote_plus(key, errors="strict")
            except UnicodeDecodeError:
                pairs.append((QUERY, "", False))
                continue
            try:
                value = unquote_plus(value, errors="strict")
            except UnicodeDecodeError:
                pairs.append((key, "", False))
                continue
        pairs.append((key, value, True))
    return pairs


def _is_tracking(key):
    return key.startswith(TRACKING_PREFIX) or key in TRACKING_KEYS


def parse(query_string, *, allow_language=False):
    """Parse a raw query string. Never raises: problems end up in `errors`."""
    result = ChecklistQuery()
    if len(query_string) > MAX_QUERY_LENGTH or query_string.count("&") >= MAX_FIELDS:
        result.errors[QUERY] = TOO_MANY_FIELDS
        return result
    for key, value in _fields(query_string, result.errors).items():
        _assign(result, key, value, allow_language)
    _read_vegf(result)
    return result


def _fields(query_string, errors):
    """{key: value} of the fields, tracking keys left out; a key given twice with
    different values, or garbled, goes to `errors` instead."""
    seen = {}
    for key, value, well_formed in _pairs(query_string):
        if _is_tracking(key):
            continue  # ignored entirely, however often or oddly a link-tracker sends it
        if not well_formed:
            errors[key] = BAD_ENCODING
        elif key in seen and seen[key] != value:
            errors[key] = CONFLICTING_REPEAT
        seen.setdefault(key, value)
    return {key: value for key, value in seen.items() if key not in errors}


def _assign(result, key, value, allow_language):
    if key in result.findings:
        if value == "":
            return  # a plain HTML form sends empty for "not assessed"
        if value in VALUES:
            result.findings[key] = value
        else:
            result.errors[key] = BAD_VALUE
    elif key == VEGF:
        result.vegf_text = value
    elif key == VEGF_SPECIMEN:
        result.vegf_specimen = value
    elif key == VEGF_ULN:
        result.vegf_uln_text = value
    elif key == LANG and allow_language:
        if value in LANGUAGES:
            result.language = value
        else:
            result.errors[key] = BAD_LANGUAGE
    else:
        result.errors[key] = UNKNOWN_KEY


def _read_concentration(result, key, text):
    """The number in `text` (pg/mL), or None with the error recorded under `key`."""
    if len(text) > VEGF_MAX_LENGTH or not _VEGF_PATTERN.fullmatch(text):
        result.errors[key] = BAD_NUMBER
        return None
    value = Decimal(text)
    if value > VEGF_MAX:
        result.errors[key] = OUT_OF_RANGE
        return None
    return float(value)


def _read_vegf(result):
    """The measurement: a value needs its specimen; the specimen and the upper limit
    of normal are ignored without a value, whatever they say."""
    text, specimen, uln_text = result.vegf_text, result.vegf_specimen, result.vegf_uln_text
    if text == "" or any(key in result.errors for key in MEASUREMENT_KEYS):
        return
    value = _read_concentration(result, VEGF, text)
    if specimen == "":
        result.errors[VEGF_SPECIMEN] = SPECIMEN_REQUIRED
    elif specimen not in SPECIMENS:
        result.errors[VEGF_SPECIMEN] = BAD_SPECIMEN
    uln = _read_concentration(result, VEGF_ULN, uln_text) if uln_text else None
    if not any(key in result.errors for key in MEASUREMENT_KEYS):
        result.vegf = Measurement(value=value, specimen=specimen, uln=uln)
