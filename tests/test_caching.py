"""The caches are correct by construction (docs/caching.md): bounded, keyed by exactly
what they hold, never holding a visitor's checklist, and stale after any deploy."""

import gc
import importlib
import inspect
import pkgutil
import random
import re
import shutil
from functools import _lru_cache_wrapper
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import RequestFactory, override_settings
from django.utils import translation

from checklist import labels, panel, rendering, views
from common import generation
from common.release import SOURCES, fingerprint
from tests.contract import SLUGS, VALUES

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("checklist", "common", "content", "poems_site")


def process_caches():
    """Every functools LRU at module level in the project's packages (so a new one is
    found without being listed)."""
    found = {}
    for package in PACKAGES:
        module = importlib.import_module(package)
        names = [package] + [
            f"{package}.{info.name}"
            for info in pkgutil.walk_packages(module.__path__)
            if "migrations" not in info.name and "settings" not in info.name
        ]
        for name in names:
            module = importlib.import_module(name)
            for attribute, value in vars(module).items():
                # Ours only: an imported library function (urllib's urlsplit) has a
                # cache of its own.
                if isinstance(value, _lru_cache_wrapper) and value.__module__ == name:
                    found[f"{name}.{attribute}"] = value
    return found


def random_query(rng):
    values = {slug: rng.choice(VALUES) for slug in SLUGS if rng.random() < 0.8}
    if rng.random() < 0.7:
        values["vegf"] = f"{rng.randint(0, 5000)}.{rng.randint(0, 99)}"
        values["vegf_specimen"] = rng.choice(["serum", "plasma"])
        if rng.random() < 0.5:
            values["vegf_uln"] = str(rng.randint(50, 500))
    return urlencode(values)


def serve(path_and_query):
    """The checklist view in this process, as a worker serves it (no test client)."""
    request = RequestFactory().get(path_and_query)
    language = path_and_query.split("/")[1]
    with translation.override(language), generation.pinned():
        request.resolver_match = None
        return views.checklist(request)


def _bound(cache):
    """A cache's limit; a function without arguments holds one value."""
    if inspect.signature(cache.__wrapped__).parameters:
        return cache.cache_info().maxsize
    return 1


def test_every_process_cache_is_bounded():
    caches = process_caches()
    assert {"checklist.rendering._part", "checklist.panel.requirement_row"} <= set(caches)
    unbounded = [name for name, cache in caches.items() if _bound(cache) is None]
    assert not unbounded


@pytest.mark.django_db
def test_twenty_thousand_distinct_checklists_leave_every_cache_within_its_bound():
    rng = random.Random(20_000)
    for count in range(20_000):
        language = ("en", "zh-hans", "ja")[count % 3]
        assert serve(f"/{language}/checklist/?{random_query(rng)}").status_code == 200
    for name, cache in process_caches().items():
        assert cache.cache_info().currsize <= _bound(cache), name
    assert generation.local_entries() <= generation.LOCAL_ENTRIES
    # The result parts were used, not just filled.
    assert rendering._part.cache_info().hits > rendering._part.cache_info().misses


@pytest.mark.django_db
def test_nothing_remembered_holds_a_checklists_own_numbers():
    """A VEGF value is the patient's: no process cache may keep it (the parts a page is
    made of are keyed by the checklist's words, never by what was typed)."""
    marker = "987654.321"
    response = serve(f"/en/checklist/?vegf={marker}&vegf_specimen=plasma&vegf_uln=123.456")
    assert marker in response.content.decode()
    # A value below Mayo's cut-off: its caution carries the value (never its words).
    below = serve("/en/checklist/?vegf=151.987&vegf_specimen=plasma&vegf_uln=99.875")
    assert "chosen for specificity" in below.content.decode()
    remembered = " ".join(
        repr(entry) for cache in process_caches().values() for entry in gc.get_referents(cache)
    )
    assert "Mayo" in remembered  # the parts are there to be searched ...
    # ... and the numbers are not among them (a boolean: a diff of megabytes of reprs
    # would take pytest minutes to draw).
    held = [n for n in (marker, "123.456", "151.987", "99.875") if n in remembered]
    assert not held, f"a process cache holds {held}"
    assert not any(marker in key for key in list(generation._local))


@pytest.mark.django_db
def test_two_visitors_never_share_findings_even_if_the_page_template_shows_them(tmp_path, settings):
    """The review's hazard: a template edit that renders the visitor's query must not
    show visitor A's checklist to visitor B, because the cached skeleton is made from no
    visitor's data."""
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    page = templates / "checklist" / "checklist.html"
    probe = (
        '<p id="probe">{{ request.get_full_path() if request is defined else "" }}'
        "{{ canonical_query }}{{ short_code }}{{ panel }}</p>"
    )
    page.write_text(page.read_text().replace("{% block content %}", "{% block content %}" + probe))
    jinja, django_templates = settings.TEMPLATES
    with override_settings(TEMPLATES=[{**jinja, "DIRS": [templates]}, django_templates]):
        rendering._skeleton.cache_clear()
        a = serve("/en/checklist/?polyneuropathy=present&papilledema=present")
        b = serve("/en/checklist/?castleman_disease=absent")
        rendering._skeleton.cache_clear()
    code = re.search(r'href="/c/([^"]+)"', a.content.decode()).group(1)
    body = b.content.decode()
    assert 'id="probe"' in body
    page_but_result = body.split('id="result"')[0]
    for trace in ("polyneuropathy=present", "papilledema=present", code):
        assert trace not in page_but_result


