"""The running multilingual site: configuration, languages, probes, layout, catalogues,
request logs and security headers (issue "running multilingual site")."""

import ast
import gettext
import io
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command
from django.db import OperationalError, connections

from poems_site.logging import StripQueryStrings
from tests.contract import CJK, LANGUAGES
from tests.html import has_class, parse_html, text_of

BASE_DIR = Path(__file__).resolve().parent.parent
# The catalogues the site ships (gettext's directory names for zh-hans and ja).
EXPECTED_LOCALES = ("zh_Hans", "ja")

# A checklist with findings: nothing of it may reach a log line.
CHECKLIST_QUERY = (
    "polyneuropathy=present&monoclonal_plasma_cell_disorder=present"
    "&vegf=350&vegf_specimen=plasma&utm_source=newsletter"
)


# --- HTML -------------------------------------------------------------------------------


def language_links(page):
    """{hreflang: href} of the language switcher."""
    switchers = [nav for nav in page.iter("nav") if has_class(nav, "lang-switch")]
    assert len(switchers) == 1, "the page has no (or more than one) language switcher"
    return {link.get("hreflang"): link for link in switchers[0].iter("a")}


# --- Settings from the environment ------------------------------------------------------

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "production-test-" + "k" * 60,
    "DJANGO_ALLOWED_HOSTS": "poems.example.org",
}


def load_settings(module, env, *names):
    """Import poems_site.settings.<module> in a fresh interpreter with only `env` set."""
    code = (
        "import json, sys\n"
        f"import poems_site.settings.{module} as settings\n"
        "print(json.dumps({n: getattr(settings, n) for n in sys.argv[1:]}, default=str))\n"
    )
    clean_env = {"PATH": os.environ.get("PATH", ""), "PYTHONDONTWRITEBYTECODE": "1", **env}
    return subprocess.run(
        [sys.executable, "-c", code, *names],
        cwd=BASE_DIR,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def settings_values(module, env, *names):
    completed = load_settings(module, env, *names)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def test_without_database_url_the_site_uses_the_sqlite_file():
    values = settings_values("development", {}, "DATABASES", "DEBUG", "ALLOWED_HOSTS")
    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    # Opened read-write only: a missing file is an error, never a new empty database.
    assert database["NAME"] == (BASE_DIR / "db.sqlite3").as_uri() + "?mode=rw"
    assert values["DEBUG"] is True
    assert values["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1", "[::1]"]


@pytest.mark.parametrize("module", ["development", "production"])
def test_database_url_selects_postgresql(module):
    env = {**PRODUCTION_ENV, "DATABASE_URL": "postgres://u:p@h:5432/d"}
    database = settings_values(module, env, "DATABASES")["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == ("d", "u", "p")
    assert (database["HOST"], int(database["PORT"])) == ("h", 5432)
    assert database["OPTIONS"]["connect_timeout"] == 2


@pytest.mark.parametrize("module", ["development", "production"])
def test_allowed_hosts_are_read_from_the_environment(module):
    env = {**PRODUCTION_ENV, "DJANGO_ALLOWED_HOSTS": " poems.example.org, www.example.org ,,"}
    hosts = settings_values(module, env, "ALLOWED_HOSTS")["ALLOWED_HOSTS"]
    assert hosts == ["poems.example.org", "www.example.org"]


@pytest.mark.parametrize(
    ("module", "value", "expected"),
    [
        ("development", None, True),
        ("development", "false", False),
        ("development", "0", False),
        ("development", "True", True),
        ("production", None, False),
        ("production", "off", False),
        ("production", "1", True),
    ],
)
def test_debug_is_read_from_the_environment(module, value, expected):
    env = dict(PRODUCTION_ENV)
    if value is not None:
        env["DJANGO_DEBUG"] = value
    assert settings_values(module, env, "DEBUG")["DEBUG"] is expected


@pytest.mark.parametrize(
    ("change", "variable"),
    [
        ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": ""}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "too-short-" + "x" * 30}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "django-insecure-" + "x" * 60}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_ALLOWED_HOSTS": None}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_ALLOWED_HOSTS": ""}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_ALLOWED_HOSTS": " , "}, "DJANGO_ALLOWED_HOSTS"),
    ],
    ids=["no-key", "empty-key", "short-key", "insecure-key", "no-hosts", "empty-hosts", "blank"],
)
def test_production_refuses_to_start_misconfigured(change, variable):
    env = {key: value for key, value in {**PRODUCTION_ENV, **change}.items() if value is not None}
    completed = load_settings("production", env, "DEBUG")
    assert completed.returncode != 0, f"production started with {change}: {completed.stdout}"
    assert "ImproperlyConfigured" in completed.stderr
    assert variable in completed.stderr


