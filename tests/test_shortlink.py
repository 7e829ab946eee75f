"""Short links, format 2 (security review F6): Crockford base-32 read case-insensitively,
and a check symbol that refuses every single-symbol substitution and every swap of two
adjacent symbols, so that a typo is never another checklist."""

import random
import re
from urllib.parse import parse_qsl, urlsplit

import pytest

from checklist import shortlink
from checklist.query import format_vegf
from checklist.rules import FINDINGS, Measurement
from checklist.shortlink import decode_short_code, encode_short_code

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
VALUES = ("unknown", "present", "absent")


def random_vegf_value(rng, extremes):
    kind = rng.randrange(6 if extremes else 5)
    if kind == 0:
        return float(rng.randint(0, 1_000_000))
    if kind == 1:
        return round(rng.uniform(0, 1_000_000), rng.randint(1, 6))
    if kind == 2:
        return rng.uniform(0, 1_000_000)  # 17 significant digits
    if kind == 3:
        return rng.randint(1, 999) * 10.0 ** -rng.randint(1, 30)  # tiny, many zeros
    if kind == 4:
        return rng.choice([0.0, 1_000_000.0, 0.5, 200.0, 999_999.999])
    return rng.choice([5e-324, 2.2e-308])  # subnormal: codes of hundreds of symbols


def random_case(rng, extremes=False):
    findings = {slug: rng.choice(VALUES) for slug in FINDINGS}
    vegf = None
    if rng.random() < 0.7:
        uln = random_vegf_value(rng, extremes) if rng.random() < 0.5 else None
        value = random_vegf_value(rng, extremes)
        vegf = Measurement(value, rng.choice(("serum", "plasma")), uln)
    return findings, vegf


def random_codes(count, seed):
    """Codes of up to about 80 symbols (the argument does not depend on the length)."""
    rng = random.Random(seed)
    return [encode_short_code(*random_case(rng)) for _ in range(count)]


def test_codes_are_crockford_base32_and_round_trip_exactly():
    rng = random.Random(20261201)
    for _ in range(3000):
        findings, vegf = random_case(rng, extremes=True)
        code = encode_short_code(findings, vegf)
        assert re.fullmatch(f"[{CROCKFORD}]+", code), code
        assert code.startswith("2")
        decoded_findings, decoded_vegf = decode_short_code(code)
        assert decoded_findings == findings
        assert decoded_vegf == vegf
        if vegf is not None:
            assert format_vegf(decoded_vegf.value) == format_vegf(vegf.value)
            assert decoded_vegf.specimen == vegf.specimen
            assert decoded_vegf.uln == vegf.uln


def test_the_examples_of_the_format():
    assert encode_short_code({}) == "20000000007"
    plasma = Measurement(350.0, "plasma")
    assert encode_short_code({"polyneuropathy": "present"}, plasma) == "2000000001P350M"


def test_findings_left_out_are_unknown():
    findings, vegf = decode_short_code(encode_short_code({"polyneuropathy": "present"}))
    assert findings == {**dict.fromkeys(FINDINGS, "unknown"), "polyneuropathy": "present"}
    assert vegf is None


def test_every_single_substitution_is_refused():
    """Every position of many random codes, every other symbol of the alphabet."""
    for code in random_codes(1000, seed=1):
        for position, symbol in enumerate(code):
            for other in CROCKFORD:
                if other != symbol:
                    typo = code[:position] + other + code[position + 1 :]
                    assert decode_short_code(typo) is None, (code, typo)


def test_every_adjacent_transposition_is_refused():
    for code in random_codes(1000, seed=2):
        for position in range(len(code) - 1):
            first, second = code[position], code[position + 1]
            if first != second:
                swapped = code[:position] + second + first + code[position + 2 :]
                assert decode_short_code(swapped) is None, (code, swapped)


def test_the_check_is_a_totally_anti_symmetric_quasigroup():
    """The argument in checklist/shortlink.py, checked on the whole table."""
    step = shortlink.check_step
    symbols = range(32)
    for row in symbols:
        assert sorted(step(row, column) for column in symbols) == list(symbols)
        assert sorted(step(column, row) for column in symbols) == list(symbols)
    for interim in symbols:
        for a in symbols:
            for b in symbols:
                if a != b:
                    assert step(step(interim, a), b) != step(step(interim, b), a)


