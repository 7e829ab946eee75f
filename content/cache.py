"""A content generation token: every editor's save replaces it, so cached words expire.

Everything cached from the database (the checklist's words, rendered pages, the
form's fragments) is keyed by the token. It is random rather than a counter, so a
cache that is flushed or restarted can never bring back an old token that a process
still holds copies for. With Redis configured all app servers share it (README).
"""

import hashlib
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

from poems_site import __version__

GENERATION_KEY = "content:generation"


def _release_fingerprint():
    """What this release renders with: its version, templates and compiled catalogues.

    Part of every cached page's key, so a deploy that changes how pages look or read
    never serves what the previous release cached (a shared cache outlives restarts).
    """
    digest = hashlib.sha256(__version__.encode())
    root = Path(settings.BASE_DIR)
    for path in sorted([*root.glob("templates/**/*.html"), *root.glob("locale/*/*/*.mo")]):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


_RELEASE = _release_fingerprint()


def generation():
    """The current content version: the release, and the token of the last editor's save."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        value = cache.get(GENERATION_KEY)
    return f"{_RELEASE}.{value}"


def bump_generation(**kwargs):
    """Signal receiver: any change to content makes every cached copy stale."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


# This process's copies, so a hot page does not unpickle its words on every request.
# Keys carry the generation token, so an editor's save makes them unreachable.
_local = {}
_LOCAL_LIMIT = 512


def cached(name, language, build, timeout=60 * 60 * 24):
    """cache[name, language, generation], built with build() when absent.

    The value is shared: callers must not change it. None (nothing found) is not kept.
    """
    key = f"content:{generation()}:{language}:{name}"
    value = _local.get(key)
    if value is not None:
        return value
    value = cache.get(key)
    if value is None:
        value = build()
        if value is None:
            return None
        cache.set(key, value, timeout)
    if len(_local) >= _LOCAL_LIMIT:
        _local.clear()
    _local[key] = value
    return value