def test_production_is_https_only():
    values = settings_values(
        "production",
        PRODUCTION_ENV,
        "DEBUG",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_REDIRECT_EXEMPT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "LANGUAGE_COOKIE_SECURE",
        "ALLOWED_HOSTS",
    )
    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["poems.example.org"]
    assert values["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 365
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["LANGUAGE_COOKIE_SECURE"] is True
    # A load balancer probes over plain HTTP: the probes are not redirected.
    for probe in ("healthz", "readyz"):
        assert any(re.search(pattern, probe) for pattern in values["SECURE_REDIRECT_EXEMPT"])


def test_production_passes_the_deployment_checklist():
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONDONTWRITEBYTECODE": "1",
        "DJANGO_SETTINGS_MODULE": "poems_site.settings.production",
        "SITE_BASE_URL": "https://poems.example.org",
        **PRODUCTION_ENV,
    }
    completed = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


@pytest.mark.parametrize("module", ["development", "production"])
def test_redis_url_selects_the_shared_cache(module):
    env = {**PRODUCTION_ENV, "REDIS_URL": "redis://cache.internal:6379/1"}
    caches = settings_values(module, env, "CACHES")["CACHES"]
    cache = caches["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6379/1"
    # A Redis that does not answer is a miss after a second (and /readyz says 503 in time).
    for alias in ("default", "generation"):
        assert caches[alias]["OPTIONS"] == {"socket_connect_timeout": 1, "socket_timeout": 1}


def test_without_redis_url_production_workers_share_a_file_cache():
    """An editor's save must reach every worker of the host, not just the one it hit."""
    cache = settings_values("production", PRODUCTION_ENV, "CACHES")["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"


def test_the_generation_token_has_a_file_cache_directory_of_its_own(tmp_path):
    """Culling the busy cache (MAX_ENTRIES) must never evict the token: if it did, every
    worker would make a new one and serve from an empty cache, or miss an editor's save."""
    env = {**PRODUCTION_ENV, "DJANGO_CACHE_DIR": str(tmp_path / "cache")}
    caches = settings_values("production", env, "CACHES")["CACHES"]
    default, generation = (
        Path(caches["default"]["LOCATION"]),
        Path(caches["generation"]["LOCATION"]),
    )
    assert default != generation
    assert generation not in default.parents and default not in generation.parents
    for directory in (tmp_path / "cache", default, generation):
        assert directory.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o1777])
