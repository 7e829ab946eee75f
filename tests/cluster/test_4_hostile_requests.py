"""Hostile and malformed requests, through the proxy and straight at each gunicorn, leave
no query string in any log; nginx's own errors are small JSON bodies under /api/ (plain
text elsewhere), also when an instance is down or too slow.

This file runs last: its final test reads every file under .cluster/logs/, written by
all the tests before it (the PDF flood's checklists included).
"""

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cluster.client import get, raw_request

ROOT = Path(__file__).resolve().parents[2]
CANARY = "canary" + secrets.token_hex(6)
QUERY = f"polyneuropathy=present&vegf=4321&vegf_specimen=serum&note={CANARY}"
CODE = "1" + CANARY  # a short link "code": a whole checklist, masked in every log


def request(path, method="GET", headers=(), version="HTTP/1.1", body=b""):
    head = f"{method} {path} {version}\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers)
    return head.encode() + b"\r\n" + body


def hostile_requests():
    """(name, bytes): each carries the canary in its query or headers."""
    q = QUERY.encode()
    plain = [
        ("checklist", request(f"/en/checklist/?{QUERY}")),
        ("api", request(f"/api/v1/evaluate?{QUERY}")),
        ("pdf", request(f"/ja/checklist/summary.pdf?{QUERY}")),
        ("short link", request(f"/c/{CODE}")),
        ("short link with slash and query", request(f"/c/{CODE}/?{QUERY}")),
        ("short link, encoded", request(f"/%63/{CODE}")),
        ("short link, two slashes", request(f"//c/{CODE}")),
        ("short link in a language", request(f"/ja/checklist/c/{CODE}")),
        ("short link in a language, encoded", request(f"/ja%2Fchecklist%2F%63%2F{CODE}")),
        ("short link, capital", request(f"/en/checklist/C/{CODE}")),
        ("encoded question mark", request(f"/en/checklist/%3F{QUERY}")),
        ("referer", request("/en/learn/vegf/", headers=[("Referer", f"/en/checklist/?{QUERY}")])),
        ("unknown method", request(f"/api/v1/evaluate?{QUERY}", method="PROPFIND")),
        ("post", request(f"/en/checklist/?{QUERY}", method="POST", body=b"")),
        ("bad host", request(f"/en/checklist/?{QUERY}", headers=[("Host", "evil.example")])),
        ("missing static", request(f"/static/none.css?{QUERY}")),
        ("manifest", request(f"/static/staticfiles.json?{QUERY}")),
        ("absolute uri", request(f"http://127.0.0.1/en/checklist/?{QUERY}")),
        ("bad version", request(f"/api/v1/evaluate?{QUERY}", version="HTTP/9.9")),
        ("scheme headers", request(f"/en/?{QUERY}", headers=[("X-Forwarded-Ssl", "on")])),
    ]
    raw = [
        ("raw utf-8", b"GET /en/checklist/?vegf=\xd9\xa3&" + q + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("raw space", b"GET /api/v1/evaluate?vegf=350 &" + q + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("raw tab", b"GET /en/checklist/?vegf=350\t&" + q + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("raw control", b"GET /en/checklist/?x=\x01&" + q + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("raw bytes", b"GET /en/checklist/?x=\xff\xfe&" + q + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("bad method", b"G\x01T /api/v1/evaluate?" + q + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("lowercase method", b"get /en/checklist/?" + q + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("no version", b"GET /en/checklist/?" + q + b"\r\n\r\n"),
        ("bad header", b"GET /en/?" + q + b" HTTP/1.1\r\nHost: x\r\nX\x01Y: " + q + b"\r\n\r\n"),
        ("folded header", b"GET /en/ HTTP/1.1\r\nHost: x\r\nX-A: b\r\n  " + q + b"\r\n\r\n"),
        (
            "bad chunk",
            b"POST /en/?" + q + b" HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            + q + b"\r\n\r\n",
        ),
        ("long line", b"GET /api/v1/evaluate?" + q + b"&pad=" + b"x" * 9000 + b" HTTP/1.1\r\n\r\n"),
        ("long header", b"GET /en/ HTTP/1.1\r\nHost: x\r\nX-A: " + q * 300 + b"\r\n\r\n"),
    ]  # fmt: skip
    return plain + raw


def test_hostile_requests_get_answers_not_crashes(cluster):
    """Through the proxy and straight at each instance (as something on the host could)."""
    ports = [cluster["ports"][name] for name in ("nginx", "a", "b")]
    for port in ports:
        for name, data in hostile_requests():
            status, headers, body, _ = raw_request(port, data)
            # An answer (or a closed connection), never a server error.
            assert status not in (500, 502, 503, 504), (port, name, status, body[:200])
            if port == cluster["ports"]["nginx"] and status in (400, 413, 414, 505):
                if re.match(rb"[A-Z]+ /api/", data):
                    assert headers.get("content-type") == "application/json", (name, body)
                assert b"<html" not in body.lower() or headers.get("content-type", "").startswith(
                    "text/html; charset=utf-8"
                ), (name, body[:200])  # only the app's own pages are HTML


@pytest.mark.parametrize(
    ("data", "status", "error"),
    [
        (b"GET /api/v1/evaluate?x=\xd9\xa3 HTTP/1.1\r\nHost: x\r\n\r\n", 400, "bad_request"),
        (b"GET /api/v1/evaluate?x=1 2 HTTP/1.1\r\nHost: x\r\n\r\n", 400, "bad_request"),
        (b"GET /api/v1/evaluate?" + b"x" * 5000 + b" HTTP/1.1\r\n\r\n", 414, "uri_too_long"),
        (
            b"GET /api/v1/evaluate HTTP/1.1\r\nHost: x\r\nX-A: " + b"a" * 5000 + b"\r\n\r\n",
            400,
            "bad_request",
        ),
        (
            b"POST /api/v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n",
            413,
            "request_too_large",
        ),
    ],
    ids=["raw bytes", "raw space", "long line", "long header", "large body"],
)
def test_nginx_answers_its_own_api_errors_in_json(cluster, data, status, error):
    got, headers, body, _ = raw_request(cluster["ports"]["nginx"], data)
    assert got == status
    assert headers["content-type"] == "application/json"
    assert headers["cache-control"] == "no-store"
    assert json.loads(body) == {"error": error}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SpareNginx:
    """A second nginx from the same deploy/nginx.conf, in front of given upstreams."""

    def __init__(self, cluster, name, servers, read_timeout=None, forwarded_proto="$scheme"):
        self.port = free_port()
        folder = cluster["logs"].parent
        state = folder / f"nginx-{name}"
        state.mkdir(exist_ok=True)
        logs = cluster["logs"] / name
        logs.mkdir(exist_ok=True)
        values = {
            "POEMS_LISTEN": f"127.0.0.1:{self.port}",
            "POEMS_SERVER_NAME": "127.0.0.1",
            "POEMS_APP_SERVERS": " ".join(servers),
            "POEMS_FORWARDED_PROTO": forwarded_proto,
            "POEMS_STATIC_ROOT": str(ROOT / "staticfiles"),
            "POEMS_ACCESS_LOG": str(logs / "nginx-access.log"),
            # The cluster's own bin/nginx-error-log, into its nginx-error.log.
            "POEMS_ERROR_LOG_SOCKET": str(folder / "run" / "nginx-error.sock"),
            "POEMS_STATE_DIR": str(state),
            "POEMS_USER": "www-data" if os.geteuid() == 0 else os.environ.get("USER", "nobody"),
        }
        conf = subprocess.run(
            [sys.executable, str(ROOT / "bin" / "render-config"), str(ROOT / "deploy/nginx.conf")],
            env={**os.environ, **values},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        if read_timeout:
            conf = conf.replace("proxy_read_timeout 35s;", f"proxy_read_timeout {read_timeout};")
        (state / "nginx.conf").write_text(conf)
        self.process = subprocess.Popen(
            ["nginx", "-c", str(state / "nginx.conf"), "-p", str(state), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        while True:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    break
            assert self.process.poll() is None, self.process.stderr.read()
            assert time.monotonic() < deadline, "the spare nginx did not start"
            time.sleep(0.05)

    def stop(self):
        self.process.terminate()
        self.process.communicate(timeout=20)


@pytest.fixture
def spare_nginx(cluster):
    started = []

    def start(name, servers, **options):
        started.append(SpareNginx(cluster, name, servers, **options))
        return started[-1]

    yield start
    for nginx in started:
        nginx.stop()


def test_an_instance_that_is_down_gets_json_502_under_api_and_503_for_pdfs(spare_nginx):
    nginx = spare_nginx("instance-down", [f"127.0.0.1:{free_port()}"])
    base = f"http://127.0.0.1:{nginx.port}"
    status, headers, body = get(f"{base}/api/v1/evaluate?{QUERY}")
    assert (status, headers["content-type"]) == (502, "application/json")
    assert json.loads(body) == {"error": "bad_gateway"}
    assert headers["retry-after"] == "5"
    status, headers, body = get(f"{base}/en/checklist/?{QUERY}")
    assert (status, headers["content-type"]) == (502, "text/plain; charset=utf-8")
    assert b"<html" not in body
    status, headers, body = get(f"{base}/en/checklist/summary.pdf?{QUERY}")
    assert (status, headers["retry-after"]) == (503, "2")


def test_an_instance_that_does_not_answer_gets_json_504_under_api(spare_nginx):
    with socket.socket() as silent:  # accepts connections (kernel backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        address = f"127.0.0.1:{silent.getsockname()[1]}"
        nginx = spare_nginx("instance-silent", [address], read_timeout="1s")
        status, headers, body = get(f"http://127.0.0.1:{nginx.port}/api/v1/evaluate?{QUERY}")
    assert (status, headers["content-type"]) == (504, "application/json")
    assert json.loads(body) == {"error": "gateway_timeout"}


def test_x_forwarded_proto_is_nginx_s_word_not_the_client_s(cluster, spare_nginx):
    """Django sends HSTS only on a request it takes for HTTPS (SECURE_PROXY_SSL_HEADER)."""
    instance_a = f"127.0.0.1:{cluster['ports']['a']}"
    spoofed = {"X-Forwarded-Proto": "https", "X-Forwarded-Ssl": "on", "Forwarded": "proto=https"}
    status, headers, _ = get(cluster["url"] + "/healthz", headers=spoofed)
    assert status == 200
    assert "strict-transport-security" not in headers  # plain HTTP, whatever the client says
    behind_tls = spare_nginx("behind-tls", [instance_a], forwarded_proto="https")
    status, headers, _ = get(f"http://127.0.0.1:{behind_tls.port}/healthz")
    assert status == 200
    assert headers["strict-transport-security"].startswith("max-age=")


def test_static_files_come_from_nginx(cluster):
    status, _, page = get(cluster["url"] + "/en/")
    stylesheet = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page)
    assert status == 200 and stylesheet, "no hashed stylesheet on the home page"
    status, headers, body = get(cluster["url"] + stylesheet.group(1).decode())
    assert status == 200 and body
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["x-content-type-options"] == "nosniff"
    assert "permissions-policy" not in headers  # not Django's answer
    status, headers, body = get(cluster["url"] + "/static/staticfiles.json")
    assert (status, headers["content-type"]) == (404, "text/plain; charset=utf-8")


SLOW_APP = """
import time


def app(environ, start_response):
    time.sleep(60)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"too late"]
"""


def test_a_worker_timeout_is_logged_without_the_query(cluster, tmp_path):
    """gunicorn with deploy/gunicorn.conf.py, in front of an app slower than its timeout."""
    (tmp_path / "slow_app.py").write_text(SLOW_APP)
    logs = cluster["logs"] / "worker-timeout"
    logs.mkdir(exist_ok=True)
    port = free_port()
    env = {
        **os.environ,
        "POEMS_BIND": f"127.0.0.1:{port}",
        "POEMS_ERROR_LOG": str(logs / "gunicorn.error.log"),
        "POEMS_ACCESS_LOG": str(logs / "gunicorn.access.log"),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
         "--workers", "1", "--timeout", "2", "--chdir", str(tmp_path), "slow_app:app"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while True:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.1)
        status, *_ = raw_request(port, request(f"/slow/?{QUERY}"), timeout=20)
        assert status in (None, 500)
        log = logs / "gunicorn.error.log"
        deadline = time.monotonic() + 15
        while "Error handling request" not in log.read_text():
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        text = log.read_text()
        assert "WORKER TIMEOUT" in text
        assert "Error handling request GET /slow/" in text
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_no_log_holds_a_query_string(cluster):
    """Every file under .cluster/logs/: nginx (access, error), gunicorn (access, error) and
    the app's JSON log of each instance, Redis, PostgreSQL, the spare servers above."""
    time.sleep(1)  # bin/nginx-error-log writes what nginx sent a moment ago
    forbidden = re.compile(
        rf"{CANARY}|=present|=absent|=unknown|vegf=|vegf_specimen|polyneuropathy="
    )
    files = [path for path in cluster["logs"].rglob("*") if path.is_file()]
    found = {}
    for path in files:
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            if forbidden.search(line):
                found.setdefault(str(path.relative_to(cluster["logs"])), []).append(
                    f"{number}: {line[:300]}"
                )
    assert not found, json.dumps(found, indent=2)

    names = {str(path.relative_to(cluster["logs"])) for path in files}
    for expected in ("nginx-access.log", "nginx-error.log", "app-a.log", "app-b.log",
                     "gunicorn-a.error.log", "gunicorn-a.access.log", "gunicorn-b.error.log",
                     "worker-timeout/gunicorn.error.log"):  # fmt: skip
        assert expected in names, sorted(names)
    # The lines were written, cleaned: the logs still tell the operator what happened.
    errors = (cluster["logs"] / "gunicorn-a.error.log").read_text()
    assert "Invalid request from ip=127.0.0.1: Invalid HTTP request line" in errors
    assert 'request: "GET /static/none.css"' in (cluster["logs"] / "nginx-error.log").read_text()
    assert '"path":"/c/<code>"' in (cluster["logs"] / "nginx-access.log").read_text()
