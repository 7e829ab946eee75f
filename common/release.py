"""The release id: a fingerprint of everything deployed that shapes a page.

A shared cache (Redis, or the file cache) outlives a deploy, so every cached page
and word is keyed by the release as well as by the content generation. The id
changes with any change to the code, a template, a stylesheet or script, a compiled
catalogue or a pinned library version, so a deploy never serves what the previous
release cached.
"""

import hashlib
from pathlib import Path

from django.conf import settings

# The folders whose files a page is made from (relative to BASE_DIR).
SOURCES = ("checklist", "common", "content", "poems_site", "templates", "static", "locale")
SUFFIXES = frozenset({".py", ".html", ".txt", ".mo", ".css", ".js", ".svg", ".toml", ".md"})
# The libraries' versions (a sanitiser or Markdown upgrade alone changes the HTML) and
# the project's own version.
PINS = ("requirements.lock", "pyproject.toml")


def _files(root, sources, pins):
    for source in sources:
        for path in sorted((root / source).rglob("*")):
            if path.suffix in SUFFIXES and "__pycache__" not in path.parts and path.is_file():
                yield path
    yield from (root / pin for pin in pins if (root / pin).is_file())


def fingerprint(root, sources=SOURCES, pins=PINS):
    """A short hash of the names and bytes of every file under `sources` in `root`,
    and of the `pins` files."""
    root = Path(root)
    digest = hashlib.sha256()
    for path in _files(root, sources, pins):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


RELEASE = fingerprint(settings.BASE_DIR)