def test_production_refuses_a_cache_directory_others_may_write(tmp_path, mode):
    """Django's file cache unpickles what it reads: a file another user could plant there
    would run as the app (security review F5)."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(mode)
    completed = load_settings("production", {**PRODUCTION_ENV, "DJANGO_CACHE_DIR": str(shared)})
    assert completed.returncode != 0
    assert "chmod 700" in completed.stderr


def test_without_redis_url_development_uses_local_memory():
    cache = settings_values("development", {}, "CACHES")["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


# --- Languages --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("ja", "/ja/"),
        ("ja-JP,ja;q=0.9,en;q=0.8", "/ja/"),
        ("zh-CN", "/zh-hans/"),
        ("zh-Hans", "/zh-hans/"),
        ("zh-Hans-CN,zh;q=0.9", "/zh-hans/"),
        ("en-GB", "/en/"),
        ("fr", "/en/"),
        ("fr-FR,de;q=0.7", "/en/"),
        (None, "/en/"),
    ],
)
def test_root_redirects_to_the_visitors_language(client, db, accept_language, expected):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language else {}
    response = client.get("/", **headers)
    assert response.status_code == 302
    assert response["Location"] == expected
    # A shared cache must not hand one visitor's language to the next.
    assert "Accept-Language" in response.get("Vary", "")


@pytest.mark.parametrize("current", LANGUAGES)
def test_language_switcher_keeps_the_checklist(client, db, current):
    query = "polyneuropathy=present&castleman_disease=absent&vegf=350&vegf_specimen=plasma"
    response = client.get(f"/{current}/checklist/?{query}")
    assert response.status_code == 200
    links = language_links(parse_html(response))
    assert set(links) == set(LANGUAGES)
    for code, link in links.items():
        url = urlsplit(link.get("href"))
        assert url.path == f"/{code}/checklist/"
        assert parse_qsl(url.query, keep_blank_values=True) == parse_qsl(query)
        assert link.get("lang") == code
        assert (link.get("aria-current") == "true") is (code == current)


@pytest.mark.parametrize("path", ["/{}/", "/{}/learn/", "/{}/learn/overview/"])
def test_language_switcher_links_to_the_same_page(client, db, path):
    response = client.get(path.format("en"))
    assert response.status_code == 200
    links = language_links(parse_html(response))
    assert {code: link.get("href") for code, link in links.items()} == {
        code: path.format(code) for code in LANGUAGES
    }
    for code in LANGUAGES:
        assert client.get(path.format(code)).status_code == 200


@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.parametrize("path", ["/{}/", "/{}/checklist/", "/{}/learn/"])
def test_html_lang_is_the_page_language(client, db, code, path):
    response = client.get(path.format(code))
    assert response.status_code == 200
    html = parse_html(response).find("html")
    assert html.get("lang") == code
    assert response["Content-Language"] == code


@pytest.mark.parametrize("code", ["zh-hans", "ja"])
@pytest.mark.parametrize("path", ["/{}/", "/{}/checklist/", "/{}/learn/"])
def test_pages_are_translated(client, db, code, path):
    english = parse_html(client.get(path.format("en")))
    translated = parse_html(client.get(path.format(code)))

    def landmarks(page):
        return {
            "h1": text_of(page.find(".//h1")),
            "navigation": [nav.get("aria-label") for nav in page.iter("nav")],
            "disclaimer": text_of(page.find(".//footer//p[@class='disclaimer']")),
        }

    english, translated = landmarks(english), landmarks(translated)
    for name, text in translated.items():
        assert text != english[name], f"{name} on {path.format(code)} is still in English"
        assert CJK.search(str(text)), f"{name} on {path.format(code)} is not in {code}: {text}"


# --- Probes -----------------------------------------------------------------------------


def test_healthz_answers_without_touching_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


def test_readyz_answers_when_the_database_does(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_readyz_says_503_when_the_database_is_unreachable(client, db, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(connections["default"], "cursor", unreachable)
        response = client.get("/readyz")
        alive = client.get("/healthz")
    assert response.status_code == 503
    assert "no-cache" in response["Cache-Control"]
    # The process itself is alive: the liveness probe must not restart it.
    assert alive.status_code == 200


# --- Layout and landmarks ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/en/",
        "/en/checklist/",
        "/en/checklist/?polyneuropathy=present",
        "/en/learn/",
        "/ja/checklist/",
        "/zh-hans/learn/",
    ],
)
def test_every_page_has_the_landmarks(client, db, path):
    page = parse_html(client.get(path))
    body = page.find(".//body")
    links = list(body.iter("a"))
    assert has_class(links[0], "skip-link"), "the skip link is not the first link"
    assert links[0].get("href") == "#main"
    assert [child.tag for child in body if child.tag in ("header", "main", "footer")] == [
        "header",
        "main",
        "footer",
    ]
    main = body.find("main")
    assert main.get("id") == "main"
    navs = list(body.find("header").iter("nav"))
    assert len(navs) >= 2, "the header has the main navigation and the language switcher"
    labels = [nav.get("aria-label", "").strip() for nav in page.iter("nav")]
    assert all(labels), "every <nav> has an aria-label"
    assert len(set(labels)) == len(labels), "two navigation landmarks share a label"
    footer = body.find("footer")
    disclaimer = [p for p in footer.iter("p") if has_class(p, "disclaimer")]
    assert len(disclaimer) == 1 and text_of(disclaimer[0])
    if path.startswith("/en/"):
        assert "does not make a diagnosis" in text_of(disclaimer[0])
    headings = list(page.iter("h1"))
    assert len(headings) == 1
    assert headings[0] in main.iter("h1")
    assert text_of(page.find(".//title"))


# --- Translation catalogues -------------------------------------------------------------


def read_po(path):
    """The entries of a .po file: dicts of flags, msgctxt, msgid, msgid_plural, msgstr."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry = {"flags": set(), "msgctxt": None, "msgid_plural": None, "msgstr": {}}
        target = None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#~"):
                entry = None  # obsolete: not used
                break
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
                continue
            if not line or line.startswith("#"):
                continue
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
            if match:
                keyword, index, literal = match.groups()
                if keyword.startswith("msgstr"):
                    target = ("msgstr", int(index or 0))
                    entry["msgstr"][target[1]] = ""
                else:
                    target = (keyword, None)
                    entry[keyword] = ""
            else:
                literal = line
            value = ast.literal_eval(literal)
            if target[0] == "msgstr":
                entry["msgstr"][target[1]] += value
            else:
                entry[target[0]] += value
        if entry is not None and "msgid" in entry:
            entries.append(entry)
    return entries


