"""One vocabulary per language (locale/glossary.toml), in every page, checklist word
and interface string; and no grade worded as a diagnosis."""

import re
import tomllib
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = tomllib.loads((ROOT / "locale" / "glossary.toml").read_text(encoding="utf-8"))
CATALOGUES = {"zh-hans": "zh_Hans", "ja": "ja"}
GRADES = ("Definite", "Probable", "Possible")
DIAGNOSIS_WORDS = re.compile(r"诊|診|diagnos", re.IGNORECASE)


def catalogue(language):
    return polib.pofile(str(ROOT / "locale" / CATALOGUES[language] / "LC_MESSAGES" / "django.po"))


def _toml_strings(value, language, inside=False):
    """Every string of `language` in a checklist words file."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _toml_strings(item, language, inside or key == language)
    elif isinstance(value, list):
        for item in value:
            yield from _toml_strings(item, language, inside)
    elif isinstance(value, str) and inside:
        yield value


def texts(language):
    """(where, text) for everything a reader of `language` sees that we ship."""
    for entry in catalogue(language):
        if entry.msgstr and not entry.obsolete:
            yield f"django.po: {entry.msgid[:40]!r}", entry.msgstr
    for path in sorted((ROOT / "content" / "initial_content" / "pages").glob(f"*/{language}.md")):
        yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")
    for path in sorted((ROOT / "checklist" / "initial_content").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for text in _toml_strings(data, language):
            yield str(path.relative_to(ROOT)), text


@pytest.mark.parametrize("language", CATALOGUES)
def test_pages_words_and_strings_use_the_preferred_terms(language):
    concepts = [entry[language] for entry in GLOSSARY.values() if language in entry]
    found = []
    for where, text in texts(language):
        for concept in concepts:
            masked = text.replace(concept["preferred"], "\0")
            found.extend(
                f"{where}: {variant!r} (use {concept['preferred']!r})"
                for variant in concept["avoid"]
                if variant in masked
            )
    assert not found, "\n".join(found)


@pytest.mark.parametrize("language", CATALOGUES)
def test_the_interface_translates_each_glossary_term_as_preferred(language):
    translations = {entry.msgid: entry.msgstr for entry in catalogue(language)}
    wrong = [
        (entry["en"], translations[entry["en"]], entry[language]["preferred"])
        for entry in GLOSSARY.values()
        if translations.get(entry["en"]) not in (None, "", entry[language]["preferred"])
    ]
    assert not wrong


@pytest.mark.parametrize("language", CATALOGUES)
def test_no_grade_is_worded_as_a_diagnosis(language):
    translations = {entry.msgid: entry.msgstr for entry in catalogue(language)}
    for grade in GRADES:
        assert grade in translations, grade
        assert not DIAGNOSIS_WORDS.search(translations[grade]), translations[grade]


def test_the_glossary_is_well_formed():
    for concept, entry in GLOSSARY.items():
        assert entry.get("en"), concept
        for language in CATALOGUES:
            assert set(entry[language]) == {"preferred", "avoid"}, (concept, language)
            assert entry[language]["preferred"] not in entry[language]["avoid"], concept
