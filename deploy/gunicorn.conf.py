"""gunicorn settings for one POEMS Criteria app instance, behind nginx (deploy/nginx.conf).

    gunicorn -c deploy/gunicorn.conf.py poems_site.wsgi:application

What this file promises (README, "Deployment"):

- gunicorn listens on loopback or a unix socket only; it refuses to start on any other
  address. Only the proxy reaches it, and the proxy buffers whole requests, so slow
  clients never hold a worker.
- No query string reaches any of its log lines. A checklist's findings travel in the
  query string (and in /c/<code>), and gunicorn's own error log quotes request lines: an
  invalid request line ("Invalid request from ip=...: Invalid HTTP request line: '...'"),
  a request that outlives the worker timeout ("Error handling request GET /...?..."),
  an invalid header (a Referer carries a whole checklist URL). The filters below rebuild
  those lines from what is safe to keep (method, path without query, error kind) and
  never pass the raw text on, so raw spaces, tabs or control bytes that hide the query
  from a regex on "?" (security review F2) cannot leak it either.
- The access log is off unless POEMS_ACCESS_LOG names a file: it then holds the method,
  the path (short link codes masked), status, size and duration, never the query.

Environment (all optional):

    POEMS_BIND            address to listen on: 127.0.0.1:PORT, [::1]:PORT or unix:PATH
                          (default 127.0.0.1:8001)
    POEMS_WORKERS         sync worker processes (default 5: 3 PDFs in flight, as nginx
                          allows per instance, plus 2 for everything else)
    POEMS_ERROR_LOG       gunicorn's own log: a file, or "-" for stderr (default)
    POEMS_ACCESS_LOG      path-only access log: a file, or "-" for stdout (default: off)
    POEMS_CONTROL_SOCKET  a control socket of this instance's own (default: none; F13)
    POEMS_INSTANCE        a name shown in the process title (default "app")

The app's own request log (JSON, paths only) goes to stderr (poems_site.settings.base).
"""

import ipaddress
import logging
import os
import re
import sys
from pathlib import Path

# --- where and how it listens -------------------------------------------------------


def _loopback_only(address):
    """The address, if it is loopback or a unix socket; anything else stops gunicorn."""
    if address.startswith("unix:"):
        return address
    host = address.rsplit(":", 1)[0].strip("[]")
    if host == "localhost":
        return address
    try:
        if ipaddress.ip_address(host).is_loopback:
            return address
    except ValueError:
        pass
    raise RuntimeError(
        f"POEMS_BIND={address!r}: gunicorn must listen on loopback (127.0.0.1:PORT) or a "
        "unix socket (unix:/path) and be reached through the proxy only (deploy/nginx.conf)."
    )


bind = [_loopback_only(os.environ.get("POEMS_BIND", "127.0.0.1:8001"))]
proc_name = "poems-" + os.environ.get("POEMS_INSTANCE", "app")

# Sync workers: one request per process. A PDF takes 150-250 ms of CPU; nginx lets at
# most 3 of them into an instance at a time, and the other workers keep answering the
# cheap pages and /healthz meanwhile (processes, so no GIL is shared with a PDF).
# nginx buffers requests and responses, so no worker ever waits on a slow client.
worker_class = "sync"
workers = int(os.environ.get("POEMS_WORKERS", "5"))
timeout = 30
graceful_timeout = 20
# Recycle workers now and then: bounds the memory a PDF worker keeps (about 0.5 GB after
# CJK PDFs) and any per-process memo; the jitter keeps them from restarting together.
max_requests = 2000
max_requests_jitter = 400
# nginx stops request lines over 4 KB itself (and answers JSON under /api/); this
# larger limit means gunicorn's own HTML 414 never shows behind it.
limit_request_line = 8190

# The proxy on loopback is the only front end trusted for X-Forwarded-Proto.
forwarded_allow_ips = "127.0.0.1,::1"

# One control socket per instance, or none: two instances sharing the default path
# delete each other's socket (security review F13).
if os.environ.get("POEMS_CONTROL_SOCKET"):
    control_socket = os.environ["POEMS_CONTROL_SOCKET"]
else:
    control_socket_disable = True

# Loaded once in the master, before any worker is forked: WeasyPrint (Pango, HarfBuzz)
# and the fonts of the three languages. Every worker, and every one that replaces a
# recycled worker, then makes its first PDF as fast as its hundredth, instead of
# spending about a second of CPU on it, and the workers share that memory.
_WARM_UP = (
    '<html lang="en"><body><p style="font-family: \'Noto Sans\', sans-serif">Warm-up</p>'
    '<p lang="ja" style="font-family: \'Noto Sans CJK JP\', sans-serif">準備</p>'
    '<p lang="zh-hans" style="font-family: \'Noto Sans CJK SC\', sans-serif">准备</p>'
    "</body></html>"
)