PLACEHOLDERS = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def placeholders(text):
    return {a or b for a, b in PLACEHOLDERS.findall(text)}


def catalogue_paths():
    paths = {path.parent.parent.name: path for path in BASE_DIR.glob("locale/*/LC_MESSAGES/*.po")}
    return paths


def test_the_expected_catalogues_exist():
    paths = catalogue_paths()
    missing = [locale for locale in EXPECTED_LOCALES if locale not in paths]
    assert not missing, f"no catalogue locale/<locale>/LC_MESSAGES/django.po for {missing}"


@pytest.mark.parametrize("locale", EXPECTED_LOCALES)
def test_catalogue_is_complete(locale):
    path = BASE_DIR / "locale" / locale / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{path} does not exist"
    entries = read_po(path)
    messages = [entry for entry in entries if entry["msgid"]]
    assert len(messages) > 50, f"{path} holds only {len(messages)} messages"
    fuzzy = [entry["msgid"] or "(header)" for entry in entries if "fuzzy" in entry["flags"]]
    assert not fuzzy, f"{path}: {len(fuzzy)} fuzzy entries, e.g. {fuzzy[:3]}"
    empty = [e["msgid"] for e in messages if not all(e["msgstr"].values()) or not e["msgstr"]]
    assert not empty, f"{path}: {len(empty)} untranslated messages, e.g. {empty[:3]}"
    for entry in messages:
        source = placeholders(entry["msgid"]) | placeholders(entry["msgid_plural"] or "")
        for translation in entry["msgstr"].values():
            # A placeholder the source lacks crashes the page that formats it.
            assert placeholders(translation) <= source, (entry["msgid"], translation)
            if entry["msgid_plural"] is None:
                assert placeholders(translation) == source, (entry["msgid"], translation)


