"""The deployment files' own logic, without starting anything: gunicorn's log filters
(security review F2), nginx's error-log filter, and the template renderer. The running
topology is tested by tests/cluster/ (`make test-cluster`)."""

import importlib.machinery
import importlib.util
import logging
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FINDINGS = "polyneuropathy=present&vegf=350&vegf_specimen=plasma"


def load(path, name):
    loader = importlib.machinery.SourceFileLoader(name, str(ROOT / path))
    spec = importlib.util.spec_from_loader(name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


gunicorn_conf = load("deploy/gunicorn.conf.py", "poems_gunicorn_conf")
nginx_error_log = load("bin/nginx-error-log", "poems_nginx_error_log")
render_config = load("bin/render-config", "poems_render_config")


def error_line(msg, *args, exc_info=None):
    """A gunicorn.error record through the filter and the formatter, as it is written."""
    record = logging.LogRecord("gunicorn.error", logging.WARNING, __file__, 1, msg, args, exc_info)
    assert gunicorn_conf.RequestLineFilter().filter(record)
    return logging.Formatter("%(message)s").format(record)


@pytest.mark.parametrize(
    ("logged", "kept"),
    [
        # The review's cases: raw UTF-8, a raw tab, a control byte, a raw space (no "?").
        (f"Invalid HTTP request line: 'GET /en/checklist/?vegf=\u0663&{FINDINGS} HTTP/1.1'",
         "Invalid HTTP request line"),
        (f"Invalid HTTP request line: 'GET /en/checklist/?vegf=1\t&{FINDINGS} HTTP/1.1'",
         "Invalid HTTP request line"),
        ("Invalid HTTP request line: 'GET /en/checklist/?polyneuropathy=\\x01present HTTP/1.1'",
         "Invalid HTTP request line"),
        ("Invalid HTTP Version: '&vegf_specimen=plasma&polyneuropathy=present HTTP/1.1'",
         "Invalid HTTP Version"),
        ("Invalid HTTP method: 'G\\x01T'", "Invalid HTTP method"),
        (f"Invalid HTTP Header: 'Referer: /en/checklist/?{FINDINGS}'", "Invalid HTTP Header"),
        (f"Invalid chunk size: b'{FINDINGS}'", "Invalid chunk size"),
        ("Request Line is too large (9111 > 8190)", "Request Line is too large (9111 > 8190)"),
        ("Contradictory scheme headers", "Contradictory scheme headers"),
        (f"{FINDINGS} (weird)", "(request line withheld)"),
    ],
)  # fmt: skip
def test_invalid_request_lines_keep_the_kind_of_error_only(logged, kept):
    line = error_line(f"Invalid request from ip=127.0.0.1: {logged}")
    assert line == f"Invalid request from ip=127.0.0.1: {kept}"


# Every spelling of a short link the app answers (it decodes the path and takes any
# language's /<lang>/checklist/c/), and some it does not: the code is a whole checklist.
SHORT_LINKS = (
    "/c/1Xy9Kq", "//c/1Xy9Kq", "/%63/1Xy9Kq", "/c%2F1Xy9Kq", "/C/1Xy9Kq", "/%43/1Xy9Kq",
    "/ja/checklist/c/1Xy9Kq", "/zh-hans//checklist//c/1Xy9Kq", "/ja%2Fchecklist%2Fc%2F1Xy9Kq",
    "/en/%63hecklist/%63/1Xy9Kq", "/en/checklist/../c/1Xy9Kq",
)  # fmt: skip


def test_a_worker_timeout_keeps_method_and_path_only():
    try:
        raise SystemExit(1)
    except SystemExit:
        exc_info = sys.exc_info()
    line = error_line(
        "Error handling request %s %s", "GET", f"/en/checklist/?{FINDINGS}", exc_info=exc_info
    )
    assert line.startswith("Error handling request GET /en/checklist/\n")
    assert "SystemExit" in line
    assert "present" not in line
    for short_link in SHORT_LINKS:
        assert error_line("Error handling request %s", f"{short_link}?{FINDINGS}") == (
            "Error handling request /c/<code>"
        )
    assert error_line("Error handling request %s %s", "GET", "/x%3Fpolyneuropathy=present") == (
        "Error handling request GET /x"
    )


def test_a_traceback_loses_its_query_strings():
    try:
        raise ValueError(f"while loading /en/checklist/?{FINDINGS}")
    except ValueError:
        line = error_line("Socket error processing request.", exc_info=sys.exc_info())
    assert "ValueError: while loading /en/checklist/?<withheld>" in line
    assert "present" not in line


def test_other_lines_pass_and_anything_like_a_request_line_is_withheld():
    assert error_line("Booting worker with pid: %s", 1234) == "Booting worker with pid: 1234"
    assert error_line("WORKER TIMEOUT (pid:%s)", 1234) == "WORKER TIMEOUT (pid:1234)"
    assert error_line(f"Ignored premature client disconnection. b'GET /en/?{FINDINGS}'") == (
        "(request line withheld)"
    )
    assert error_line("Closing connection. %s", f"see /c/1Xy9Kq and /a?{FINDINGS}") == (
        "Closing connection. see /c/<code> and /a?<withheld>"
    )


def access_line(fmt=None):
    atoms = {
        "h": "127.0.0.1", "m": "GET", "U": "/en/checklist/summary.pdf", "q": FINDINGS,
        "r": f"GET /en/checklist/summary.pdf?{FINDINGS} HTTP/1.1", "s": "200", "B": 4321,
        "M": 180, "H": "HTTP/1.1", "f": f"https://poems.example.org/en/checklist/?{FINDINGS}",
        "{referer}i": f"/en/checklist/?{FINDINGS}", "{query_string}e": FINDINGS,
    }  # fmt: skip
    record = logging.LogRecord(
        "gunicorn.access", logging.INFO, __file__, 1, fmt or gunicorn_conf.access_log_format,
        (atoms,), None,
    )  # fmt: skip
    assert gunicorn_conf.AccessLineFilter().filter(record)
    return record.getMessage()


def test_the_access_log_has_the_path_only_whatever_its_format():
    assert access_line() == '127.0.0.1 "GET /en/checklist/summary.pdf" 200 4321 180ms'
    hostile = '"%(r)s" %(q)s %(f)s %({referer}i)s %({query_string}e)s'
    assert access_line(hostile) == '"GET /en/checklist/summary.pdf HTTP/1.1" - - - -'


@pytest.mark.parametrize("address", ["127.0.0.1:8001", "[::1]:8001", "unix:/run/poems/a.sock"])
def test_gunicorn_binds_to_loopback_or_a_unix_socket(address):
    assert gunicorn_conf._loopback_only(address) == address


@pytest.mark.parametrize("address", ["0.0.0.0:8000", "[::]:8000", "10.0.0.5:8000", "app:8000"])
def test_gunicorn_refuses_any_other_address(address):
    with pytest.raises(RuntimeError, match="loopback"):
        gunicorn_conf._loopback_only(address)


def test_the_gunicorn_settings():
    assert gunicorn_conf.worker_class == "sync"
    assert gunicorn_conf.control_socket_disable is True  # no shared socket (F13)
    assert gunicorn_conf.max_requests and gunicorn_conf.max_requests_jitter
    handlers = gunicorn_conf.logconfig_dict["handlers"]
    assert handlers["error"]["filters"] == ["request_line"]
    assert handlers["access"]["class"] == "logging.NullHandler"  # off unless asked for


NGINX_LINES = [
    (
        "2026/11/29 23:24:19 [error] 17034#17034: *8579 upstream timed out (110: Connection "
        "timed out) while reading response header from upstream, client: 127.0.0.1, server: "
        f'poems.example.org, request: "GET /en/checklist/summary.pdf?{FINDINGS} HTTP/1.1", '
        f'upstream: "http://127.0.0.1:8001/en/checklist/summary.pdf?{FINDINGS}", host: '
        f'"poems.example.org", referrer: "https://poems.example.org/en/checklist/?{FINDINGS}"',
        "2026/11/29 23:24:19 [error] 17034#17034: *8579 upstream timed out (110: Connection "
        "timed out) while reading response header from upstream, client: 127.0.0.1, server: "
        'poems.example.org, request: "GET /en/checklist/summary.pdf", '
        'upstream: "http://127.0.0.1:8001"',
    ),
    (
        '2026/11/29 23:24:19 [notice] 1#1: *3 limiting requests, excess: 5.500 by zone "pdf", '
        'client: 127.0.1.3, server: _, request: "GET /c/1Xy9Kq HTTP/1.1", host: "x"',
        '2026/11/29 23:24:19 [notice] 1#1: *3 limiting requests, excess: 5.500 by zone "pdf", '
        'client: 127.0.1.3, server: _, request: "GET /c/<code>"',
    ),
    (
        "2026/11/29 [info] 1#1: *3 client sent invalid request, client: 127.0.0.1, server: _, "
        f'request: "GET /en/?vegf=350 &{FINDINGS} HTTP/1.1"',
        "2026/11/29 [info] 1#1: *3 client sent invalid request, client: 127.0.0.1, server: _, "
        'request: "GET /en/"',
    ),
    (
        "2026/11/29 [info] 1#1: *3 client sent invalid method, client: 127.0.0.1, server: _, "
        f'request: "G\x01T /en/?{FINDINGS} HTTP/1.1"',
        "2026/11/29 [info] 1#1: *3 client sent invalid method, client: 127.0.0.1, server: _, "
        'request: "(request line withheld)"',
    ),
    (
        f'2026/11/29 [error] 1#1: *3 open() "/srv/static/a?{FINDINGS}" failed (2: No such file)',
        '2026/11/29 [error] 1#1: *3 open() "/srv/static/a?<withheld>" failed (2: No such file)',
    ),
    (
        '2026/11/29 [emerg] 1#1: unknown directive "foo" in /etc/nginx/nginx.conf:3',
        '2026/11/29 [emerg] 1#1: unknown directive "foo" in /etc/nginx/nginx.conf:3',
    ),
]


@pytest.mark.parametrize(("line", "written"), NGINX_LINES)
def test_nginx_error_lines_are_cut_to_method_and_path(line, written):
    assert nginx_error_log.scrub_line(line) == written


@pytest.mark.parametrize("short_link", SHORT_LINKS)
def test_nginx_error_lines_mask_every_spelling_of_a_short_link(short_link):
    line = (
        f'2026/11/29 [error] 1#1: *3 boom, client: 127.0.0.1, request: "GET {short_link} HTTP/1.1"'
    )
    assert nginx_error_log.scrub_line(line).endswith('request: "GET /c/<code>"')


def test_nginx_syslog_header_is_removed():
    datagram = b"<187>Nov 29 23:24:19 nginx: 2026/11/29 23:24:19 [error] 1#1: boom\n"
    assert nginx_error_log.from_syslog(datagram) == "2026/11/29 23:24:19 [error] 1#1: boom"


TEMPLATE = """upstream u {
    server ${POEMS_APP_SERVER} max_conns=3;
}
limit_conn z ${POEMS_PDF_SLOTS};
listen ${POEMS_LISTEN}; access_log $uri;
"""


def test_the_template_gets_one_server_line_per_instance():
    rendered = render_config.render(
        TEMPLATE, {"POEMS_APP_SERVERS": "127.0.0.1:8001 unix:/run/b.sock", "POEMS_LISTEN": "80"}
    )
    assert rendered == (
        "upstream u {\n    server 127.0.0.1:8001 max_conns=3;\n"
        "    server unix:/run/b.sock max_conns=3;\n}\n"
        "limit_conn z 6;\nlisten 80; access_log $uri;\n"
    )


def test_the_template_refuses_app_servers_off_loopback():
    with pytest.raises(SystemExit, match="loopback"):
        render_config.render(TEMPLATE, {"POEMS_APP_SERVERS": "127.0.0.1:8001 10.0.0.2:8001"})


def test_the_template_refuses_a_missing_value():
    with pytest.raises(SystemExit, match="POEMS_APP_SERVERS, POEMS_LISTEN"):
        render_config.render(TEMPLATE, {})


def test_the_shipped_nginx_template_names_no_query_in_its_log_format():
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    log_format = text[text.index("log_format") : text.index("access_log")]
    for variable in ("$request", "$request_uri", "$args", "$query_string", "$http_referer"):
        assert variable not in log_format.replace("$request_method", "").replace(
            "$request_time", ""
        )
    assert "$uri" not in log_format  # the logged path comes from $poems_log_path
