"""The stateless short link /c/<code>: the whole checklist encoded in a few characters.

Nothing is stored. The code is a format version, the findings as one base-62 number
(one base-3 digit a finding, in the order of FINDINGS), and optionally "-", the
specimen's letter and the VEGF value. New findings must be appended to FINDINGS so
that codes already printed on paper keep their meaning.
"""

import re

from checklist.query import VEGF_MAX, format_vegf
from checklist.rules import ABSENT, FINDINGS, PLASMA, PRESENT, SERUM, UNKNOWN, Measurement

FORMAT_VERSION = "1"
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_TRITS = {UNKNOWN: 0, PRESENT: 1, ABSENT: 2}
_VALUES = {digit: value for value, digit in _TRITS.items()}
_SPECIMEN_LETTERS = {SERUM: "s", PLASMA: "p"}
_LETTER_SPECIMENS = {letter: specimen for specimen, letter in _SPECIMEN_LETTERS.items()}
# The VEGF part is format_vegf's output: a plain decimal, at most 1,000,000.
_CODE = re.compile(r"1([0-9A-Za-z]{1,12})(?:-([sp])([0-9]{1,7}(?:\.[0-9]{1,30})?))?")
_MAX_NUMBER = 3 ** len(FINDINGS)


def encode_short_code(findings, vegf=None):
    number = 0
    for slug in reversed(FINDINGS):
        number = number * 3 + _TRITS[findings.get(slug, UNKNOWN)]
    digits = ""
    while True:
        number, remainder = divmod(number, 62)
        digits = _ALPHABET[remainder] + digits
        if number == 0:
            break
    code = FORMAT_VERSION + digits
    if vegf is not None:
        code += f"-{_SPECIMEN_LETTERS[vegf.specimen]}{format_vegf(vegf.value)}"
    return code


def decode_short_code(code):
    """(findings, vegf) for a valid code, or None."""
    match = _CODE.fullmatch(code or "")
    if not match:
        return None
    number = 0
    for character in match.group(1):
        number = number * 62 + _ALPHABET.index(character)
    if number >= _MAX_NUMBER:
        return None
    findings = {}
    for slug in FINDINGS:
        number, digit = divmod(number, 3)
        findings[slug] = _VALUES[digit]
    vegf = None
    if match.group(2):
        value = float(match.group(3))
        if value > VEGF_MAX:
            return None
        vegf = Measurement(value=value, specimen=_LETTER_SPECIMENS[match.group(2)])
    return findings, vegf