def test_catalogues_hold_every_string_the_sources_mark(tmp_path):
    """A string marked for translation but missing from the catalogues shows in English
    on a Chinese or Japanese page, and the completeness test above cannot see it. So
    extract afresh, as `make messages` does, from a copy of the sources, and compare."""
    sources = [
        *("manage.py", "pyproject.toml"),
        *("checklist", "common", "content", "poems_site", "templates"),
    ]
    for name in sources:
        origin = BASE_DIR / name
        if origin.is_dir():
            shutil.copytree(origin, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(origin, tmp_path / name)
    for locale in EXPECTED_LOCALES:
        (tmp_path / "locale" / locale / "LC_MESSAGES").mkdir(parents=True)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--no-location", "--no-obsolete"]
        + [f"--locale={locale}" for locale in EXPECTED_LOCALES],
        cwd=tmp_path,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "poems_site.settings.test"},
        check=True,
        capture_output=True,
    )
    for locale in EXPECTED_LOCALES:
        relative = Path("locale", locale, "LC_MESSAGES", "django.po")
        marked = {(e["msgctxt"], e["msgid"]) for e in read_po(tmp_path / relative)}
        held = {(e["msgctxt"], e["msgid"]) for e in read_po(BASE_DIR / relative)}
        lacking, unused = sorted(marked - held, key=str), sorted(held - marked, key=str)
        assert not lacking, f"run `make messages`: {locale} lacks {lacking[:3]}"
        assert not unused, f"run `make messages`: {locale} keeps {unused[:3]}"


@pytest.mark.parametrize("locale", EXPECTED_LOCALES)
def test_compiled_catalogue_loads_and_matches_its_source(locale):
    po_path = BASE_DIR / "locale" / locale / "LC_MESSAGES" / "django.po"
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} does not exist: run `make translations`"
    with mo_path.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    assert catalogue.charset().lower() == "utf-8"
    stale = []
    for entry in read_po(po_path):
        if not entry["msgid"]:
            continue
        key = entry["msgid"]
        if entry["msgctxt"] is not None:
            key = f"{entry['msgctxt']}\x04{key}"
        if entry["msgid_plural"] is None:
            found = catalogue._catalog.get(key)
            if found != entry["msgstr"][0]:
                stale.append(entry["msgid"])
        else:
            for index, text in entry["msgstr"].items():
                if catalogue._catalog.get((key, index)) != text:
                    stale.append(entry["msgid"])
    assert not stale, f"{mo_path} is older than its .po ({len(stale)} messages, e.g. {stale[:3]})"


def test_no_model_change_lacks_a_migration(db):
    output = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=output, stderr=output)
    except SystemExit:
        pytest.fail(f"a model change has no migration:\n{output.getvalue()}")


# --- Request logs -----------------------------------------------------------------------


@pytest.fixture
def request_log(caplog):
    """The records of the "poems.request" logger (it does not propagate to the root)."""
    logger = logging.getLogger("poems.request")
    logger.addHandler(caplog.handler)
    yield lambda: list(caplog.records)
    logger.removeHandler(caplog.handler)


def console_handler():
    handlers = logging.getLogger("poems.request").handlers
    assert handlers, "the request logger has no handler"
    return handlers[0]


@pytest.mark.parametrize(
    "url",
    [
        f"/en/checklist/?{CHECKLIST_QUERY}",
        f"/ja/checklist/print/?{CHECKLIST_QUERY}",
        f"/api/v1/evaluate?{CHECKLIST_QUERY}",
        "/en/checklist/?polyneuropathy=present&vegf=350",  # a bad request is logged too
    ],
)
def test_request_log_records_the_path_but_never_the_query(client, db, request_log, url):
    response = client.get(url)
    path = urlsplit(url).path
    records = [record for record in request_log() if getattr(record, "path", None) == path]
    assert len(records) == 1
    record = records[0]
    assert (record.method, record.status) == ("GET", response.status_code)
    formatter = console_handler().formatter
    for record in request_log():
        line = formatter.format(record)
        assert json.loads(line)["path"] == path
        for secret in ("polyneuropathy", "350", "plasma", "?"):
            assert secret not in line


