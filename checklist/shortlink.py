"""The stateless short link /c/<code>: the whole checklist encoded in a few characters.

Nothing is stored. Format 2 (format 1, case-sensitive base 62 with no check, was never
deployed and is refused):

    code     = "2" findings [vegf] check
    findings = 9 symbols: the findings as one base-32 number, one base-3 digit for
               each finding in the order of FINDINGS, the first the least significant
               (0 unknown, 1 present, 2 absent)
    vegf     = "S" (serum) or "P" (plasma), the value, and optionally "N" and the
               laboratory's upper limit of normal; each number exactly as
               checklist.query.format_vegf prints it, with "D" for the decimal point
    check    = one symbol, so that the whole code checks to zero (below)

Every symbol is one of Crockford's base 32: 0-9 and A-Z without I, L, O and U. They
are safe in a URL and on paper, and no two look alike. Reading is case-insensitive,
and O is read as 0, I and L as 1. Examples: polyneuropathy present and plasma VEGF
350 pg/mL is `2000000001P350M`; nothing assessed is `20000000007`.

New findings must be appended to FINDINGS: an old code then reads them as unknown and
keeps its meaning. Nine symbols hold 28 findings (3**28 < 32**9); past that, start
format 3.

The check (Damm's scheme over the field GF(32)). Read the symbols a_1 ... a_n of a
code, check included, as elements of GF(32) (5-bit vectors; multiplication modulo the
primitive polynomial x^5 + x^2 + 1). The code is valid when
S = a_1·x^(n-1) + a_2·x^(n-2) + ... + a_n = 0, computed by Horner's rule with
`check_step(s, a) = x·s + a`: a totally anti-symmetric quasigroup, since x is
neither 0 nor 1. The check symbol is the one value that makes S zero.

* Substituting b for a at position i changes S by (b - a)·x^(n-i): a product of
  non-zero elements of a field, so not zero. Every single substitution is refused.
* Swapping adjacent symbols a != b at positions i, i+1 changes S by
  (b - a)·x^(n-i) + (a - b)·x^(n-i-1) = (b - a)·x^(n-i-1)·(x - 1), not zero since
  x != 1. Every adjacent transposition is refused.

Both hold for any length and any position, the check symbol's included; so a typo
never opens another checklist (tests/test_shortlink.py tries every case on many
random codes). Reading o as 0 or l as 1 is not a typo: it is the same code.
"""

import re
from decimal import Decimal

from checklist.query import VEGF_MAX, format_vegf
from checklist.rules import ABSENT, FINDINGS, PLASMA, PRESENT, SERUM, UNKNOWN, Measurement

FORMAT_VERSION = "2"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE_OF = {symbol: value for value, symbol in enumerate(ALPHABET)}
_VALUE_OF.update({"O": 0, "I": 1, "L": 1})
FINDING_SYMBOLS = 9
if 3 ** len(FINDINGS) > 32**FINDING_SYMBOLS:  # pragma: no cover
    raise ImportError("Too many findings for short-link format 2: start format 3.")

_TRITS = {UNKNOWN: 0, PRESENT: 1, ABSENT: 2}
_VALUES = {digit: value for value, digit in _TRITS.items()}
_SPECIMEN_LETTERS = {SERUM: "S", PLASMA: "P"}
_LETTER_SPECIMENS = {letter: specimen for specimen, letter in _SPECIMEN_LETTERS.items()}
_POINT = "D"
_ULN = "N"
_NUMBER = r"[0-9]+(?:D[0-9]+)?"
_VEGF = re.compile(rf"([SP])({_NUMBER})(?:N({_NUMBER}))?")
# The form takes numbers of up to 40 characters (a code of 93 at most), but any two
# concentrations fit: the longest plain decimal of a float has about 330 digits.
MAX_LENGTH = 1024
_MODULUS = 0b100101  # x^5 + x^2 + 1


def check_step(interim, value):
    """x·interim + value in GF(32): one step of the check over the code's symbols."""
    interim <<= 1
    if interim & 0b100000:
        interim ^= _MODULUS
    return interim ^ value


def _checksum(values):
    interim = 0
    for value in values:
        interim = check_step(interim, value)
    return interim


def check_symbol(body):
    """The symbol that makes body + symbol check to zero."""
    return ALPHABET[check_step(_checksum(_VALUE_OF[symbol] for symbol in body), 0)]


def _number_text(value):
    text = format_vegf(value)
    if not re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", text):
        raise ValueError(f"not a VEGF concentration: {value!r}")
    return text.replace(".", _POINT)


def encode_short_code(findings, vegf=None):
    """The short code of a checklist: {slug: value} (missing slugs are unknown) and an
    optional Measurement."""
    number = 0
    for slug in reversed(FINDINGS):
        number = number * 3 + _TRITS[findings.get(slug, UNKNOWN)]
    digits = ""
    for _ in range(FINDING_SYMBOLS):
        number, remainder = divmod(number, 32)
        digits = ALPHABET[remainder] + digits
    body = FORMAT_VERSION + digits
    if vegf is not None:
        body += _SPECIMEN_LETTERS[vegf.specimen] + _number_text(vegf.value)
        if vegf.uln is not None:
            body += _ULN + _number_text(vegf.uln)
    return body + check_symbol(body)


def _read_number(text):
    """The concentration `text` stands for, or None unless it is exactly as format_vegf
    prints it (one checklist, one code) and at most the maximum."""
    if text is None:
        return None
    decimal = text.replace(_POINT, ".")
    value = float(decimal)
    if format_vegf(value) != decimal or Decimal(decimal) > VEGF_MAX:
        return None
    return value


def decode_short_code(code):
    """(findings, vegf) for a valid code, or None."""
    if not isinstance(code, str) or not 0 < len(code) <= MAX_LENGTH or not code.isascii():
        return None
    code = code.upper()  # ASCII only: "ſ".upper() would be "S"
    values = [_VALUE_OF.get(symbol) for symbol in code]
    if None in values or _checksum(values) != 0:
        return None
    symbols = "".join(ALPHABET[value] for value in values)
    if len(symbols) < 2 + FINDING_SYMBOLS or symbols[0] != FORMAT_VERSION:
        return None
    number = 0
    for value in values[1 : 1 + FINDING_SYMBOLS]:
        number = number * 32 + value
    if number >= 3 ** len(FINDINGS):
        return None
    findings = {}
    for slug in FINDINGS:
        number, digit = divmod(number, 3)
        findings[slug] = _VALUES[digit]
    rest = symbols[1 + FINDING_SYMBOLS : -1]
    if not rest:
        return findings, None
    match = _VEGF.fullmatch(rest)
    if not match:
        return None
    value, uln = _read_number(match.group(2)), _read_number(match.group(3))
    if value is None or (match.group(3) is not None and uln is None):
        return None
    return findings, Measurement(value=value, specimen=_LETTER_SPECIMENS[match.group(1)], uln=uln)