def test_lower_case_and_look_alike_characters_read_as_the_same_code():
    for code in random_codes(300, seed=3):
        expected = decode_short_code(code)
        assert decode_short_code(code.lower()) == expected
        assert decode_short_code(code.replace("0", "O")) == expected
        assert decode_short_code(code.replace("0", "o")) == expected
        assert decode_short_code(code.replace("1", "I")) == expected
        assert decode_short_code(code.replace("1", "l")) == expected
        assert decode_short_code(code.replace("1", "L")) == expected


@pytest.mark.parametrize("code", ["1Xy9Kq", "1A", "10", "1A-p350", "1A-s1000000"])
def test_codes_of_the_first_format_are_refused(code):
    assert decode_short_code(code) is None


@pytest.mark.parametrize(
    "character", ["U", "u", "*", "~", "$", "=", "-", ".", "_", " ", "ſ", "ı", "０", "Ｐ"]
)
def test_a_character_outside_the_alphabet_is_refused(character):
    code = encode_short_code({"polyneuropathy": "present"}, Measurement(350.0, "serum", 99.0))
    for position in range(len(code) + 1):
        assert decode_short_code(code[:position] + character + code[position:]) is None
        assert decode_short_code(code[:position] + character + code[position + 1 :]) is None


def test_a_value_is_accepted_only_as_format_vegf_prints_it():
    """One checklist, one code: 350.0 or 0350 are not other ways to write 350."""
    findings = {"polyneuropathy": "present"}
    code = encode_short_code(findings, Measurement(350.5, "plasma"))
    body = code[:-1]
    assert body.endswith("P350D5")
    for other in ("P0350D5", "P350D50", "P350D5N", "P350D"):
        variant = body[: -len("P350D5")] + other
        assert decode_short_code(variant + shortlink.check_symbol(variant)) is None


def test_a_value_above_the_maximum_is_refused():
    body = encode_short_code({}, Measurement(1_000_000.0, "serum"))[:-1] + "1"
    assert decode_short_code(body + shortlink.check_symbol(body)) is None


def follow(client, code):
    return client.get(f"/c/{code}")


@pytest.mark.django_db
def test_a_short_link_keeps_the_upper_limit_of_normal(client):
    query = "polyneuropathy=present&vegf=350.25&vegf_specimen=plasma&vegf_uln=96.5"
    page = client.get(f"/en/checklist/?{query}").content.decode()
    code = re.search(r'href="/c/([^"]+)"', page).group(1)
    response = follow(client, code)
    assert response.status_code == 302
    given = dict(parse_qsl(urlsplit(response["Location"]).query))
    assert given == {
        "polyneuropathy": "present",
        "vegf": "350.25",
        "vegf_specimen": "plasma",
        "vegf_uln": "96.5",
    }


@pytest.mark.django_db
def test_a_mistyped_short_link_is_the_clear_404_never_another_checklist(client):
    code = encode_short_code({"polyneuropathy": "present"}, Measurement(350.0, "plasma"))
    typo = code[:3] + ("A" if code[3] != "A" else "B") + code[4:]
    response = follow(client, typo)
    assert response.status_code == 404
    assert "This short link is not valid" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert follow(client, code.lower()).status_code == 302


@pytest.mark.django_db
def test_the_longest_code_still_leads_back_from_the_explanatory_pages(client):
    """Two 40-character concentrations (the most the form accepts) make a code of 93."""
    tiny = "0." + "0" * 36 + "12"
    query = f"vegf={tiny}&vegf_specimen=serum&vegf_uln={tiny}"
    page = client.get(f"/en/checklist/?{query}").content.decode()
    code = re.search(r'href="/c/([^"]+)"', page).group(1)
    assert len(code) == 93
    back = client.get("/en/learn/vegf/", {"from": code}).content.decode()
    assert f'href="/en/checklist/c/{code}"' in back
    assert follow(client, code).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address", ["/c/{code}/", "/en/checklist/c/{code}", "/ja/checklist/c/{code}/"]
)
def test_every_spelling_of_a_short_link_opens_the_same_checklist(client, address):
    """QR readers and copy-pastes add a trailing slash; the explanatory pages link back
    under the reader's language."""
    code = encode_short_code({"polyneuropathy": "present"}, Measurement(350.0, "plasma"))
    expected = follow(client, code)["Location"].split("?", 1)[1]
    response = client.get(address.format(code=code))
    assert response.status_code == 302
    assert response["Location"].split("?", 1)[1] == expected
    assert "no-store" in response["Cache-Control"]