def test_a_server_error_log_never_carries_the_query(client, db, monkeypatch):
    """Django logs a 500 with the request attached; the log line still has no findings."""

    def broken(case):
        raise RuntimeError("the rules engine is down")

    monkeypatch.setattr("checklist.views.evaluate", broken)
    client.raise_request_exception = False
    handler = console_handler()
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        response = client.get(f"/en/checklist/?{CHECKLIST_QUERY}")
    finally:
        handler.setStream(previous)
    assert response.status_code == 500
    output = stream.getvalue()
    assert "/en/checklist/" in output
    assert "the rules engine is down" in output
    # The traceback quotes source lines (which name fields such as `parsed.vegf`), never
    # the request's values.
    for secret in ("=present", "vegf=", "plasma", "newsletter"):
        assert secret not in output, f"{secret!r} reached the log:\n{output}"


def test_runserver_request_lines_lose_their_query_string():
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /en/checklist/?polyneuropathy=present&vegf=350 HTTP/1.1", "200", "4821"),
        None,
    )
    assert StripQueryStrings().filter(record) is True
    assert record.getMessage() == '"GET /en/checklist/ HTTP/1.1" 200 4821'


def test_a_url_in_the_message_itself_loses_its_query_string():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: /x?y=1&z=2", None, None
    )
    StripQueryStrings().filter(record)
    assert record.getMessage() == "Not Found: /x"


# --- Security and privacy headers -------------------------------------------------------


def csp_directives(header):
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize(
    "url",
    [
        "/en/",
        "/en/checklist/?polyneuropathy=present",
        "/ja/checklist/print/?polyneuropathy=present",
        "/zh-hans/learn/",
        "/en/learn/overview/",
        "/api/v1/evaluate?polyneuropathy=present",
    ],
)
def test_security_and_privacy_headers(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in permissions
    csp = csp_directives(response["Content-Security-Policy"])
    assert "'self'" in csp["script-src"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]


@pytest.mark.parametrize(
    "url",
    [
        "/en/",
        "/en/checklist/?polyneuropathy=present",
        "/en/checklist/print/?polyneuropathy=present",
        "/en/learn/",
        "/en/learn/overview/",
    ],
)
def test_pages_run_under_their_content_security_policy(client, db, url):
    """What the policy forbids (inline script or style) is not on the page to be blocked."""
    response = client.get(url)
    csp = csp_directives(response["Content-Security-Policy"])
    nonces = {value[len("'nonce-") : -1] for value in csp["script-src"] if "nonce-" in value}
    page = parse_html(response)
    for script in page.iter("script"):
        src = script.get("src")
        if src:
            assert src.startswith("/static/"), src
        else:
            assert script.get("nonce") in nonces, "an inline script without the page's nonce"
    assert not list(page.iter("style")), "an inline <style> is blocked by style-src 'self'"
    styled = [element.tag for element in page.iter() if "style" in element.attrib]
    assert not styled, f"style attributes are blocked by the policy: {styled}"


@pytest.mark.parametrize(
    "path",
    [
        *("/c/2ABC", "//c/2ABC", "/c//2ABC", "/C/2ABC", "/en/checklist/c/2ABC"),
        *("/ja//checklist/c/2ABC/", "/zh-hans/checklist/C/2ABC", "/en/checklist/../c/2ABC"),
    ],
)
def test_a_short_code_never_reaches_the_request_log(path):
    from poems_site.middleware import loggable_path

    assert "2ABC" not in loggable_path(path)
    assert loggable_path("/en/checklist/") == "/en/checklist/"