def on_starting(server):
    try:
        from weasyprint import HTML

        HTML(string=_WARM_UP).write_pdf()
    except Exception as error:  # the site still works; first PDFs are slower
        server.log.warning("PDF warm-up failed: %s", type(error).__name__)


# --- logging without query strings --------------------------------------------------

# What may be logged of a request: shared with bin/nginx-error-log (stdlib only).
sys.path.insert(0, str(Path(__file__).resolve().parent))
from logscrub import loggable_path, scrub  # noqa: E402

_WITHHELD = "(request line withheld)"
_SAFE_METHOD = re.compile(r"[A-Z]{1,16}")
# gunicorn's client-error texts are "<kind>: <repr of what the client sent>"; only the
# kind is kept, and only if it is plain words (e.g. "Invalid HTTP request line").
_SAFE_KIND = re.compile(r"[A-Za-z][A-Za-z0-9 ()<>.,_-]{0,80}")
_INVALID_REQUEST = re.compile(
    r"Invalid request from ip=(?P<ip>[0-9A-Fa-f.:]*): (?P<error>.*)", re.S
)
# Anything that looks like a request line, wherever it sits in a message.
_REQUEST_LIKE = re.compile(
    r"\b(GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS|TRACE|CONNECT|PROPFIND)\s+\S|HTTP/\d\.\d"
)


def loggable_method(method):
    return method if isinstance(method, str) and _SAFE_METHOD.fullmatch(method) else "-"


class RequestLineFilter(logging.Filter):
    """For gunicorn.error: rebuild every record from what may be logged (see above)."""

    def filter(self, record):
        try:
            record.msg, record.args = self._clean(record)
        except Exception:  # never let a log line through unfiltered
            record.msg, record.args = "(log line withheld: it could not be cleaned)", ()
        if record.exc_info or record.exc_text:
            if record.exc_info and not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True

    def _clean(self, record):
        msg = str(record.msg)
        args = record.args if isinstance(record.args, tuple) else ()
        if msg.startswith("Error handling request"):
            if msg == "Error handling request %s %s" and len(args) == 2:
                return "Error handling request %s %s", (
                    loggable_method(args[0]),
                    loggable_path(args[1]),
                )
            if msg == "Error handling request %s" and len(args) == 1:
                return "Error handling request %s", (loggable_path(args[0]),)
            return "Error handling request", ()
        text = msg % args if args else msg
        invalid = _INVALID_REQUEST.match(text)
        if invalid:
            kind = re.split(r"[:'\"]", invalid["error"], maxsplit=1)[0].strip()
            if not _SAFE_KIND.fullmatch(kind):
                kind = _WITHHELD
            return "Invalid request from ip=%s: %s", (invalid["ip"], kind)
        if _REQUEST_LIKE.search(text):
            return _WITHHELD, ()
        return "%s", (scrub(text),)


class _Dash(dict):
    def __missing__(self, key):
        return "-"


class AccessLineFilter(logging.Filter):
    """For gunicorn.access: only these atoms exist; every other one (%(r)s, %(q)s,
    %(f)s for the Referer, headers, environ) reads "-", whatever the format says."""

    _KEPT = ("h", "m", "s", "B", "b", "T", "D", "M", "L", "p", "t", "H")

    def filter(self, record):
        atoms = record.args if isinstance(record.args, dict) else {}
        safe = _Dash({key: atoms[key] for key in self._KEPT if key in atoms})
        safe["m"] = loggable_method(atoms.get("m"))
        safe["U"] = loggable_path(atoms.get("U"))
        safe["r"] = f"{safe['m']} {safe['U']} {atoms.get('H', '-')}"
        record.args = safe
        return True


access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


def _handler(target, stream):
    if target in (None, "", "-"):
        return {"class": "logging.StreamHandler", "stream": stream}
    # Reopened when logrotate moves the file away.
    return {"class": "logging.handlers.WatchedFileHandler", "filename": target}


_access_target = os.environ.get("POEMS_ACCESS_LOG", "")
_formatter = {
    "format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s",
    "datefmt": "[%Y-%m-%d %H:%M:%S %z]",
}
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_line": {"()": RequestLineFilter},
        "access_line": {"()": AccessLineFilter},
    },
    "formatters": {"generic": _formatter, "access": {"format": "%(message)s"}},
    "handlers": {
        "error": {
            **_handler(os.environ.get("POEMS_ERROR_LOG"), "ext://sys.stderr"),
            "formatter": "generic",
            "filters": ["request_line"],
        },
        "access": (
            {
                **_handler(_access_target, "ext://sys.stdout"),
                "formatter": "access",
                "filters": ["access_line"],
            }
            if _access_target
            else {"class": "logging.NullHandler"}
        ),
    },
    # The app's loggers are configured by Django (poems_site.settings.base.LOGGING).
    "root": {"level": "WARNING", "handlers": []},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
    },
}