def test_the_release_id_changes_with_code_templates_catalogues_and_libraries(tmp_path):
    for source in SOURCES:
        (tmp_path / source).mkdir()
    (tmp_path / "checklist" / "views.py").write_text("x = 1\n")
    (tmp_path / "templates" / "base.html").write_text("<html></html>\n")
    (tmp_path / "locale" / "django.mo").write_bytes(b"\x00\x01")
    (tmp_path / "static" / "site.css").write_text("body {}\n")
    before = fingerprint(tmp_path)
    assert fingerprint(tmp_path) == before
    for path, change in (
        ("checklist/views.py", "x = 2\n"),
        ("templates/base.html", "<html lang=en></html>\n"),
        ("static/site.css", "body { margin: 0 }\n"),
        ("common/new.py", "y = 1\n"),
        ("requirements.lock", "nh3==0.3.1\n"),
        ("requirements.lock", "nh3==0.3.2\n"),
        ("pyproject.toml", "[project]\nversion = '2'\n"),
    ):
        (tmp_path / path).write_text(change)
        after = fingerprint(tmp_path)
        assert after != before, path
        before = after
    (tmp_path / "locale" / "django.mo").write_bytes(b"\x00\x02")
    assert fingerprint(tmp_path) != before


@pytest.mark.django_db
def test_words_are_read_in_the_language_their_key_names():
    with translation.override("en"):
        japanese = labels.finding_words("ja")
    assert japanese["polyneuropathy"].label == "多発ニューロパチー"
    with translation.override("ja"):
        assert labels.finding_words("en")["polyneuropathy"].label == "Polyneuropathy"


def test_the_set_parts_are_built_once_per_distinct_arguments():
    panel.set_head.cache_clear()
    first = panel.set_head("en", "mayo", "met", None)
    assert panel.set_head("en", "mayo", "met", None) is first
    assert panel.set_head("ja", "mayo", "met", None) is not first


def clear_process_caches():
    """Every remembered part forgotten: the LRUs emptied, and the shared cache too (a new
    generation then makes the per-process copies unreachable)."""
    for cache in process_caches().values():
        cache.cache_clear()
    for each in caches.all():
        each.clear()


def without_nonces(response):
    """The page without what is random per response (the CSP nonce)."""
    return re.sub(r'nonce="[^"]*"', 'nonce=""', response.content.decode())


@pytest.mark.django_db
def test_a_page_assembled_from_remembered_parts_is_the_page_made_afresh():
    """The review's hazard: a part remembered under a key that missed something it shows
    (the "derived" markers) served one checklist's markers on another. Serve 300 random
    checklists one after another, so that each is made of parts others filled, then
    each alone with every cache empty: the pages must be identical."""
    rng = random.Random(300)
    paths = [
        f"/{('en', 'zh-hans', 'ja')[n % 3]}/checklist/?{random_query(rng)}" for n in range(300)
    ]
    clear_process_caches()
    shared = [without_nonces(serve(path)) for path in paths]
    assert rendering._part.cache_info().hits > 0
    for path, page in zip(paths, shared, strict=True):
        clear_process_caches()
        assert without_nonces(serve(path)) == page, path


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/en/checklist/?polyneuropathy=present&vegf=1234&vegf_specimen=serum",
        "/ja/checklist/print/?polyneuropathy=present",
        "/zh-hans/checklist/note.txt?polyneuropathy=present",
        "/api/v1/evaluate?polyneuropathy=present&lang=ja",
        "/en/learn/vegf/",
        "/ja/learn/",
    ],
)
def test_a_request_reads_the_generation_once(client, monkeypatch, path):
    """One read per request: each read is a round trip to Redis, and two reads could see
    two generations (an editor's save in between) and mix their words on one page."""
    reads = []
    original = generation.read_generation
    monkeypatch.setattr(generation, "read_generation", lambda: reads.append(1) or original())
    clear_process_caches()
    assert client.get(path).status_code == 200
    assert len(reads) == 1


def test_the_liveness_probe_reads_no_generation(client, monkeypatch):
    """/healthz says the process answers: it must not wait on Redis."""
    reads = []
    monkeypatch.setattr(generation, "read_generation", lambda: reads.append(1))
    assert client.get("/healthz").status_code == 200
    assert reads == []


class DownCache(LocMemCache):
    """A cache that does not answer."""

    def get(self, *args, **kwargs):
        raise ConnectionError("the cache does not answer")


def test_without_the_shared_generation_nothing_is_reused_from_an_earlier_outage(settings):
    """Parts are remembered under the generation; while it cannot be read, each request
    gets one of its own, so parts built in one outage are never served in the next."""
    settings.CACHES = {
        **settings.CACHES,
        "generation": {"BACKEND": f"{__name__}.DownCache", "LOCATION": "down"},
    }
    first, second = generation.read_generation(), generation.read_generation()
    assert first != second
    built = []
    assert generation.cached("probe", "en", lambda: built.append(1) or "x") == "x"
    assert generation.cached("probe", "en", lambda: built.append(1) or "x") == "x"
    assert built == [1, 1]  # nothing was kept
