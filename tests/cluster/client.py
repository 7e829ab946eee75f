"""Small HTTP helpers for the cluster tests: raw bytes on a socket, and an admin session
with its own cookies (the production cookies are Secure; the cluster is plain HTTP on
loopback, so a cookie jar would not send them back)."""

import html.parser
import http.client
import re
import socket
import time
from urllib.parse import urlencode, urlsplit


def raw_request(port, data, source=None, timeout=10):
    """Sends bytes as they are; returns (status, headers, body, seconds)."""
    started = time.perf_counter()
    with socket.create_connection(
        ("127.0.0.1", port), timeout=timeout, source_address=(source, 0) if source else None
    ) as sock:
        sock.sendall(data)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except (TimeoutError, ConnectionResetError):
            pass
    seconds = time.perf_counter() - started
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    match = re.match(r"HTTP/1\.[01] (\d{3})", lines[0])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return (int(match.group(1)) if match else None), headers, body, seconds


def get(url, headers=None, timeout=10):
    """(status, headers, body) of a GET; no redirects are followed."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", path or "/", headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


class FormParser(html.parser.HTMLParser):
    """The fields a browser would submit from the form with the given id."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields = []
        self._textarea = None
        self._select = None
        self._select_values = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = name
            self._select_values = []
        elif tag == "option" and self._select is not None and "selected" in attrs:
            self._select_values.append(attrs.get("value", ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            name, value = self._textarea
            self.fields.append((name, value.removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            self.fields.extend((self._select, value) for value in self._select_values)
            self._select = None


class AdminSession:
    """Signs in to the Django admin of one app instance and submits its forms."""

    def __init__(self, base):
        self.base = base.rstrip("/")
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        parts = urlsplit(self.base)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
        try:
            sent = dict(headers or {})
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    pair = value.split(";", 1)[0]
                    key, _, cookie = pair.partition("=")
                    self.cookies[key.strip()] = cookie.strip()
            return response.status, dict(response.getheaders()), response.read().decode()
        finally:
            connection.close()

    def form(self, path, form_id):
        status, _, page = self.request("GET", path)
        assert status == 200, (path, status)
        parser = FormParser(form_id)
        parser.feed(page)
        assert parser.fields, f"no form {form_id!r} at {path}"
        return parser.fields

    def post(self, path, fields):
        body = urlencode(fields)
        return self.request(
            "POST",
            path,
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    def sign_in(self, username, password):
        fields = dict(self.form("/admin/login/", "login-form"))
        fields.update(username=username, password=password)
        status, _, _ = self.post("/admin/login/?next=/admin/", list(fields.items()))
        assert status == 302, f"sign-in failed: {status}"
        assert "sessionid" in self.cookies
