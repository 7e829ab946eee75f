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
LANG = "lang"
LANGUAGES = ("en", "zh-hans", "ja")
TRACKING_KEYS = ("fbclid", "gclid", "msclkid")
TRACKING_PREFIX = "utm_"
# 24 findings, 2 measurements, a language and a few tracking keys fit well inside this.
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
    vegf_text: str = ""
    vegf_specimen: str = ""
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
        return "&".join(pairs)

    @property
    def assessed_count(self):
        return sum(1 for value in self.findings.values() if value != UNKNOWN)


def format_vegf(value):
    """A VEGF value as a plain decimal, never in exponent form (the contract's format)."""
    text = format(Decimal(repr(float(value))).normalize(), "f")
    return text


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
    seen = {}
    for key, value, well_formed in _pairs(query_string):
        if _is_tracking(key):
            continue  # ignored entirely, however often or oddly a link-tracker sends it
        if not well_formed:
            result.errors[key] = BAD_ENCODING
            continue
        if key in seen and seen[key] != value:
            result.errors[key] = CONFLICTING_REPEAT
        seen.setdefault(key, value)

    for key, value in seen.items():
        if key in result.errors:
            continue
        if key in result.findings:
            if value == "":
                continue  # a plain HTML form sends empty for "not assessed"
            if value not in VALUES:
                result.errors[key] = BAD_VALUE
            else:
                result.findings[key] = value
        elif key == VEGF:
            result.vegf_text = value
        elif key == VEGF_SPECIMEN:
            result.vegf_specimen = value
        elif key == LANG and allow_language:
            if value not in LANGUAGES:
                result.errors[key] = BAD_LANGUAGE
            else:
                result.language = value
        elif not _is_tracking(key):
            result.errors[key] = UNKNOWN_KEY

    _read_vegf(result)
    return result


def _read_vegf(result):
    text, specimen = result.vegf_text, result.vegf_specimen
    if VEGF in result.errors or VEGF_SPECIMEN in result.errors:
        return
    if text == "":
        return  # no value: the specimen is ignored, whatever it says
    if len(text) > VEGF_MAX_LENGTH or not _VEGF_PATTERN.fullmatch(text):
        result.errors[VEGF] = BAD_NUMBER
        return
    value = Decimal(text)
    if value > VEGF_MAX:
        result.errors[VEGF] = OUT_OF_RANGE
        return
    if specimen == "":
        result.errors[VEGF_SPECIMEN] = SPECIMEN_REQUIRED
        return
    if specimen not in SPECIMENS:
        result.errors[VEGF_SPECIMEN] = BAD_SPECIMEN
        return
    result.vegf = Measurement(value=float(value), specimen=specimen)
