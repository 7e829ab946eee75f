"""References are defined once: the pages', red flags' and cautions' in the shipped
registry (content/initial_content/references.toml), the criteria sets' with the rules;
one work has one citation wherever it is shown."""

import tomllib
from pathlib import Path

import pytest

from checklist.cautions import CAUTIONS
from checklist.rules import CRITERIA_SETS
from checklist.rules.cautions import WARNING_CODES

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = tomllib.loads(
    (ROOT / "content" / "initial_content" / "references.toml").read_text(encoding="utf-8")
)
RULE_SOURCES = {
    source.citation: source
    for criteria_set in CRITERIA_SETS
    for source in (criteria_set.source, *(r.source for r in [criteria_set.vegf_rule] if r))
}


def _same_work(entry, source):
    return any(
        getattr(source, name) and entry.get(name) == getattr(source, name)
        for name in ("pmid", "doi", "url")
    )


@pytest.mark.parametrize("citation", RULE_SOURCES)
def test_a_registry_reference_to_a_sets_source_carries_the_same_citation(citation):
    source = RULE_SOURCES[citation]
    matches = {key: entry for key, entry in REGISTRY.items() if _same_work(entry, source)}
    assert all(entry["citation"] == source.citation for entry in matches.values()), matches


def test_the_caution_registry_is_keyed_by_exactly_the_engines_codes():
    """A code without words would show a bare code; words without a code never show."""
    assert list(CAUTIONS) == list(WARNING_CODES)


def test_every_caution_source_is_in_the_registry():
    cited = {text.reference for text in CAUTIONS.values() if text.reference}
    assert cited <= set(REGISTRY)


def test_every_registry_reference_is_cited_somewhere():
    cited = {text.reference for text in CAUTIONS.values() if text.reference}
    for path in (ROOT / "content" / "initial_content" / "pages").glob("*/page.toml"):
        cited.update(tomllib.loads(path.read_text(encoding="utf-8")).get("references", []))
    words = ROOT / "checklist" / "initial_content"
    red_flags = tomllib.loads((words / "red_flags.toml").read_text(encoding="utf-8"))
    cited.update(flag["reference"] for flag in red_flags["red_flag"])
    investigations = tomllib.loads((words / "investigations.toml").read_text(encoding="utf-8"))
    cited.update(key for entry in investigations.values() for key in entry["references"])
    assert set(REGISTRY) - cited == set()
    assert cited <= set(REGISTRY)


def test_no_citation_is_a_placeholder():
    """A citation names its authors or body and its title, never a bracketed summary."""
    for key, entry in REGISTRY.items():
        assert not entry["citation"].startswith("["), key
        assert len(entry["citation"].split(". ")) >= 3, key
